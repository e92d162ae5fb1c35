/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-document.h"
#include "scan/bhxh-scan-decoder.h"
#include "core/bhxh-document.h"
#include "scan/bhxh-scan-error.h"
#include "bhxh-cli.h"

#define SCAN_USAGE "scan [--parse [--birth-certificate]] [--engine auto|zbar|zxing] FILE…"

static gboolean parse_documents;
static gboolean birth_certificate;
static char *engine_name;

static const GOptionEntry scan_entries[] = {
  { "parse", 0, 0, G_OPTION_ARG_NONE, &parse_documents,
    N_("Add the parsed document to each code"), NULL },
  { "birth-certificate", 0, 0, G_OPTION_ARG_NONE, &birth_certificate,
    N_("Parse codes as a birth certificate: any text, with its 12-digit number if any"), NULL },
  { "engine", 0, 0, G_OPTION_ARG_STRING, &engine_name,
    N_("Decoding engine: auto, zbar or zxing"), "ENGINE" },
  { NULL }
};

static void
print_line (const char *file,
            const char *format,
            const char *key,
            const char *value,
            JsonNode   *document)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, file);
  if (format != NULL)
    {
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, format);
    }
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value);
  if (document != NULL)
    {
      json_builder_set_member_name (builder, "document");
      json_builder_add_value (builder, document);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  bhxh_cli_print_json_line (node);
}

/* One line per code; returns FALSE when something needs a person. */
static gboolean
print_result (const char           *file,
              const BhxhScanResult *result)
{
  const char *format = bhxh_scan_format_to_string (result->format);
  g_autoptr(BhxhDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  if (result->text == NULL)
    {
      print_line (file, format, "error", result->error->message, NULL);
      return FALSE;
    }
  if (!parse_documents)
    {
      print_line (file, format, "text", result->text, NULL);
      return TRUE;
    }

  if (birth_certificate)
    doc = bhxh_document_parse_birth_certificate (result->text, -1, &error);
  else
    doc = bhxh_document_parse_scan (result->text, -1, &error);
  if (doc == NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      /* The code was read: keep its text, and say why it does not parse. */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
      json_builder_end_object (builder);
      print_line (file, format, "text", result->text, json_builder_get_root (builder));
      return FALSE;
    }
  print_line (file, format, "text", result->text, bhxh_document_to_json (doc));
  return TRUE;
}

static gboolean
scan_file (BhxhScanDecoder *decoder,
           const char      *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhScanFrame) frame = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gboolean ok = TRUE;

  frame = bhxh_scan_frame_load (file, &error);
  if (frame != NULL)
    results = bhxh_scan_decoder_decode (decoder, frame, &error);
  if (results == NULL)
    {
      print_line (file, NULL, "error", error->message, NULL);
      return FALSE;
    }
  for (guint i = 0; i < results->len; i++)
    ok &= print_result (file, g_ptr_array_index (results, i));
  return ok;
}

static gboolean
parse_engine (const char     *name,
              BhxhScanEngine *engine)
{
  if (name == NULL || g_str_equal (name, "auto"))
    *engine = BHXH_SCAN_ENGINE_AUTO;
  else if (g_str_equal (name, "zbar"))
    *engine = BHXH_SCAN_ENGINE_ZBAR;
  else if (g_str_equal (name, "zxing"))
    *engine = BHXH_SCAN_ENGINE_ZXING;
  else
    return FALSE;
  return TRUE;
}

/* bhxh-deskctl scan [--parse] [--engine E] FILE…: decodes every code in
 * each image; exit 1 if any file has none or a code is not text. */
int
bhxh_cmd_scan (int    argc,
               char **argv)
{
  g_autoptr(BhxhScanDecoder) decoder = NULL;
  g_autoptr(GError) error = NULL;
  BhxhScanEngine engine;
  gboolean ok = TRUE;
  int status;

  status = bhxh_cli_parse_options ((GOptionEntry *) scan_entries, SCAN_USAGE, &argc, &argv);
  if (status != BHXH_EXIT_OK)
    return status;
  if (argc < 2)
    return bhxh_cli_usage (SCAN_USAGE);
  if (!parse_engine (engine_name, &engine))
    {
      bhxh_cli_fail (BHXH_EXIT_USAGE, "unknown engine '%s'", engine_name);
      return bhxh_cli_usage (SCAN_USAGE);
    }

  decoder = bhxh_scan_decoder_new (engine, &error);
  if (decoder == NULL)
    return bhxh_cli_fail_error (error);
  for (int i = 1; i < argc; i++)
    ok &= scan_file (decoder, argv[i]);
  return ok ? BHXH_EXIT_OK : BHXH_EXIT_INPUT;
}
