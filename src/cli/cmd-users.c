/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-json.h"
#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"
#include "store/bhxh-store-answers.h"
#include "bhxh-cli.h"

/* users init|add|passwd|list|unlock|settings, and the sign-in every
 * command over a database in "accounts required" mode goes through:
 * --user LOGIN, the password in $BHXH_DESK_PASSWORD or --password-file.
 * Passwords are never taken on the command line (ps shows it). */

#define USERS_USAGE \
  "users init DB --admin LOGIN [--name NAME] [--password-file FILE] | " \
  "users add DB LOGIN --role clerk|supervisor|admin [--name NAME] " \
  "[--new-password-file FILE|--no-password] | users passwd DB LOGIN [--new-password-file FILE] | " \
  "users list DB | users unlock|disable|enable DB LOGIN | users settings DB [--max-failures N] " \
  "[--lockout-minutes M] [--idle-lock-minutes I] [--retention-days D] [--chip-required 0|1]; " \
  "acting user: --user LOGIN with $BHXH_DESK_PASSWORD or --password-file FILE"

/**
 * bhxh_cli_read_password:
 * @file: (nullable): a file holding the password; %NULL: standard input
 *
 * One line: the final line break is not part of the password.
 */
char *
bhxh_cli_read_password (const char  *file,
                        GError     **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  if (file != NULL && !g_file_get_contents (file, &text, &len, error))
    return NULL;
  if (file == NULL && (text = bhxh_cli_read_stdin (&len, error)) == NULL)
    return NULL;
  if (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  if (len > 0 && text[len - 1] == '\r')
    text[--len] = '\0';
  if (strlen (text) != len || len == 0)
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_WEAK_PASSWORD,
                   _("The password is empty or not text"));
      return NULL;
    }

  return g_steal_pointer (&text);
}

/**
 * bhxh_cli_given_password:
 * @file: (nullable): --password-file
 *
 * Returns: the password in @file, else in $BHXH_DESK_PASSWORD; %NULL with
 *   @error unset when neither is given
 */
char *
bhxh_cli_given_password (const char  *file,
                         GError     **error)
{
  const char *env = g_getenv ("BHXH_DESK_PASSWORD");

  if (file != NULL)
    return bhxh_cli_read_password (file, error);
  return g_strdup (env);
}

/**
 * bhxh_cli_sign_in:
 * @login: (nullable): --user; %NULL signs nobody in
 * @password_file: (nullable): --password-file; else $BHXH_DESK_PASSWORD
 *
 * Outside "accounts required" mode no sign-in is needed; a --user given
 * is still checked. In that mode a missing --user is an error.
 */
gboolean
bhxh_cli_sign_in (BhxhStore   *store,
                  const char  *login,
                  const char  *password_file,
                  GError     **error)
{
  g_autofree char *password = NULL;
  g_autoptr(GError) local_error = NULL;

  if (login == NULL)
    {
      if (!bhxh_store_accounts_required (store))
        return TRUE;
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED,
                   _("This database requires signing in: give --user LOGIN and the "
                     "password in BHXH_DESK_PASSWORD or --password-file FILE"));
      return FALSE;
    }
  password = bhxh_cli_given_password (password_file, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (password == NULL && bhxh_store_accounts_required (store))
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED,
                   _("No password for “%s”: set BHXH_DESK_PASSWORD or give "
                     "--password-file FILE"), login);
      return FALSE;
    }
  if (password == NULL)
    password = g_strdup ("");

  return bhxh_store_authenticate (store, login, password, NULL, error);
}

static BhxhStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  BhxhStore *store = bhxh_store_open (path, &error);

  if (store == NULL)
    bhxh_cli_fail_error (error);
  return store;
}

typedef struct
{
  char     *user;
  char     *password_file;
  char     *new_password_file;
  char     *admin;
  char     *name;
  char     *role;
  gboolean  no_password;
  int       max_failures;
  int       lockout_minutes;
  int       idle_lock_minutes;
  int       retention_days;
  int       chip_required;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->user);
  g_free (o->password_file);
  g_free (o->new_password_file);
  g_free (o->admin);
  g_free (o->name);
  g_free (o->role);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static void
print_object (JsonBuilder *b)
{
  g_autoptr(JsonNode) node = NULL;

  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
}

/* The answers of users init and users add, direct or through the service. */
int
bhxh_cli_print_accounts_init (const char *admin)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  bhxh_json_add_string (b, "admin", admin);
  json_builder_set_member_name (b, "accounts_required");
  json_builder_add_boolean_value (b, TRUE);
  print_object (b);
  return BHXH_EXIT_OK;
}

int
bhxh_cli_print_user_added (const char *login,
                           const char *role,
                           gboolean    has_password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  bhxh_json_add_string (b, "login", login);
  bhxh_json_add_string (b, "role", role);
  json_builder_set_member_name (b, "has_password");
  json_builder_add_boolean_value (b, has_password);
  print_object (b);
  return BHXH_EXIT_OK;
}

static int
users_init (BhxhStore *store,
            Options   *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *password = NULL;

  if (o->admin == NULL)
    return bhxh_cli_usage (USERS_USAGE);
  if ((password = bhxh_cli_read_password (o->password_file, &error)) == NULL ||
      !bhxh_store_init_accounts (store, o->admin, o->name, password, &error))
    return bhxh_cli_fail_error (error);

  return bhxh_cli_print_accounts_init (o->admin);
}

static int
users_add (BhxhStore  *store,
           const char *login,
           Options    *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *password = NULL;

  if (o->role == NULL || (o->no_password && o->new_password_file != NULL))
    return bhxh_cli_usage (USERS_USAGE);
  if (!bhxh_cli_sign_in (store, o->user, o->password_file, &error))
    return bhxh_cli_fail_error (error);
  /* The password is checked before the user is added: no half-made user. */
  if (!o->no_password &&
      ((password = bhxh_cli_read_password (o->new_password_file, &error)) == NULL ||
       !bhxh_auth_check_password (password, &error)))
    return bhxh_cli_fail_error (error);
  if (!bhxh_store_add_user (store, login, o->name != NULL ? o->name : login, o->role, &error) ||
      (password != NULL && !bhxh_store_set_password (store, login, password, &error)))
    return bhxh_cli_fail_error (error);

  return bhxh_cli_print_user_added (login, o->role, password != NULL);
}

/* {"login": LOGIN, @what: true}: users passwd and unlock, direct or through
 * the service. */
int
bhxh_cli_print_user_done (const char *login,
                          const char *what)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  bhxh_json_add_string (b, "login", login);
  json_builder_set_member_name (b, what);
  json_builder_add_boolean_value (b, TRUE);
  print_object (b);
  return BHXH_EXIT_OK;
}

static int
users_passwd (BhxhStore  *store,
              const char *login,
              Options    *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  if (!bhxh_cli_sign_in (store, o->user, o->password_file, &error) ||
      (password = bhxh_cli_read_password (o->new_password_file, &error)) == NULL ||
      !bhxh_store_set_password (store, login, password, &error))
    return bhxh_cli_fail_error (error);
  return bhxh_cli_print_user_done (login, "password_changed");
}

static int
users_unlock (BhxhStore  *store,
              const char *login,
              Options    *o)
{
  g_autoptr(GError) error = NULL;

  if (!bhxh_cli_sign_in (store, o->user, o->password_file, &error) ||
      !bhxh_store_unlock_user (store, login, &error))
    return bhxh_cli_fail_error (error);
  return bhxh_cli_print_user_done (login, "unlocked");
}

static int
users_disable (BhxhStore  *store,
               const char *login,
               gboolean    disabled,
               Options    *o)
{
  g_autoptr(GError) error = NULL;

  if (!bhxh_cli_sign_in (store, o->user, o->password_file, &error) ||
      !bhxh_store_set_user_disabled (store, login, disabled, &error))
    return bhxh_cli_fail_error (error);
  return bhxh_cli_print_user_done (login, disabled ? "disabled" : "enabled");
}

static int
users_list (BhxhStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = bhxh_answer_users (store, &error);

  if (node == NULL)
    return bhxh_cli_fail_error (error);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

static int
users_settings (BhxhStore *store,
                Options   *o)
{
  g_autoptr(GError) error = NULL;
  const struct { const char *key; int value; } changes[] = {
    { BHXH_META_MAX_FAILURES, o->max_failures },
    { BHXH_META_LOCKOUT_MINUTES, o->lockout_minutes },
    { BHXH_META_IDLE_LOCK_MINUTES, o->idle_lock_minutes },
    { BHXH_META_RETENTION_DAYS, o->retention_days },
    { BHXH_META_CHIP_REQUIRED, o->chip_required },
  };
  gboolean signed_in = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      if (changes[i].value < 0)
        continue;
      if (!signed_in && !bhxh_cli_sign_in (store, o->user, o->password_file, &error))
        return bhxh_cli_fail_error (error);
      signed_in = TRUE;
      if (!bhxh_store_change_setting (store, changes[i].key, changes[i].value, &error))
        return bhxh_cli_fail_error (error);
    }

  {
    g_autoptr(JsonNode) node = bhxh_answer_settings (store);

    bhxh_cli_print_json (node);
  }
  return BHXH_EXIT_OK;
}

int
bhxh_cmd_users (int    argc,
                char **argv)
{
  g_auto(Options) o = { NULL, NULL, NULL, NULL, NULL, NULL, FALSE, -1, -1, -1, -1, -1 };
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &o.user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &o.password_file, NULL, "FILE" },
    { "new-password-file", 0, 0, G_OPTION_ARG_FILENAME, &o.new_password_file, NULL, "FILE" },
    { "no-password", 0, 0, G_OPTION_ARG_NONE, &o.no_password, NULL, NULL },
    { "admin", 0, 0, G_OPTION_ARG_STRING, &o.admin, NULL, "LOGIN" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name, NULL, "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o.role, NULL, "ROLE" },
    { "max-failures", 0, 0, G_OPTION_ARG_INT, &o.max_failures, NULL, "N" },
    { "lockout-minutes", 0, 0, G_OPTION_ARG_INT, &o.lockout_minutes, NULL, "M" },
    { "idle-lock-minutes", 0, 0, G_OPTION_ARG_INT, &o.idle_lock_minutes, NULL, "I" },
    { "retention-days", 0, 0, G_OPTION_ARG_INT, &o.retention_days, NULL, "D" },
    { "chip-required", 0, 0, G_OPTION_ARG_INT, &o.chip_required, NULL, "0|1" },
    { NULL }
  };
  int rc = bhxh_cli_parse_options (entries, USERS_USAGE, &argc, &argv);
  const char *verb;

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc < 3)
    return bhxh_cli_usage (USERS_USAGE);
  verb = argv[1];
  if ((o.name != NULL && !g_utf8_validate (o.name, -1, NULL)) ||
      (o.user != NULL && !g_utf8_validate (o.user, -1, NULL)))
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("A login or a name is not valid UTF-8"));

  if ((g_str_equal (verb, "init") || g_str_equal (verb, "list") ||
       g_str_equal (verb, "settings")) && argc == 3)
    {
      if ((store = open_store (argv[2])) == NULL)
        return BHXH_EXIT_INPUT;
      if (g_str_equal (verb, "init"))
        return users_init (store, &o);
      if (g_str_equal (verb, "list") &&
          (!bhxh_cli_sign_in (store, o.user, o.password_file, &error) ||
           !bhxh_store_require_session (store, "supervisor", &error)))
        return bhxh_cli_fail_error (error);
      return g_str_equal (verb, "list") ? users_list (store) : users_settings (store, &o);
    }
  if ((g_str_equal (verb, "add") || g_str_equal (verb, "passwd") ||
       g_str_equal (verb, "unlock") || g_str_equal (verb, "disable") ||
       g_str_equal (verb, "enable")) && argc == 4)
    {
      if (!g_utf8_validate (argv[3], -1, NULL))
        return bhxh_cli_fail (BHXH_EXIT_INPUT, _("A login or a name is not valid UTF-8"));
      if ((store = open_store (argv[2])) == NULL)
        return BHXH_EXIT_INPUT;
      if (g_str_equal (verb, "add"))
        return users_add (store, argv[3], &o);
      if (g_str_equal (verb, "disable") || g_str_equal (verb, "enable"))
        return users_disable (store, argv[3], g_str_equal (verb, "disable"), &o);
      return g_str_equal (verb, "passwd") ? users_passwd (store, argv[3], &o)
                                          : users_unlock (store, argv[3], &o);
    }

  return bhxh_cli_usage (USERS_USAGE);
}
