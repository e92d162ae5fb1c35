/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-clock.h"
#include "bhxh-auth.h"
#include "bhxh-store-private.h"

/* Users, sign-in and roles (docs/security.md).
 *
 * The signed-in user is kept on the store object (one connection, one
 * counter, one person at a time): bhxh_store_authenticate() sets it,
 * bhxh_store_sign_out() clears it, and the library's own entry points check
 * it in "accounts required" mode, so a caller cannot skip the check by
 * leaving a button out of its UI. */

#define SESSION_KEY "bhxh-store-session"

typedef struct
{
  const char *key;
  guint       fallback;
  guint       minimum;
} Setting;

static const Setting settings[] = {
  { BHXH_META_MAX_FAILURES,      5,  1 },
  { BHXH_META_LOCKOUT_MINUTES,   15, 1 },
  { BHXH_META_IDLE_LOCK_MINUTES, 5,  0 },
  { BHXH_META_RETENTION_DAYS,    30, 1 },
  { BHXH_META_CHIP_REQUIRED,     0,  0 },
};

static const Setting *
find_setting (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_strcmp0 (settings[i].key, key) == 0)
      return &settings[i];

  return NULL;
}

/**
 * bhxh_store_get_setting:
 * @key: one of the BHXH_META_* settings with a number
 *
 * Returns: the value in meta, or the default when unset or unreadable
 */
guint
bhxh_store_get_setting (BhxhStore  *self,
                        const char *key)
{
  const Setting *setting = find_setting (key);
  g_autofree char *text = NULL;
  guint64 value;

  g_return_val_if_fail (BHXH_IS_STORE (self), 0);
  g_return_val_if_fail (setting != NULL, 0);

  text = bhxh_store_dup_meta (self, key);
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, setting->minimum, G_MAXUINT,
                                                   &value, NULL))
    return setting->fallback;

  return (guint) value;
}

gboolean
bhxh_store_accounts_required (BhxhStore *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), TRUE);

  value = bhxh_store_dup_meta (self, BHXH_META_ACCOUNTS_REQUIRED);
  return g_strcmp0 (value, "1") == 0;
}

/* Session. */

BhxhUser *
bhxh_user_copy (const BhxhUser *user)
{
  BhxhUser *copy;

  if (user == NULL)
    return NULL;
  copy = g_new0 (BhxhUser, 1);
  copy->login = g_strdup (user->login);
  copy->display_name = g_strdup (user->display_name);
  copy->role = g_strdup (user->role);

  return copy;
}

static BhxhUser *
user_copy (const BhxhUser *user,
           gpointer        unused)
{
  return bhxh_user_copy (user);
}

/**
 * bhxh_store_dup_session_user:
 *
 * Returns: (transfer full) (nullable): the user signed in on this store
 */
BhxhUser *
bhxh_store_dup_session_user (BhxhStore *self)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  return g_object_dup_data (G_OBJECT (self), SESSION_KEY, (GDuplicateFunc) user_copy, NULL);
}

static void
set_session (BhxhStore      *self,
             const BhxhUser *user)
{
  g_object_set_data_full (G_OBJECT (self), SESSION_KEY, user_copy (user, NULL),
                          (GDestroyNotify) bhxh_user_free);
}

/* Sign-out is audited by the caller's choice of words: the GUI's idle
 * lock and an explicit sign-out look the same here. */
void
bhxh_store_sign_out (BhxhStore *self)
{
  g_autoptr(BhxhUser) user = NULL;

  g_return_if_fail (BHXH_IS_STORE (self));

  user = bhxh_store_dup_session_user (self);
  set_session (self, NULL);
  if (user != NULL)
    bhxh_store_audit (self, user->login, "auth.sign-out", NULL, NULL, NULL);
}

/* The login to write in the audit trail for what this store does now. */
char *
_bhxh_store_dup_actor (BhxhStore  *self,
                       const char *fallback)
{
  g_autoptr(BhxhUser) user = bhxh_store_dup_session_user (self);

  return g_strdup (user != NULL ? user->login : fallback);
}

/**
 * _bhxh_store_require_role:
 * @actor: (nullable): who the caller says acts; must be the signed-in user
 * @role: the weakest role allowed
 *
 * Outside "accounts required" mode: always %TRUE. In it: %TRUE when a user
 * is signed in on @self, is @actor (when given) and has at least @role.
 */
gboolean
_bhxh_store_require_role (BhxhStore   *self,
                          const char  *actor,
                          BhxhRole     role,
                          GError     **error)
{
  g_autoptr(BhxhUser) user = NULL;

  if (!bhxh_store_accounts_required (self))
    return TRUE;

  user = bhxh_store_dup_session_user (self);
  if (user == NULL)
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED,
                   _("This database requires signing in with a password first"));
      return FALSE;
    }
  if (actor != NULL && !g_str_equal (actor, user->login))
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN,
                   _("Signed in as “%s”: cannot act as “%s”"), user->login, actor);
      return FALSE;
    }
  if (bhxh_role_parse (user->role) < role)
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN,
                   _("%s is signed in as %s: this needs the role %s"), user->display_name,
                   bhxh_role_to_label (bhxh_role_parse (user->role)),
                   bhxh_role_to_label (role));
      return FALSE;
    }

  return TRUE;
}

gboolean
bhxh_store_require_session (BhxhStore   *self,
                            const char  *role,
                            GError     **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  return _bhxh_store_require_role (self, NULL, bhxh_role_parse (role), error);
}

/* Users. */

static gboolean
check_login (const char  *login,
             GError     **error)
{
  gsize len = login != NULL ? strlen (login) : 0;

  if (len == 0 || len > 64 || !g_utf8_validate (login, -1, NULL))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("A login is 1 to 64 bytes of text"));
      return FALSE;
    }
  for (const char *p = login; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      {
        g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                     _("A login has no spaces or control characters"));
        return FALSE;
      }

  return TRUE;
}

static gboolean
insert_user (BhxhStore   *self,
             const char  *login,
             const char  *display_name,
             const char  *role,
             const char  *hash,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO users (login, display_name, role, created_at, password_hash, "
    "password_set_at) VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?5 IS NULL THEN NULL ELSE ?4 END)",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, bhxh_clock_now_iso (), -1, g_free);
  _bhxh_bind_text (stmt, 5, hash);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The user “%s” already exists"), login);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot add the user"));
      return FALSE;
    }

  return TRUE;
}

/**
 * bhxh_store_add_user:
 * @role: "clerk", "supervisor" or "admin"
 *
 * Adds a user without a password. In "accounts required" mode only a
 * signed-in admin may; the user signs in once bhxh_store_set_password()
 * gave them a password.
 */
gboolean
bhxh_store_add_user (BhxhStore   *self,
                     const char  *login,
                     const char  *display_name,
                     const char  *role,
                     GError     **error)
{
  g_autofree char *actor = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL && display_name != NULL && role != NULL, FALSE);

  if (*login == '\0' || bhxh_role_parse (role) == BHXH_ROLE_NONE)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("A user needs a login and the role “clerk”, “supervisor” or “admin”"));
      return FALSE;
    }
  if (!check_login (login, error) ||
      !_bhxh_store_require_role (self, NULL, BHXH_ROLE_ADMIN, error))
    return FALSE;

  actor = _bhxh_store_dup_actor (self, login);
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!insert_user (self, login, display_name, role, NULL, error) ||
      !_bhxh_store_audit_append (self, actor, "user.add", login, role, error))
    {
      _bhxh_store_rollback (self);
      return FALSE;
    }

  return _bhxh_store_commit (self, error);
}

GPtrArray *
bhxh_store_list_users (BhxhStore  *self,
                       GError    **error)
{
  g_autoptr(GPtrArray) users = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT login, display_name, role FROM users WHERE disabled_at IS NULL ORDER BY login",
    error);
  if (stmt == NULL)
    return NULL;

  users = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_user_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BhxhUser *user = g_new0 (BhxhUser, 1);

      user->login = _bhxh_column_dup (stmt, 0);
      user->display_name = _bhxh_column_dup (stmt, 1);
      user->role = _bhxh_column_dup (stmt, 2);
      g_ptr_array_add (users, user);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the users"));
      return NULL;
    }

  return g_steal_pointer (&users);
}

GPtrArray *
bhxh_store_list_user_status (BhxhStore  *self,
                             GError    **error)
{
  g_autoptr(GPtrArray) list = NULL;
  gint64 now = bhxh_clock_now_unix ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT login, display_name, role, password_hash IS NOT NULL, failed_count, "
    "locked_until_unix, disabled_at IS NOT NULL FROM users ORDER BY login", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_user_status_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BhxhUserStatus *status = g_new0 (BhxhUserStatus, 1);
      gint64 until = sqlite3_column_int64 (stmt, 5);

      status->login = _bhxh_column_dup (stmt, 0);
      status->display_name = _bhxh_column_dup (stmt, 1);
      status->role = _bhxh_column_dup (stmt, 2);
      status->has_password = sqlite3_column_int (stmt, 3) != 0;
      status->failures = (guint) sqlite3_column_int (stmt, 4);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL && until > now)
        status->locked_until = g_date_time_new_from_unix_local (until);
      status->disabled = sqlite3_column_int (stmt, 6) != 0;
      g_ptr_array_add (list, status);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the users"));
      return NULL;
    }

  return g_steal_pointer (&list);
}

/* Passwords. */

static gboolean
store_hash (BhxhStore   *self,
            const char  *login,
            const char  *hash,
            GError     **error)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self,
    "UPDATE users SET password_hash = ?2, password_set_at = ?3, failed_count = 0, "
    "locked_until_unix = NULL WHERE login = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bhxh_clock_now_iso (), -1, g_free);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no user “%s”"), login);
      return FALSE;
    }

  return TRUE;
}

/**
 * bhxh_store_set_password:
 *
 * Sets @login's password (argon2id hash only), clearing failures and any
 * lockout. In "accounts required" mode a user may change their own
 * password; anyone else's needs a signed-in admin.
 */
gboolean
bhxh_store_set_password (BhxhStore   *self,
                         const char  *login,
                         const char  *password,
                         GError     **error)
{
  g_autoptr(BhxhUser) user = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *actor = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL && password != NULL, FALSE);

  user = bhxh_store_dup_session_user (self);
  if ((user == NULL || !g_str_equal (user->login, login)) &&
      !_bhxh_store_require_role (self, NULL, BHXH_ROLE_ADMIN, error))
    return FALSE;
  if ((hash = bhxh_auth_hash_password (password, error)) == NULL)
    return FALSE;

  actor = _bhxh_store_dup_actor (self, login);
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!store_hash (self, login, hash, error) ||
      !_bhxh_store_audit_append (self, actor, "user.password", login, NULL, error))
    {
      _bhxh_store_rollback (self);
      return FALSE;
    }

  return _bhxh_store_commit (self, error);
}

gboolean
bhxh_store_unlock_user (BhxhStore   *self,
                        const char  *login,
                        GError     **error)
{
  g_autofree char *actor = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (!_bhxh_store_require_role (self, NULL, BHXH_ROLE_ADMIN, error))
    return FALSE;
  actor = _bhxh_store_dup_actor (self, "admin");
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  stmt = _bhxh_store_prepare (self,
    "UPDATE users SET failed_count = 0, locked_until_unix = NULL WHERE login = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  if (!_bhxh_store_step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no user “%s”"), login);
      goto fail;
    }
  if (!_bhxh_store_audit_append (self, actor, "user.unlock", login, NULL, error))
    goto fail;

  return _bhxh_store_commit (self, error);

fail:
  _bhxh_store_rollback (self);
  return FALSE;
}

/**
 * bhxh_store_set_user_disabled:
 * @disabled: %TRUE to disable @login, %FALSE to enable it again
 *
 * An admin's: a disabled account signs in no more and is left out of
 * bhxh_store_list_users() (the sign-in list, the clerks to hand work to);
 * its decisions and audit entries keep its name. An admin cannot disable
 * their own account. Audited `user.disable` / `user.enable`.
 */
gboolean
bhxh_store_set_user_disabled (BhxhStore   *self,
                              const char  *login,
                              gboolean     disabled,
                              GError     **error)
{
  g_autoptr(BhxhUser) me = NULL;
  g_autofree char *actor = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (!_bhxh_store_require_role (self, NULL, BHXH_ROLE_ADMIN, error))
    return FALSE;
  me = bhxh_store_dup_session_user (self);
  if (disabled && me != NULL && g_str_equal (me->login, login))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("You cannot disable your own account"));
      return FALSE;
    }
  actor = _bhxh_store_dup_actor (self, "admin");
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  stmt = _bhxh_store_prepare (self, disabled
    ? "UPDATE users SET disabled_at = ?2 WHERE login = ?1"
    : "UPDATE users SET disabled_at = NULL, failed_count = 0, locked_until_unix = NULL "
      "WHERE login = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  if (disabled)
    sqlite3_bind_text (stmt, 2, bhxh_clock_now_iso (), -1, g_free);
  if (!_bhxh_store_step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no user “%s”"), login);
      goto fail;
    }
  if (!_bhxh_store_audit_append (self, actor, disabled ? "user.disable" : "user.enable", login,
                                 NULL, error))
    goto fail;

  return _bhxh_store_commit (self, error);

fail:
  _bhxh_store_rollback (self);
  return FALSE;
}

/**
 * bhxh_store_init_accounts:
 *
 * The first run: creates (or promotes) the admin with a password, switches
 * the database to "accounts required" mode and signs the admin in on @self.
 * Refused once the database is in that mode.
 */
gboolean
bhxh_store_init_accounts (BhxhStore   *self,
                          const char  *admin_login,
                          const char  *display_name,
                          const char  *password,
                          GError     **error)
{
  g_autofree char *hash = NULL;
  BhxhUser admin = { (char *) admin_login, (char *) display_name, (char *) "admin" };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (admin_login != NULL && password != NULL, FALSE);

  if (display_name == NULL)
    admin.display_name = (char *) admin_login;
  if (bhxh_store_accounts_required (self))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("Accounts are already set up in this database: an admin adds users"));
      return FALSE;
    }
  if (!check_login (admin_login, error) ||
      (hash = bhxh_auth_hash_password (password, error)) == NULL)
    return FALSE;

  if (!_bhxh_store_begin (self, error))
    return FALSE;
  stmt = _bhxh_store_prepare (self,
    "INSERT INTO users (login, display_name, role, created_at) VALUES (?1, ?2, 'admin', ?3) "
    "ON CONFLICT (login) DO UPDATE SET role = 'admin'", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, admin.login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, admin.display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bhxh_clock_now_iso (), -1, g_free);
  if (!_bhxh_store_step_done (self, stmt, error) ||
      !store_hash (self, admin.login, hash, error) ||
      !bhxh_store_set_meta (self, BHXH_META_ACCOUNTS_REQUIRED, "1", error) ||
      !_bhxh_store_audit_append (self, admin.login, "accounts.init", admin.login, NULL, error))
    goto fail;
  if (!_bhxh_store_commit (self, error))
    return FALSE;
  set_session (self, &admin);

  return TRUE;

fail:
  _bhxh_store_rollback (self);
  return FALSE;
}

/* Sign-in. */

typedef struct
{
  char   *display_name;
  char   *role;
  char     *hash;
  gint64    locked_until;
  gboolean  disabled;
} Row;

static void
row_clear (Row *row)
{
  g_free (row->display_name);
  g_free (row->role);
  g_free (row->hash);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

/* Returns 1 found, 0 not found, -1 error. */
static int
read_user (BhxhStore   *self,
           const char  *login,
           Row         *row,
           GError     **error)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self,
    "SELECT display_name, role, password_hash, coalesce (locked_until_unix, 0), "
    "disabled_at IS NOT NULL FROM users WHERE login = ?1", error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->display_name = _bhxh_column_dup (stmt, 0);
      row->role = _bhxh_column_dup (stmt, 1);
      row->hash = _bhxh_column_dup (stmt, 2);
      row->locked_until = sqlite3_column_int64 (stmt, 3);
      row->disabled = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the users"));
      return -1;
    }

  return rc == SQLITE_ROW ? 1 : 0;
}

/* Counts a failure in one transaction (two counters at once both count);
 * locks the account at the limit. Returns the minutes locked, or 0. */
static guint
count_failure (BhxhStore  *self,
               const char *login,
               gboolean    known)
{
  guint max_failures = bhxh_store_get_setting (self, BHXH_META_MAX_FAILURES);
  guint minutes = bhxh_store_get_setting (self, BHXH_META_LOCKOUT_MINUTES);
  gint64 now = bhxh_clock_now_unix ();
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  guint failures = 0;
  guint locked = 0;

  if (!_bhxh_store_begin (self, NULL))
    return 0;
  stmt = _bhxh_store_prepare (self,
    "UPDATE users SET failed_count = failed_count + 1 WHERE login = ?1", NULL);
  if (known && stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
      _bhxh_store_step_done (self, stmt, NULL);
      stmt = _bhxh_store_prepare (self, "SELECT failed_count FROM users WHERE login = ?1", NULL);
    }
  if (known && stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        failures = (guint) sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (failures >= max_failures)
    {
      stmt = _bhxh_store_prepare (self,
        "UPDATE users SET failed_count = 0, locked_until_unix = ?2 WHERE login = ?1", NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, now + (gint64) minutes * 60);
          if (_bhxh_store_step_done (self, stmt, NULL))
            locked = minutes;
        }
    }
  detail = locked > 0 ? g_strdup_printf ("locked minutes=%u", locked)
                      : g_strdup_printf ("failures=%u", failures);
  /* Never the password; and an unknown login is not written either: it is
   * often a password typed into the wrong field. */
  if (!known)
    login = "(unknown)";
  if (!_bhxh_store_audit_append (self, login, "auth.failure", login, detail, NULL) ||
      !_bhxh_store_commit (self, NULL))
    _bhxh_store_rollback (self);

  return locked;
}

static gboolean
record_success (BhxhStore   *self,
                const char  *login,
                const char  *new_hash,
                GError     **error)
{
  sqlite3_stmt *stmt;

  if (!_bhxh_store_begin (self, error))
    return FALSE;
  stmt = _bhxh_store_prepare (self,
    "UPDATE users SET failed_count = 0, locked_until_unix = NULL, "
    "password_hash = coalesce (?2, password_hash) WHERE login = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 2, new_hash);
  if (!_bhxh_store_step_done (self, stmt, error) ||
      !_bhxh_store_audit_append (self, login, "auth.sign-in", login, NULL, error))
    goto fail;

  return _bhxh_store_commit (self, error);

fail:
  _bhxh_store_rollback (self);
  return FALSE;
}

static gboolean
fail_locked (BhxhStore   *self,
             const char  *login,
             gint64       until,
             GError     **error)
{
  gint64 now = bhxh_clock_now_unix ();
  guint minutes = (guint) ((until - now + 59) / 60);

  bhxh_store_audit (self, login, "auth.refused", login, "locked", NULL);
  g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_LOCKED,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too many failed sign-ins: “%s” is locked for %u more minute",
                            "Too many failed sign-ins: “%s” is locked for %u more minutes",
                            minutes),
               login, minutes);
  return FALSE;
}

static gboolean
fail_wrong (BhxhStore   *self,
            const char  *login,
            gboolean     known,
            GError     **error)
{
  guint locked = count_failure (self, login, known);

  if (locked > 0)
    g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_LOCKED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Wrong password too many times: “%s” is locked for %u minute",
                              "Wrong password too many times: “%s” is locked for %u minutes",
                              locked),
                 login, locked);
  else
    g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FAILED,
                 _("Wrong login or password"));
  return FALSE;
}

/**
 * bhxh_store_authenticate:
 * @user: (out) (optional) (transfer full): the signed-in user
 *
 * Checks @login's password and signs them in on @self. Failures are
 * counted and audited; at `auth_max_failures` in a row the account is
 * locked for `auth_lockout_minutes`. An account without a password signs
 * in without one only outside "accounts required" mode.
 */
gboolean
bhxh_store_authenticate (BhxhStore   *self,
                         const char  *login,
                         const char  *password,
                         BhxhUser   **user,
                         GError     **error)
{
  g_auto(Row) row = { NULL, NULL, NULL, 0, FALSE };
  g_autofree char *new_hash = NULL;
  BhxhUser signed_in;
  int found;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  set_session (self, NULL);
  if ((found = read_user (self, login, &row, error)) < 0)
    return FALSE;
  if (found == 0)
    {
      bhxh_auth_burn_time (password);
      return fail_wrong (self, login, FALSE, error);
    }
  if (row.locked_until > bhxh_clock_now_unix ())
    return fail_locked (self, login, row.locked_until, error);
  if (row.disabled)
    {
      /* Said only after the password is right: a guess learns nothing. */
      if (row.hash != NULL && !bhxh_auth_verify_password (row.hash, password))
        return fail_wrong (self, login, TRUE, error);
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_DISABLED,
                   _("This account has been disabled: ask the administrator"));
      return FALSE;
    }
  if (row.hash == NULL && bhxh_store_accounts_required (self))
    {
      count_failure (self, login, TRUE);
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_NO_PASSWORD,
                   _("“%s” has no password yet: an administrator must set one"), login);
      return FALSE;
    }
  if (row.hash != NULL && !bhxh_auth_verify_password (row.hash, password))
    return fail_wrong (self, login, TRUE, error);
  if (row.hash != NULL && bhxh_auth_needs_rehash (row.hash))
    new_hash = bhxh_auth_hash_password (password, NULL);
  if (!record_success (self, login, new_hash, error))
    return FALSE;

  signed_in = (BhxhUser) { (char *) login, row.display_name, row.role };
  set_session (self, &signed_in);
  if (user != NULL)
    *user = user_copy (&signed_in, NULL);

  return TRUE;
}

/**
 * bhxh_store_change_settings:
 * @keys: (array zero-terminated=1): BHXH_META_* numeric settings
 * @values: one for each key
 *
 * In "accounts required" mode only an admin may change the settings; all
 * of them or none, in one transaction, each audited.
 */
gboolean
bhxh_store_change_settings (BhxhStore          *self,
                            const char * const *keys,
                            const guint        *values,
                            GError            **error)
{
  g_autofree char *actor = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (keys != NULL, FALSE);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const Setting *setting = find_setting (keys[i]);

      if (setting == NULL || values[i] < setting->minimum)
        {
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                       _("“%s” cannot be set to %u"), keys[i], values[i]);
          return FALSE;
        }
    }
  if (!_bhxh_store_require_role (self, NULL, BHXH_ROLE_ADMIN, error))
    return FALSE;

  actor = _bhxh_store_dup_actor (self, "admin");
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", values[i]);
      g_autofree char *detail = g_strdup_printf ("%s=%u", keys[i], values[i]);

      if (!bhxh_store_set_meta (self, keys[i], text, error) ||
          !_bhxh_store_audit_append (self, actor, "settings.change", keys[i], detail, error))
        {
          _bhxh_store_rollback (self);
          return FALSE;
        }
    }

  return _bhxh_store_commit (self, error);
}

/**
 * bhxh_store_change_setting:
 * @key: one of the BHXH_META_* numeric settings
 *
 * bhxh_store_change_settings() for one.
 */
gboolean
bhxh_store_change_setting (BhxhStore   *self,
                           const char  *key,
                           guint        value,
                           GError     **error)
{
  const char *keys[] = { key != NULL ? key : "", NULL };

  return bhxh_store_change_settings (self, keys, &value, error);
}

/* The portal this counter syncs with: set by an admin (enrolment),
 * audited without the token; the token lives only in the store (encrypted
 * by default), never in the trail nor in a file the clerks can read. */
#define META_PORTAL_URL    "portal.url"
#define META_PORTAL_OFFICE "portal.office"
#define META_PORTAL_TOKEN  "portal.token"

gboolean
bhxh_store_set_portal (BhxhStore   *self,
                       const char  *url,
                       const char  *office,
                       const char  *token,
                       GError     **error)
{
  g_autofree char *actor = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  if (url == NULL || *url == '\0' || token == NULL || *token == '\0'
      || strpbrk (token, "\r\n") != NULL)
    {
      g_set_error_literal (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                           _("The portal needs an address and a workstation token"));
      return FALSE;
    }
  if (!_bhxh_store_require_role (self, NULL, BHXH_ROLE_ADMIN, error))
    return FALSE;

  actor = _bhxh_store_dup_actor (self, "admin");
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!bhxh_store_set_meta (self, META_PORTAL_URL, url, error) ||
      !bhxh_store_set_meta (self, META_PORTAL_OFFICE, office != NULL ? office : "", error) ||
      !bhxh_store_set_meta (self, META_PORTAL_TOKEN, token, error) ||
      !_bhxh_store_audit_append (self, actor, "settings.portal", url, office, error))
    {
      _bhxh_store_rollback (self);
      return FALSE;
    }
  return _bhxh_store_commit (self, error);
}

gboolean
bhxh_store_dup_portal (BhxhStore  *self,
                       char      **url,
                       char      **office,
                       char      **token)
{
  g_autofree char *u = bhxh_store_dup_meta (self, META_PORTAL_URL);
  g_autofree char *o = bhxh_store_dup_meta (self, META_PORTAL_OFFICE);
  g_autofree char *t = bhxh_store_dup_meta (self, META_PORTAL_TOKEN);

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  if (u == NULL || *u == '\0' || t == NULL || *t == '\0')
    return FALSE;
  if (url)
    *url = g_steal_pointer (&u);
  if (office)
    *office = o != NULL && *o != '\0' ? g_steal_pointer (&o) : NULL;
  if (token)
    *token = g_steal_pointer (&t);
  return TRUE;
}

/* The portal's public signing key (inbound bundles), pinned by an admin
 * at enrolment; audited "settings.portal-key" with the key's id. */
#define META_PORTAL_SIGNING_KEY "portal.signing_key"

gboolean
bhxh_store_set_portal_key (BhxhStore   *self,
                           const char  *key,
                           const char  *key_id,
                           GError     **error)
{
  g_autofree char *actor = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && key_id != NULL, FALSE);

  if (!_bhxh_store_require_role (self, NULL, BHXH_ROLE_ADMIN, error))
    return FALSE;
  actor = _bhxh_store_dup_actor (self, "admin");
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!bhxh_store_set_meta (self, META_PORTAL_SIGNING_KEY, key, error) ||
      !_bhxh_store_audit_append (self, actor, "settings.portal-key", key_id, NULL, error))
    {
      _bhxh_store_rollback (self);
      return FALSE;
    }
  return _bhxh_store_commit (self, error);
}

char *
bhxh_store_dup_portal_key (BhxhStore *self)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  key = bhxh_store_dup_meta (self, META_PORTAL_SIGNING_KEY);
  return key != NULL && *key != '\0' ? g_steal_pointer (&key) : NULL;
}
