/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-compare.h"
#include "bhxh-cli.h"

#define COMPARE_USAGE "compare name|date A B"

static int
print_level (BhxhLevel level)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, bhxh_level_to_string (level));
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

static int
compare_dates (const char *a,
               const char *b)
{
  g_autoptr(GError) error = NULL;
  BhxhDate da, db;

  if (!bhxh_date_parse (a, &da, &error) || !bhxh_date_parse (b, &db, &error))
    return bhxh_cli_fail_error (error);

  return print_level (bhxh_compare_dates (&da, &db));
}

/* bhxh-deskctl compare name A B | compare date A B */
int
bhxh_cmd_compare (int    argc,
                  char **argv)
{
  if (argc != 4)
    return bhxh_cli_usage (COMPARE_USAGE);
  if (!g_utf8_validate (argv[2], -1, NULL) || !g_utf8_validate (argv[3], -1, NULL))
    return bhxh_cli_fail (BHXH_EXIT_INPUT, "the arguments are not valid UTF-8");

  if (g_str_equal (argv[1], "name"))
    return print_level (bhxh_compare_name (argv[2], argv[3]));
  if (g_str_equal (argv[1], "date"))
    return compare_dates (argv[2], argv[3]);

  return bhxh_cli_usage (COMPARE_USAGE);
}
