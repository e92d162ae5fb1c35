/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "store/bhxh-store.h"
#include "core/bhxh-secret-file.h"
#include "bhxh-cli.h"

static void
print_error_line (const char *message)
{
  g_autoptr(GString) line = g_string_new ("error: ");

  /* The contract is one line: fold any line breaks a message carries. */
  for (const char *p = message; *p; p++)
    g_string_append_c (line, (*p == '\n' || *p == '\r') ? ' ' : *p);
  g_string_append_c (line, '\n');
  fputs (line->str, stderr);
  fflush (stderr);
}

int
bhxh_cli_fail (int         exit_code,
               const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_error_line (message);

  return exit_code;
}

/* Output files: the CLI never replaces an existing file unless told to
 * (--force); the store refuses its own files whatever the flag says. */
int
bhxh_cli_check_new_output (const char *path,
                           gboolean    force)
{
  if (force || !g_file_test (path, G_FILE_TEST_EXISTS))
    return BHXH_EXIT_OK;
  return bhxh_cli_fail (BHXH_EXIT_INPUT, _("“%s” already exists: add --force to replace it"),
                        path);
}

int
bhxh_cli_fail_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, BHXH_EXIT_INPUT);

  print_error_line (error->message);
  return BHXH_EXIT_INPUT;
}

int
bhxh_cli_usage (const char *usage)
{
  return bhxh_cli_fail (BHXH_EXIT_USAGE, "usage: bhxh-deskctl %s", usage);
}

static void
print_json (JsonNode *node,
            gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

void
bhxh_cli_print_json (JsonNode *node)
{
  print_json (node, TRUE);
}

void
bhxh_cli_print_json_line (JsonNode *node)
{
  print_json (node, FALSE);
}

/* Parses options in place; on a usage error prints it and returns
 * BHXH_EXIT_USAGE, else BHXH_EXIT_OK. */
int
bhxh_cli_parse_options (GOptionEntry   *entries,
                        const char     *usage,
                        int            *argc,
                        char         ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, argc, argv, &error))
    return bhxh_cli_fail (BHXH_EXIT_USAGE, "%s (usage: bhxh-deskctl %s)",
                          error->message, usage);

  return BHXH_EXIT_OK;
}

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

char *
bhxh_cli_read_stdin (gsize   *len,
                     GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[8192];
  ssize_t n;

  while ((n = read (STDIN_FILENO, buffer, sizeof buffer)) != 0)
    {
      if (n < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "cannot read standard input: %s", g_strerror (errno));
          return NULL;
        }
      g_byte_array_append (bytes, buffer, n);
    }

  *len = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}
