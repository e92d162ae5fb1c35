/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every preference is a GSettings key, bound directly: nothing to save. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "store/bhxh-store.h"

#include "bhxh-preferences-window.h"

struct _BhxhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  BhxhCounter          *counter;
  GCancellable         *cancellable;
  AdwComboRow          *office_row;
  GtkStringList        *office_codes;
};

G_DEFINE_FINAL_TYPE (BhxhPreferencesWindow, bhxh_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *scanner_modes[] = { "keyboard", "serial", "camera", "off" };

static GtkWidget *
entry_row (BhxhPreferencesWindow *self,
           const char            *title,
           const char            *key)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_settings_bind (self->settings, key, row, "text", G_SETTINGS_BIND_DEFAULT);
  return row;
}

static GtkWidget *
spin_row (BhxhPreferencesWindow *self,
          const char            *title,
          const char            *subtitle,
          const char            *key,
          double                 min,
          double                 max)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_settings_bind (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

static GtkWidget *
group_new (AdwPreferencesPage *page,
           const char         *title,
           const char         *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
  return group;
}

static void
scanner_mode_changed_cb (AdwComboRow           *row,
                         GParamSpec            *pspec,
                         BhxhPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected < G_N_ELEMENTS (scanner_modes))
    g_settings_set_string (self->settings, "scanner-mode", scanner_modes[selected]);
}

static GtkWidget *
scanner_mode_row (BhxhPreferencesWindow *self)
{
  const char *labels[] = { _("Keyboard (types the code)"), _("Serial port (USB COM)"),
                           _("Camera"), _("Off"), NULL };
  g_autofree char *mode = g_settings_get_string (self->settings, "scanner-mode");
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Scanner mode"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (gtk_string_list_new (labels)));
  for (guint i = 0; i < G_N_ELEMENTS (scanner_modes); i++)
    if (g_str_equal (mode, scanner_modes[i]))
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (scanner_mode_changed_cb), self, 0);
  return row;
}

static void
office_changed_cb (AdwComboRow           *row,
                   GParamSpec            *pspec,
                   BhxhPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->office_codes != NULL &&
      selected < g_list_model_get_n_items (G_LIST_MODEL (self->office_codes)))
    g_settings_set_string (self->settings, "office",
                           gtk_string_list_get_string (self->office_codes, selected));
}

static void
offices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BhxhPreferencesWindow) self = user_data;
  g_autoptr(GPtrArray) offices = bhxh_counter_list_offices_finish (BHXH_COUNTER (source), result,
                                                                   NULL);
  g_autofree char *current = g_settings_get_string (self->settings, "office");
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  if (offices == NULL)
    return;
  g_clear_object (&self->office_codes);
  self->office_codes = gtk_string_list_new (NULL);
  for (guint i = 0; i < offices->len; i++)
    {
      const BhxhOffice *office = g_ptr_array_index (offices, i);
      g_autofree char *label = g_strdup_printf ("%s — %s", office->code, office->name);

      gtk_string_list_append (labels, label);
      gtk_string_list_append (self->office_codes, office->code);
      if (g_strcmp0 (office->code, current) == 0)
        selected = i;
    }
  adw_combo_row_set_model (self->office_row, G_LIST_MODEL (labels));
  if (selected != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (self->office_row, selected);
  g_signal_connect_object (self->office_row, "notify::selected",
                           G_CALLBACK (office_changed_cb), self, 0);
}

static void
build_general (BhxhPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  GtkWidget *group;

  adw_preferences_page_set_title (page, _("Counter"));
  adw_preferences_page_set_icon_name (page, "x-office-address-book-symbolic");

  group = group_new (page, _("Office"), _("The queue shows this office and the offices under it."));
  self->office_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->office_row), _("BHXH office"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->office_row));

  group = group_new (page, _("Portal"), _("Decisions are sent and declarations fetched here."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (self, _("Portal address (https://…)"), "portal-url"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (self, _("Credentials file (workstation token)"),
                                        "portal-token-file"));

  group = group_new (page, _("Deciding"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, _("Undo window"),
                                       _("Seconds to take a decision back before it is recorded"),
                                       "undo-seconds", 0, 60));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, _("Registry age warning"),
                                       _("Days after which the mirror counts as stale"),
                                       "mirror-stale-days", 1, 365));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

static void
build_scanning (BhxhPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  GtkWidget *group;

  adw_preferences_page_set_title (page, _("Scanning"));
  adw_preferences_page_set_icon_name (page, "scanner-symbolic");

  group = group_new (page, _("Handheld scanner"),
                     _("In keyboard mode a scan works anywhere in the window. Serial mode keeps "
                       "Vietnamese letters intact on every scanner."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), scanner_mode_row (self));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (self, _("Serial device"), "serial-device"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, _("Serial speed"), _("Baud, as set on the scanner"),
                                       "serial-baud", 1200, 921600));

  group = group_new (page, _("Camera"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (self, _("Camera device (empty: the first one)"),
                                        "camera-device"));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

static void
build_privacy (BhxhPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  GtkWidget *group;

  adw_preferences_page_set_title (page, _("Personal Data"));
  adw_preferences_page_set_icon_name (page, "security-high-symbolic");
  group = group_new (page, _("Retention"),
                     _("ID cards and what they contain are personal data: keep them no longer "
                       "than the work needs."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, _("Keep scanned codes"),
                                       _("Days before raw scans and payloads are purged"),
                                       "retention-days", 1, 3650));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

static void
bhxh_preferences_window_dispose (GObject *object)
{
  BhxhPreferencesWindow *self = (BhxhPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->counter);
  g_clear_object (&self->office_codes);
  G_OBJECT_CLASS (bhxh_preferences_window_parent_class)->dispose (object);
}

static void
bhxh_preferences_window_class_init (BhxhPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bhxh_preferences_window_dispose;
}

static void
bhxh_preferences_window_init (BhxhPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
}

BhxhPreferencesWindow *
bhxh_preferences_window_new (GSettings   *settings,
                             BhxhCounter *counter)
{
  BhxhPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BHXH_TYPE_PREFERENCES_WINDOW, "modal", TRUE, "search-enabled", FALSE,
                       NULL);
  self->settings = g_object_ref (settings);
  self->counter = counter != NULL ? g_object_ref (counter) : NULL;
  build_general (self);
  build_scanning (self);
  build_privacy (self);
  if (self->counter != NULL)
    bhxh_counter_list_offices_async (self->counter, self->cancellable, offices_cb,
                                     g_object_ref (self));
  return self;
}
