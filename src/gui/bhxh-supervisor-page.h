/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bhxh-date.h"

#include "service/bhxh-counter.h"

G_BEGIN_DECLS

#define BHXH_TYPE_SUPERVISOR_PAGE (bhxh_supervisor_page_get_type ())
G_DECLARE_FINAL_TYPE (BhxhSupervisorPage, bhxh_supervisor_page, BHXH, SUPERVISOR_PAGE, GtkWidget)

void   bhxh_supervisor_page_setup            (BhxhSupervisorPage *self,
                                              BhxhCounter        *counter,
                                              const BhxhDate     *day);
/* reason_codes: (element-type BhxhReasonCode) */
void   bhxh_supervisor_page_set_reason_codes (BhxhSupervisorPage *self,
                                              GPtrArray          *reason_codes);
void   bhxh_supervisor_page_refresh          (BhxhSupervisorPage *self);
guint  bhxh_supervisor_page_get_n_decisions  (BhxhSupervisorPage *self);
guint  bhxh_supervisor_page_get_n_escalations (BhxhSupervisorPage *self);
void   bhxh_supervisor_page_export_async     (BhxhSupervisorPage  *self,
                                              GFile               *file,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
int    bhxh_supervisor_page_export_finish    (BhxhSupervisorPage  *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
