/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "chip/bhxh-chip.h"
#include "core/bhxh-clock.h"
#include "core/bhxh-document.h"
#include "bhxh-cli.h"

#define CHIP_USAGE \
  "chip readers | chip read [--reader NAME] (--payload QR | --mrz DOCNO:YYMMDD:YYMMDD) " \
  "[--csca DIR] [--portrait FILE [--force]] [--wait SECONDS]"

static int
chip_readers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) readers = bhxh_chip_list_readers (&error);

  if (readers == NULL)
    return bhxh_cli_fail_error (error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "readers");
  json_builder_begin_array (b);
  for (guint i = 0; readers[i] != NULL; i++)
    json_builder_add_string_value (b, readers[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

/* The access keys: the MRZ typed, or the candidates a QR gives (the QR
 * then travels with the chip's data, for the check to compare). */
static gboolean
gather_keys (const char           *payload,
             const char           *mrz,
             BhxhChipReadOptions  *options,
             BhxhDocument        **qr,
             GError              **error)
{
  if (mrz != NULL)
    {
      BhxhChipKey key;

      if (!bhxh_chip_key_parse (mrz, &key, error))
        return FALSE;
      options->keys = g_array_new (FALSE, TRUE, sizeof (BhxhChipKey));
      g_array_append_val (options->keys, key);
    }
  if (payload != NULL)
    {
      g_autofree char *text = NULL;
      gsize len;

      if (g_str_equal (payload, "-"))
        text = bhxh_cli_read_stdin (&len, error);
      else
        text = g_strdup (payload), len = strlen (payload);
      if (text == NULL || (*qr = bhxh_document_parse_scan (text, len, error)) == NULL)
        return FALSE;
      if (mrz == NULL && (options->keys = bhxh_chip_keys_from_document (*qr, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static int
save_portrait (BhxhChipResult *result,
               const char     *path,
               GError        **error)
{
  if (result->portrait == NULL)
    {
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT,
                           _("The chip holds no portrait"));
      return FALSE;
    }
  return g_file_set_contents (path, g_bytes_get_data (result->portrait, NULL),
                              g_bytes_get_size (result->portrait), error);
}

static void
add_read_members (JsonNode       *node,
                  BhxhChipResult *result)
{
  JsonObject *object = json_node_get_object (node);

  json_object_set_string_member (object, "reader", result->reader);
  json_object_set_string_member (object, "mrz", result->mrz);
  if (result->portrait != NULL)
    json_object_set_string_member (object, "portrait_type", result->portrait_type);
  json_object_set_int_member (object, "read_ms", result->read_usec / 1000);
}

/* bhxh-deskctl chip read: one JSON object, the chip document of
 * bhxh_document_to_json() (document "cccd-chip", DG13's fields, the
 * authentication, the QR given) with the reader, the MRZ and the time. */
static int
chip_read (int    argc,
           char **argv)
{
  g_auto(BhxhChipReadOptions) options = { NULL };
  g_autoptr(BhxhChipResult) result = NULL;
  g_autoptr(BhxhDocument) qr = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *reader = NULL, *payload = NULL, *mrz = NULL, *csca = NULL;
  g_autofree char *portrait = NULL;
  gboolean force = FALSE;
  int wait = 0;
  GOptionEntry entries[] = {
    { "reader", 0, 0, G_OPTION_ARG_STRING, &reader, NULL, "NAME" },
    { "payload", 0, 0, G_OPTION_ARG_STRING, &payload, NULL, "QR" },
    { "mrz", 0, 0, G_OPTION_ARG_STRING, &mrz, NULL, "DOCNO:YYMMDD:YYMMDD" },
    { "csca", 0, 0, G_OPTION_ARG_FILENAME, &csca, NULL, "DIR" },
    { "portrait", 0, 0, G_OPTION_ARG_FILENAME, &portrait, NULL, "FILE" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, NULL, NULL },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait, NULL, "SECONDS" },
    { NULL }
  };

  if (bhxh_cli_parse_options (entries, CHIP_USAGE, &argc, &argv) != BHXH_EXIT_OK)
    return BHXH_EXIT_USAGE;
  if (argc != 2 || (payload == NULL && mrz == NULL) || wait < 0 || wait > 600)
    return bhxh_cli_usage (CHIP_USAGE);
  if (portrait != NULL && bhxh_cli_check_new_output (portrait, force) != BHXH_EXIT_OK)
    return BHXH_EXIT_INPUT;
  if (csca != NULL && !g_file_test (csca, G_FILE_TEST_IS_DIR))
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("The CSCA directory “%s” cannot be read"), csca);
  if (!gather_keys (payload, mrz, &options, &qr, &error))
    return bhxh_cli_fail_error (error);

  options.reader = g_steal_pointer (&reader);
  options.csca_dir = g_steal_pointer (&csca);
  options.now = bhxh_clock_now ();
  options.wait_ms = wait * 1000;
  options.flags = portrait != NULL ? BHXH_CHIP_READ_PORTRAIT : BHXH_CHIP_READ_DEFAULT;
  if ((result = bhxh_chip_read (&options, NULL, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (portrait != NULL && !save_portrait (result, portrait, &error))
    return bhxh_cli_fail_error (error);

  result->document->qr = g_steal_pointer (&qr);
  node = bhxh_document_to_json (result->document);
  add_read_members (node, result);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

int
bhxh_cmd_chip (int    argc,
               char **argv)
{
  if (argc == 2 && g_str_equal (argv[1], "readers"))
    return chip_readers ();
  if (argc >= 2 && g_str_equal (argv[1], "read"))
    return chip_read (argc, argv);
  return bhxh_cli_usage (CHIP_USAGE);
}
