/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Sync now": the sync engine runs in a thread of its own with its own
 * connection to the database, so the counter keeps working meanwhile. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sync/bhxh-sync.h"

#include "core/bhxh-clock.h"
#include "bhxh-window-private.h"

typedef struct
{
  char            *path;
  char            *token_file;
  BhxhSyncOptions *options;
} SyncData;

static void
sync_data_free (gpointer data)
{
  SyncData *sync = data;

  g_free (sync->path);
  g_free (sync->token_file);
  g_clear_pointer (&sync->options, bhxh_sync_options_free);
  g_free (sync);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SyncData *sync = task_data;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BhxhSyncReport *report;

  if (sync->token_file != NULL && sync->token_file[0] != '\0')
    {
      g_autofree char *token = NULL;

      if (!g_file_get_contents (sync->token_file, &token, NULL, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      sync->options->portal->token = g_strdup (g_strstrip (token));
    }
  store = bhxh_store_open (sync->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  report = bhxh_sync_run (store, sync->options, NULL, NULL, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) bhxh_sync_report_free);
}

static char *
report_summary (const BhxhSyncReport *report)
{
  if (report->errors != NULL && report->errors->len > 0)
    return g_strdup_printf (_("Sync finished with problems: %s"),
                            (const char *) g_ptr_array_index (report->errors, 0));
  return g_strdup_printf (_("Synced: %u sent, %u new declarations, %u waiting"),
                          report->acknowledged, report->declarations, report->pending);
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  BhxhWindow *self = BHXH_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhSyncReport) report = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *office = NULL;
  g_autofree char *message = NULL;

  self->syncing = FALSE;
  _bhxh_window_update_actions (self);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bhxh_window_toast (self, error->message);
      return;
    }
  message = report_summary (report);
  bhxh_window_toast (self, message);
  bhxh_status_bar_refresh (self->status_bar);
  /* New declarations may have arrived; decisions in flight stay as they are. */
  if (report->declarations > 0 && self->pending == NULL && self->commits_in_flight == 0)
    {
      BhxhDate today = bhxh_clock_today ();

      office = g_settings_get_string (self->settings, "office");
      bhxh_queue_page_load (self->queue_page, office, &today);
    }
}

static void
start_sync (BhxhWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "portal-url");
  g_autoptr(GTask) task = NULL;
  SyncData *data;

  if (self->syncing || url[0] == '\0')
    return;
  data = g_new0 (SyncData, 1);
  data->path = g_strdup (bhxh_worker_get_path (self->worker));
  data->token_file = g_settings_get_string (self->settings, "portal-token-file");
  data->options = bhxh_sync_options_new ();
  data->options->portal->portal_url = g_steal_pointer (&url);
  data->options->office_code = g_settings_get_string (self->settings, "office");

  self->syncing = TRUE;
  _bhxh_window_update_actions (self);
  bhxh_window_toast (self, _("Syncing with the portal…"));
  task = g_task_new (self, self->cancellable, sync_cb, NULL);
  g_task_set_source_tag (task, _bhxh_window_sync_activated);
  g_task_set_task_data (task, data, sync_data_free);
  g_task_run_in_thread (task, sync_thread);
}

void
_bhxh_window_sync_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);
  g_autofree char *url = g_settings_get_string (self->settings, "portal-url");

  if (url[0] == '\0')
    {
      bhxh_window_toast (self, _("Set the portal address in the preferences first"));
      return;
    }
  /* The decision in its undo window goes with this sync: its hold ends
   * first (in the store), then the sync starts. */
  _bhxh_window_commit_pending_then (self, start_sync);
}
