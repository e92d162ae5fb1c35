/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-json.h"
#include "bhxh-cli.h"

/* bhxh-deskctl clock: the office's clock, as every decision is dated by it
 * (now and the office's day in Vietnam), and whether this build reads the
 * test hooks. */
int
bhxh_cmd_clock (int    argc,
                char **argv)
{
  static const char *usage = "clock";
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *today_text = NULL;
  g_autofree char *offset = NULL;
  BhxhDate today;
  int status;

  if ((status = bhxh_cli_parse_options (entries, usage, &argc, &argv)) != BHXH_EXIT_OK)
    return status;
  if (argc != 1)
    return bhxh_cli_usage (usage);

  now = bhxh_clock_now ();
  now_text = bhxh_clock_format_iso (now);
  today = bhxh_clock_day_of (now);
  today_text = bhxh_date_to_iso (&today);
  offset = g_date_time_format (now, "%:z");
  json_builder_begin_object (b);
  bhxh_json_add_string (b, "now", now_text);
  bhxh_json_add_string (b, "today", today_text);
  bhxh_json_add_string (b, "utc_offset", offset);
  json_builder_set_member_name (b, "pinned");
  json_builder_add_boolean_value (b, bhxh_clock_is_pinned ());
  json_builder_set_member_name (b, "test_hooks");
  json_builder_add_boolean_value (b, bhxh_clock_has_test_hooks ());
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  bhxh_cli_print_json (root);
  return BHXH_EXIT_OK;
}
