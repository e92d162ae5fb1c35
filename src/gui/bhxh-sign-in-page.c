/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Choosing an account signs in. When the store requires accounts
 * (docs/security.md), choosing one asks for its password instead. Either
 * way the counter's service checks it (bhxh_counter_sign_in_async(): the
 * session that decides; argon2id takes ~80 ms there, never here); only a
 * success emits "sign-in". */
#include "config.h"

#include "bhxh-gui-util.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"

#include "bhxh-sign-in-page.h"

struct _BhxhSignInPage
{
  GtkWidget   parent_instance;
  GtkListBox *user_list;
  GtkWidget  *demo_label;
  GtkWidget  *status_page;
  GtkWidget  *password_box;
  GtkLabel   *password_title;
  GtkWidget  *password_entry;
  GtkWidget  *sign_in_button;
  GtkLabel   *error_label;

  BhxhCounter  *counter;
  GCancellable *cancellable;
  gboolean      accounts_required;
  gboolean      busy;
  GtkWidget    *selected;      /* (unowned) the row whose password is asked */
};

enum {
  SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhSignInPage, bhxh_sign_in_page, GTK_TYPE_WIDGET)

static void
show_error (BhxhSignInPage *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
select_row (BhxhSignInPage *self,
            GtkWidget      *row)
{
  g_autofree char *title = NULL;

  self->selected = row;
  /* The chosen account stays marked while its password is asked. */
  gtk_list_box_select_row (self->user_list, GTK_LIST_BOX_ROW (row));
  title = g_strdup_printf (_("_Password for %s"),
                           (const char *) g_object_get_data (G_OBJECT (row), "display-name"));
  gtk_label_set_text_with_mnemonic (self->password_title, title);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  show_error (self, NULL);
  gtk_widget_set_visible (self->password_box, TRUE);
  gtk_widget_grab_focus (self->password_entry);
}

static void sign_in (BhxhSignInPage *self,
                     const char     *login,
                     const char     *password);

static void
row_activated_cb (BhxhSignInPage *self,
                  GtkListBoxRow  *row)
{
  if (self->busy)
    return;
  if (self->accounts_required)
    {
      select_row (self, GTK_WIDGET (row));
      return;
    }
  if (self->counter != NULL)
    sign_in (self, g_object_get_data (G_OBJECT (row), "login"), NULL);
}

/* Authentication, in the service. */

typedef struct
{
  GError    *error;
  guint      attempts_left;  /* before the lockout; 0: unknown */
  GDateTime *locked_until;
} AuthResult;

static char *
auth_error_message (const AuthResult *result)
{
  if (g_error_matches (result->error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_LOCKED) &&
      result->locked_until != NULL)
    {
      g_autofree char *when = g_date_time_format (result->locked_until, "%H:%M");

      return g_strdup_printf (_("Too many wrong passwords: this account is locked until %s. "
                                "Try again then, or ask an administrator to unlock it."),
                              when);
    }
  if (g_error_matches (result->error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FAILED))
    {
      if (result->attempts_left > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Wrong password. %u attempt left before the "
                                             "account is locked.",
                                             "Wrong password. %u attempts left before the "
                                             "account is locked.",
                                             result->attempts_left),
                                result->attempts_left);
      return g_strdup (_("Wrong password."));
    }
  if (g_error_matches (result->error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_NO_PASSWORD))
    return g_strdup (_("This account has no password yet: ask an administrator to set one."));
  return g_strdup (result->error->message);
}

static void
set_busy (BhxhSignInPage *self,
          gboolean        busy)
{
  self->busy = busy;
  /* Not insensitive: that would take the focus away from the entry. */
  gtk_editable_set_editable (GTK_EDITABLE (self->password_entry), !busy);
  gtk_widget_set_sensitive (self->sign_in_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_list), !busy);
}

static void
auth_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(BhxhSignInPage) self = user_data;
  BhxhCounter *counter = BHXH_COUNTER (source);
  AuthResult result = { 0 };
  g_autofree char *message = NULL;

  if (bhxh_counter_sign_in_finish (counter, res, &result.attempts_left, &result.locked_until,
                                   &result.error))
    {
      set_busy (self, FALSE);
      gtk_widget_set_visible (self->password_box, FALSE);
      g_signal_emit (self, signals[SIGN_IN], 0, bhxh_counter_get_login (counter),
                     bhxh_counter_get_display_name (counter), bhxh_counter_get_role (counter));
      return;
    }
  if (!g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (self, FALSE);
      message = auth_error_message (&result);
      show_error (self, message);
      if (self->accounts_required)
        gtk_widget_grab_focus (self->password_entry);
    }
  g_clear_error (&result.error);
  g_clear_pointer (&result.locked_until, g_date_time_unref);
}

static void
sign_in (BhxhSignInPage *self,
         const char     *login,
         const char     *password)
{
  show_error (self, NULL);
  set_busy (self, TRUE);
  bhxh_counter_sign_in_async (self->counter, login, password, self->cancellable, auth_cb,
                              g_object_ref (self));
}

static void
submit_cb (BhxhSignInPage *self)
{
  g_autofree char *password = NULL;

  if (self->busy || self->selected == NULL || self->counter == NULL)
    return;
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  /* The entry forgets it at once: a failure asks again from empty. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  sign_in (self, g_object_get_data (G_OBJECT (self->selected), "login"), password);
  explicit_bzero (password, strlen (password));
}

static void
bhxh_sign_in_page_dispose (GObject *object)
{
  BhxhSignInPage *self = BHXH_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->counter);
  self->selected = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), BHXH_TYPE_SIGN_IN_PAGE);
  _bhxh_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (bhxh_sign_in_page_parent_class)->dispose (object);
}

static void
bhxh_sign_in_page_class_init (BhxhSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_sign_in_page_dispose;

  /* login, display name, role */
  signals[SIGN_IN] = g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                   G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/bhxh/Desk/bhxh-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BhxhSignInPage, user_list);
  gtk_widget_class_bind_template_child (widget_class, BhxhSignInPage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhSignInPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, BhxhSignInPage, password_box);
  gtk_widget_class_bind_template_child (widget_class, BhxhSignInPage, password_title);
  gtk_widget_class_bind_template_child (widget_class, BhxhSignInPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, BhxhSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, BhxhSignInPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, submit_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bhxh_sign_in_page_init (BhxhSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* People are shown by their names and roles; the login only tells apart
 * two accounts of the same name (@namesake). */
static GtkWidget *
user_row_new (const BhxhUser *user,
              gboolean        namesake)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, user->display_name, TRUE);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  const char *name = user->display_name != NULL ? user->display_name : user->login;
  const char *role = bhxh_role_to_label (bhxh_role_parse (user->role));
  g_autofree char *subtitle = namesake ? g_strdup_printf ("%s · %s", role, user->login)
                                       : g_strdup (role);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "login", g_strdup (user->login), g_free);
  g_object_set_data_full (G_OBJECT (row), "display-name", g_strdup (name), g_free);
  g_object_set_data_full (G_OBJECT (row), "role", g_strdup (user->role), g_free);
  return row;
}

void
bhxh_sign_in_page_set_users (BhxhSignInPage *self,
                             GPtrArray      *users,
                             const char     *last_login,
                             gboolean        demo)
{
  GtkWidget *child;
  GtkWidget *focus = NULL;

  g_return_if_fail (BHXH_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (users != NULL);

  self->selected = NULL;
  gtk_widget_set_visible (self->password_box, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  show_error (self, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->user_list))) != NULL)
    gtk_list_box_remove (self->user_list, child);

  for (guint i = 0; i < users->len; i++)
    {
      const BhxhUser *user = g_ptr_array_index (users, i);
      gboolean namesake = FALSE;
      GtkWidget *row;

      for (guint j = 0; j < users->len && !namesake; j++)
        namesake = j != i && user->display_name != NULL
                   && g_strcmp0 (user->display_name,
                                 ((const BhxhUser *) g_ptr_array_index (users, j))->display_name)
                      == 0;
      row = user_row_new (user, namesake);

      gtk_list_box_append (self->user_list, row);
      if (focus == NULL || g_strcmp0 (user->login, last_login) == 0)
        focus = row;
    }

  if (users->len == 0)
    adw_status_page_set_description (ADW_STATUS_PAGE (self->status_page),
                                     _("This database has no users yet. Ask the "
                                       "administrator to add your account, or start "
                                       "“bhxh-desk --demo” to try the demo office."));
  gtk_widget_set_visible (self->demo_label, demo);
  if (users->len > 0)
    adw_status_page_set_description (ADW_STATUS_PAGE (self->status_page),
                                     self->accounts_required
                                     ? _("Choose your account and enter your password.")
                                     : _("Choose your account to open today’s queue."));
  if (focus != NULL && self->accounts_required)
    select_row (self, focus);
  else if (focus != NULL)
    gtk_widget_grab_focus (focus);
}

void
bhxh_sign_in_page_set_counter (BhxhSignInPage *self,
                              BhxhCounter    *counter)
{
  g_return_if_fail (BHXH_IS_SIGN_IN_PAGE (self));

  g_set_object (&self->counter, counter);
}

void
bhxh_sign_in_page_set_accounts_required (BhxhSignInPage *self,
                                         gboolean        required)
{
  g_return_if_fail (BHXH_IS_SIGN_IN_PAGE (self));

  self->accounts_required = required;
  gtk_list_box_set_selection_mode (self->user_list,
                                   required ? GTK_SELECTION_SINGLE : GTK_SELECTION_NONE);
}

gboolean
bhxh_sign_in_page_get_accounts_required (BhxhSignInPage *self)
{
  g_return_val_if_fail (BHXH_IS_SIGN_IN_PAGE (self), FALSE);

  return self->accounts_required;
}

/* Back to the page after a sign-out or the idle lock: nothing typed stays,
 * @login's row is chosen again (its password asked when accounts are
 * required). */
void
bhxh_sign_in_page_reset (BhxhSignInPage *self,
                         const char     *login)
{
  GtkWidget *focus = NULL;

  g_return_if_fail (BHXH_IS_SIGN_IN_PAGE (self));

  self->selected = NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  show_error (self, NULL);
  gtk_widget_set_visible (self->password_box, FALSE);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->user_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (focus == NULL || g_strcmp0 (g_object_get_data (G_OBJECT (row), "login"), login) == 0)
      focus = row;
  if (focus != NULL && self->accounts_required)
    select_row (self, focus);
  else if (focus != NULL)
    gtk_widget_grab_focus (focus);
}
