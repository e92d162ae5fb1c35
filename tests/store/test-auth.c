/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "raw-sql.h"
#include <string.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-document.h"
#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"
#include "store-documents.h"
#include "sync/bhxh-sync-log.h"
#include "store-fixtures.h"

/* Accounts, roles, sign-in and lockout, the audit trail (views, listing,
 * tamper detection) and retention, on real sqlite files. Password hashing
 * runs at libsodium's minimum limits (BHXH_DESK_TEST_FAST_HASH=1) except
 * in test_hash_interactive. */

#define ADMIN_PASSWORD "quản-trị-2026"
#define LAN_PASSWORD "lan-mật-khẩu-1"
#define QUANG_PASSWORD "quang-mật-khẩu-2"

typedef struct
{
  char      *dir;
  char      *path;
  BhxhStore *store;
  BhxhDate   today;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  guint imported = 0;

  f->dir = fixture_tmpdir ();
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  g_assert_true (bhxh_date_parse (FIXTURE_TODAY, &f->today, NULL));
  /* The clock reads that day, 09:00 in Vietnam, and ticks on from there. */
  g_assert_true (bhxh_clock_pin_text (FIXTURE_TODAY, NULL));
  f->store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  csv = fixture_write (f->dir, "mirror.csv", FIXTURE_MIRROR_CSV);
  json = fixture_write (f->dir, "declarations.json", FIXTURE_DECLARATIONS_JSON);
  g_assert_true (bhxh_store_import_mirror (f->store, csv, BHXH_MIRROR_FORMAT_AUTO, "2026-11",
                                           NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_declarations (f->store, json, &imported, &error));
  g_assert_no_error (error);
  /* Demo-style users, made before accounts are required: no passwords. */
  g_assert_true (bhxh_store_add_user (f->store, "lan", "Nguyễn Thị Lan", "clerk", &error));
  g_assert_true (bhxh_store_add_user (f->store, "quang", "Phạm Quang", "supervisor", &error));
  g_assert_no_error (error);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->store);
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* The admin sets up accounts and gives lan and quang passwords, then
 * signs out. */
static void
require_accounts (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bhxh_store_init_accounts (f->store, "root", "Quản trị", ADMIN_PASSWORD,
                                           &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_set_password (f->store, "lan", LAN_PASSWORD, &error));
  g_assert_true (bhxh_store_set_password (f->store, "quang", QUANG_PASSWORD, &error));
  g_assert_no_error (error);
  bhxh_store_sign_out (f->store);
}

static BhxhDecision *
decide (Fixture     *f,
        const char  *id,
        BhxhOutcome  outcome,
        const char  *clerk,
        gboolean     override,
        GError     **error)
{
  g_autoptr(BhxhDocument) document = NULL;
  BhxhDecisionRequest request = { 0 };

  request.declaration_id = id;
  request.outcome = outcome;
  request.clerk = clerk;
  request.override = override;
  request.note = override ? "Đã kiểm tra hồ sơ giấy"
               : outcome == BHXH_OUTCOME_ESCALATE ? "Nhờ giám sát viên xem" : NULL;
  /* A clerk's approval follows a scan of the person's card. */
  if (outcome == BHXH_OUTCOME_APPROVE && !override)
    request.document = document = fixture_document_for (f->store, id);

  return bhxh_store_decide (f->store, &request, error);
}

static int
count_decisions (Fixture *f)
{
  return sql_int (f->path, "SELECT count(*) FROM decisions");
}

/* Hashing. */

static void
test_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = bhxh_auth_hash_password ("mật khẩu dài", &error);
  g_autofree char *again = bhxh_auth_hash_password ("mật khẩu dài", &error);
  g_autofree char *long_password = g_strnfill (BHXH_AUTH_MAX_PASSWORD_BYTES + 1, 'x');

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_cmpstr (hash, !=, again);   /* salted */
  g_assert_null (strstr (hash, "mật"));
  g_assert_true (bhxh_auth_verify_password (hash, "mật khẩu dài"));
  g_assert_false (bhxh_auth_verify_password (hash, "mật khẩu dàI"));
  g_assert_false (bhxh_auth_verify_password (hash, ""));
  g_assert_false (bhxh_auth_verify_password (NULL, "x"));

  g_assert_null (bhxh_auth_hash_password ("short7!", &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_WEAK_PASSWORD);
  g_clear_error (&error);
  g_assert_null (bhxh_auth_hash_password ("\xff\xfe" "abcdefgh", &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_WEAK_PASSWORD);
  g_clear_error (&error);
  g_assert_null (bhxh_auth_hash_password (long_password, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_WEAK_PASSWORD);
  /* Eight characters, not eight bytes: "mật khẩu" is 8 characters. */
  g_assert_true (bhxh_auth_check_password ("mật khẩu", NULL));
}

/* The real limits: argon2id over 64 MiB; a fast-hash hash needs a rehash. */
static void
test_hash_interactive (void)
{
  /* A hash at libsodium's minimum limits, as an old test build made them. */
  const char *fast = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA";
  g_autofree char *slow = NULL;
  gint64 start;

  g_unsetenv ("BHXH_DESK_TEST_FAST_HASH");
  g_assert_true (bhxh_auth_needs_rehash (fast));
  start = g_get_monotonic_time ();
  slow = bhxh_auth_hash_password ("slow-password", NULL);
  g_test_message ("interactive argon2id hash: %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_nonnull (strstr (slow, "m=65536"));
  g_assert_false (bhxh_auth_needs_rehash (slow));
  g_assert_true (bhxh_auth_verify_password (slow, "slow-password"));
  g_setenv ("BHXH_DESK_TEST_FAST_HASH", "1", TRUE);
  /* Whatever the limits in force, a stronger hash is never weakened. */
  g_assert_false (bhxh_auth_needs_rehash (slow));
  g_assert_true (bhxh_auth_needs_rehash ("$argon2i$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"));
  g_assert_true (bhxh_auth_needs_rehash ("not a hash"));
}

/* The fast-hash variable is a test hook: a release build ignores it. */
static void
test_hash_hook (void)
{
  g_autofree char *hash = NULL;

  g_setenv ("BHXH_DESK_TEST_FAST_HASH", "1", TRUE);
  hash = bhxh_auth_hash_password ("hook-password", NULL);
  if (BHXH_TEST_HOOKS)
    g_assert_nonnull (strstr (hash, "m=8,"));
  else
    g_assert_nonnull (strstr (hash, "m=65536,"));
}

/* Outside "accounts required" mode: everything as before. */

static void
test_legacy_mode (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) d = NULL;
  g_autoptr(BhxhUser) user = NULL;

  g_assert_false (bhxh_store_accounts_required (f->store));
  d = decide (f, "TK01-00106-000001", BHXH_OUTCOME_ESCALATE, "lan", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (d);
  /* A user without a password signs in with anything. */
  g_assert_true (bhxh_store_authenticate (f->store, "lan", "", &user, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (user->role, ==, "clerk");
  /* One with a password needs it, even here. */
  g_assert_true (bhxh_store_set_password (f->store, "quang", QUANG_PASSWORD, &error));
  g_assert_false (bhxh_store_authenticate (f->store, "quang", "nope", NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FAILED);
  g_assert_null (bhxh_store_dup_session_user (f->store));
}

/* Accounts required: decide needs the signed-in clerk. */

static void
test_decide_needs_sign_in (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) d = NULL;
  g_autoptr(BhxhDeclaration) decl = NULL;
  g_autoptr(BhxhUser) user = NULL;
  int before;

  require_accounts (f);
  g_assert_true (bhxh_store_accounts_required (f->store));
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM users WHERE password_hash LIKE "
                                     "'$argon2id$%'"), ==, 3);
  before = count_decisions (f);

  d = decide (f, "TK01-00106-000001", BHXH_OUTCOME_ESCALATE, "lan", FALSE, &error);
  g_assert_null (d);
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_cmpint (count_decisions (f), ==, before);
  decl = bhxh_store_get_declaration (f->store, "TK01-00106-000001", &error);
  g_assert_cmpint (decl->status, ==, BHXH_STATUS_PENDING);

  g_assert_true (bhxh_store_authenticate (f->store, "lan", LAN_PASSWORD, &user, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (user->login, ==, "lan");
  g_assert_cmpstr (user->display_name, ==, "Nguyễn Thị Lan");
  /* Signed in as lan, cannot decide as quang. */
  d = decide (f, "TK01-00106-000001", BHXH_OUTCOME_ESCALATE, "quang", FALSE, &error);
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  d = decide (f, "TK01-00106-000001", BHXH_OUTCOME_ESCALATE, "lan", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (d);
  g_assert_cmpint (count_decisions (f), ==, before + 1);

  bhxh_store_sign_out (f->store);
  g_assert_null (bhxh_store_dup_session_user (f->store));
  g_clear_pointer (&d, bhxh_decision_free);
  d = decide (f, "TK01-07901-000002", BHXH_OUTCOME_ESCALATE, "lan", FALSE, &error);
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
}

/* Only a supervisor (or an admin) approves over a blocking reason. */
static void
test_override_needs_supervisor (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) d = NULL;

  require_accounts (f);
  g_assert_true (bhxh_store_authenticate (f->store, "lan", LAN_PASSWORD, NULL, &error));
  /* Vũ Quốc Trung is in no mirror: blocked. */
  d = decide (f, "TK01-00101-000005", BHXH_OUTCOME_APPROVE, "lan", TRUE, &error);
  g_assert_null (d);
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  d = decide (f, "TK01-00101-000005", BHXH_OUTCOME_ESCALATE, "lan", FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&d, bhxh_decision_free);

  g_assert_true (bhxh_store_authenticate (f->store, "quang", QUANG_PASSWORD, NULL, &error));
  d = decide (f, "TK01-00101-000005", BHXH_OUTCOME_APPROVE, "quang", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (d->override);
  g_assert_cmpstr (d->countersigned_by, ==, "quang");
}

/* An admin disables a clerk who left: no sign-in (said only to the right
 * password), off the user list, still named on the status list; enabled
 * again, they sign in. Not the admin's own account; a clerk cannot. */
static void
test_disable (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) status = NULL;

  require_accounts (f);
  g_assert_true (bhxh_store_authenticate (f->store, "lan", LAN_PASSWORD, NULL, &error));
  g_assert_false (bhxh_store_set_user_disabled (f->store, "quang", TRUE, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_assert_true (bhxh_store_authenticate (f->store, "root", ADMIN_PASSWORD, NULL, &error));
  g_assert_false (bhxh_store_set_user_disabled (f->store, "root", TRUE, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (bhxh_store_set_user_disabled (f->store, "nobody", TRUE, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (bhxh_store_set_user_disabled (f->store, "lan", TRUE, &error));
  g_assert_no_error (error);

  users = bhxh_store_list_users (f->store, &error);
  for (guint i = 0; i < users->len; i++)
    g_assert_cmpstr (((BhxhUser *) users->pdata[i])->login, !=, "lan");
  status = bhxh_store_list_user_status (f->store, &error);
  g_assert_cmpstr (((BhxhUserStatus *) status->pdata[0])->login, ==, "lan");
  g_assert_true (((BhxhUserStatus *) status->pdata[0])->disabled);

  g_assert_false (bhxh_store_authenticate (f->store, "lan", "wrong-password-1", NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (bhxh_store_authenticate (f->store, "lan", LAN_PASSWORD, NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_DISABLED);
  g_clear_error (&error);
  g_assert_null (bhxh_store_dup_session_user (f->store));

  g_assert_true (bhxh_store_authenticate (f->store, "root", ADMIN_PASSWORD, NULL, &error));
  g_assert_true (bhxh_store_set_user_disabled (f->store, "lan", FALSE, &error));
  g_assert_true (bhxh_store_authenticate (f->store, "lan", LAN_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM audit WHERE action IN "
                                     "('user.disable', 'user.enable') AND object = 'lan'"), ==, 2);
}

/* Failures count, lock the account, are audited without the password. */
static void
test_lockout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) status = NULL;
  g_autofree char *audit = NULL;

  require_accounts (f);
  g_assert_true (bhxh_store_authenticate (f->store, "root", ADMIN_PASSWORD, NULL, &error));
  g_assert_true (bhxh_store_change_setting (f->store, BHXH_META_MAX_FAILURES, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bhxh_store_get_setting (f->store, BHXH_META_MAX_FAILURES), ==, 3);
  g_assert_cmpuint (bhxh_store_get_setting (f->store, BHXH_META_LOCKOUT_MINUTES), ==, 15);

  for (guint i = 0; i < 2; i++)
    {
      g_assert_false (bhxh_store_authenticate (f->store, "lan", "wrong-password-1", NULL,
                                               &error));
      g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FAILED);
      g_clear_error (&error);
    }
  /* A failed attempt signs the previous user out. */
  g_assert_null (bhxh_store_dup_session_user (f->store));
  g_assert_false (bhxh_store_authenticate (f->store, "lan", "wrong-password-1", NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_LOCKED);
  g_clear_error (&error);
  /* Locked: even the right password is refused. */
  g_assert_false (bhxh_store_authenticate (f->store, "lan", LAN_PASSWORD, NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "15"));
  g_clear_error (&error);

  status = bhxh_store_list_user_status (f->store, &error);
  g_assert_cmpstr (((BhxhUserStatus *) status->pdata[0])->login, ==, "lan");
  g_assert_nonnull (((BhxhUserStatus *) status->pdata[0])->locked_until);

  /* An unknown login fails like a wrong password. */
  g_assert_false (bhxh_store_authenticate (f->store, "secret-typed-as-login", "whatever-1", NULL,
                                           &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM audit WHERE action = 'auth.failure' "
                                     "AND actor = '(unknown)'"), ==, 1);

  /* Only an admin unlocks. */
  g_assert_true (bhxh_store_authenticate (f->store, "quang", QUANG_PASSWORD, NULL, &error));
  g_assert_false (bhxh_store_unlock_user (f->store, "lan", &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (bhxh_store_authenticate (f->store, "root", ADMIN_PASSWORD, NULL, &error));
  g_assert_true (bhxh_store_unlock_user (f->store, "lan", &error));
  g_assert_true (bhxh_store_authenticate (f->store, "lan", LAN_PASSWORD, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM audit WHERE action = 'auth.failure' "
                                     "AND actor = 'lan'"), ==, 3);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM audit WHERE action = 'auth.refused'"),
                   ==, 1);
  audit = sql_text (f->path, "SELECT group_concat (actor || action || coalesce (detail, ''))"
                             " FROM audit");
  g_assert_null (strstr (audit, "wrong-password"));
  g_assert_null (strstr (audit, "mật-khẩu"));
  g_assert_null (strstr (audit, "secret-typed-as-login"));
  g_assert_true (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_no_error (error);
}

/* Managing users needs an admin; a passwordless user cannot sign in. */
static void
test_user_management (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  require_accounts (f);
  g_assert_false (bhxh_store_add_user (f->store, "mai", "Mai", "clerk", &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_true (bhxh_store_authenticate (f->store, "quang", QUANG_PASSWORD, NULL, &error));
  g_assert_false (bhxh_store_add_user (f->store, "mai", "Mai", "clerk", &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (bhxh_store_set_password (f->store, "lan", "taken-over-1", &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  /* Their own password, yes. */
  g_assert_true (bhxh_store_set_password (f->store, "quang", "new-quang-pass", &error));
  g_assert_no_error (error);

  g_assert_true (bhxh_store_authenticate (f->store, "root", ADMIN_PASSWORD, NULL, &error));
  g_assert_true (bhxh_store_add_user (f->store, "mai", "Mai", "clerk", &error));
  g_assert_no_error (error);
  g_assert_false (bhxh_store_add_user (f->store, "bad login", "X", "clerk", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_false (bhxh_store_authenticate (f->store, "mai", "", NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_NO_PASSWORD);
  g_clear_error (&error);
  g_assert_false (bhxh_store_init_accounts (f->store, "root2", NULL, ADMIN_PASSWORD, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM audit WHERE action = 'user.add'"),
                   ==, 3);
}

/* Views are audited; the list filters by day; tampering is found. */
static void
test_audit_views (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *today_iso = NULL;
  g_autofree char *update = NULL;
  BhxhDate today = bhxh_clock_today ();
  BhxhDate long_ago = { 2001, 1, 1 };
  guint64 n = 0;
  gint64 first_bad = -1;
  gint64 viewed_seq;

  g_assert_true (bhxh_store_note_viewed (f->store, "lan", "TK01-00106-000001", &error));
  g_assert_true (bhxh_store_note_viewed (f->store, "lan", "TK01-07901-000002", &error));
  g_assert_no_error (error);

  all = bhxh_store_list_audit (f->store, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >=, 2);
  g_assert_cmpstr (((BhxhAuditEntry *) all->pdata[all->len - 1])->action, ==,
                   "declaration.view");
  g_assert_cmpstr (((BhxhAuditEntry *) all->pdata[all->len - 1])->object, ==,
                   "TK01-07901-000002");
  today_iso = bhxh_date_to_iso (&today);
  g_assert_true (g_str_has_prefix (((BhxhAuditEntry *) all->pdata[0])->at, today_iso));
  none = bhxh_store_list_audit (f->store, &long_ago, &error);
  g_assert_cmpuint (none->len, ==, 0);

  g_assert_true (bhxh_store_audit_check (f->store, &n, &first_bad, &error));
  g_assert_cmpint (first_bad, ==, 0);
  g_assert_cmpuint (n, ==, all->len);

  /* Accounts required: a view must be by the signed-in user; listing the
   * trail needs a supervisor. */
  require_accounts (f);
  g_assert_false (bhxh_store_note_viewed (f->store, "lan", "TK01-00106-000001", &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_true (bhxh_store_authenticate (f->store, "lan", LAN_PASSWORD, NULL, &error));
  g_assert_true (bhxh_store_note_viewed (f->store, "lan", "TK01-00106-000001", &error));
  g_assert_null (bhxh_store_list_audit (f->store, NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Someone edits who viewed what. */
  viewed_seq = sql_int (f->path, "SELECT min (seq) FROM audit WHERE action = 'declaration.view'");
  update = g_strdup_printf ("UPDATE audit SET object = 'TK01-00105-000006' WHERE seq = %"
                            G_GINT64_FORMAT, viewed_seq);
  g_free (sql_text (f->path, update));
  g_assert_true (bhxh_store_audit_check (f->store, &n, &first_bad, &error));
  g_assert_cmpint (first_bad, ==, viewed_seq);
  g_assert_false (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT);
}

/* Retention blanks old payloads only, is audited, and early purges need
 * an admin. */
static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) document = NULL;
  g_autoptr(BhxhDecision) d1 = NULL;
  g_autoptr(BhxhDecision) d2 = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *then_text = NULL;
  g_autofree char *update = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) then_tokyo = NULL;
  g_autoptr(GTimeZone) tokyo = NULL;
  BhxhDecisionRequest request = { 0 };
  guint purged = 99;

  document = bhxh_document_parse_scan (FIXTURE_CCCD_AN, strlen (FIXTURE_CCCD_AN), &error);
  g_assert_no_error (error);
  request.declaration_id = "TK01-00106-000001";
  request.outcome = BHXH_OUTCOME_ESCALATE;
  request.clerk = "lan";
  request.document = document;
  request.note = "Ảnh trên thẻ mờ";
  d1 = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  request.declaration_id = "TK01-07901-000002";
  d2 = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  /* The first scan was 40 days ago by the desk's clock, in another time zone. */
  now = bhxh_clock_now ();
  then = g_date_time_add_days (now, -40);
  tokyo = g_time_zone_new_offset (9 * 60 * 60);
  then_tokyo = g_date_time_to_timezone (then, tokyo);
  then_text = g_date_time_format (then_tokyo, "%Y-%m-%dT%H:%M:%S%:z");
  update = g_strdup_printf ("UPDATE documents SET scanned_at = '%s' WHERE declaration_id = "
                            "'TK01-00106-000001'", then_text);
  g_free (sql_text (f->path, update));
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM documents WHERE payload LIKE "
                                     "'%001090012345%'"), ==, 2);

  /* Portrait photos: one of an open declaration, kept; one of a declaration
   * rejected 40 days ago, deleted. */
  g_free (update);
  update = g_strdup_printf ("UPDATE declarations SET status = 'rejected', updated_at = '%s' "
                            "WHERE id = 'TK01-00102-000004'", then_text);
  g_free (sql_text (f->path, update));
  g_free (sql_text (f->path, "INSERT INTO declaration_portraits VALUES "
                             "('TK01-00106-000001', printf ('%064d', 1), 3, X'FFD8FF'), "
                             "('TK01-00102-000004', printf ('%064d', 2), 3, X'FFD8FF')"));

  g_assert_true (bhxh_store_purge_documents (f->store, 0, &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 1);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM declaration_portraits WHERE "
                                     "declaration_id = 'TK01-00106-000001'"), ==, 1);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM declaration_portraits"), ==, 1);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM documents WHERE payload IS NULL "
                                     "AND purged_at IS NOT NULL AND declaration_id = "
                                     "'TK01-00106-000001'"), ==, 1);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM documents WHERE payload IS NOT NULL"),
                   ==, 1);
  detail = sql_text (f->path, "SELECT detail FROM audit WHERE action = 'retention.purge'");
  g_assert_cmpstr (detail, ==, "days=30 documents=1 portraits=1");
  /* Again: nothing left to purge. */
  g_assert_true (bhxh_store_purge_documents (f->store, 30, &purged, &error));
  g_assert_cmpuint (purged, ==, 0);

  require_accounts (f);
  g_assert_false (bhxh_store_purge_documents (f->store, 1, &purged, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_true (bhxh_store_purge_documents (f->store, 45, &purged, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_authenticate (f->store, "root", ADMIN_PASSWORD, NULL, &error));
  g_assert_true (bhxh_store_change_setting (f->store, BHXH_META_RETENTION_DAYS, 7, &error));
  g_assert_false (bhxh_store_change_setting (f->store, BHXH_META_RETENTION_DAYS, 0, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_assert_cmpuint (bhxh_store_get_setting (f->store, BHXH_META_RETENTION_DAYS), ==, 7);
}

/* A version-1 database (users without passwords, no admin role) is
 * upgraded in place: users and documents kept, nothing required. */
static void
test_migrate_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "..", "data", "migrations",
                                                     "0001-initial.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(BhxhUser) user = NULL;
  sqlite3 *db = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, &error));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "PRAGMA user_version = 1;"
    "INSERT INTO users VALUES ('lan', 'Nguyễn Thị Lan', 'clerk', '2026-01-01T08:00:00+07:00');"
    "INSERT INTO users VALUES ('quang', 'Phạm Quang', 'supervisor', "
    "'2026-01-01T08:00:00+07:00');", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = bhxh_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), >=, 2);
  g_assert_false (bhxh_store_accounts_required (store));
  users = bhxh_store_list_users (store, &error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((BhxhUser *) users->pdata[1])->role, ==, "supervisor");
  g_assert_true (bhxh_store_authenticate (store, "lan", NULL, &user, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_add_user (store, "root", "Quản trị", "admin", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM pragma_table_info ('documents') "
                                  "WHERE name = 'purged_at'"), ==, 1);

  g_clear_object (&store);
  fixture_rmdir (dir);
}

/* No ID number reaches the sync log, whatever message carried it. */
static void
test_sync_log_masked (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *log_path = bhxh_sync_log_path (f->path);
  g_autofree char *text = NULL;

  bhxh_sync_log_append (f->path, BHXH_SYNC_LOG_WARNING, "refused",
                        "Decision TK01-00106-000001 refused: ID %s, mã số %s, year %d",
                        "001090012345", "0112345678", 2026);
  g_assert_true (g_file_get_contents (log_path, &text, NULL, NULL));
  g_assert_null (strstr (text, "001090012345"));
  g_assert_null (strstr (text, "0112345678"));
  g_assert_nonnull (strstr (text, "001******345"));
  g_assert_nonnull (strstr (text, "011****678"));
  g_assert_nonnull (strstr (text, "TK01-00106-000001"));
  g_assert_nonnull (strstr (text, "2026"));
  g_clear_pointer (&text, g_free);

  /* Names, places, spaced numbers, e-mail addresses and an address's
   * secrets, in any message; the log's own words stay. */
  bhxh_sync_log_append (f->path, BHXH_SYNC_LOG_WARNING, "refused",
                        "Decision %s refused by the portal: %s", "TK01-00106-000002",
                        "Bà Nguyễn Thị Lan (CCCD 001 190 012 345, ĐT 0912.345.678, "
                        "lan.nguyen@example.vn), Số 12 ngõ 34 Thái Hà, Đống Đa, Hà Nội.");
  bhxh_sync_log_append (f->path, BHXH_SYNC_LOG_INFO, "start", "Synchronisation with %s started.",
                        "https://desk:s3cret@portal.example.vn/base?access_token=abc123#x");
  g_assert_true (g_file_get_contents (log_path, &text, NULL, NULL));
  for (guint i = 0; i < 10; i++)
    {
      static const char * const secrets[] = {
        "Nguyễn", "Thị Lan", "Thái Hà", "Đống Đa", "Hà Nội", "190 012", "345.678",
        "lan.nguyen", "s3cret", "abc123",
      };

      g_assert_null (strstr (text, secrets[i]));
    }
  g_assert_nonnull (strstr (text, "N***** T** L**"));
  g_assert_nonnull (strstr (text, "001 *** *** 345"));
  g_assert_nonnull (strstr (text, "l*********@example.vn"));
  g_assert_nonnull (strstr (text, "refused by the portal"));
  g_assert_nonnull (strstr (text, "Synchronisation with https://portal.example.vn/base started."));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("BHXH_DESK_TEST_FAST_HASH", "1", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/hash", test_hash);
  g_test_add_func ("/auth/hash-interactive", test_hash_interactive);
  g_test_add_func ("/auth/hash-hook", test_hash_hook);
  g_test_add_func ("/auth/migrate-v1", test_migrate_v1);
#define ADD(path, func) g_test_add ("/auth/" path, Fixture, NULL, setup, func, teardown)
  ADD ("legacy-mode", test_legacy_mode);
  ADD ("decide-needs-sign-in", test_decide_needs_sign_in);
  ADD ("override-needs-supervisor", test_override_needs_supervisor);
  ADD ("lockout", test_lockout);
  ADD ("disable", test_disable);
  ADD ("user-management", test_user_management);
  ADD ("audit-views", test_audit_views);
  ADD ("purge", test_purge);
  ADD ("sync-log-masked", test_sync_log_masked);
#undef ADD

  return g_test_run ();
}
