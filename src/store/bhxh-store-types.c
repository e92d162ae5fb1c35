/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's error domain and its plain records freed: in a file of their
 * own, so a client of the service (the window) links them without sqlite. */
#include "config.h"

#include "bhxh-store.h"

G_DEFINE_QUARK (bhxh-store-error-quark, bhxh_store_error)

void
bhxh_office_free (BhxhOffice *office)
{
  if (office == NULL)
    return;
  g_free (office->code);
  g_free (office->parent_code);
  g_free (office->name);
  g_free (office);
}

void
bhxh_user_free (BhxhUser *user)
{
  if (user == NULL)
    return;
  g_free (user->login);
  g_free (user->display_name);
  g_free (user->role);
  g_free (user);
}

void
bhxh_user_status_free (BhxhUserStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->login);
  g_free (status->display_name);
  g_free (status->role);
  g_clear_pointer (&status->locked_until, g_date_time_unref);
  g_free (status);
}
