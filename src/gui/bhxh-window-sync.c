/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Sync now": the service runs the sync engine in a thread of its own
 * with its own connection to the store, so the counter keeps working
 * meanwhile; the counter's "syncing" property says it runs. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-clock.h"
#include "bhxh-window-private.h"

static char *
report_summary (const BhxhCounterSync *report)
{
  guint refused = report->refused + report->conflict;

  if (report->errors != NULL && report->errors->len > 0)
    return g_strdup_printf (_("Sync finished with problems: %s"),
                            (const char *) g_ptr_array_index (report->errors, 0));
  /* Refusals first: someone must look at them (the supervisor's list says why). */
  if (refused > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Synced, but the portal refused %u decision: see "
                                         "the supervisor’s list (%u sent, %u waiting)",
                                         "Synced, but the portal refused %u decisions: see "
                                         "the supervisor’s list (%u sent, %u waiting)",
                                         refused),
                            refused, report->acknowledged, report->pending);
  return g_strdup_printf (_("Synced: %u sent, %u new declarations, %u waiting"),
                          report->acknowledged, report->declarations, report->pending);
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BhxhWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhCounterSync) report = bhxh_counter_sync_finish (BHXH_COUNTER (source), result,
                                                                &error);
  g_autofree char *office = NULL;
  g_autofree char *message = NULL;

  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bhxh_window_toast (self, error->message);
      return;
    }
  message = report_summary (report);
  bhxh_window_toast (self, message);
  bhxh_status_bar_refresh (self->status_bar);
  /* The day's list shows each decision's sync state: sent ones change. */
  if (self->supervisor_page != NULL && self->supervisor)
    bhxh_supervisor_page_refresh (self->supervisor_page);
  /* New declarations may have arrived; decisions in flight stay as they are. */
  if (report->declarations > 0 && self->pending == NULL && self->commits_in_flight == 0)
    {
      BhxhDate today = bhxh_counter_get_today (self->counter);

      office = g_settings_get_string (self->settings, "office");
      bhxh_queue_page_load (self->queue_page, office, &today);
    }
}

static void
start_sync (BhxhWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "portal-url");
  g_autofree char *token_file = g_settings_get_string (self->settings, "portal-token-file");
  g_autofree char *office = g_settings_get_string (self->settings, "office");

  /* Without an address in the preferences, the service syncs with the
   * portal it was enrolled with (or says that none is set). */
  if (self->counter == NULL || bhxh_counter_get_syncing (self->counter))
    return;
  bhxh_window_toast (self, _("Syncing with the portal…"));
  bhxh_counter_sync_async (self->counter, url, token_file, office, self->cancellable, sync_cb,
                           g_object_ref (self));
}

void
_bhxh_window_sync_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);

  /* The decision in its undo window goes with this sync: its hold ends
   * first (in the store), then the sync starts. */
  _bhxh_window_commit_pending_then (self, start_sync);
}
