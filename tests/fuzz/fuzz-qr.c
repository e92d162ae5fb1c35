/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the CCCD QR parser and the scan parser (QR, MRZ,
 * typed ID number) on arbitrary bytes; the parsed card back to JSON. */
#include "config.h"

#include <stdint.h>
#include <json-glib/json-glib.h>

#include "core/bhxh-document.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
parse_one (BhxhDocument *(*parse) (const char *, gssize, GError **),
           const char    *text,
           gsize          len)
{
  g_autoptr(GError) error = NULL;
  BhxhDocument *doc = parse (text, len, &error);

  /* Exactly one of a document and an error, and the error says something. */
  g_assert ((doc == NULL) != (error == NULL));
  if (doc != NULL)
    {
      g_autoptr(JsonNode) node = bhxh_document_to_json (doc);

      g_assert (node != NULL);
      bhxh_document_free (doc);
    }
  else
    g_assert (error->message != NULL && error->message[0] != '\0');
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly size bytes: reads past the end are caught by ASan.
   * (g_memdup2 of nothing is NULL.) */
  g_autofree char *text = g_memdup2 (data, size);
  const char *input = text != NULL ? text : "";

  parse_one (bhxh_document_parse_cccd, input, size);
  parse_one (bhxh_document_parse_scan, input, size);
  return 0;
}
