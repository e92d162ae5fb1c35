/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workstation's preferences are GSettings keys, bound directly:
 * nothing to save. The counter's rules (sign-in, idle lock, retention) and
 * its accounts live in the service's store: read and changed through
 * BhxhCounter, editable by an admin, shown to a supervisor. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "chip/bhxh-chip.h"
#include "core/bhxh-secret-file.h"

#include "core/bhxh-clock.h"
#include "core/bhxh-collate.h"
#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"

#include "bhxh-preferences-window.h"
#include "bhxh-token-chooser.h"

struct _BhxhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  BhxhCounter          *counter;
  GCancellable         *cancellable;
  AdwComboRow          *office_row;
  GtkStringList        *office_codes;
  AdwComboRow          *reader_row;
  /* The portal the service is enrolled with (the admin changes it). */
  GtkWidget            *portal_url_row;
  GtkWidget            *portal_token_row;
  GtkWidget            *portal_save;
  char                 *token_path;
  char                 *enrolled_office;

  /* The counter's rules and accounts (through the service). */
  gboolean              may_administer;
  BhxhCounterSettings  *rules;            /* as the service last said */
  GPtrArray            *rule_spins;       /* GtkSpinButton, data "key" */
  GtkWidget            *chip_switch;      /* the chip_required rule */
  guint                 rules_timeout_id;
  AdwPreferencesGroup  *accounts_group;
  GtkWidget            *add_button;
  GPtrArray            *account_rows;
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

/* A row with a spin button of its own (@spin), labelled by the title. */
static GtkWidget *
spin_row_new (const char  *title,
              const char  *subtitle,
              double       min,
              double       max,
              GtkWidget  **spin)
{
  GtkWidget *row = adw_action_row_new ();

  *spin = gtk_spin_button_new_with_range (min, max, 1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (*spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *spin);
  return row;
}

/* A workstation preference: bound to its GSettings key. */
static GtkWidget *
spin_row (BhxhPreferencesWindow *self,
          const char            *title,
          const char            *subtitle,
          const char            *key,
          double                 min,
          double                 max)
{
  GtkWidget *spin;
  GtkWidget *row = spin_row_new (title, subtitle, min, max, &spin);

  g_settings_bind (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
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

/* The counter's rules. A spin button's changes are sent together once the
 * admin stops clicking (each change is an audited event in the store). */

static guint
rule_value (const BhxhCounterSettings *rules,
            const char                *key)
{
  if (g_str_equal (key, BHXH_META_MAX_FAILURES))
    return rules->max_failures;
  if (g_str_equal (key, BHXH_META_LOCKOUT_MINUTES))
    return rules->lockout_minutes;
  if (g_str_equal (key, BHXH_META_IDLE_LOCK_MINUTES))
    return rules->idle_lock_minutes;
  return rules->retention_days;
}

static void rule_changed_cb (GtkSpinButton         *spin,
                             BhxhPreferencesWindow *self);
static void chip_rule_cb    (BhxhPreferencesWindow *self);

static void
show_rules (BhxhPreferencesWindow *self)
{
  for (guint i = 0; i < self->rule_spins->len; i++)
    {
      GtkSpinButton *spin = g_ptr_array_index (self->rule_spins, i);
      GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (spin), ADW_TYPE_ACTION_ROW);

      g_signal_handlers_block_by_func (spin, rule_changed_cb, self);
      gtk_spin_button_set_value (spin, rule_value (self->rules,
                                                   g_object_get_data (G_OBJECT (spin), "key")));
      g_signal_handlers_unblock_by_func (spin, rule_changed_cb, self);
      gtk_widget_set_sensitive (GTK_WIDGET (spin), self->may_administer);
      if (row != NULL && !self->may_administer)
        gtk_widget_set_tooltip_text (row, _("Only an administrator can change this"));
    }
  if (self->chip_switch != NULL && self->rules != NULL)
    {
      g_signal_handlers_block_by_func (self->chip_switch, chip_rule_cb, self);
      gtk_switch_set_active (GTK_SWITCH (self->chip_switch), self->rules->chip_required);
      g_signal_handlers_unblock_by_func (self->chip_switch, chip_rule_cb, self);
      gtk_widget_set_sensitive (self->chip_switch, self->may_administer);
    }
}

static void
rules_changed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BhxhPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BhxhCounterSettings *rules = bhxh_counter_change_settings_finish (BHXH_COUNTER (source),
                                                                    result, &error);

  if (rules == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
    }
  else
    {
      g_free (self->rules);
      self->rules = rules;
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Counter rules saved")));
    }
  /* Refused: back to what holds. */
  show_rules (self);
}

static gboolean
send_rules_cb (gpointer user_data)
{
  BhxhPreferencesWindow *self = user_data;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (guint));

  self->rules_timeout_id = 0;
  for (guint i = 0; i < self->rule_spins->len; i++)
    {
      GtkSpinButton *spin = g_ptr_array_index (self->rule_spins, i);
      const char *key = g_object_get_data (G_OBJECT (spin), "key");
      guint value = (guint) gtk_spin_button_get_value_as_int (spin);

      if (value != rule_value (self->rules, key))
        {
          g_ptr_array_add (keys, (gpointer) key);
          g_array_append_val (values, value);
        }
    }
  g_ptr_array_add (keys, NULL);
  if (values->len > 0)
    bhxh_counter_change_settings_async (self->counter, (const char * const *) keys->pdata,
                                        (const guint *) (gpointer) values->data,
                                        self->cancellable, rules_changed_cb,
                                        g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
rule_changed_cb (GtkSpinButton         *spin,
                 BhxhPreferencesWindow *self)
{
  if (self->rules == NULL)
    return;
  g_clear_handle_id (&self->rules_timeout_id, g_source_remove);
  self->rules_timeout_id = g_timeout_add (700, send_rules_cb, self);
}

/* The chip rule is a switch: sent at once. */
static void
chip_rule_cb (BhxhPreferencesWindow *self)
{
  const char *keys[] = { BHXH_META_CHIP_REQUIRED, NULL };
  guint value = gtk_switch_get_active (GTK_SWITCH (self->chip_switch)) ? 1 : 0;

  if (self->rules == NULL || value == (guint) self->rules->chip_required)
    return;
  bhxh_counter_change_settings_async (self->counter, keys, &value, self->cancellable,
                                      rules_changed_cb, g_object_ref (self));
}

/* A row for a counter rule; insensitive until the service has answered. */
static GtkWidget *
rule_row (BhxhPreferencesWindow *self,
          const char            *title,
          const char            *subtitle,
          const char            *key,
          double                 min,
          double                 max)
{
  GtkWidget *spin;
  GtkWidget *row = spin_row_new (title, subtitle, min, max, &spin);

  gtk_widget_set_sensitive (spin, FALSE);
  g_object_set_data (G_OBJECT (spin), "key", (gpointer) key);
  g_signal_connect (spin, "value-changed", G_CALLBACK (rule_changed_cb), self);
  g_ptr_array_add (self->rule_spins, spin);
  return row;
}

static void load_accounts (BhxhPreferencesWindow *self);

static void
rules_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BhxhPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BhxhCounterSettings *rules = bhxh_counter_get_settings_finish (BHXH_COUNTER (source), result,
                                                                 &error);

  if (rules == NULL)
    {
      /* A clerk: the rules are not theirs to see; the rows stay off. */
      g_debug ("No counter rules: %s", error->message);
      return;
    }
  g_free (self->rules);
  self->rules = rules;
  /* Without accounts (the demo) anyone may; with them, the admin. */
  self->may_administer = !rules->accounts_required ||
                         bhxh_role_parse (bhxh_counter_get_role (self->counter))
                           >= BHXH_ROLE_ADMIN;
  /* The office is a supervisor's choice (this rule runs for supervisors:
   * a clerk never gets the rules); the portal the admin's. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->office_row), TRUE);
  gtk_widget_set_sensitive (self->portal_url_row, self->may_administer);
  gtk_widget_set_sensitive (self->portal_token_row, self->may_administer);
  gtk_widget_set_visible (self->portal_save, self->may_administer);
  show_rules (self);
  load_accounts (self);
}

/* Accounts: people by their names; an admin adds, unlocks and sets a
 * password. */

typedef struct
{
  BhxhPreferencesWindow *self;
  char                  *login;
  GtkWidget             *password_row;
  GtkWidget             *login_row;
  GtkWidget             *name_row;
  GtkWidget             *role_row;
} AccountData;

static void
account_data_free (AccountData *data)
{
  g_clear_object (&data->self);
  g_free (data->login);
  g_free (data);
}

static const char *roles[] = { "clerk", "supervisor", "admin" };

static GtkWidget *
boxed_list (GtkWidget *first,
            ...)
{
  GtkWidget *list = gtk_list_box_new ();
  va_list args;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  va_start (args, first);
  for (GtkWidget *row = first; row != NULL; row = va_arg (args, GtkWidget *))
    gtk_list_box_append (GTK_LIST_BOX (list), row);
  va_end (args);
  return list;
}

/* The account calls give a boolean: one callback shows the outcome and
 * lists the accounts again. */
typedef gboolean (*AccountFinish) (BhxhCounter   *counter,
                                   GAsyncResult  *result,
                                   GError       **error);

typedef struct
{
  BhxhPreferencesWindow *self;
  AccountFinish          finish;
  const char            *done_message;   /* translated, static */
} AccountCall;

static void
account_call_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AccountCall *call = user_data;
  g_autoptr(BhxhPreferencesWindow) self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean ok = call->finish (BHXH_COUNTER (source), result, &error);
  const char *message = call->done_message;

  g_free (call);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (ok ? message : error->message));
  load_accounts (self);
}

static AccountCall *
account_call (BhxhPreferencesWindow *self,
              AccountFinish          finish,
              const char            *done_message)
{
  AccountCall *call = g_new0 (AccountCall, 1);

  call->self = g_object_ref (self);
  call->finish = finish;
  call->done_message = done_message;
  return call;
}

static void
password_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      AccountData      *data)
{
  BhxhPreferencesWindow *self = data->self;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (data->password_row));
  if (g_str_equal (response, "set"))
    bhxh_counter_set_password_async (self->counter, data->login, password, self->cancellable,
                                     account_call_cb,
                                     account_call (self, bhxh_counter_set_password_finish,
                                                   _("Password changed")));
}

static void
set_password_clicked_cb (GtkButton             *button,
                         BhxhPreferencesWindow *self)
{
  const char *login = g_object_get_data (G_OBJECT (button), "login");
  const char *name = g_object_get_data (G_OBJECT (button), "name");
  g_autofree char *body = g_strdup_printf (_("A new password for %s (at least 8 characters). "
                                             "It also ends a lockout."), name);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Set Password"), body);
  AccountData *data = g_new0 (AccountData, 1);

  data->self = g_object_ref (self);
  data->login = g_strdup (login);
  data->password_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->password_row), _("New password"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                      boxed_list (data->password_row, NULL));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "set", _("_Set Password"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "set",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "set");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (password_response_cb), data,
                         (GClosureNotify) (void (*) (void)) account_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (data->password_row);
}

static void
unlock_clicked_cb (GtkButton             *button,
                   BhxhPreferencesWindow *self)
{
  bhxh_counter_unlock_user_async (self->counter, g_object_get_data (G_OBJECT (button), "login"),
                                  self->cancellable, account_call_cb,
                                  account_call (self, bhxh_counter_unlock_user_finish,
                                                _("Account unlocked")));
}

static void
disable_clicked_cb (GtkButton             *button,
                    BhxhPreferencesWindow *self)
{
  gboolean disable = g_object_get_data (G_OBJECT (button), "disable") != NULL;

  bhxh_counter_set_user_disabled_async (self->counter,
                                        g_object_get_data (G_OBJECT (button), "login"), disable,
                                        self->cancellable, account_call_cb,
                                        account_call (self, bhxh_counter_set_user_disabled_finish,
                                                      disable ? _("Account disabled")
                                                              : _("Account enabled")));
}

static void
add_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 AccountData      *data)
{
  BhxhPreferencesWindow *self = data->self;
  guint role = adw_combo_row_get_selected (ADW_COMBO_ROW (data->role_row));
  g_autofree char *login = g_strstrip (g_strdup (gtk_editable_get_text
                                                  (GTK_EDITABLE (data->login_row))));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text
                                                 (GTK_EDITABLE (data->name_row))));

  if (!g_str_equal (response, "add"))
    return;
  /* The service checks the login, the role and the password. */
  bhxh_counter_add_user_async (self->counter, login, name[0] != '\0' ? name : login,
                               roles[MIN (role, G_N_ELEMENTS (roles) - 1)],
                               gtk_editable_get_text (GTK_EDITABLE (data->password_row)),
                               self->cancellable, account_call_cb,
                               account_call (self, bhxh_counter_add_user_finish,
                                             _("Account added")));
}

static void
add_clicked_cb (GtkButton             *button,
                BhxhPreferencesWindow *self)
{
  const char *labels[] = { bhxh_role_to_label (BHXH_ROLE_CLERK),
                           bhxh_role_to_label (BHXH_ROLE_SUPERVISOR),
                           bhxh_role_to_label (BHXH_ROLE_ADMIN), NULL };
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Account"),
                                              _("The person signs in with the login and the "
                                                "password; everywhere else they appear by "
                                                "their name."));
  AccountData *data = g_new0 (AccountData, 1);

  data->self = g_object_ref (self);
  data->name_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->name_row), _("Full name"));
  data->login_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->login_row), _("Login"));
  data->role_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->role_row), _("Role"));
  adw_combo_row_set_model (ADW_COMBO_ROW (data->role_row),
                           G_LIST_MODEL (gtk_string_list_new (labels)));
  data->password_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->password_row), _("Password"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                      boxed_list (data->name_row, data->login_row,
                                                  data->role_row, data->password_row, NULL));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (add_response_cb), data,
                         (GClosureNotify) (void (*) (void)) account_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (data->name_row);
}

static GtkWidget *
account_button (BhxhPreferencesWindow *self,
                const char            *label,
                const BhxhUserStatus  *user,
                GCallback              callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "login", g_strdup (user->login), g_free);
  g_object_set_data_full (G_OBJECT (button), "name", g_strdup (user->display_name), g_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static const char *
account_name (gconstpointer item)
{
  return ((const BhxhUserStatus *) item)->display_name;
}

static void
accounts_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BhxhPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = bhxh_counter_list_users_finish (BHXH_COUNTER (source), result,
                                                               &error);
  g_autoptr(GDateTime) now = bhxh_clock_now ();

  if (users == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No accounts: %s", error->message);
      return;
    }
  for (guint i = 0; i < self->account_rows->len; i++)
    adw_preferences_group_remove (self->accounts_group,
                                  g_ptr_array_index (self->account_rows, i));
  g_ptr_array_set_size (self->account_rows, 0);
  /* A Vietnamese list, as everywhere people are listed. */
  bhxh_collate_sort_by_name (users, account_name);
  for (guint i = 0; i < users->len; i++)
    {
      const BhxhUserStatus *user = g_ptr_array_index (users, i);
      gboolean locked = user->locked_until != NULL &&
                        g_date_time_compare (user->locked_until, now) > 0;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      if (user->disabled)
        subtitle = g_strdup_printf (_("%s · disabled"),
                                    bhxh_role_to_label (bhxh_role_parse (user->role)));
      else if (locked)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (user->locked_until);
          g_autofree char *until = g_date_time_format (local, "%H:%M");

          subtitle = g_strdup_printf (_("%s · locked until %s"),
                                      bhxh_role_to_label (bhxh_role_parse (user->role)), until);
        }
      else if (!user->has_password)
        subtitle = g_strdup_printf (_("%s · no password yet"),
                                    bhxh_role_to_label (bhxh_role_parse (user->role)));
      else
        subtitle = g_strdup (bhxh_role_to_label (bhxh_role_parse (user->role)));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), user->display_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (user->disabled)
        gtk_widget_add_css_class (row, "dim-label");
      if (self->may_administer && locked && !user->disabled)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   account_button (self, _("_Unlock"), user,
                                                   G_CALLBACK (unlock_clicked_cb)));
      if (self->may_administer && !user->disabled)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   account_button (self, _("Set _Password…"), user,
                                                   G_CALLBACK (set_password_clicked_cb)));
      /* Anyone's but one's own: a clerk who left, and back again. */
      if (self->may_administer &&
          g_strcmp0 (user->login, bhxh_counter_get_login (self->counter)) != 0)
        {
          GtkWidget *toggle = account_button (self, user->disabled ? _("_Enable")
                                                                   : _("_Disable"),
                                              user, G_CALLBACK (disable_clicked_cb));

          if (!user->disabled)
            {
              g_object_set_data (G_OBJECT (toggle), "disable", GINT_TO_POINTER (1));
              gtk_widget_add_css_class (toggle, "destructive-action");
            }
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
        }
      adw_preferences_group_add (self->accounts_group, row);
      g_ptr_array_add (self->account_rows, row);
    }
  gtk_widget_set_visible (self->add_button, self->may_administer);
}

static void
load_accounts (BhxhPreferencesWindow *self)
{
  bhxh_counter_list_users_async (self->counter, self->cancellable, accounts_cb,
                                 g_object_ref (self));
}

/* For a supervisor or an admin: who may sign in, and the rules of it. */
static void
build_accounts (BhxhPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  GtkWidget *group;

  adw_preferences_page_set_title (page, _("Accounts"));
  adw_preferences_page_set_name (page, "accounts");
  adw_preferences_page_set_icon_name (page, "system-users-symbolic");

  group = group_new (page, _("Signing In"),
                     _("The counter's rules, kept by the counter service for every workstation "
                       "account."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             rule_row (self, _("Failed attempts before a lockout"), NULL,
                                       BHXH_META_MAX_FAILURES, 1, 100));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             rule_row (self, _("Lockout"), _("Minutes an account stays locked"),
                                       BHXH_META_LOCKOUT_MINUTES, 1, 1440));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             rule_row (self, _("Idle lock"),
                                       _("Minutes without input before the counter signs out "
                                         "(0: never)"),
                                       BHXH_META_IDLE_LOCK_MINUTES, 0, 480));
  {
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Require the card’s chip"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("Approving on an ID card needs its chip read and "
                                   "authenticated; the QR alone then needs a supervisor"));
    self->chip_switch = gtk_switch_new ();
    gtk_widget_set_valign (self->chip_switch, GTK_ALIGN_CENTER);
    gtk_widget_set_sensitive (self->chip_switch, FALSE);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->chip_switch),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Require the card’s chip"), -1);
    g_signal_connect_swapped (self->chip_switch, "notify::active", G_CALLBACK (chip_rule_cb),
                              self);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->chip_switch);
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->chip_switch);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }

  group = group_new (page, _("People"), NULL);
  self->accounts_group = ADW_PREFERENCES_GROUP (group);
  self->add_button = gtk_button_new_with_mnemonic (_("_Add Account…"));
  gtk_widget_set_visible (self->add_button, FALSE);
  g_signal_connect (self->add_button, "clicked", G_CALLBACK (add_clicked_cb), self);
  adw_preferences_group_set_header_suffix (self->accounts_group, self->add_button);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

/* The portal: shown to everyone, changed by the admin through the service
 * (SetPortal). The token file is read here, by the person who chose it; one
 * others can read is refused. */

static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BhxhPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bhxh_counter_set_portal_finish (BHXH_COUNTER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (error->message));
      return;
    }
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("The counter is enrolled with the portal")));
}

static void
enrol_clicked_cb (BhxhPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text
                                                (GTK_EDITABLE (self->portal_url_row))));
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GError) error = NULL;

  if (self->token_path == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 _("Choose the workstation’s enrolment token file."));
  else
    token = bhxh_secret_file_read (self->token_path, &error);
  if (token == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }
  bhxh_counter_set_portal_async (self->counter, url,
                                 self->enrolled_office != NULL ? self->enrolled_office : "",
                                 g_bytes_get_data (token, NULL), self->cancellable, enrolled_cb,
                                 g_object_ref (self));
}

static void
token_chosen_cb (GObject    *owner,
                 const char *path)
{
  BhxhPreferencesWindow *self = BHXH_PREFERENCES_WINDOW (owner);
  g_autofree char *name = g_filename_display_name (path);

  g_free (self->token_path);
  self->token_path = g_strdup (path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->portal_token_row), name);
}

static void
choose_token_cb (BhxhPreferencesWindow *self)
{
  bhxh_choose_token_file (GTK_WIDGET (self), G_OBJECT (self), token_chosen_cb);
}

static void
portal_status_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BhxhPreferencesWindow) self = user_data;
  g_autoptr(BhxhCounterStatus) status = bhxh_counter_get_status_finish (BHXH_COUNTER (source),
                                                                        result, NULL);
  g_autofree char *preferred = g_settings_get_string (self->settings, "portal-url");

  if (status == NULL)
    return;
  g_free (self->enrolled_office);
  self->enrolled_office = g_strdup (status->office);
  gtk_editable_set_text (GTK_EDITABLE (self->portal_url_row),
                         status->portal_url != NULL ? status->portal_url : preferred);
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
  /* The whole name under the title, not cut in the row's button. */
  adw_combo_row_set_use_subtitle (self->office_row, TRUE);
  /* A supervisor's choice: on once the service says who is signed in. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->office_row), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->office_row));

  group = group_new (page, _("Portal"),
                     _("Decisions are sent and declarations fetched here. The administrator "
                       "enrols the counter with the portal’s address and the workstation’s "
                       "token file."));
  self->portal_url_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->portal_url_row),
                                 _("Portal address (https://…)"));
  gtk_widget_set_sensitive (self->portal_url_row, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->portal_url_row);
  self->portal_token_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->portal_token_row),
                                 _("Enrolment token"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->portal_token_row),
                               _("Kept by the counter service"));
  {
    GtkWidget *choose = gtk_button_new_with_mnemonic (_("C_hoose File…"));

    gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
    g_signal_connect_swapped (choose, "clicked", G_CALLBACK (choose_token_cb), self);
    adw_action_row_add_suffix (ADW_ACTION_ROW (self->portal_token_row), choose);
  }
  gtk_widget_set_sensitive (self->portal_token_row, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->portal_token_row);
  self->portal_save = gtk_button_new_with_mnemonic (_("_Enrol"));
  gtk_widget_add_css_class (self->portal_save, "suggested-action");
  /* A button beside the group's title, not a block as tall as its text. */
  gtk_widget_set_valign (self->portal_save, GTK_ALIGN_END);
  gtk_widget_set_visible (self->portal_save, FALSE);
  g_signal_connect_swapped (self->portal_save, "clicked", G_CALLBACK (enrol_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), self->portal_save);

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
reader_changed_cb (AdwComboRow           *row,
                   GParamSpec            *pspec,
                   BhxhPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (row);
  GListModel *names = adw_combo_row_get_model (row);
  g_autoptr(GtkStringObject) item = NULL;

  if (names == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  item = g_list_model_get_item (names, selected);
  /* The first entry: whichever reader holds a card. */
  g_settings_set_string (self->settings, "chip-reader",
                         selected == 0 ? "" : gtk_string_object_get_string (item));
}

static void
readers_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BhxhPreferencesWindow) self = user_data;
  g_auto(GStrv) readers = bhxh_chip_list_readers_finish (result, NULL);
  g_autofree char *current = g_settings_get_string (self->settings, "chip-reader");
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (names, readers != NULL && readers[0] != NULL
                                 ? _("Automatic (the reader holding a card)")
                                 : _("No card reader connected"));
  for (guint i = 0; readers != NULL && readers[i] != NULL; i++)
    {
      gtk_string_list_append (names, readers[i]);
      if (g_strcmp0 (readers[i], current) == 0)
        selected = i + 1;
    }
  /* A chosen reader unplugged today stays chosen. */
  if (selected == 0 && current[0] != '\0')
    {
      gtk_string_list_append (names, current);
      selected = g_list_model_get_n_items (G_LIST_MODEL (names)) - 1;
    }
  adw_combo_row_set_model (self->reader_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->reader_row, selected);
  g_signal_connect_object (self->reader_row, "notify::selected", G_CALLBACK (reader_changed_cb),
                           self, 0);
}

/* Whether the chip dialog reads DG2 for the compare page's faces. */
static GtkWidget *
portrait_row (BhxhPreferencesWindow *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Read the portrait from the chip"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Shown beside the declaration’s photo; about a second more "
                                 "per card"));
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Read the portrait from the chip"), -1);
  g_settings_bind (self->settings, "chip-portrait", toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
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

  group = group_new (page, _("Card reader"),
                     _("After a card’s QR is scanned its chip is read here, when a reader "
                       "is connected."));
  self->reader_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reader_row), _("Reader"));
  adw_combo_row_set_use_subtitle (self->reader_row, TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->reader_row));
  bhxh_chip_list_readers_async (self->cancellable, readers_cb, g_object_ref (self));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), portrait_row (self));

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
                             rule_row (self, _("Keep scanned codes"),
                                       _("Days before raw scans and payloads are purged"),
                                       BHXH_META_RETENTION_DAYS, 1, 3650));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

static void
bhxh_preferences_window_dispose (GObject *object)
{
  BhxhPreferencesWindow *self = (BhxhPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->rules_timeout_id, g_source_remove);
  g_clear_pointer (&self->rules, g_free);
  g_clear_pointer (&self->rule_spins, g_ptr_array_unref);
  g_clear_pointer (&self->account_rows, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->counter);
  g_clear_object (&self->office_codes);
  g_clear_pointer (&self->token_path, g_free);
  g_clear_pointer (&self->enrolled_office, g_free);
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
  self->rule_spins = g_ptr_array_new ();
  self->account_rows = g_ptr_array_new ();
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
  if (self->counter != NULL &&
      bhxh_role_parse (bhxh_counter_get_role (self->counter)) >= BHXH_ROLE_SUPERVISOR)
    build_accounts (self);
  if (self->counter != NULL)
    {
      bhxh_counter_list_offices_async (self->counter, self->cancellable, offices_cb,
                                       g_object_ref (self));
      bhxh_counter_get_settings_async (self->counter, self->cancellable, rules_cb,
                                       g_object_ref (self));
      bhxh_counter_get_status_async (self->counter, self->cancellable, portal_status_cb,
                                     g_object_ref (self));
    }
  return self;
}
