/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-json.h"
#include "store/bhxh-store.h"
#include "bhxh-cli.h"

/* audit verify|list, and purge (retention of scanned payloads). */

#define AUDIT_USAGE \
  "audit verify DB | audit list DB [--date YYYY-MM-DD] [--user LOGIN [--password-file FILE]]"
#define PURGE_USAGE "purge DB [--days N] [--user LOGIN [--password-file FILE]]"

static BhxhStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  BhxhStore *store = bhxh_store_open (path, &error);

  if (store == NULL)
    bhxh_cli_fail_error (error);
  return store;
}

/* The answer of audit verify, direct or through the service. */
int
bhxh_cli_print_audit_check (guint64 n,
                            gint64  first_bad)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, first_bad == 0);
  json_builder_set_member_name (b, "entries");
  json_builder_add_int_value (b, (gint64) n);
  json_builder_set_member_name (b, "first_bad");
  if (first_bad != 0)
    json_builder_add_int_value (b, first_bad);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);

  if (first_bad != 0)
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("The audit trail was altered at entry %lld"),
                          (long long) first_bad);
  return BHXH_EXIT_OK;
}

static int
audit_verify (BhxhStore *store)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  gint64 first_bad = 0;

  if (!bhxh_store_audit_check (store, &n, &first_bad, &error))
    return bhxh_cli_fail_error (error);
  return bhxh_cli_print_audit_check (n, first_bad);
}

static int
audit_list (BhxhStore      *store,
            const BhxhDate *day)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) list = bhxh_store_list_audit (store, day, &error);

  if (list == NULL)
    return bhxh_cli_fail_error (error);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const BhxhAuditEntry *e = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, e->seq);
      bhxh_json_add_string (b, "at", e->at);
      bhxh_json_add_string (b, "actor", e->actor);
      bhxh_json_add_string (b, "action", e->action);
      bhxh_json_add_string (b, "object", e->object);
      bhxh_json_add_string (b, "detail", e->detail);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

int
bhxh_cmd_audit (int    argc,
                char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  BhxhDate day = BHXH_DATE_NONE;
  GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, NULL, "YYYY-MM-DD" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, NULL, "FILE" },
    { NULL }
  };
  int rc = bhxh_cli_parse_options (entries, AUDIT_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 3 || (!g_str_equal (argv[1], "verify") && !g_str_equal (argv[1], "list")) ||
      (g_str_equal (argv[1], "verify") && (date != NULL || user != NULL)))
    return bhxh_cli_usage (AUDIT_USAGE);
  if (date != NULL && (!bhxh_date_parse (date, &day, NULL) || !bhxh_date_is_full (&day)))
    return bhxh_cli_fail (BHXH_EXIT_USAGE, _("“%s” is not a date (YYYY-MM-DD)"), date);

  if ((store = open_store (argv[2])) == NULL)
    return BHXH_EXIT_INPUT;
  if (g_str_equal (argv[1], "verify"))
    return audit_verify (store);
  if (!bhxh_cli_sign_in (store, user, password_file, &error))
    return bhxh_cli_fail_error (error);

  return audit_list (store, date != NULL ? &day : NULL);
}

int
bhxh_cmd_purge (int    argc,
                char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  guint purged = 0;
  int days = 0;
  GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, NULL, "N" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, NULL, "FILE" },
    { NULL }
  };
  int rc = bhxh_cli_parse_options (entries, PURGE_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 2 || days < 0)
    return bhxh_cli_usage (PURGE_USAGE);
  if ((store = open_store (argv[1])) == NULL)
    return BHXH_EXIT_INPUT;
  /* At the configured retention nobody needs to sign in (a timer runs it). */
  if (user != NULL && !bhxh_cli_sign_in (store, user, password_file, &error))
    return bhxh_cli_fail_error (error);
  if (days == 0)
    days = (int) bhxh_store_get_setting (store, BHXH_META_RETENTION_DAYS);
  if (!bhxh_store_purge_documents (store, (guint) days, &purged, &error))
    return bhxh_cli_fail_error (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "purged");
  json_builder_add_int_value (b, purged);
  json_builder_set_member_name (b, "days");
  json_builder_add_int_value (b, days);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}
