/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docs/bhxh-papers.h"
#include "store/bhxh-store.h"
#include "bhxh-cli.h"

/* print: the papers as PDF files. The output is written to a temporary
 * file and renamed, so a failure leaves no file behind. */

#define PRINT_USAGE \
  "print form01|receipt|rejection DB DECLARATION-ID --output FILE.pdf [--force] | " \
  "print daily-report DB --date YYYY-MM-DD --output FILE.pdf [--force]"  \
  " [--user LOGIN [--password-file FILE]]"

int
bhxh_cmd_print (int    argc,
                char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *output = NULL;
  g_autofree char *date = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, NULL, "FILE.pdf" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, NULL, NULL },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, NULL, "YYYY-MM-DD" },
    { NULL }
  };
  BhxhPaperKind kind;
  const char *key;
  guint n_pages = 0;
  int rc;

  rc = bhxh_cli_parse_session_options (entries, PRINT_USAGE, &argc, &argv);
  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc < 3 || !bhxh_paper_kind_parse (argv[1], &kind) || output == NULL)
    return bhxh_cli_usage (PRINT_USAGE);
  if (kind == BHXH_PAPER_DAILY_REPORT)
    {
      if (argc != 3 || date == NULL)
        return bhxh_cli_usage (PRINT_USAGE);
      key = date;
    }
  else
    {
      if (argc != 4 || date != NULL)
        return bhxh_cli_usage (PRINT_USAGE);
      key = argv[3];
    }

  if ((rc = bhxh_cli_check_new_output (output, force)) != BHXH_EXIT_OK)
    return rc;
  if ((store = bhxh_cli_open_session (argv[2], "clerk")) == NULL)
    return BHXH_EXIT_INPUT;
  if (!bhxh_paper_print_from_store (store, kind, key, output, &n_pages, &error))
    return bhxh_cli_fail_error (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "output");
  json_builder_add_string_value (b, output);
  json_builder_set_member_name (b, "pages");
  json_builder_add_int_value (b, n_pages);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);

  return BHXH_EXIT_OK;
}
