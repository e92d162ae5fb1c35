/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: a declaration as the portal serves it (JSON object)
 * read by bhxh_declaration_from_json and written back to JSON. */
#include "config.h"

#include <stdint.h>
#include <json-glib/json-glib.h>

#include "core/bhxh-declaration.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* As the store does before parsing: json-glib recurses, so input nested
 * deeper than the stack would crash json-glib, not the code under test. */
static gboolean
shallow (const uint8_t *data,
         size_t         size)
{
  guint depth = 0;

  for (size_t i = 0; i < size; i++)
    if ((data[i] == '[' || data[i] == '{') && ++depth > 64)
      return FALSE;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = g_memdup2 (data, size);
  JsonNode *root;

  /* The store refuses deeper files before parsing (json-glib recurses). */
  if (size == 0 || size > 64 * 1024 || !shallow (data, size)
      || !json_parser_load_from_data (parser, text, size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  {
    g_autoptr(GError) error = NULL;
    BhxhDeclaration *d = bhxh_declaration_from_json (json_node_get_object (root), &error);

    g_assert ((d == NULL) != (error == NULL));
    if (d != NULL)
      {
        g_autoptr(JsonNode) back = bhxh_declaration_to_json (d);
        g_autoptr(GError) again_error = NULL;
        BhxhDeclaration *again;

        /* What we write we read again. */
        again = bhxh_declaration_from_json (json_node_get_object (back), &again_error);
        g_assert (again != NULL);
        bhxh_declaration_free (again);
        bhxh_declaration_free (d);
      }
  }
  return 0;
}
