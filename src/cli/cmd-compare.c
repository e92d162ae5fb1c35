/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-compare.h"
#include "core/bhxh-id.h"
#include "bhxh-cli.h"

#define COMPARE_USAGE "compare name|date A B | compare code DECLARED CODE…"

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

/* The form of a mã số BHXH: the ID number (since 1 July 2025) or the
 * 10-digit code of before. */
static const char *
code_form (const char *code)
{
  if (bhxh_id_number_is_valid (code))
    return "id-number";
  if (bhxh_code_is_legacy (code))
    return "legacy";
  return NULL;
}

/* compare code DECLARED CODE…: the declared mã số BHXH against every code
 * the registry knows the person by (their ID number, their mã số BHXH,
 * a former one). */
static int
compare_code (char **argv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *matched = NULL;
  BhxhLevel level;

  level = bhxh_compare_code (argv[2], (const char * const *) argv + 3, &matched);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, bhxh_level_to_string (level));
  json_builder_set_member_name (builder, "form");
  if (code_form (argv[2]) != NULL)
    json_builder_add_string_value (builder, code_form (argv[2]));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "matched");
  if (level <= BHXH_LEVEL_EQUIVALENT && matched != NULL)
    json_builder_add_string_value (builder, matched);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

/* bhxh-deskctl compare name A B | compare date A B | compare code DECLARED CODE… */
int
bhxh_cmd_compare (int    argc,
                  char **argv)
{
  if (argc < 4)
    return bhxh_cli_usage (COMPARE_USAGE);
  for (int i = 2; i < argc; i++)
    if (!g_utf8_validate (argv[i], -1, NULL))
      return bhxh_cli_fail (BHXH_EXIT_INPUT, "the arguments are not valid UTF-8");

  if (g_str_equal (argv[1], "code"))
    return compare_code (argv);
  if (argc != 4)
    return bhxh_cli_usage (COMPARE_USAGE);

  if (g_str_equal (argv[1], "name"))
    return print_level (bhxh_compare_name (argv[2], argv[3]));
  if (g_str_equal (argv[1], "date"))
    return compare_dates (argv[2], argv[3]);

  return bhxh_cli_usage (COMPARE_USAGE);
}
