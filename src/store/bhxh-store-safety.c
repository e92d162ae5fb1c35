/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-clock.h"
#include "bhxh-store-safety.h"

static guint
limit (BhxhStore  *store,
       const char *name,
       guint       fallback)
{
  g_autofree char *local_key = g_strconcat ("safety.", name, NULL);
  g_autofree char *rule_key = g_strconcat ("sync.rule.", name, NULL);
  g_autofree char *value = bhxh_store_dup_meta (store, local_key);
  guint64 n;

  if (value == NULL)
    value = bhxh_store_dup_meta (store, rule_key);
  if (value && g_ascii_string_to_unsigned (value, 10, 0, 3650, &n, NULL))
    return (guint) n;
  return fallback;
}

/* Calendar days in Vietnam from the oldest decision still waiting to
 * @now; -1 when nothing waits. */
static int
oldest_waiting_days (BhxhStore *store,
                     GDateTime *now)
{
  g_autoptr(GDateTime) oldest = bhxh_store_dup_oldest_waiting (store);
  BhxhDate from, to;

  if (oldest == NULL)
    return -1;
  from = bhxh_clock_day_of (oldest);
  to = bhxh_clock_day_of (now);
  return MAX (bhxh_date_days_between (&from, &to), 0);
}

static void
raise_level (BhxhSafety      *safety,
             BhxhSafetyLevel  level,
             char            *message)
{
  safety->level = MAX (safety->level, level);
  g_ptr_array_add (safety->messages, message);
}

static void
check_mirror (BhxhStore  *store,
              GDateTime  *now,
              BhxhSafety *s)
{
  g_autoptr(GDateTime) imported = bhxh_store_dup_mirror_imported_at (store);

  if (imported == NULL)
    {
      s->mirror_age_days = -1;
      raise_level (s, BHXH_SAFETY_BLOCK,
                   g_strdup (_("There is no registry mirror yet: synchronise before approving.")));
      return;
    }
  s->mirror_age_days = (int) MAX (g_date_time_difference (now, imported) / G_TIME_SPAN_DAY, 0);
  if (s->mirror_age_days >= (int) s->mirror_block_days)
    raise_level (s, BHXH_SAFETY_BLOCK,
                 g_strdup_printf (_("The registry mirror is %d days old (limit %u): approvals "
                                    "are blocked until it is updated."),
                                  s->mirror_age_days, s->mirror_block_days));
  else if (s->mirror_age_days >= (int) s->mirror_warn_days)
    raise_level (s, BHXH_SAFETY_WARN,
                 g_strdup_printf (_("The registry mirror is %d days old."), s->mirror_age_days));
}

static void
check_outbox (BhxhStore  *store,
              GDateTime  *now,
              BhxhSafety *s)
{
  s->unsynced = bhxh_store_outbox_count (store, BHXH_OUTBOX_PENDING)
                + bhxh_store_outbox_count (store, BHXH_OUTBOX_SENDING);
  s->unsynced_days = s->unsynced ? oldest_waiting_days (store, now) : -1;
  if (s->unsynced_days < 0)
    return;
  if (s->unsynced_days >= (int) s->unsynced_block_days)
    raise_level (s, BHXH_SAFETY_BLOCK,
                 g_strdup_printf (_("%u decisions have waited %d days to reach the portal "
                                    "(limit %u): approvals are blocked until they are sent."),
                                  s->unsynced, s->unsynced_days, s->unsynced_block_days));
  else if (s->unsynced_days >= (int) s->unsynced_warn_days)
    raise_level (s, BHXH_SAFETY_WARN,
                 g_strdup_printf (_("%u decisions have waited %d days to reach the portal."),
                                  s->unsynced, s->unsynced_days));
}

BhxhSafety *
bhxh_store_check_safety (BhxhStore *store,
                        GDateTime *now)
{
  BhxhSafety *s = g_new0 (BhxhSafety, 1);
  g_autoptr(GDateTime) local_now = now ? g_date_time_ref (now) : bhxh_clock_now ();

  g_return_val_if_fail (BHXH_IS_STORE (store), NULL);

  s->messages = g_ptr_array_new_with_free_func (g_free);
  s->mirror_warn_days = limit (store, "mirror_warn_days", 3);
  s->mirror_block_days = limit (store, "mirror_block_days", 7);
  s->unsynced_warn_days = limit (store, "unsynced_warn_days", 1);
  s->unsynced_block_days = limit (store, "unsynced_block_days", 3);
  check_mirror (store, local_now, s);
  check_outbox (store, local_now, s);
  return s;
}

gboolean
bhxh_store_safety_allows_approval (BhxhStore  *store,
                                  GDateTime  *now,
                                  GError    **error)
{
  g_autoptr(BhxhSafety) s = bhxh_store_check_safety (store, now);
  g_autoptr(GString) message = NULL;

  if (s->level < BHXH_SAFETY_BLOCK)
    return TRUE;
  message = g_string_new (NULL);
  for (guint i = 0; i < s->messages->len; i++)
    g_string_append_printf (message, "%s%s", i ? " " : "",
                            (const char *) g_ptr_array_index (s->messages, i));
  g_set_error_literal (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_SAFETY_STOP, message->str);
  return FALSE;
}

const char *
bhxh_safety_level_to_string (BhxhSafetyLevel level)
{
  switch (level)
    {
    case BHXH_SAFETY_OK:
      return "ok";
    case BHXH_SAFETY_WARN:
      return "warn";
    case BHXH_SAFETY_BLOCK:
    default:
      return "block";
    }
}

JsonNode *
bhxh_safety_to_json (const BhxhSafety *s)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "level");
  json_builder_add_string_value (b, bhxh_safety_level_to_string (s->level));
  json_builder_set_member_name (b, "mirror_age_days");
  json_builder_add_int_value (b, s->mirror_age_days);
  json_builder_set_member_name (b, "unsynced");
  json_builder_add_int_value (b, s->unsynced);
  json_builder_set_member_name (b, "unsynced_days");
  json_builder_add_int_value (b, s->unsynced_days);
  json_builder_set_member_name (b, "limits");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mirror_warn_days");
  json_builder_add_int_value (b, s->mirror_warn_days);
  json_builder_set_member_name (b, "mirror_block_days");
  json_builder_add_int_value (b, s->mirror_block_days);
  json_builder_set_member_name (b, "unsynced_warn_days");
  json_builder_add_int_value (b, s->unsynced_warn_days);
  json_builder_set_member_name (b, "unsynced_block_days");
  json_builder_add_int_value (b, s->unsynced_block_days);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->messages->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (s->messages, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
bhxh_safety_free (BhxhSafety *safety)
{
  if (safety == NULL)
    return;
  g_ptr_array_unref (safety->messages);
  g_free (safety);
}
