/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "store/bhxh-store.h"
#include "sync/bhxh-bundle.h"
#include "sync/bhxh-sync.h"
#include "sync/bhxh-sync-log.h"
#include "sync/bhxh-sync-offline.h"
#include "store/bhxh-store-safety.h"
#include "bhxh-cli.h"

/* Portal synchronisation, headless: "sync" (run, --status, --log) and
 * "bundle" (export / import for hand-carried days). */

#define PORTAL_USAGE \
  "portal set DB --url URL --token-file FILE [--office CODE] [--portal-key FILE] " \
  "[--user LOGIN [--password-file FILE]] | portal set DB --portal-key FILE | portal show DB"
#define SYNC_USAGE \
  "sync DB [--portal URL [--token-file FILE]] [--pull] [--push] [--no-mirror] [--ca-file FILE] " \
  "[--client-cert FILE] [--client-key FILE] [--proxy URL] [--office CODE] [--timeout SEC] " \
  "[--retries N] [--batch N] | sync DB --status | sync DB --log [--since ISO] [--csv]"
#define BUNDLE_USAGE \
  "bundle export DB FILE [--workstation ID] [--force] | " \
  "bundle import DB FILE [--workstation ID]" \
  " [--user LOGIN [--password-file FILE]]  (--token-file FILE: accepted, no longer used)"

static BhxhStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  BhxhStore *store = bhxh_store_open (path, &error);

  if (store == NULL)
    bhxh_cli_fail_error (error);
  return store;
}

static int
sync_status (BhxhStore *store)
{
  g_autoptr(BhxhSafety) safety = bhxh_store_check_safety (store, NULL);
  g_autoptr(JsonNode) node = bhxh_safety_to_json (safety);

  bhxh_cli_print_json (node);
  return safety->level == BHXH_SAFETY_BLOCK ? BHXH_EXIT_INPUT : BHXH_EXIT_OK;
}

static int
sync_log (BhxhStore  *store,
          const char *since_text,
          gboolean    csv)
{
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) entries = NULL;
  g_autofree char *text = NULL;

  if (since_text)
    {
      since = g_date_time_new_from_iso8601 (since_text, NULL);
      if (since == NULL)
        return bhxh_cli_fail (BHXH_EXIT_USAGE, "--since: not an RFC 3339 timestamp");
    }
  entries = bhxh_sync_log_read (bhxh_store_get_path (store), since, &error);
  if (entries == NULL)
    return bhxh_cli_fail_error (error);
  text = csv ? bhxh_sync_log_to_csv (entries) : bhxh_sync_log_to_text (entries);
  fputs (text, stdout);
  return BHXH_EXIT_OK;
}

static void
print_report (const BhxhSyncReport *report,
              BhxhStore            *store)
{
  g_autoptr(JsonNode) node = bhxh_sync_report_to_json (report);
  g_autoptr(BhxhSafety) safety = bhxh_store_check_safety (store, NULL);

  json_object_set_member (json_node_get_object (node), "safety",
                          bhxh_safety_to_json (safety));
  bhxh_cli_print_json (node);
}

static void
progress_cb (BhxhSyncStage stage,
             guint64       done,
             guint64       total,
             gpointer      user_data)
{
  /* Only for a person at a terminal; the JSON on stdout stays clean. */
  if (total > 0)
    g_printerr ("\r%s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "   ",
                bhxh_sync_stage_to_string (stage), done, total);
}

int
bhxh_cmd_sync (int    argc,
               char **argv)
{
  g_autofree char *portal = NULL, *token_file = NULL, *ca_file = NULL, *proxy = NULL;
  g_autofree char *client_cert = NULL, *client_key = NULL, *office = NULL, *since = NULL;
  gboolean pull = FALSE, push = FALSE, no_mirror = FALSE, status = FALSE, log = FALSE;
  gboolean csv = FALSE, verbose = FALSE;
  int timeout = 60, retries = 5, batch = 1000;   /* the contract's maximum */
  GOptionEntry entries[] = {
    { "portal", 0, 0, G_OPTION_ARG_STRING, &portal, NULL, "URL" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, NULL, "FILE" },
    { "pull", 0, 0, G_OPTION_ARG_NONE, &pull, NULL, NULL },
    { "push", 0, 0, G_OPTION_ARG_NONE, &push, NULL, NULL },
    { "no-mirror", 0, 0, G_OPTION_ARG_NONE, &no_mirror, NULL, NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, NULL, "FILE" },
    { "client-cert", 0, 0, G_OPTION_ARG_FILENAME, &client_cert, NULL, "FILE" },
    { "client-key", 0, 0, G_OPTION_ARG_FILENAME, &client_key, NULL, "FILE" },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &proxy, NULL, "URL" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, NULL, "CODE" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, NULL, "SEC" },
    { "retries", 0, 0, G_OPTION_ARG_INT, &retries, NULL, "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, NULL, "N" },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status, NULL, NULL },
    { "log", 0, 0, G_OPTION_ARG_NONE, &log, NULL, NULL },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, NULL, "ISO" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, NULL, NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &verbose, NULL, NULL },
    { NULL }
  };
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(BhxhSyncOptions) options = NULL;
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) token = NULL;
  int rc = bhxh_cli_parse_options (entries, SYNC_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 2 || timeout <= 0 || retries < 0
      || batch <= 0 || batch > 1000)
    return bhxh_cli_usage (SYNC_USAGE);
  store = open_store (argv[1]);
  if (store == NULL)
    return BHXH_EXIT_INPUT;
  if (status)
    return sync_status (store);
  if (log)
    return sync_log (store, since, csv);

  if (portal == NULL)
    {
      /* The portal the counter was enrolled with ("portal set"). */
      if (token_file != NULL)
        return bhxh_cli_usage (SYNC_USAGE);
      options = bhxh_sync_options_new_enrolled (store, &error);
      if (options == NULL)
        return bhxh_cli_fail_error (error);
    }
  else
    {
      token = bhxh_cli_read_token (token_file, &error);
      if (token == NULL)
        return bhxh_cli_fail_error (error);
      options = bhxh_sync_options_new ();
      options->portal->portal_url = g_strdup (portal);
      options->portal->token = g_strndup (g_bytes_get_data (token, NULL),
                                          g_bytes_get_size (token));
    }
  if (office != NULL)
    {
      g_free (options->office_code);
      options->office_code = g_strdup (office);
    }
  options->pull = pull || !push;
  options->push = push || !pull;
  options->pull_mirror = !no_mirror;
  options->batch_size = (guint) batch;
  options->portal->ca_file = g_strdup (ca_file);
  options->portal->client_cert = g_strdup (client_cert);
  options->portal->client_key = g_strdup (client_key);
  options->portal->proxy = g_strdup (proxy);
  options->portal->timeout_ms = (guint) timeout * 1000;
  options->portal->max_retries = (guint) retries;

  report = bhxh_sync_run (store, options, verbose ? progress_cb : NULL, NULL, NULL, &error);
  if (verbose)
    g_printerr ("\n");
  if (report == NULL)
    return bhxh_cli_fail_error (error);
  print_report (report, store);
  if (bhxh_sync_report_needs_person (report))
    {
      for (guint i = 0; i < report->errors->len; i++)
        bhxh_cli_fail (BHXH_EXIT_INPUT, "%s", (const char *) g_ptr_array_index (report->errors,
                                                                                i));
      return BHXH_EXIT_INPUT;
    }
  return BHXH_EXIT_OK;
}

/* --portal-key FILE: the portal's public key, as the provincial office
 * hands it over (not a secret: any mode will do). */
static char *
read_portal_key (const char  *file,
                 GError     **error)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (file, &text, NULL, error))
    return NULL;
  return g_strstrip (g_steal_pointer (&text));
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Never the token: only whether there is one. The portal key and this
 * counter's own key by their ids, the latter whole (public) for the
 * provincial office to register by hand if it must. */
static int
portal_show (BhxhStore *store)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) portal_key = NULL;
  g_autofree char *url = NULL, *office = NULL, *portal_key_id = NULL;
  g_autofree char *desk_key = NULL, *desk_key_id = NULL;
  g_autofree char *pinned = bhxh_store_dup_portal_key (store);
  gboolean enrolled = bhxh_store_dup_portal (store, &url, &office, NULL);

  if (pinned != NULL)
    {
      g_autoptr(GBytes) raw = bhxh_bundle_key_from_text (pinned, BHXH_BUNDLE_PUBLIC_KEY_BYTES,
                                                         NULL);

      portal_key_id = raw != NULL ? bhxh_bundle_key_id (raw) : NULL;
    }
  /* Reading it makes it the first time (best effort: a read-only store). */
  desk_key = bhxh_sync_dup_desk_key (store, &desk_key_id, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "enrolled");
  json_builder_add_boolean_value (b, enrolled);
  add_string_or_null (b, "url", url);
  add_string_or_null (b, "office", office);
  add_string_or_null (b, "portal_key_id", portal_key_id);
  add_string_or_null (b, "desk_key", desk_key);
  add_string_or_null (b, "desk_key_id", desk_key_id);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

int
bhxh_cmd_portal (int    argc,
                 char **argv)
{
  g_autofree char *url = NULL, *office = NULL, *token_file = NULL, *portal_key_file = NULL;
  g_autofree char *user = NULL, *password_file = NULL;
  g_autofree char *portal_key = NULL;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, NULL, "URL" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, NULL, "CODE" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, NULL, "FILE" },
    { "portal-key", 0, 0, G_OPTION_ARG_FILENAME, &portal_key_file, NULL, "FILE" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, NULL, "FILE" },
    { NULL }
  };
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) token = NULL;
  int rc = bhxh_cli_parse_options (entries, PORTAL_USAGE, &argc, &argv);
  gboolean set, set_portal;

  if (rc != BHXH_EXIT_OK)
    return rc;
  set = argc == 3 && g_str_equal (argv[1], "set");
  /* The address and the token go together; the portal key alone re-pins it. */
  set_portal = url != NULL || token_file != NULL || office != NULL;
  if (set && !(url != NULL && token_file != NULL) && !(!set_portal && portal_key_file != NULL))
    return bhxh_cli_usage (PORTAL_USAGE);
  if (!set && !(argc == 3 && g_str_equal (argv[1], "show")))
    return bhxh_cli_usage (PORTAL_USAGE);
  if (set && portal_key_file != NULL && (portal_key = read_portal_key (portal_key_file,
                                                                      &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (set && set_portal && (token = bhxh_cli_read_token (token_file, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if ((store = open_store (argv[2])) == NULL)
    return BHXH_EXIT_INPUT;
  if (set && !bhxh_cli_sign_in (store, user, password_file, &error))
    return bhxh_cli_fail_error (error);
  if (set && set_portal
      && !bhxh_sync_enrol (store, url, office, g_bytes_get_data (token, NULL), &error))
    return bhxh_cli_fail_error (error);
  if (set && portal_key != NULL && !bhxh_sync_pin_portal_key (store, portal_key, &error))
    return bhxh_cli_fail_error (error);
  return portal_show (store);
}

static int
bundle_export (BhxhStore  *store,
               const char *file,
               const char *workstation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), json_object_new ());
  guint n = 0;

  if (!bhxh_sync_export_decisions (store, file, workstation, &n, &error))
    return bhxh_cli_fail_error (error);
  json_object_set_int_member (json_node_get_object (node), "exported", n);
  json_object_set_string_member (json_node_get_object (node), "file", file);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

static int
bundle_import (BhxhStore  *store,
               const char *file,
               const char *workstation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhSyncReport) report = bhxh_sync_import_bundle (store, file, workstation, NULL,
                                                              &error);
  g_autoptr(JsonNode) node = NULL;

  if (report == NULL)
    return bhxh_cli_fail_error (error);
  node = bhxh_sync_report_to_json (report);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

int
bhxh_cmd_bundle (int    argc,
                 char **argv)
{
  g_autofree char *token_file = NULL, *workstation = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    /* Bundles were once signed with the token: older scripts still pass it. */
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, NULL, "FILE" },
    { "workstation", 0, 0, G_OPTION_ARG_STRING, &workstation, NULL, "ID" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, NULL, NULL },
    { NULL }
  };
  g_autoptr(BhxhStore) store = NULL;
  int rc = bhxh_cli_parse_session_options (entries, BUNDLE_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 4 || (!g_str_equal (argv[1], "export") && !g_str_equal (argv[1], "import")))
    return bhxh_cli_usage (BUNDLE_USAGE);
  if (g_str_equal (argv[1], "export") &&
      (rc = bhxh_cli_check_new_output (argv[3], force)) != BHXH_EXIT_OK)
    return rc;
  /* A bundle carries the day's decisions out, or a registry in. */
  store = bhxh_cli_open_session (argv[2], "supervisor");
  if (store == NULL)
    return BHXH_EXIT_INPUT;
  if (g_str_equal (argv[1], "export"))
    return bundle_export (store, argv[3], workstation);
  return bundle_import (store, argv[3], workstation);
}
