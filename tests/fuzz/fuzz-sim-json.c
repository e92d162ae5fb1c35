/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the portal simulator's reader of uploaded decisions
 * (src/portal-sim/sim-json.c) against json-glib: whatever it accepts,
 * json-glib accepts too, with as many decisions and the same UUIDs. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "portal-sim/sim-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *audit = NULL;
  g_autoptr(GArray) decisions = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;

  if (size > 64 * 1024 || strlen (text) != size)
    return 0;
  decisions = sim_json_parse_batch (text, size, &audit);
  if (decisions == NULL)
    return 0;
  /* Accepted: nested no deeper than 64, so json-glib's recursion is safe. */
  if (!json_parser_load_from_data (parser, text, size, NULL))
    g_error ("accepted by the simulator, refused by json-glib: %s", text);
  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "decisions");
  g_assert_cmpuint (decisions->len, ==, json_array_get_length (array));
  for (guint i = 0; i < decisions->len; i++)
    {
      SimDecisionIn *d = &g_array_index (decisions, SimDecisionIn, i);
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *uuid;

      g_assert_cmpint (d->type == SIM_JSON_OBJECT, ==, JSON_NODE_HOLDS_OBJECT (element));
      if (d->type != SIM_JSON_OBJECT)
        continue;
      uuid = json_object_get_member (json_node_get_object (element), "uuid");
      g_assert_cmpstr (d->field[SIM_FIELD_UUID], ==,
                       uuid != NULL && JSON_NODE_HOLDS_VALUE (uuid)
                       && json_node_get_value_type (uuid) == G_TYPE_STRING
                       ? json_node_get_string (uuid) : NULL);
    }
  return 0;
}
