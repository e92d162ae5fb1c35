/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "core/bhxh-document.h"
#include "core/bhxh-text.h"
#include "bhxh-cli.h"

#define QR_USAGE "qr parse [PAYLOAD]"

/* bhxh-deskctl qr parse [PAYLOAD]: the payload from the argument, or all
 * of standard input as raw bytes; prints the parsed card as JSON. */
int
bhxh_cmd_qr (int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) doc = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *input = NULL;
  gsize len;

  if (argc < 2 || argc > 3 || !g_str_equal (argv[1], "parse"))
    return bhxh_cli_usage (QR_USAGE);

  if (argc == 3)
    {
      input = g_strdup (argv[2]);
      len = strlen (input);
    }
  else if ((input = bhxh_cli_read_stdin (&len, &error)) == NULL)
    return bhxh_cli_fail_error (error);

  doc = bhxh_document_parse_cccd (input, len, &error);
  if (doc == NULL)
    return bhxh_cli_fail_error (error);

  node = bhxh_document_to_json (doc);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}
