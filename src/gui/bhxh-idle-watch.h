/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Watches a window for keyboard and pointer input and emits "idle" once
 * no input came for "timeout-seconds" (0: never). The timer starts over
 * after each input and after each "idle". */
#define BHXH_TYPE_IDLE_WATCH (bhxh_idle_watch_get_type ())
G_DECLARE_FINAL_TYPE (BhxhIdleWatch, bhxh_idle_watch, BHXH, IDLE_WATCH, GObject)

BhxhIdleWatch *bhxh_idle_watch_new          (GtkWidget     *widget);
void           bhxh_idle_watch_set_timeout  (BhxhIdleWatch *self,
                                             guint          seconds);
guint          bhxh_idle_watch_get_timeout  (BhxhIdleWatch *self);
/* Counts as input (what the event controllers call). */
void           bhxh_idle_watch_poke         (BhxhIdleWatch *self);

G_END_DECLS
