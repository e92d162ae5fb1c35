/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every command says and reads — errors, usage, JSON, options,
 * standard input — without the store: the light bhxh-deskctl (scan, qr,
 * clock) links this alone. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

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
