/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first run of a real office (the demo makes its own office): on a
 * store with no account, the counter walks its administrator through five
 * steps, each a page of one form, keyboard first (Enter moves on, the
 * first field has the focus):
 *   admin   — the first admin account (InitAccounts), then signed in;
 *   portal  — the portal's address and the workstation's enrolment token,
 *             a file chosen in a dialog (or "work offline" for now);
 *   sync    — the first sync, with its stage and progress;
 *   office  — this counter's office, from the tree the portal delivered;
 *   people  — the accounts of the clerks and supervisors (the preferences'
 *             Accounts page: add, set password, unlock, disable).
 * Every rule stays in the service: this page only asks and shows. */
#include "config.h"

#include "bhxh-gui-util.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-secret-file.h"
#include "store/bhxh-store.h"
#include "sync/bhxh-sync.h"

#include "bhxh-preferences-window.h"
#include "bhxh-setup-page.h"
#include "bhxh-token-chooser.h"

struct _BhxhSetupPage
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  /* admin */
  GtkWidget    *name_row;
  GtkWidget    *login_row;
  GtkWidget    *password_row;
  GtkWidget    *confirm_row;
  GtkLabel     *admin_error;
  GtkWidget    *admin_button;
  /* portal */
  GtkWidget    *url_row;
  GtkWidget    *token_row;
  GtkLabel     *portal_error;
  GtkWidget    *connect_button;
  /* sync */
  GtkProgressBar *progress;
  GtkLabel     *sync_label;
  GtkLabel     *sync_error;
  GtkWidget    *sync_buttons;
  GtkWidget    *retry_button;
  /* office */
  GtkListBox   *office_list;
  GtkWidget    *office_scroller;
  GtkLabel     *office_note;
  GtkWidget    *office_button;
  /* people */
  GtkWidget    *people_button;
  GtkWidget    *finish_button;

  BhxhCounter  *counter;
  GSettings    *settings;
  GCancellable *cancellable;
  char         *login;
  char         *display_name;
  char         *token_path;
  char         *url;
  GBytes       *token;
  char         *enrolled_office;
  gboolean      busy;
};

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhSetupPage, bhxh_setup_page, GTK_TYPE_WIDGET)

/* Building the steps. */

static GtkWidget *
step_new (BhxhSetupPage *self,
          const char    *name,
          const char    *progress,
          const char    *title,
          const char    *description,
          GtkWidget    **box_out)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label;

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  gtk_widget_set_margin_top (box, 36);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  label = gtk_label_new (progress);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  label = gtk_label_new (title);
  gtk_widget_add_css_class (label, "title-1");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_box_append (GTK_BOX (box), label);
  label = gtk_label_new (description);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_stack_add_named (self->stack, scrolled, name);
  *box_out = box;
  return scrolled;
}

static GtkWidget *
group_new (GtkWidget  *box,
           const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_widget_set_margin_top (group, 12);
  gtk_box_append (GTK_BOX (box), group);
  return group;
}

static GtkWidget *
entry_row_new (GtkWidget  *group,
               GType       type,
               const char *title)
{
  GtkWidget *row = g_object_new (type, "title", title, NULL);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkLabel *
error_label_new (GtkWidget *box)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "error");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_visible (label, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static GtkWidget *
buttons_new (GtkWidget *box)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 12);
  gtk_box_append (GTK_BOX (box), buttons);
  return buttons;
}

static GtkWidget *
button_new (GtkWidget  *buttons,
            const char *label,
            const char *name,
            gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), button);
  return button;
}

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
set_busy (BhxhSetupPage *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->admin_button, !busy);
  gtk_widget_set_sensitive (self->connect_button, !busy);
  gtk_widget_set_sensitive (self->office_button, !busy);
}

static void
go_to (BhxhSetupPage *self,
       const char    *step)
{
  gtk_stack_set_visible_child_name (self->stack, step);
  if (g_str_equal (step, "admin"))
    gtk_widget_grab_focus (self->name_row);
  else if (g_str_equal (step, "portal"))
    gtk_widget_grab_focus (self->url_row);
  else if (g_str_equal (step, "people"))
    gtk_widget_grab_focus (self->people_button);
}

static char *
row_text (GtkWidget *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Step 1: the first admin. */

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BhxhSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!bhxh_counter_sign_in_finish (BHXH_COUNTER (source), result, NULL, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self->admin_error, error->message);
      return;
    }
  go_to (self, "portal");
}

static void
accounts_made_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BhxhSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bhxh_counter_init_accounts_finish (BHXH_COUNTER (source), result, &error))
    {
      set_busy (self, FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self->admin_error, error->message);
      return;
    }
  /* The password is still in the row: sign in with it, then forget it. */
  bhxh_counter_sign_in_async (self->counter, self->login,
                              gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                              self->cancellable, signed_in_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
}

static void
admin_clicked_cb (BhxhSetupPage *self)
{
  g_autofree char *name = row_text (self->name_row);
  g_autofree char *login = row_text (self->login_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));

  if (self->busy)
    return;
  if (name[0] == '\0' || login[0] == '\0')
    {
      show_error (self->admin_error, _("Enter the administrator’s full name and a login."));
      gtk_widget_grab_focus (name[0] == '\0' ? self->name_row : self->login_row);
      return;
    }
  if (g_strcmp0 (password, confirm) != 0)
    {
      show_error (self->admin_error, _("The two passwords differ: type them again."));
      gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
      gtk_widget_grab_focus (self->confirm_row);
      return;
    }
  show_error (self->admin_error, NULL);
  g_free (self->login);
  g_free (self->display_name);
  self->login = g_steal_pointer (&login);
  self->display_name = g_steal_pointer (&name);
  set_busy (self, TRUE);
  /* The service checks the login and the password's strength. */
  bhxh_counter_init_accounts_async (self->counter, self->login, self->display_name, password,
                                    self->cancellable, accounts_made_cb, g_object_ref (self));
}

/* Enter in a field goes to the next one, and from the last one on. */
static void
entry_activated_cb (GtkWidget     *row,
                    BhxhSetupPage *self)
{
  GtkWidget *next = g_object_get_data (G_OBJECT (row), "next");

  if (next != NULL && GTK_IS_BUTTON (next))
    g_signal_emit_by_name (next, "clicked");
  else if (next != NULL)
    gtk_widget_grab_focus (next);
}

static void
chain (BhxhSetupPage *self,
       GtkWidget     *row,
       GtkWidget     *next)
{
  g_object_set_data (G_OBJECT (row), "next", next);
  g_signal_connect (row, "entry-activated", G_CALLBACK (entry_activated_cb), self);
}

static void
build_admin (BhxhSetupPage *self)
{
  GtkWidget *box, *group, *buttons;

  step_new (self, "admin", _("Step 1 of 4"), _("Set Up This Counter"),
            _("This counter has no accounts yet. First make the administrator’s account: "
              "the administrator connects the counter to the portal and adds the clerks "
              "and supervisors."), &box);
  group = group_new (box, _("Administrator"));
  self->name_row = entry_row_new (group, ADW_TYPE_ENTRY_ROW, _("Full name"));
  self->login_row = entry_row_new (group, ADW_TYPE_ENTRY_ROW, _("Login"));
  self->password_row = entry_row_new (group, ADW_TYPE_PASSWORD_ENTRY_ROW,
                                      _("Password (at least 8 characters)"));
  self->confirm_row = entry_row_new (group, ADW_TYPE_PASSWORD_ENTRY_ROW,
                                     _("Password again"));
  self->admin_error = error_label_new (box);
  buttons = buttons_new (box);
  self->admin_button = button_new (buttons, _("_Create Administrator"), "setup-admin", TRUE);
  g_signal_connect_swapped (self->admin_button, "clicked", G_CALLBACK (admin_clicked_cb), self);
  chain (self, self->name_row, self->login_row);
  chain (self, self->login_row, self->password_row);
  chain (self, self->password_row, self->confirm_row);
  chain (self, self->confirm_row, self->admin_button);
}

/* Step 2: the portal and the enrolment token. */

static void start_sync (BhxhSetupPage *self);

static void
portal_set_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BhxhSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!bhxh_counter_set_portal_finish (BHXH_COUNTER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self->portal_error, error->message);
      return;
    }
  start_sync (self);
}

static void
connect_clicked_cb (BhxhSetupPage *self)
{
  g_autofree char *url = row_text (self->url_row);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) token = NULL;

  if (self->busy)
    return;
  if (url[0] == '\0')
    {
      show_error (self->portal_error, _("Enter the portal’s address, as the provincial office "
                                        "gave it (https://…)."));
      gtk_widget_grab_focus (self->url_row);
      return;
    }
  if (self->token_path == NULL)
    {
      show_error (self->portal_error, _("Choose the workstation’s enrolment token file."));
      gtk_widget_grab_focus (self->token_row);
      return;
    }
  /* Read here, as the person who chose it; a file others can read is
   * refused (bhxh_secret_file_read says how to fix it). */
  if ((token = bhxh_secret_file_read (self->token_path, &error)) == NULL)
    {
      show_error (self->portal_error, error->message);
      return;
    }
  show_error (self->portal_error, NULL);
  g_free (self->url);
  self->url = g_steal_pointer (&url);
  g_clear_pointer (&self->token, g_bytes_unref);
  self->token = g_steal_pointer (&token);
  set_busy (self, TRUE);
  /* The service checks the address (https, or http to this machine only). */
  bhxh_counter_set_portal_async (self->counter, self->url, "",
                                 g_bytes_get_data (self->token, NULL), self->cancellable,
                                 portal_set_cb, g_object_ref (self));
}

static void load_offices (BhxhSetupPage *self);

static void
skip_clicked_cb (BhxhSetupPage *self)
{
  if (self->busy)
    return;
  load_offices (self);
}

static void
token_chosen_cb (GObject    *owner,
                 const char *path)
{
  BhxhSetupPage *self = BHXH_SETUP_PAGE (owner);

  bhxh_setup_page_set_token_file (self, path);
  gtk_widget_grab_focus (self->connect_button);
}

static void
choose_token_cb (BhxhSetupPage *self)
{
  bhxh_choose_token_file (GTK_WIDGET (self), G_OBJECT (self), token_chosen_cb);
}

static void
build_portal (BhxhSetupPage *self)
{
  GtkWidget *box, *group, *buttons, *choose, *skip;

  step_new (self, "portal", _("Step 2 of 4"), _("Connect to the Portal"),
            _("The counter takes the office’s declarations and the registry from the BHXH "
              "portal, and sends its decisions back at the end of the day. The provincial "
              "office gives each workstation the portal’s address and an enrolment token "
              "file."), &box);
  group = group_new (box, NULL);
  self->url_row = entry_row_new (group, ADW_TYPE_ENTRY_ROW, _("Portal address"));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "https://");
  self->token_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row), _("Enrolment token"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->token_row), _("No file chosen"));
  choose = gtk_button_new_with_mnemonic (_("C_hoose File…"));
  gtk_widget_set_name (choose, "setup-choose-token");
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (choose, "clicked", G_CALLBACK (choose_token_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->token_row), choose);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->token_row), choose);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->token_row);
  self->portal_error = error_label_new (box);
  buttons = buttons_new (box);
  skip = button_new (buttons, _("Work _Offline for Now"), "setup-skip", FALSE);
  gtk_widget_set_tooltip_text (skip, _("Connect later in the preferences; until then the "
                                       "counter works from USB bundles"));
  g_signal_connect_swapped (skip, "clicked", G_CALLBACK (skip_clicked_cb), self);
  self->connect_button = button_new (buttons, _("_Connect and Sync"), "setup-connect", TRUE);
  g_signal_connect_swapped (self->connect_button, "clicked", G_CALLBACK (connect_clicked_cb),
                            self);
  chain (self, self->url_row, choose);
}

/* Step 3: the first sync. */

static void
sync_progress_cb (BhxhCounter   *counter,
                  int            stage,
                  guint64        done,
                  guint64        total,
                  BhxhSetupPage *self)
{
  const char *what = bhxh_sync_stage_to_label ((BhxhSyncStage) stage);

  gtk_label_set_text (self->sync_label, what);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress, (double) MIN (done, total) / total);
  else
    gtk_progress_bar_pulse (self->progress);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BhxhSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhCounterSync) report = bhxh_counter_sync_finish (BHXH_COUNTER (source), result,
                                                                &error);

  g_signal_handlers_disconnect_by_func (self->counter, sync_progress_cb, self);
  if (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (report == NULL || (report->errors != NULL && report->errors->len > 0))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The first sync did not finish: %s"),
                                 report == NULL ? error->message
                                 : (const char *) g_ptr_array_index (report->errors, 0));
      show_error (self->sync_error, message);
      gtk_label_set_text (self->sync_label, _("Not synced"));
      gtk_widget_set_visible (self->sync_buttons, TRUE);
      gtk_widget_grab_focus (self->retry_button);
      return;
    }
  gtk_progress_bar_set_fraction (self->progress, 1.0);
  load_offices (self);
}

static void
start_sync (BhxhSetupPage *self)
{
  show_error (self->sync_error, NULL);
  gtk_widget_set_visible (self->sync_buttons, FALSE);
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  gtk_label_set_text (self->sync_label, _("Connecting…"));
  go_to (self, "sync");
  g_signal_connect_object (self->counter, "sync-progress", G_CALLBACK (sync_progress_cb), self,
                           0);
  /* No address given: the service syncs with the portal just enrolled. */
  bhxh_counter_sync_async (self->counter, NULL, NULL, NULL, self->cancellable, synced_cb,
                           g_object_ref (self));
}

static void
sync_back_cb (BhxhSetupPage *self)
{
  go_to (self, "portal");
}

static void
build_sync (BhxhSetupPage *self)
{
  GtkWidget *box, *back;

  step_new (self, "sync", _("Step 3 of 4"), _("First Sync"),
            _("The counter fetches the office tree, the reason codes, the declarations "
              "waiting for a counter and the registry’s mirror. A district’s mirror takes a "
              "few minutes."), &box);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_margin_top (GTK_WIDGET (self->progress), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sync progress"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress));
  self->sync_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->sync_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->sync_label), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->sync_label));
  self->sync_error = error_label_new (box);
  self->sync_buttons = buttons_new (box);
  back = button_new (self->sync_buttons, _("_Back"), "setup-sync-back", FALSE);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (sync_back_cb), self);
  self->retry_button = button_new (self->sync_buttons, _("_Try Again"), "setup-retry", TRUE);
  g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (start_sync), self);
}

/* Step 4: the office, from the tree. */

static guint
office_depth (GHashTable       *by_code,
              const BhxhOffice *office)
{
  guint depth = 0;

  while (office != NULL && office->parent_code != NULL && depth < 8)
    {
      office = g_hash_table_lookup (by_code, office->parent_code);
      if (office != NULL)
        depth++;
    }
  return depth;
}

/* Parents before their children, each level in code order. */
static void
add_office_rows (BhxhSetupPage *self,
                 GPtrArray     *offices,
                 GHashTable    *by_code,
                 const char    *parent,
                 GtkWidget    **selected)
{
  for (guint i = 0; i < offices->len; i++)
    {
      const BhxhOffice *office = g_ptr_array_index (offices, i);
      gboolean root = office->parent_code == NULL ||
                      g_hash_table_lookup (by_code, office->parent_code) == NULL;
      GtkWidget *row, *label;
      g_autofree char *text = NULL;

      if (parent == NULL ? !root : g_strcmp0 (office->parent_code, parent) != 0)
        continue;
      text = g_strdup_printf ("%s — %s", office->code, office->name);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_start (label, 12 + 24 * office_depth (by_code, office));
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "code", g_strdup (office->code), g_free);
      gtk_list_box_append (self->office_list, row);
      if (g_strcmp0 (office->code, self->enrolled_office) == 0)
        *selected = row;
      add_office_rows (self, offices, by_code, office->code, selected);
    }
}

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 ((*(const BhxhOffice * const *) a)->code,
                    (*(const BhxhOffice * const *) b)->code);
}

static void
offices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BhxhSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offices = bhxh_counter_list_offices_finish (BHXH_COUNTER (source),
                                                                   result, &error);
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *selected = NULL, *child;

  set_busy (self, FALSE);
  if (offices == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->office_list))) != NULL)
    gtk_list_box_remove (self->office_list, child);
  if (offices != NULL)
    {
      g_ptr_array_sort (offices, compare_codes);
      for (guint i = 0; i < offices->len; i++)
        {
          const BhxhOffice *office = g_ptr_array_index (offices, i);

          g_hash_table_insert (by_code, office->code, (gpointer) office);
        }
      add_office_rows (self, offices, by_code, NULL, &selected);
    }
  if (offices == NULL || offices->len == 0)
    gtk_label_set_text (self->office_note,
                        _("The office tree comes with the first sync. Choose the office later "
                          "in the preferences."));
  else
    gtk_label_set_text (self->office_note,
                        _("The queue shows this office’s declarations and those of the offices "
                          "under it."));
  gtk_widget_set_visible (self->office_scroller, offices != NULL && offices->len > 0);
  if (selected == NULL)
    selected = GTK_WIDGET (gtk_list_box_get_row_at_index (self->office_list, 0));
  go_to (self, "office");
  if (selected != NULL)
    {
      gtk_list_box_select_row (self->office_list, GTK_LIST_BOX_ROW (selected));
      gtk_widget_grab_focus (selected);
    }
  else
    gtk_widget_grab_focus (self->office_button);
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BhxhSetupPage) self = user_data;
  g_autoptr(BhxhCounterStatus) status = bhxh_counter_get_status_finish (BHXH_COUNTER (source),
                                                                        result, NULL);

  g_free (self->enrolled_office);
  self->enrolled_office = status != NULL ? g_strdup (status->office) : NULL;
  bhxh_counter_list_offices_async (self->counter, self->cancellable, offices_cb,
                                   g_object_ref (self));
}

static void
load_offices (BhxhSetupPage *self)
{
  set_busy (self, TRUE);
  bhxh_counter_get_status_async (self->counter, self->cancellable, status_cb,
                                 g_object_ref (self));
}

static void
office_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BhxhSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!bhxh_counter_set_portal_finish (BHXH_COUNTER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->office_note, error->message);
      return;
    }
  go_to (self, "people");
}

static void
office_clicked_cb (BhxhSetupPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->office_list);
  const char *code = row != NULL ? g_object_get_data (G_OBJECT (row), "code") : NULL;

  if (self->busy)
    return;
  if (code != NULL)
    g_settings_set_string (self->settings, "office", code);
  /* Another office than the portal's account: the service syncs that one. */
  if (code != NULL && self->token != NULL && g_strcmp0 (code, self->enrolled_office) != 0)
    {
      set_busy (self, TRUE);
      bhxh_counter_set_portal_async (self->counter, self->url, code,
                                     g_bytes_get_data (self->token, NULL), self->cancellable,
                                     office_saved_cb, g_object_ref (self));
      return;
    }
  go_to (self, "people");
}

static void
office_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     BhxhSetupPage *self)
{
  gtk_list_box_select_row (list, row);
  office_clicked_cb (self);
}

static void
build_office (BhxhSetupPage *self)
{
  GtkWidget *box, *buttons, *scrolled;

  step_new (self, "office", _("Step 4 of 4"), _("This Counter’s Office"),
            _("Choose the BHXH office this counter receives citizens for. The portal’s "
              "choice for this workstation is selected."), &box);
  self->office_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->office_list), "setup-offices");
  gtk_widget_add_css_class (GTK_WIDGET (self->office_list), "boxed-list");
  gtk_widget_set_margin_top (GTK_WIDGET (self->office_list), 12);
  gtk_list_box_set_selection_mode (self->office_list, GTK_SELECTION_SINGLE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->office_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("BHXH offices"), -1);
  g_signal_connect (self->office_list, "row-activated", G_CALLBACK (office_activated_cb), self);
  /* A province has some thirty offices: the list scrolls, the button stays in view. */
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->office_list));
  gtk_widget_set_margin_top (GTK_WIDGET (self->office_list), 0);
  gtk_widget_set_margin_top (scrolled, 12);
  gtk_box_append (GTK_BOX (box), scrolled);
  self->office_scroller = scrolled;
  self->office_note = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->office_note, 0);
  gtk_label_set_wrap (self->office_note, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->office_note), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->office_note));
  buttons = buttons_new (box);
  self->office_button = button_new (buttons, _("_Continue"), "setup-office", TRUE);
  g_signal_connect_swapped (self->office_button, "clicked", G_CALLBACK (office_clicked_cb),
                            self);
}

/* Step 5: the people. */

static void
people_clicked_cb (BhxhSetupPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BhxhPreferencesWindow *prefs = bhxh_preferences_window_new (self->settings, self->counter);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (prefs), TRUE);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "accounts");
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
finish_clicked_cb (BhxhSetupPage *self)
{
  g_signal_emit (self, signals[DONE], 0, self->login, self->display_name, "admin");
}

static void
build_people (BhxhSetupPage *self)
{
  GtkWidget *box, *buttons;

  step_new (self, "people", _("Ready"), _("Add the Counter’s People"),
            _("Each clerk and supervisor signs in with an account of their own; their names, "
              "never their logins, appear on the papers. Add them now or later from the "
              "preferences (Accounts): set a password, unlock, or disable the account of "
              "someone who left."), &box);
  buttons = buttons_new (box);
  self->people_button = button_new (buttons, _("_Add People…"), "setup-people", FALSE);
  g_signal_connect_swapped (self->people_button, "clicked", G_CALLBACK (people_clicked_cb),
                            self);
  self->finish_button = button_new (buttons, _("_Start Working"), "setup-finish", TRUE);
  g_signal_connect_swapped (self->finish_button, "clicked", G_CALLBACK (finish_clicked_cb),
                            self);
}

/* GObject */

static void
bhxh_setup_page_dispose (GObject *object)
{
  BhxhSetupPage *self = BHXH_SETUP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_func (self->counter, sync_progress_cb, self);
  _bhxh_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->counter);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->token, g_bytes_unref);

  G_OBJECT_CLASS (bhxh_setup_page_parent_class)->dispose (object);
}

static void
bhxh_setup_page_finalize (GObject *object)
{
  BhxhSetupPage *self = BHXH_SETUP_PAGE (object);

  g_free (self->login);
  g_free (self->display_name);
  g_free (self->token_path);
  g_free (self->url);
  g_free (self->enrolled_office);

  G_OBJECT_CLASS (bhxh_setup_page_parent_class)->finalize (object);
}

static void
bhxh_setup_page_class_init (BhxhSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_setup_page_dispose;
  object_class->finalize = bhxh_setup_page_finalize;

  /**
   * BhxhSetupPage::done:
   * @login: the admin's login
   * @display_name: the admin's name
   * @role: "admin"
   *
   * The first run is over; the admin is signed in.
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING,
                                G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "setup");
}

static void
bhxh_setup_page_init (BhxhSetupPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));
  build_admin (self);
  build_portal (self);
  build_sync (self);
  build_office (self);
  build_people (self);
}

/* Public. */

BhxhSetupPage *
bhxh_setup_page_new (BhxhCounter *counter,
                     GSettings   *settings)
{
  BhxhSetupPage *self;

  g_return_val_if_fail (BHXH_IS_COUNTER (counter), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BHXH_TYPE_SETUP_PAGE, NULL);
  self->counter = g_object_ref (counter);
  self->settings = g_object_ref (settings);
  go_to (self, "admin");
  return self;
}

/* "admin", "portal", "sync", "office" or "people". */
const char *
bhxh_setup_page_get_step (BhxhSetupPage *self)
{
  g_return_val_if_fail (BHXH_IS_SETUP_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* What the file chooser gives (and tests, which have no file dialog). */
void
bhxh_setup_page_set_token_file (BhxhSetupPage *self,
                                const char    *path)
{
  g_autofree char *name = NULL;

  g_return_if_fail (BHXH_IS_SETUP_PAGE (self));

  g_free (self->token_path);
  self->token_path = g_strdup (path);
  name = path != NULL ? g_filename_display_name (path) : NULL;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->token_row),
                               name != NULL ? name : _("No file chosen"));
}
