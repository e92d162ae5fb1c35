/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "bhxh-declaration-object.h"
#include "service/bhxh-counter.h"

G_BEGIN_DECLS

#define BHXH_TYPE_QUEUE_PAGE (bhxh_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (BhxhQueuePage, bhxh_queue_page, BHXH, QUEUE_PAGE, GtkWidget)

void                   bhxh_queue_page_set_counter       (BhxhQueuePage         *self,
                                                         BhxhCounter           *counter);
void                   bhxh_queue_page_load             (BhxhQueuePage         *self,
                                                         const char            *office_code,
                                                         const BhxhDate        *today);
/* objects: (element-type BhxhDeclarationObject), already sorted */
void                   bhxh_queue_page_set_declarations (BhxhQueuePage         *self,
                                                         GPtrArray             *objects);
void                   bhxh_queue_page_set_search       (BhxhQueuePage         *self,
                                                         const char            *text);
void bhxh_queue_page_clear_search (BhxhQueuePage *self);
void                   bhxh_queue_page_focus_search     (BhxhQueuePage         *self);
GListModel            *bhxh_queue_page_get_model        (BhxhQueuePage         *self);
guint                  bhxh_queue_page_get_n_total      (BhxhQueuePage         *self);
BhxhDeclarationObject *bhxh_queue_page_lookup           (BhxhQueuePage         *self,
                                                         const char            *id);
BhxhDeclarationObject *bhxh_queue_page_next_open        (BhxhQueuePage         *self,
                                                         BhxhDeclarationObject *after);
void                   bhxh_queue_page_select           (BhxhQueuePage         *self,
                                                         BhxhDeclarationObject *object);
void                   bhxh_queue_page_status_changed   (BhxhQueuePage         *self);

/* Any thread: @declarations (taken) as sorted objects with their assignee. */
GPtrArray             *bhxh_queue_make_objects          (GPtrArray             *declarations,
                                                         GHashTable            *assignments,
                                                         const BhxhDate        *today);

G_END_DECLS
