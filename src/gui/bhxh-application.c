/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "bhxh-application.h"
#include "bhxh-renderer.h"
#include "bhxh-preferences-window.h"
#include "bhxh-window.h"

struct _BhxhApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
  char           *database;
  gboolean        demo;
  gboolean        system;
};

G_DEFINE_FINAL_TYPE (BhxhApplication, bhxh_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the demo office (created on first use)"), NULL },
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open this database file"), N_("FILE") },
  { "system", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Work through the counter service of this computer (bhxh-deskd)"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static char *
demo_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "bhxh-desk", "demo.sqlite", NULL);
}

static gboolean
ensure_parent_dir (const char  *path,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static int
bhxh_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  BhxhApplication *self = BHXH_APPLICATION (app);
  g_autofree char *database = NULL;
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("bhxh-desk %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* The system service owns its store: no file is opened here. */
  if (g_variant_dict_contains (options, "system"))
    {
      self->system = TRUE;
      return -1;
    }
  self->demo = g_variant_dict_contains (options, "demo");
  if (!self->demo && g_variant_dict_lookup (options, "database", "^ay", &database))
    self->database = g_canonicalize_filename (database, NULL);
  if (self->database == NULL && !self->demo)
    {
      g_autofree char *configured = g_settings_get_string (self->settings, "database");

      if (configured[0] != '\0')
        self->database = g_steal_pointer (&configured);
    }
  if (self->database == NULL)
    {
      self->demo = TRUE;
      self->database = demo_database_path ();
    }
  if (!ensure_parent_dir (self->database, &error))
    {
      g_printerr ("bhxh-desk: %s\n", error->message);
      return 1;
    }

  return -1;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing through the window lets it record a decision still in its
   * undo window before the application goes. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  BhxhApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  BhxhPreferencesWindow *prefs;

  prefs = bhxh_preferences_window_new (self->settings,
                                       BHXH_IS_WINDOW (parent)
                                       ? bhxh_window_get_counter (BHXH_WINDOW (parent)) : NULL);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "bhxh-desk contributors", NULL };
  g_autofree char *renderer = bhxh_renderer_describe ();

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("BHXH Counter"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Check e-transaction declarations against the ID card "
                                       "and the registry, and decide at the counter"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         "debug-info", renderer,
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

static void
load_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/vn/bhxh/Desk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
bhxh_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (bhxh_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         prefs_accels);
  gtk_window_set_default_icon_name (APPLICATION_ID);
  load_css ();
}

static void
bhxh_application_activate (GApplication *app)
{
  BhxhApplication *self = BHXH_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (bhxh_window_new (self));
  gtk_window_present (window);
}

static void
bhxh_application_finalize (GObject *object)
{
  BhxhApplication *self = (BhxhApplication *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->database, g_free);

  G_OBJECT_CLASS (bhxh_application_parent_class)->finalize (object);
}

static void
bhxh_application_class_init (BhxhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = bhxh_application_finalize;
  app_class->handle_local_options = bhxh_application_handle_local_options;
  app_class->startup = bhxh_application_startup;
  app_class->activate = bhxh_application_activate;
}

static void
bhxh_application_init (BhxhApplication *self)
{
  self->settings = g_settings_new ("vn.bhxh.Desk");
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The BHXH e-transaction counter"));
}

BhxhApplication *
bhxh_application_new (void)
{
  /* NON_UNIQUE: a counter runs one window, and tests start several
   * instances side by side without a session bus. */
  return g_object_new (BHXH_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/vn/bhxh/Desk",
                       NULL);
}

GSettings *
bhxh_application_get_settings (BhxhApplication *self)
{
  g_return_val_if_fail (BHXH_IS_APPLICATION (self), NULL);
  return self->settings;
}

const char *
bhxh_application_get_database (BhxhApplication *self)
{
  g_return_val_if_fail (BHXH_IS_APPLICATION (self), NULL);
  return self->database;
}

gboolean
bhxh_application_get_is_demo (BhxhApplication *self)
{
  g_return_val_if_fail (BHXH_IS_APPLICATION (self), FALSE);
  return self->demo;
}

gboolean
bhxh_application_get_system (BhxhApplication *self)
{
  g_return_val_if_fail (BHXH_IS_APPLICATION (self), FALSE);
  return self->system;
}
