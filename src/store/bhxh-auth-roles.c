/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Roles by name and as people read them, and the sign-in errors' domain:
 * in a file of their own, so the window links them without the password
 * hashing (libsodium). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "bhxh-auth.h"

G_DEFINE_QUARK (bhxh-auth-error-quark, bhxh_auth_error)

static const char * const role_names[] = { "none", "clerk", "supervisor", "admin" };

BhxhRole
bhxh_role_parse (const char *text)
{
  for (guint i = BHXH_ROLE_CLERK; text != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (text, role_names[i]))
      return i;

  return BHXH_ROLE_NONE;
}

/* The role as people read it ("Clerk", translated); unknown roles read as
 * the clerk's, the least one. */
const char *
bhxh_role_to_label (BhxhRole role)
{
  switch (role)
    {
    case BHXH_ROLE_SUPERVISOR:
      return _("Supervisor");
    case BHXH_ROLE_ADMIN:
      return _("Administrator");
    case BHXH_ROLE_NONE:
    case BHXH_ROLE_CLERK:
    default:
      return _("Clerk");
    }
}

const char *
bhxh_role_to_string (BhxhRole role)
{
  g_return_val_if_fail (role <= BHXH_ROLE_ADMIN, NULL);

  return role_names[role];
}
