/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Local accounts only for now: choosing an account signs in. The trust
 * work will add a secret here without changing the "sign-in" signal. */
#include "config.h"

#include "bhxh-gui-util.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "store/bhxh-store.h"

#include "bhxh-sign-in-page.h"

struct _BhxhSignInPage
{
  GtkWidget   parent_instance;
  GtkListBox *user_list;
  GtkWidget  *demo_label;
  GtkWidget  *status_page;
};

enum {
  SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhSignInPage, bhxh_sign_in_page, GTK_TYPE_WIDGET)

static const char *
role_display (const char *role)
{
  if (g_strcmp0 (role, "supervisor") == 0)
    return _("Supervisor");
  return _("Clerk");
}

static void
row_activated_cb (BhxhSignInPage *self,
                  GtkListBoxRow  *row)
{
  g_signal_emit (self, signals[SIGN_IN], 0,
                 g_object_get_data (G_OBJECT (row), "login"),
                 g_object_get_data (G_OBJECT (row), "display-name"),
                 g_object_get_data (G_OBJECT (row), "role"));
}

static void
bhxh_sign_in_page_dispose (GObject *object)
{
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
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bhxh_sign_in_page_init (BhxhSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkWidget *
user_row_new (const BhxhUser *user)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, user->display_name, TRUE);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  const char *name = user->display_name != NULL ? user->display_name : user->login;
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", user->login, role_display (user->role));

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

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->user_list))) != NULL)
    gtk_list_box_remove (self->user_list, child);

  for (guint i = 0; i < users->len; i++)
    {
      const BhxhUser *user = g_ptr_array_index (users, i);
      GtkWidget *row = user_row_new (user);

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
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
}
