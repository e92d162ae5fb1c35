/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BHXH_TYPE_SCAN_LISTENER (bhxh_scan_listener_get_type ())
G_DECLARE_FINAL_TYPE (BhxhScanListener, bhxh_scan_listener, BHXH, SCAN_LISTENER, GObject)

/* Listens on every input the settings enable — a keyboard-mode scanner's
 * burst anywhere in @window, a serial scanner — and emits "payload"
 * (GBytes) for each code, or "problem" (a message for the clerk). */
BhxhScanListener *bhxh_scan_listener_new         (GtkWidget        *window,
                                                  GSettings        *settings);
void              bhxh_scan_listener_set_enabled (BhxhScanListener *self,
                                                  gboolean          enabled);
/* Feeds one key as the window's capture controller does; for tests. */
gboolean          bhxh_scan_listener_feed_key    (BhxhScanListener *self,
                                                  guint             keyval,
                                                  gint64            time_us);
gboolean          bhxh_scan_listener_feed_alt_digit   (BhxhScanListener *self,
                                                       guint             digit,
                                                       gint64            time_us);
gboolean          bhxh_scan_listener_feed_alt_release (BhxhScanListener *self,
                                                       gint64            time_us);

G_END_DECLS
