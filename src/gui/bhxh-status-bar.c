/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The line at the bottom: how old the registry mirror is, when the counter
 * last reached the portal, how many decisions still wait to be sent. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-clock.h"
#include "store/bhxh-store-safety.h"

#include "sync/bhxh-sync.h"
#include "bhxh-status-bar.h"

#define REFRESH_SECONDS 30

struct _BhxhStatusBar
{
  GtkWidget     parent_instance;

  GtkWidget    *mirror_item;
  GtkWidget    *sync_item;
  GtkWidget    *outbox_item;
  GtkWidget    *portal_item;

  BhxhCounter  *counter;
  GSettings    *settings;
  GCancellable *cancellable;
  guint         timeout_id;
};

G_DEFINE_FINAL_TYPE (BhxhStatusBar, bhxh_status_bar, GTK_TYPE_WIDGET)

/* What the service says of the counter (GetStatus). */
typedef BhxhCounterStatus StatusInfo;

static GtkWidget *
item_new (BhxhStatusBar *self,
          const char    *icon_name)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_parent (box, GTK_WIDGET (self));
  return box;
}

static void
item_set (GtkWidget  *item,
          const char *icon_name,
          const char *text,
          const char *tooltip,
          const char *css)
{
  GtkWidget *image = gtk_widget_get_first_child (item);
  GtkWidget *label = gtk_widget_get_next_sibling (image);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon_name);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (item, tooltip);
  gtk_widget_remove_css_class (item, "warning");
  gtk_widget_remove_css_class (item, "error");
  if (css != NULL)
    gtk_widget_add_css_class (item, css);
}

static void
show_mirror (BhxhStatusBar    *self,
             const StatusInfo *info)
{
  g_autoptr(GDateTime) now = bhxh_clock_now ();
  guint stale_days = g_settings_get_uint (self->settings, "mirror-stale-days");
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *persons = NULL;
  gboolean stale;
  int age;

  if (info->mirror_imported_at == NULL)
    {
      item_set (self->mirror_item, "dialog-warning-symbolic", _("No registry mirror"),
                _("Sync with the portal to download the registry"), "error");
      return;
    }

  age = (int) (g_date_time_difference (now, info->mirror_imported_at) / G_TIME_SPAN_DAY);
  stale = age > (int) stale_days;
  if (age <= 0)
    text = g_strdup (_("Registry: today"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Registry: %d day old",
                                         "Registry: %d days old", age), age);
  persons = g_strdup_printf ("%" G_GUINT64_FORMAT, info->persons);
  tooltip = g_strdup_printf (_("Registry mirror %s, %s persons"),
                             info->mirror_version != NULL ? info->mirror_version : "—", persons);
  if (stale)
    {
      g_autofree char *warning = g_strdup_printf (_("%s. It is stale: sync before deciding."),
                                                  tooltip);

      g_free (tooltip);
      tooltip = g_steal_pointer (&warning);
    }
  item_set (self->mirror_item, stale ? "dialog-warning-symbolic" : "x-office-address-book-symbolic",
            text, tooltip, stale ? "warning" : NULL);
}

/* An instant of the service (ISO 8601) as the office reads it: "05/12 09:15". */
static char *
office_time (const char *iso)
{
  g_autoptr(GDateTime) at = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) office = at != NULL ? bhxh_clock_to_office (at) : NULL;

  return office != NULL ? g_date_time_format (office, "%d/%m %H:%M") : NULL;
}

static void
show_sync (BhxhStatusBar    *self,
           const StatusInfo *info)
{
  g_autofree char *when = office_time (info->last_sync);
  g_autofree char *text = when != NULL ? g_strdup_printf (_("Last sync: %s"), when)
                                       : g_strdup (_("Never synced"));

  item_set (self->sync_item, "emblem-synchronizing-symbolic", text, NULL,
            when == NULL ? "warning" : NULL);
}

static void
show_outbox (BhxhStatusBar    *self,
             const StatusInfo *info)
{
  g_autofree char *text = NULL;
  const char *css = NULL;

  if (info->needs_person > 0)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u unsynced, %u refused by the portal",
                                           "%u unsynced, %u refused by the portal",
                                           info->unsynced),
                              info->unsynced, info->needs_person);
      css = "error";
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u decision not sent",
                                         "%u decisions not sent", info->unsynced),
                            info->unsynced);
  item_set (self->outbox_item,
            info->needs_person > 0 ? "dialog-error-symbolic"
            : info->unsynced > 0 ? "document-send-symbolic" : "emblem-ok-symbolic",
            text, _("Decisions are kept safely here until the portal acknowledges them"), css);
}

/* The sync rules' safety stop: past its limits, new approvals wait. */
static void
show_safety (BhxhStatusBar    *self,
             const StatusInfo *info)
{
  /* Whether approvals wait is the counter's (approvals-blocked). */
  if (info->safety == BHXH_SAFETY_OK || info->safety_message == NULL)
    return;
  gtk_widget_set_tooltip_text (self->sync_item, info->safety_message);
  gtk_widget_remove_css_class (self->sync_item, "warning");
  gtk_widget_add_css_class (self->sync_item,
                            info->safety == BHXH_SAFETY_BLOCK ? "error" : "warning");
}

static void check_portal (BhxhStatusBar    *self,
                          const StatusInfo *info);

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BhxhStatusBar) self = user_data;
  g_autoptr(GError) error = NULL;
  StatusInfo *info = bhxh_counter_get_status_finish (BHXH_COUNTER (source), result, &error);

  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        item_set (self->mirror_item, "dialog-error-symbolic", error->message, NULL, "error");
      return;
    }
  show_mirror (self, info);
  show_sync (self, info);
  show_outbox (self, info);
  show_safety (self, info);
  check_portal (self, info);
  bhxh_counter_status_free (info);
}

/* Connected only as far as the last sync knew: a route to the address
 * says nothing of a portal that is down. The preferences' address, else
 * the one the service was enrolled with. */
static void
check_portal (BhxhStatusBar    *self,
              const StatusInfo *info)
{
  g_autofree char *url = g_settings_get_string (self->settings, "portal-url");
  g_autofree char *attempt = office_time (info->last_attempt);
  g_autofree char *success = office_time (info->last_sync);
  g_autofree char *text = NULL, *tip = NULL;

  if (url[0] == '\0' && info->portal_url == NULL)
    {
      item_set (self->portal_item, "network-offline-symbolic", _("Working offline"),
                _("No portal address is set in the preferences"), NULL);
      return;
    }
  if (attempt == NULL)
    {
      item_set (self->portal_item, "network-offline-symbolic", _("Portal: not contacted yet"),
                _("Sync to connect"), NULL);
      return;
    }
  if (g_strcmp0 (info->last_attempt, info->last_sync) == 0)
    {
      text = g_strdup_printf (_("Portal: reached at %s"), attempt);
      item_set (self->portal_item, "network-wired-symbolic", text, NULL, NULL);
      return;
    }
  text = g_strdup_printf (_("Portal: not reached at %s"), attempt);
  tip = success != NULL ? g_strdup_printf (_("Last reached at %s"), success)
                        : g_strdup (_("Never reached"));
  item_set (self->portal_item, "network-error-symbolic", text, tip, "error");
}

void
bhxh_status_bar_refresh (BhxhStatusBar *self)
{
  g_return_if_fail (BHXH_IS_STATUS_BAR (self));

  if (self->counter == NULL)
    return;
  if (bhxh_counter_get_login (self->counter) == NULL)
    return;
  bhxh_counter_get_status_async (self->counter, self->cancellable, status_cb,
                                 g_object_ref (self));
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  bhxh_status_bar_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

static void
bhxh_status_bar_dispose (GObject *object)
{
  BhxhStatusBar *self = (BhxhStatusBar *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->counter);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bhxh_status_bar_parent_class)->dispose (object);
}

static void
bhxh_status_bar_class_init (BhxhStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_status_bar_dispose;
  gtk_widget_class_set_css_name (widget_class, "statusbar");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
bhxh_status_bar_init (BhxhStatusBar *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 24);
  self->cancellable = g_cancellable_new ();
  self->mirror_item = item_new (self, "x-office-address-book-symbolic");
  self->sync_item = item_new (self, "emblem-synchronizing-symbolic");
  self->outbox_item = item_new (self, "document-send-symbolic");
  self->portal_item = item_new (self, "network-offline-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Counter status"), -1);
}
/* While the service syncs: its stage and how far, in the sync item. */
static void
sync_progress_cb (BhxhCounter   *counter,
                  int            stage,
                  guint64        done,
                  guint64        total,
                  BhxhStatusBar *self)
{
  const char *what = bhxh_sync_stage_to_label ((BhxhSyncStage) stage);
  g_autofree char *text = NULL;

  if (total > 0)
    text = g_strdup_printf (_("Syncing: %s %u%%"), what,
                            (guint) (MIN (done, total) * 100 / total));
  else
    text = g_strdup_printf (_("Syncing: %s"), what);
  item_set (self->sync_item, "emblem-synchronizing-symbolic", text, NULL, NULL);
}

static void
syncing_changed_cb (BhxhCounter   *counter,
                    GParamSpec    *pspec,
                    BhxhStatusBar *self)
{
  if (!bhxh_counter_get_syncing (counter))
    bhxh_status_bar_refresh (self);
}

void
bhxh_status_bar_setup (BhxhStatusBar *self,
                       BhxhCounter   *counter,
                       GSettings     *settings)
{
  g_return_if_fail (BHXH_IS_STATUS_BAR (self));

  /* Called at every sign-in: connect once per counter and settings. */
  if (self->counter != counter)
    {
      if (self->counter != NULL)
        g_signal_handlers_disconnect_by_data (self->counter, self);
      g_set_object (&self->counter, counter);
      g_signal_connect_object (counter, "sync-progress", G_CALLBACK (sync_progress_cb), self, 0);
      g_signal_connect_object (counter, "notify::syncing", G_CALLBACK (syncing_changed_cb),
                               self, 0);
    }
  if (self->settings != settings)
    {
      if (self->settings != NULL)
        g_signal_handlers_disconnect_by_data (self->settings, self);
      g_set_object (&self->settings, settings);
      g_signal_connect_object (settings, "changed::portal-url",
                               G_CALLBACK (bhxh_status_bar_refresh), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::mirror-stale-days",
                               G_CALLBACK (bhxh_status_bar_refresh), self, G_CONNECT_SWAPPED);
    }
  if (self->timeout_id == 0)
    self->timeout_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_timeout_cb, self);
  bhxh_status_bar_refresh (self);
}


