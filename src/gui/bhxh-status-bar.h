/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "service/bhxh-counter.h"

G_BEGIN_DECLS

#define BHXH_TYPE_STATUS_BAR (bhxh_status_bar_get_type ())
G_DECLARE_FINAL_TYPE (BhxhStatusBar, bhxh_status_bar, BHXH, STATUS_BAR, GtkWidget)

void     bhxh_status_bar_setup        (BhxhStatusBar *self,
                                       BhxhCounter   *counter,
                                       GSettings     *settings);
void     bhxh_status_bar_refresh      (BhxhStatusBar *self);
/* TRUE when new approvals must wait (the safety stop of the sync rules). */

G_END_DECLS
