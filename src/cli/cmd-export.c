/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docs/bhxh-export.h"
#include "store/bhxh-store.h"
#include "bhxh-cli.h"

/* export: the day's decisions for a spreadsheet, CSV (UTF-8 with a BOM) or
 * Excel, chosen by the file's extension (docs/papers.md). A supervisor's
 * export: it lists every clerk's decisions. Written whole or not at all. */

#define EXPORT_USAGE \
  "export decisions DB --date YYYY-MM-DD --output FILE.csv|FILE.xlsx [--force]" \
  " [--user LOGIN [--password-file FILE]]"

/* {"output", "format", "decisions"}: direct and through the service alike. */
int
bhxh_cli_print_export_done (const char *output,
                            const char *format,
                            guint       n_decisions)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "output");
  json_builder_add_string_value (b, output);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, format);
  json_builder_set_member_name (b, "decisions");
  json_builder_add_int_value (b, n_decisions);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

int
bhxh_cmd_export (int    argc,
                 char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *date = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, NULL, "FILE.csv|FILE.xlsx" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, NULL, NULL },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, NULL, "YYYY-MM-DD" },
    { NULL }
  };
  BhxhExportFormat format;
  guint n_rows = 0;
  int rc;

  rc = bhxh_cli_parse_session_options (entries, EXPORT_USAGE, &argc, &argv);
  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 3 || !g_str_equal (argv[1], "decisions") || output == NULL || date == NULL)
    return bhxh_cli_usage (EXPORT_USAGE);
  if (!bhxh_export_format_for_path (output, &format))
    return bhxh_cli_fail (BHXH_EXIT_USAGE, _("“%s”: name the file .csv or .xlsx"), output);

  if ((rc = bhxh_cli_check_new_output (output, force)) != BHXH_EXIT_OK)
    return rc;
  if ((store = bhxh_cli_open_session (argv[2], "supervisor")) == NULL)
    return BHXH_EXIT_INPUT;
  if (!bhxh_export_decisions_to_file (store, date, output, &n_rows, &error))
    return bhxh_cli_fail_error (error);

  return bhxh_cli_print_export_done (output, bhxh_export_format_to_string (format), n_rows);
}
