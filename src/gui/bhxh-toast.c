/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Toasts shown and dismissed safely on libadwaita 1.2 (Debian 12).
 *
 * AdwToastOverlay 1.2 frees a toast's bookkeeping when its hide animation
 * ends but leaves its show animation's "done" handler connected: a toast
 * dismissed while it is still sliding in — the undo toast when the clerk
 * prints right after deciding — makes the overlay read freed memory and the
 * application crash (fixed upstream in libadwaita 1.3, commit 1674ebc9
 * "toast-overlay: Prevent show_done from firing after hide_done"). So a
 * toast the application dismisses itself is shown with bhxh_toast_show_now(),
 * at once (high priority, not behind a queued one) and noting when, and
 * bhxh_toast_dismiss() waits until its show animation (at most 500 ms) is
 * over. A toast still queued behind a later high-priority one is dismissed
 * safely at any time: it has no animation.
 */
#include "bhxh-toast.h"

/* The longest show animation of AdwToastOverlay (REPLACE_DURATION), and a
 * margin for a busy frame clock. */
#define SHOW_ANIMATION_US (800 * G_TIME_SPAN_MILLISECOND)

static GQuark
shown_at_quark (void)
{
  return g_quark_from_static_string ("bhxh-toast-shown-at");
}

/* Takes @toast (transfer full), like adw_toast_overlay_add_toast(). */
void
bhxh_toast_show_now (AdwToastOverlay *overlay,
                     AdwToast        *toast)
{
  gint64 *shown_at = g_new (gint64, 1);

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  *shown_at = g_get_monotonic_time ();
  g_object_set_qdata_full (G_OBJECT (toast), shown_at_quark (), shown_at, g_free);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (overlay, toast);
}

static gboolean
dismiss_later_cb (gpointer user_data)
{
  adw_toast_dismiss (ADW_TOAST (user_data));
  return G_SOURCE_REMOVE;
}

void
bhxh_toast_dismiss (AdwToast *toast)
{
  const gint64 *shown_at;
  gint64 left = 0;

  g_return_if_fail (ADW_IS_TOAST (toast));

  shown_at = g_object_get_qdata (G_OBJECT (toast), shown_at_quark ());
  if (shown_at != NULL && adw_get_minor_version () < 3 && adw_get_major_version () == 1)
    left = *shown_at + SHOW_ANIMATION_US - g_get_monotonic_time ();
  if (left <= 0)
    {
      adw_toast_dismiss (toast);
      return;
    }
  g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (left / G_TIME_SPAN_MILLISECOND) + 1,
                      dismiss_later_cb, g_object_ref (toast), g_object_unref);
}
