/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "store/bhxh-store.h"
#include "core/bhxh-secret-file.h"
#include "bhxh-cli.h"

static char *session_user;
static char *session_password_file;

int
bhxh_cli_parse_session_options (GOptionEntry   *entries,
                                const char     *usage,
                                int            *argc,
                                char         ***argv)
{
  static GOptionEntry session_entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &session_user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &session_password_file, NULL, "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  GOptionGroup *group = g_option_group_new ("session", "Signing in", "Signing in", NULL, NULL);
  g_autoptr(GError) error = NULL;

  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_group_add_entries (group, session_entries);
  g_option_context_add_group (context, group);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, argc, argv, &error))
    return bhxh_cli_fail (BHXH_EXIT_USAGE, "%s (usage: bhxh-deskctl %s)",
                          error->message, usage);
  if (session_user != NULL && !g_utf8_validate (session_user, -1, NULL))
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("A login or a name is not valid UTF-8"));

  return BHXH_EXIT_OK;
}

/* Signs in the --user of the session options (nobody when not given) and
 * checks the role accounts-required mode asks for. */
gboolean
bhxh_cli_require_session (BhxhStore   *store,
                          const char  *role,
                          GError     **error)
{
  return bhxh_cli_sign_in (store, session_user, session_password_file, error) &&
         bhxh_store_require_session (store, role, error);
}

/**
 * bhxh_cli_open_session:
 * @role: the weakest role the command needs ("clerk", "supervisor", "admin")
 *
 * Opens the database and signs the --user in; in accounts-required mode a
 * command without a signed-in user of @role fails here. Prints the error.
 *
 * Returns: (transfer full) (nullable): the store
 */
BhxhStore *
bhxh_cli_open_session (const char *path,
                       const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = bhxh_store_open (path, &error);

  if (store == NULL || !bhxh_cli_require_session (store, role, &error))
    {
      bhxh_cli_fail_error (error);
      return NULL;
    }
  return g_steal_pointer (&store);
}

/* A token or key file, its surrounding blanks trimmed (still NUL-terminated);
 * empty without a file. */
GBytes *
bhxh_cli_read_token (const char  *file,
                     GError     **error)
{
  g_autoptr(GBytes) secret = NULL;
  const char *data;
  gsize length, skip = 0;

  if (file == NULL)
    return g_bytes_new (NULL, 0);
  /* A token file others can read is refused (docs/security.md). */
  secret = bhxh_secret_file_read (file, error);
  if (secret == NULL)
    return NULL;
  data = g_bytes_get_data (secret, &length);
  while (skip < length && g_ascii_isspace (data[skip]))
    skip++;
  /* Still NUL-terminated: the slice ends where the contents do. */
  return g_bytes_new_from_bytes (secret, skip, length - skip);
}
