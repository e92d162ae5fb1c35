/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gunixfdlist.h>

#include "core/bhxh-memfd.h"
#include "docs/bhxh-export.h"
#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"
#include "bhxh-cli.h"
#include "bhxh-desk1.h"
#include "bhxh-service-errors.h"

/*
 * bhxh-deskctl --system|--session COMMAND …: the same commands through
 * bhxh-deskd (docs/service.md), without a DB argument. Each signs in as
 * --user (password from --password-file or $BHXH_DESK_PASSWORD), makes
 * its call and prints the service's answer as the direct command does.
 */

#define SERVICE_USAGE \
  "--system|--session users init --admin LOGIN [--name NAME] [--password-file FILE] | " \
  "queue | verify PAYLOAD|- | decide DECLARATION-ID approve|reject|escalate | " \
  "undo DECISION-UUID | audit verify | users list | users add LOGIN --role ROLE | " \
  "users passwd LOGIN [--new-password-file FILE] | users unlock|disable|enable LOGIN | " \
  "users settings [--max-failures N] [--lockout-minutes M] [--idle-lock-minutes I] " \
  "[--retention-days D] [--chip-required 0|1] | " \
  "mirror import FILE | declarations import FILE | " \
  "portal set --url URL --token-file FILE [--office CODE] [--portal-key FILE] | " \
  "portal set --portal-key FILE | sync | " \
  "export decisions --date YYYY-MM-DD --output FILE.csv|FILE.xlsx [--force]  " \
  "(each with --user LOGIN " \
  "[--password-file FILE]; root runs sync without)"

typedef struct
{
  char    *user;
  char    *password_file;
  char    *admin;
  char    *name;
  char    *role;
  char    *new_password_file;
  char    *status;
  char    *kind;
  char    *office;
  char    *search;
  char    *sort;
  char   **reasons;
  char    *note;
  char    *payload;
  char    *post_copy;
  char    *url;
  char    *token_file;
  char    *portal_key_file;
  char    *date;
  char    *output;
  gboolean force;
  gboolean override;
  int      hold;
  int      limit;
  int      max_failures;
  int      lockout_minutes;
  int      idle_lock_minutes;
  int      retention_days;
  int      chip_required;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->user);
  g_free (o->password_file);
  g_free (o->admin);
  g_free (o->name);
  g_free (o->role);
  g_free (o->new_password_file);
  g_free (o->status);
  g_free (o->kind);
  g_free (o->office);
  g_free (o->search);
  g_free (o->sort);
  g_strfreev (o->reasons);
  g_free (o->note);
  g_free (o->payload);
  g_free (o->post_copy);
  g_free (o->url);
  g_free (o->token_file);
  g_free (o->portal_key_file);
  g_free (o->date);
  g_free (o->output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
fail_remote (GError *error)
{
  g_dbus_error_strip_remote_error (error);
  return bhxh_cli_fail_error (error);
}

/* Prints the service's JSON answer the way the direct command does. */
static int
print_answer (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    return bhxh_cli_fail_error (error);
  bhxh_cli_print_json (json_parser_get_root (parser));
  return BHXH_EXIT_OK;
}

static gboolean
sign_in (BhxhDesk1   *proxy,
         Options     *o,
         GError     **error)
{
  g_autofree char *password = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *role = NULL;

  if (o->user == NULL)
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED,
                   _("The service requires signing in: give --user LOGIN and the password "
                     "in BHXH_DESK_PASSWORD or --password-file FILE"));
      return FALSE;
    }
  password = bhxh_cli_given_password (o->password_file, error);
  if (password == NULL && error != NULL && *error == NULL)
    g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED,
                 _("No password: set BHXH_DESK_PASSWORD or give --password-file FILE"));
  return password != NULL &&
         bhxh_desk1_call_sign_in_sync (proxy, o->user, password, &display_name, &role, NULL,
                                       error);
}

static GVariant *
queue_filter (Options *o)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  if (o->status != NULL)
    g_variant_dict_insert (&dict, "status", "s", o->status);
  if (o->kind != NULL)
    g_variant_dict_insert (&dict, "kind", "s", o->kind);
  if (o->office != NULL)
    g_variant_dict_insert (&dict, "office", "s", o->office);
  if (o->search != NULL)
    g_variant_dict_insert (&dict, "search", "s", o->search);
  if (o->limit > 0)
    g_variant_dict_insert (&dict, "limit", "u", (guint32) o->limit);
  if (o->sort != NULL)
    g_variant_dict_insert (&dict, "sort", "s", o->sort);
  return g_variant_dict_end (&dict);
}

static GVariant *
decide_options (Options  *o,
                GError  **error)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  if (o->reasons != NULL)
    g_variant_dict_insert_value (&dict, "reasons",
                                 g_variant_new_strv ((const char * const *) o->reasons, -1));
  if (o->note != NULL)
    g_variant_dict_insert (&dict, "note", "s", o->note);
  if (o->override)
    g_variant_dict_insert (&dict, "override", "b", TRUE);
  if (o->hold > 0)
    g_variant_dict_insert (&dict, "hold", "u", (guint32) o->hold);
  if (o->post_copy != NULL)
    g_variant_dict_insert (&dict, "post_copy", "s", o->post_copy);
  if (o->payload != NULL)
    {
      g_autofree char *text = NULL;
      gsize len = 0;

      if (g_str_equal (o->payload, "-"))
        text = bhxh_cli_read_stdin (&len, error);
      else
        text = g_strdup (o->payload);
      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        {
          if (text != NULL)
            g_set_error_literal (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                                 _("The scanned text is not valid UTF-8"));
          g_variant_dict_clear (&dict);
          return NULL;
        }
      g_variant_dict_insert (&dict, "payload", "s", text);
    }
  return g_variant_dict_end (&dict);
}

static int
call_import (BhxhDesk1  *proxy,
             const char *kind,
             const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *signature = NULL;
  guint64 count = 0;
  int fd = g_open (file, O_RDONLY | O_CLOEXEC, 0);
  int index;

  if (fd < 0)
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("Cannot open %s: %s"), file, g_strerror (errno));
  /* A registry snapshot travels with its signature, FILE.sig, which the
   * service cannot read: its text goes along. */
  if (g_str_equal (kind, "mirror") && bhxh_mirror_is_snapshot (fd))
    {
      g_autofree char *sig_path = g_strconcat (file, ".sig", NULL);

      if (!g_file_get_contents (sig_path, &signature, NULL, NULL))
        {
          close (fd);
          return bhxh_cli_fail (BHXH_EXIT_INPUT,
                                _("The registry snapshot %s has no signature (%s)"), file,
                                sig_path);
        }
    }
  index = g_unix_fd_list_append (fds, fd, &error);
  close (fd);
  if (index < 0 ||
      (signature != NULL
       ? !bhxh_desk1_call_import_mirror_snapshot_sync (proxy, g_variant_new_handle (index),
                                                       signature, fds, &count, NULL, NULL,
                                                       &error)
       : !bhxh_desk1_call_import_sync (proxy, kind, g_variant_new_handle (index), fds, &count,
                                       NULL, NULL, &error)))
    return fail_remote (g_steal_pointer (&error));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, g_str_equal (kind, "mirror") ? "rows" : "imported");
  json_builder_add_int_value (b, (gint64) count);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

static int
users_init (BhxhDesk1 *proxy,
            Options   *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  if (o->admin == NULL)
    return bhxh_cli_usage (SERVICE_USAGE);
  if ((password = bhxh_cli_read_password (o->password_file, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (!bhxh_desk1_call_init_accounts_sync (proxy, o->admin,
                                           o->name != NULL ? o->name : o->admin, password,
                                           NULL, &error))
    return fail_remote (g_steal_pointer (&error));
  return bhxh_cli_print_accounts_init (o->admin);
}

static int
users_add (BhxhDesk1  *proxy,
           const char *login,
           Options    *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  if (o->role == NULL)
    return bhxh_cli_usage (SERVICE_USAGE);
  if ((password = bhxh_cli_read_password (o->new_password_file, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (!bhxh_desk1_call_add_user_sync (proxy, login, o->name != NULL ? o->name : login,
                                      o->role, password, NULL, &error))
    return fail_remote (g_steal_pointer (&error));
  return bhxh_cli_print_user_added (login, o->role, TRUE);
}

static int
users_passwd (BhxhDesk1  *proxy,
              const char *login,
              Options    *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  if ((password = bhxh_cli_read_password (o->new_password_file, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (!bhxh_desk1_call_set_password_sync (proxy, login, password, NULL, &error))
    return fail_remote (g_steal_pointer (&error));
  return bhxh_cli_print_user_done (login, "password_changed");
}

/* Without a change: the rules as they are (GetSettings). */
static int
users_settings (BhxhDesk1 *proxy,
                Options   *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  /* As `users settings DB` names them (cmd-users.c). */
  const struct { const char *key; int value; } wanted[] = {
    { BHXH_META_MAX_FAILURES, o->max_failures },
    { BHXH_META_LOCKOUT_MINUTES, o->lockout_minutes },
    { BHXH_META_IDLE_LOCK_MINUTES, o->idle_lock_minutes },
    { BHXH_META_RETENTION_DAYS, o->retention_days },
    { BHXH_META_CHIP_REQUIRED, o->chip_required },
  };
  GVariantBuilder changes;
  gboolean any = FALSE;

  g_variant_builder_init (&changes, G_VARIANT_TYPE ("a{su}"));
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    if (wanted[i].value >= 0)
      {
        g_variant_builder_add (&changes, "{su}", wanted[i].key, (guint) wanted[i].value);
        any = TRUE;
      }
  if (!any)
    g_variant_builder_clear (&changes);
  if (any ? !bhxh_desk1_call_change_settings_sync (proxy, g_variant_builder_end (&changes),
                                                   &answer, NULL, &error)
          : !bhxh_desk1_call_get_settings_sync (proxy, &answer, NULL, &error))
    return fail_remote (g_steal_pointer (&error));
  return print_answer (answer);
}

static int
call_sync (BhxhDesk1 *proxy)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  /* A day's sync may take long on a slow line: no D-Bus timeout. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (proxy), G_MAXINT);
  if (!bhxh_desk1_call_sync_sync (proxy, g_variant_dict_end (&dict), &answer, NULL, &error))
    return fail_remote (g_steal_pointer (&error));
  return print_answer (answer);
}

static int
portal_set (BhxhDesk1 *proxy,
            Options   *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autofree char *portal_key = NULL;
  gboolean set_portal = o->url != NULL || o->token_file != NULL || o->office != NULL;

  /* The address and the token go together; the portal key alone re-pins it. */
  if (set_portal ? o->url == NULL || o->token_file == NULL : o->portal_key_file == NULL)
    return bhxh_cli_usage (SERVICE_USAGE);
  if (set_portal && (token = bhxh_cli_read_token (o->token_file, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (o->portal_key_file != NULL)
    {
      if (!g_file_get_contents (o->portal_key_file, &portal_key, NULL, &error))
        return bhxh_cli_fail_error (error);
      g_strstrip (portal_key);
    }
  if (set_portal
      && !bhxh_desk1_call_set_portal_sync (proxy, o->url, o->office != NULL ? o->office : "",
                                           g_bytes_get_data (token, NULL), NULL, &error))
    return fail_remote (g_steal_pointer (&error));
  if (portal_key != NULL
      && !bhxh_desk1_call_set_portal_key_sync (proxy, portal_key, NULL, &error))
    return fail_remote (g_steal_pointer (&error));
  return print_answer (set_portal ? "{\"enrolled\": true}" : "{\"portal_key\": true}");
}

/* The day's decisions made by the service, written here whole or not at all. */
static int
export_decisions (BhxhDesk1 *proxy,
                  Options   *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) handle = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GBytes) bytes = NULL;
  BhxhExportFormat format;
  guint n = 0;
  int fd, rc;

  if (o->date == NULL || o->output == NULL)
    return bhxh_cli_usage (SERVICE_USAGE);
  if (!bhxh_export_format_for_path (o->output, &format))
    return bhxh_cli_fail (BHXH_EXIT_USAGE, _("“%s”: name the file .csv or .xlsx"), o->output);
  if ((rc = bhxh_cli_check_new_output (o->output, o->force)) != BHXH_EXIT_OK)
    return rc;
  if (!bhxh_desk1_call_export_decisions_sync (proxy, o->date,
                                              bhxh_export_format_to_string (format), NULL,
                                              &handle, &n, &fds, NULL, &error))
    return fail_remote (g_steal_pointer (&error));
  fd = fds != NULL ? g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error) : -1;
  if (fd < 0)
    return bhxh_cli_fail (BHXH_EXIT_INPUT, "%s", error != NULL ? error->message : "no file");
  if ((bytes = bhxh_memfd_read_all (fd, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (!g_file_set_contents (o->output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                            &error))
    return bhxh_cli_fail_error (error);
  return bhxh_cli_print_export_done (o->output, bhxh_export_format_to_string (format), n);
}

/* One signed-in command; argv[0] is the command name. */
static int
run_command (BhxhDesk1  *proxy,
             Options    *o,
             int         argc,
             char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  const char *command = argv[0];
  const char *sub = argc > 1 ? argv[1] : "";
  gboolean ok = FALSE;

  if (g_str_equal (command, "users") && g_str_equal (sub, "init") && argc == 2)
    return users_init (proxy, o);
  /* The close-of-day job: root, no account (bhxh-deskd-sync.service). */
  if (g_str_equal (command, "sync") && argc == 1 && o->user == NULL && getuid () == 0)
    return call_sync (proxy);
  if (!sign_in (proxy, o, &error))
    return fail_remote (g_steal_pointer (&error));

  if (g_str_equal (command, "queue") && argc == 1)
    ok = bhxh_desk1_call_list_queue_sync (proxy, queue_filter (o), &answer, NULL, &error);
  else if (g_str_equal (command, "verify") && argc == 2)
    {
      g_autofree char *payload = NULL;
      gsize len = 0;

      payload = g_str_equal (sub, "-") ? bhxh_cli_read_stdin (&len, &error) : g_strdup (sub);
      ok = payload != NULL &&
           bhxh_desk1_call_verify_sync (proxy, payload, &answer, NULL, &error);
    }
  else if (g_str_equal (command, "decide") && argc == 3)
    {
      GVariant *options = decide_options (o, &error);

      ok = options != NULL &&
           bhxh_desk1_call_decide_sync (proxy, argv[1], argv[2], options, &answer, NULL,
                                        &error);
    }
  else if (g_str_equal (command, "undo") && argc == 2)
    ok = bhxh_desk1_call_undo_sync (proxy, sub, &answer, NULL, &error);
  else if (g_str_equal (command, "users") && g_str_equal (sub, "list") && argc == 2)
    ok = bhxh_desk1_call_list_users_sync (proxy, &answer, NULL, &error);
  else if (g_str_equal (command, "users") && g_str_equal (sub, "add") && argc == 3)
    return users_add (proxy, argv[2], o);
  else if (g_str_equal (command, "users") && g_str_equal (sub, "passwd") && argc == 3)
    return users_passwd (proxy, argv[2], o);
  else if (g_str_equal (command, "users") && g_str_equal (sub, "unlock") && argc == 3)
    {
      if (!bhxh_desk1_call_unlock_user_sync (proxy, argv[2], NULL, &error))
        return fail_remote (g_steal_pointer (&error));
      return bhxh_cli_print_user_done (argv[2], "unlocked");
    }
  else if (g_str_equal (command, "users") &&
           (g_str_equal (sub, "disable") || g_str_equal (sub, "enable")) && argc == 3)
    {
      gboolean disabled = g_str_equal (sub, "disable");

      if (!bhxh_desk1_call_set_user_disabled_sync (proxy, argv[2], disabled, NULL, &error))
        return fail_remote (g_steal_pointer (&error));
      return bhxh_cli_print_user_done (argv[2], disabled ? "disabled" : "enabled");
    }
  else if (g_str_equal (command, "users") && g_str_equal (sub, "settings") && argc == 2)
    return users_settings (proxy, o);
  else if (g_str_equal (command, "audit") && g_str_equal (sub, "verify") && argc == 2)
    {
      guint64 entries = 0;
      gint64 first_bad = 0;

      if (!bhxh_desk1_call_verify_audit_sync (proxy, &entries, &first_bad, NULL, &error))
        return fail_remote (g_steal_pointer (&error));
      return bhxh_cli_print_audit_check (entries, first_bad);
    }
  else if (g_str_equal (command, "sync") && argc == 1)
    return call_sync (proxy);
  else if (g_str_equal (command, "portal") && g_str_equal (sub, "set") && argc == 2)
    return portal_set (proxy, o);
  else if (g_str_equal (command, "export") && g_str_equal (sub, "decisions") && argc == 2)
    return export_decisions (proxy, o);
  else if ((g_str_equal (command, "mirror") || g_str_equal (command, "declarations")) &&
           g_str_equal (sub, "import") && argc == 3)
    return call_import (proxy, command, argv[2]);
  else
    return bhxh_cli_usage (SERVICE_USAGE);

  if (!ok)
    return fail_remote (g_steal_pointer (&error));
  return print_answer (answer);
}

int
bhxh_cli_run_service (GBusType   bus,
                      int        argc,
                      char     **argv)
{
  g_auto(Options) o = { .max_failures = -1, .lockout_minutes = -1, .idle_lock_minutes = -1,
                        .retention_days = -1, .chip_required = -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDesk1) proxy = NULL;
  GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &o.user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &o.password_file, NULL, "FILE" },
    { "admin", 0, 0, G_OPTION_ARG_STRING, &o.admin, NULL, "LOGIN" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name, NULL, "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o.role, NULL, "ROLE" },
    { "new-password-file", 0, 0, G_OPTION_ARG_FILENAME, &o.new_password_file, NULL, "FILE" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &o.status, NULL, "STATUS" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o.kind, NULL, "K" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &o.office, NULL, "CODE" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &o.search, NULL, "TEXT" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &o.limit, NULL, "N" },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &o.sort, NULL, "submitted|name" },
    { "reason", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.reasons, NULL, "CODE" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &o.note, NULL, "TEXT" },
    { "override", 0, 0, G_OPTION_ARG_NONE, &o.override, NULL, NULL },
    { "payload", 0, 0, G_OPTION_ARG_STRING, &o.payload, NULL, "PAYLOAD" },
    { "post-copy", 0, 0, G_OPTION_ARG_STRING, &o.post_copy, NULL, "ID-NUMBER" },
    { "hold", 0, 0, G_OPTION_ARG_INT, &o.hold, NULL, "SECONDS" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &o.url, NULL, "URL" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &o.token_file, NULL, "FILE" },
    { "max-failures", 0, 0, G_OPTION_ARG_INT, &o.max_failures, NULL, "N" },
    { "lockout-minutes", 0, 0, G_OPTION_ARG_INT, &o.lockout_minutes, NULL, "M" },
    { "idle-lock-minutes", 0, 0, G_OPTION_ARG_INT, &o.idle_lock_minutes, NULL, "I" },
    { "retention-days", 0, 0, G_OPTION_ARG_INT, &o.retention_days, NULL, "D" },
    { "chip-required", 0, 0, G_OPTION_ARG_INT, &o.chip_required, NULL, "0|1" },
    { "portal-key", 0, 0, G_OPTION_ARG_FILENAME, &o.portal_key_file, NULL, "FILE" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &o.date, NULL, "YYYY-MM-DD" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, NULL, "FILE" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &o.force, NULL, NULL },
    { NULL }
  };
  int rc = bhxh_cli_parse_options (entries, SERVICE_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  /* argv[0] is "--system" or "--session", argv[1] the command. */
  if (argc < 2 || o.hold < 0 || o.limit < 0)
    return bhxh_cli_usage (SERVICE_USAGE);
  bhxh_service_errors_register ();
  proxy = bhxh_desk1_proxy_new_for_bus_sync (bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                             G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                             BHXH_SERVICE_NAME, BHXH_SERVICE_PATH, NULL,
                                             &error);
  if (proxy == NULL)
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("Cannot reach the bhxh-desk service: %s"),
                          error->message);
  return run_command (proxy, &o, argc - 1, argv + 1);
}
