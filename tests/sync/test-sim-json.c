/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "portal-sim/sim-json.h"

/* The simulator's reader of uploaded decisions against json-glib: the same
 * documents accepted, the same members read. */

static const char * const valid[] = {
  "{\"decisions\":[]}",
  " {\n\t\"decisions\" : [ ] }\r\n",
  "{\"decisions\":[{\"uuid\":\"a\",\"declaration_id\":\"TK01-00101-000001\",\"outcome\":"
  "\"reject\",\"clerk\":\"lan\",\"decided_at\":\"2026-11-20T10:02:11+07:00\",\"reason_codes\":"
  "[\"name-mismatch\",\"other\"],\"note\":\"H\\u1ecd t\\u00ean kh\\u00e1c\",\"override\":false}]}",
  /* Escapes of every kind, a surrogate pair, UTF-8 as it is. */
  "{\"decisions\":[{\"uuid\":\"\\\"q\\\\\\/\\b\\f\\n\\r\\t\",\"note\":\"\\ud83d\\ude00 Nguyễn\"}]}",
  /* Members it does not read, nested, of every type; a member twice. */
  "{\"x\":{\"y\":[1,-2.5e+3,0.0,true,false,null,{}]},\"decisions\":[{\"evidence\":{\"kind\":"
  "\"cccd-qr\",\"fields\":[1,2,{\"a\":[]}]},\"uuid\":\"first\",\"uuid\":\"second\","
  "\"override\":true,\"reason_codes\":[\"a\",3,null,\"b\"]}],\"audit\":[{\"seq\":1}]}",
  /* Elements that are not objects; fields that are not strings. */
  "{\"decisions\":[1,\"two\",null,[],{\"uuid\":7,\"note\":null,\"clerk\":{},\"outcome\":[]}]}",
  /* "decisions" given twice: the last one counts. */
  "{\"decisions\":5,\"decisions\":[{\"uuid\":\"b\"}]}",
};

static const char * const invalid[] = {
  "",
  "[]",
  "{}",
  "{\"decisions\":{}}",
  "{\"decisions\":[],}",
  "{\"decisions\":[1,]}",
  "{\"decisions\":[] } x",
  "{\"decisions\":[{\"uuid\":\"a\"}]",
  "{\"decisions\":[{\"uuid\":\"a\" \"b\":1}]}",
  "{\"decisions\":[{\"uuid\":\"a\tb\"}]}",
  "{\"decisions\":[{\"uuid\":\"\\x\"}]}",
  "{\"decisions\":[{\"uuid\":\"\\ud83d\"}]}",
  "{\"decisions\":[{\"uuid\":\"\\ude00\"}]}",
  "{\"decisions\":[{\"uuid\":\"\\u12\"}]}",
  "{\"decisions\":[{\"n\":01}]}",
  "{\"decisions\":[{\"n\":1.}]}",
  "{\"decisions\":[{\"n\":-}]}",
  "{\"decisions\":[{\"n\":1e}]}",
  "{\"decisions\":[{\"n\":tru}]}",
  "{\"decisions\":[{\"n\":nul}]}",
  "{'decisions':[]}",
  "{\"decisions\":[\"\xc3\x28\"]}",
};

static JsonNode *
glib_parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *member = json_object_get_member (object, name);

  return member != NULL && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
}

static void
test_valid (void)
{
  static const char * const names[SIM_N_FIELDS] = {
    "uuid", "declaration_id", "outcome", "clerk", "decided_at", "note",
  };

  for (guint n = 0; n < G_N_ELEMENTS (valid); n++)
    {
      g_autofree char *audit = NULL;
      g_autoptr(GArray) decisions = sim_json_parse_batch (valid[n], strlen (valid[n]), &audit);
      g_autoptr(JsonNode) root = glib_parse (valid[n]);
      JsonObject *object;
      JsonArray *array;

      g_test_message ("%s", valid[n]);
      g_assert_nonnull (root);
      g_assert_nonnull (decisions);
      object = json_node_get_object (root);
      array = json_object_get_array_member (object, "decisions");
      g_assert_cmpuint (decisions->len, ==, json_array_get_length (array));
      g_assert_cmpint (audit != NULL, ==, json_object_has_member (object, "audit"));
      for (guint i = 0; i < decisions->len; i++)
        {
          SimDecisionIn *d = &g_array_index (decisions, SimDecisionIn, i);
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *o;
          JsonArray *reasons;

          g_assert_cmpint (d->type == SIM_JSON_OBJECT, ==, JSON_NODE_HOLDS_OBJECT (element));
          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          o = json_node_get_object (element);
          /* The body kept is the element itself. */
          {
            g_autoptr(JsonNode) again = glib_parse (d->body);

            g_assert_true (json_node_equal (again, element));
          }
          for (guint f = 0; f < SIM_N_FIELDS; f++)
            {
              JsonNode *member = json_object_get_member (o, names[f]);
              gboolean is_string = member != NULL && JSON_NODE_HOLDS_VALUE (member)
                                   && json_node_get_value_type (member) == G_TYPE_STRING;

              g_assert_cmpint (d->field_type[f] == SIM_JSON_STRING, ==, is_string);
              g_assert_cmpstr (d->field[f], ==, is_string ? json_node_get_string (member) : NULL);
            }
          g_assert_cmpint (d->override_type == SIM_JSON_TRUE, ==,
                           json_object_get_boolean_member_with_default (o, "override", FALSE));
          reasons = array_member (o, "reason_codes");
          g_assert_cmpint (d->reasons != NULL, ==, reasons != NULL);
          for (guint r = 0; reasons != NULL && r < json_array_get_length (reasons); r++)
            {
              JsonNode *reason = json_array_get_element (reasons, r);

              g_assert_cmpstr (g_ptr_array_index (d->reasons, r), ==,
                               JSON_NODE_HOLDS_VALUE (reason)
                               && json_node_get_value_type (reason) == G_TYPE_STRING
                               ? json_node_get_string (reason) : NULL);
            }
        }
    }
}

static void
test_invalid (void)
{
  for (guint n = 0; n < G_N_ELEMENTS (invalid); n++)
    {
      g_autofree char *audit = NULL;
      g_autoptr(GArray) decisions = sim_json_parse_batch (invalid[n], strlen (invalid[n]), &audit);

      g_test_message ("%s", invalid[n]);
      g_assert_null (decisions);
      g_assert_null (audit);
    }
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"decisions\":[{\"x\":");
  g_autofree char *audit = NULL;
  g_autoptr(GArray) decisions = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  decisions = sim_json_parse_batch (deep->str, deep->len, &audit);
  g_assert_null (decisions);
}

static void
test_single (void)
{
  SimDecisionIn d;
  const char *text = " {\"uuid\":\"u-1\",\"outcome\":\"approve\"} ";

  g_assert_true (sim_json_parse_decision (text, strlen (text), &d));
  g_assert_cmpint (d.type, ==, SIM_JSON_OBJECT);
  g_assert_cmpstr (d.field[SIM_FIELD_UUID], ==, "u-1");
  g_assert_cmpstr (d.body, ==, "{\"uuid\":\"u-1\",\"outcome\":\"approve\"}");
  sim_decision_in_clear (&d);
  g_assert_false (sim_json_parse_decision ("{\"uuid\":", 8, &d));
  g_assert_null (d.body);
}

static void
test_string_out (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonNode) back = NULL;
  const char *text = "a\"b\\c\n\x01 Nguyễn Văn An";

  sim_json_append_string (out, text);
  g_assert_cmpstr (out->str, ==, "\"a\\\"b\\\\c\\u000a\\u0001 Nguyễn Văn An\"");
  back = glib_parse (out->str);
  g_assert_cmpstr (json_node_get_string (back), ==, text);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim-json/valid", test_valid);
  g_test_add_func ("/sim-json/invalid", test_invalid);
  g_test_add_func ("/sim-json/depth", test_depth);
  g_test_add_func ("/sim-json/single", test_single);
  g_test_add_func ("/sim-json/string-out", test_string_out);
  return g_test_run ();
}
