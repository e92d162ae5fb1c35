/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-date.h"
#include "core/bhxh-decision.h"
#include "core/bhxh-declaration.h"
#include "core/bhxh-document.h"
#include "core/bhxh-verdict.h"

G_BEGIN_DECLS

#define BHXH_STORE_ERROR (bhxh_store_error_quark ())

/**
 * BhxhStoreError:
 * @BHXH_STORE_ERROR_IO: the database could not be read or written
 * @BHXH_STORE_ERROR_CORRUPT: the database file is damaged or not ours
 * @BHXH_STORE_ERROR_TOO_NEW: made by a newer version of the program
 * @BHXH_STORE_ERROR_NOT_FOUND: no such declaration, decision or user
 * @BHXH_STORE_ERROR_BAD_INPUT: an import file or a request is malformed
 * @BHXH_STORE_ERROR_ALREADY_DECIDED: the declaration is no longer open
 * @BHXH_STORE_ERROR_NOT_ALLOWED: the rules forbid it (e.g. override without a note)
 * @BHXH_STORE_ERROR_CANCELLED: the operation was cancelled
 * @BHXH_STORE_ERROR_READ_ONLY: the database cannot be written
 * @BHXH_STORE_ERROR_FULL: the disk is full
 * @BHXH_STORE_ERROR_KEY: (added by trust-crypt) the database is encrypted and
 *   the key is missing or wrong, or a key is given for a database in clear
 * @BHXH_STORE_ERROR_SAFETY_STOP: approvals are stopped until the counter
 *   synchronises (a stale mirror, decisions offline for too long)
 */
typedef enum
{
  BHXH_STORE_ERROR_IO,
  BHXH_STORE_ERROR_CORRUPT,
  BHXH_STORE_ERROR_TOO_NEW,
  BHXH_STORE_ERROR_NOT_FOUND,
  BHXH_STORE_ERROR_BAD_INPUT,
  BHXH_STORE_ERROR_ALREADY_DECIDED,
  BHXH_STORE_ERROR_NOT_ALLOWED,
  BHXH_STORE_ERROR_CANCELLED,
  BHXH_STORE_ERROR_READ_ONLY,
  BHXH_STORE_ERROR_FULL,
  BHXH_STORE_ERROR_KEY,
  BHXH_STORE_ERROR_SAFETY_STOP,
} BhxhStoreError;

GQuark bhxh_store_error_quark (void);

typedef enum
{
  BHXH_MIRROR_FORMAT_AUTO,
  BHXH_MIRROR_FORMAT_CSV,
  BHXH_MIRROR_FORMAT_JSONL,
  BHXH_MIRROR_FORMAT_SNAPSHOT,   /* a signed registry snapshot (docs/formats.md) */
} BhxhMirrorFormat;

typedef struct
{
  char *code;
  char *parent_code;   /* NULL for a root */
  char *name;
} BhxhOffice;

/* A local user; role is "clerk", "supervisor" or "admin". */
typedef struct
{
  char *login;
  char *display_name;
  char *role;
} BhxhUser;

typedef enum
{
  BHXH_QUEUE_SORT_SUBMITTED,   /* oldest submission first */
  BHXH_QUEUE_SORT_NAME,        /* a Vietnamese list: by given name, then family and middle */
} BhxhQueueSort;

typedef struct
{
  int            status;       /* -1 any, else a BhxhDeclarationStatus */
  int            kind;         /* -1 any, else a BhxhDeclarationKind */
  const char    *office_code;  /* NULL any; else this office and its subtree */
  const char    *search;       /* NULL; else the start of words of the name (with or
                                * without marks), mã số BHXH (either form) or ID number */
  guint          limit;        /* 0: no limit */
  BhxhQueueSort  sort;
} BhxhQueueFilter;

#define BHXH_QUEUE_FILTER_INIT { -1, -1, NULL, NULL, 0, BHXH_QUEUE_SORT_SUBMITTED }

gboolean bhxh_queue_sort_parse (const char    *text,
                                BhxhQueueSort *out);

typedef void (*BhxhProgressFunc) (guint64  done_bytes,
                                  guint64  total_bytes,
                                  guint64  rows,
                                  gpointer user_data);

#define BHXH_TYPE_STORE (bhxh_store_get_type ())
G_DECLARE_FINAL_TYPE (BhxhStore, bhxh_store, BHXH, STORE, GObject)

BhxhStore       *bhxh_store_open                   (const char           *path,
                                                    GError              **error);
const char      *bhxh_store_get_path               (BhxhStore            *self);
gboolean         bhxh_store_check_output           (BhxhStore            *self,
                                                    const char           *path,
                                                    GError              **error);

/* Registry mirror: a sibling file "<path>-mirror", replaced atomically. */
gboolean         bhxh_store_import_mirror          (BhxhStore            *self,
                                                    const char           *file,
                                                    BhxhMirrorFormat      format,
                                                    const char           *version,
                                                    BhxhProgressFunc      progress,
                                                    gpointer              user_data,
                                                    GCancellable         *cancellable,
                                                    guint64              *n_rows,
                                                    GError              **error);
gboolean         bhxh_store_import_mirror_snapshot (BhxhStore            *self,
                                                    const char           *file,
                                                    const char           *signature,
                                                    GCancellable         *cancellable,
                                                    guint64              *n_rows,
                                                    GError              **error);
gboolean         bhxh_store_import_mirror_snapshot_version (BhxhStore        *self,
                                                            const char       *file,
                                                            const char       *signature,
                                                            const char       *version,
                                                            BhxhProgressFunc  progress,
                                                            gpointer          user_data,
                                                            GCancellable     *cancellable,
                                                            guint64          *n_rows,
                                                            GError          **error);
/* A mirror delta (docs/portal-api.yaml) applied in place, with its version. */
gboolean         bhxh_store_apply_mirror_delta     (BhxhStore            *self,
                                                    const char           *from,
                                                    const char           *to,
                                                    JsonArray            *changes,
                                                    guint64              *n_rows,
                                                    GError              **error);
/* Whether the open file @fd starts as a registry snapshot does. */
gboolean         bhxh_mirror_is_snapshot           (int                   fd);
/* What the portal does to publish a registry snapshot: FILE.sig. */
gboolean         bhxh_mirror_snapshot_sign         (const char           *file,
                                                    GBytes               *secret_key,
                                                    GError              **error);
char            *bhxh_store_dup_mirror_version     (BhxhStore            *self);
GDateTime       *bhxh_store_dup_mirror_imported_at (BhxhStore            *self);
guint64          bhxh_store_count_persons          (BhxhStore            *self);
BhxhPerson      *bhxh_store_find_person            (BhxhStore            *self,
                                                    const char           *bhxh_code,
                                                    GError              **error);
GPtrArray       *bhxh_store_find_persons_by_id     (BhxhStore            *self,
                                                    const char           *id_number,
                                                    GError              **error);
GPtrArray       *bhxh_store_search_persons         (BhxhStore            *self,
                                                    const char           *query,
                                                    guint                 limit,
                                                    GError              **error);

/* Offices and reference data. */
gboolean         bhxh_store_replace_offices        (BhxhStore            *self,
                                                    GPtrArray            *offices,
                                                    GError              **error);
GPtrArray       *bhxh_store_list_offices           (BhxhStore            *self,
                                                    GError              **error);
BhxhOffice      *bhxh_store_get_office             (BhxhStore            *self,
                                                    const char           *code,
                                                    GError              **error);
GPtrArray       *bhxh_store_list_reason_codes      (BhxhStore            *self,
                                                    GError              **error);

/* Declarations. */
gboolean         bhxh_store_import_declarations    (BhxhStore            *self,
                                                    const char           *file,
                                                    guint                *n_imported,
                                                    GError              **error);
gboolean         bhxh_store_import_declarations_json (BhxhStore          *self,
                                                    JsonNode             *root,
                                                    guint                *n_imported,
                                                    GError              **error);
/* Portrait photos of declarations (bhxh-store-portraits.c). */
GPtrArray       *bhxh_store_list_wanted_portraits  (BhxhStore            *self,
                                                    GError              **error);
gboolean         bhxh_store_set_declaration_portrait (BhxhStore          *self,
                                                      const char         *id,
                                                      GBytes             *image,
                                                      GError            **error);
gboolean         bhxh_store_dup_declaration_portrait (BhxhStore          *self,
                                                      const char         *actor,
                                                      const char         *id,
                                                      GBytes            **image,
                                                      GError            **error);
BhxhDeclaration *bhxh_store_get_declaration        (BhxhStore            *self,
                                                    const char           *id,
                                                    GError              **error);
GPtrArray       *bhxh_store_list_declarations      (BhxhStore            *self,
                                                    const BhxhQueueFilter *filter,
                                                    GError              **error);
GPtrArray       *bhxh_store_find_open_declarations (BhxhStore            *self,
                                                    const char           *id_number,
                                                    GError              **error);
BhxhCheck       *bhxh_store_check_declaration      (BhxhStore            *self,
                                                    const BhxhDeclaration *declaration,
                                                    const BhxhDocument   *document,
                                                    const BhxhDate       *today,
                                                    GError              **error);

/* Decisions: committed (fsync'd) before bhxh_store_decide() returns, together
 * with the declaration's new status, the outbox entry and the audit entry. */
BhxhDecision    *bhxh_store_decide                 (BhxhStore            *self,
                                                    const BhxhDecisionRequest *request,
                                                    GError              **error);
/* The longest undo window a decision may be held for. */
#define BHXH_STORE_MAX_HOLD_SECONDS 120
gboolean         bhxh_store_withdraw_decision      (BhxhStore            *self,
                                                    const char           *uuid,
                                                    const char           *actor,
                                                    GError              **error);
gboolean         bhxh_store_release_decision       (BhxhStore            *self,
                                                    const char           *uuid,
                                                    GError              **error);
/* Many writes in one transaction (savepoints for each): one sync to disk. */
gboolean         bhxh_store_batch_begin            (BhxhStore            *self,
                                                    GError              **error);
gboolean         bhxh_store_batch_end              (BhxhStore            *self,
                                                    gboolean              commit,
                                                    GError              **error);
BhxhDecision    *bhxh_store_get_decision           (BhxhStore            *self,
                                                    const char           *uuid,
                                                    GError              **error);
BhxhDecision    *bhxh_store_get_latest_decision    (BhxhStore            *self,
                                                    const char           *declaration_id,
                                                    GError              **error);
/* The day's decisions, oldest first, with the clerks' and persons' names. */
GPtrArray       *bhxh_store_list_decisions_on      (BhxhStore            *self,
                                                    const BhxhDate       *day,
                                                    GError              **error);

/* Outbox, for the sync layer. */
typedef struct
{
  const char      *uuid;
  BhxhOutboxState  state;
  const char      *detail;
} BhxhOutboxAnswer;

GPtrArray       *bhxh_store_outbox_claim           (BhxhStore            *self,
                                                    guint                 limit,
                                                    GError              **error);
gboolean         bhxh_store_outbox_set_state       (BhxhStore            *self,
                                                    const char           *uuid,
                                                    BhxhOutboxState       state,
                                                    const char           *detail,
                                                    GError              **error);
gboolean         bhxh_store_outbox_settle          (BhxhStore            *self,
                                                    const BhxhOutboxAnswer *answers,
                                                    guint                 n_answers,
                                                    GError              **error);
gboolean         bhxh_store_outbox_requeue_sending (BhxhStore            *self,
                                                    GError              **error);
guint            bhxh_store_outbox_count           (BhxhStore            *self,
                                                    BhxhOutboxState       state);
GDateTime       *bhxh_store_dup_oldest_waiting     (BhxhStore            *self);

/* Audit trail, hash-chained. */
gboolean         bhxh_store_audit                  (BhxhStore            *self,
                                                    const char           *actor,
                                                    const char           *action,
                                                    const char           *object,
                                                    const char           *detail,
                                                    GError              **error);

/* Added by store: recomputes the audit hash chain; CORRUPT names the
 * first altered entry. */
gboolean         bhxh_store_audit_verify           (BhxhStore            *self,
                                                    guint64              *n_entries,
                                                    GError              **error);

/* Users. */
gboolean         bhxh_store_add_user               (BhxhStore            *self,
                                                    const char           *login,
                                                    const char           *display_name,
                                                    const char           *role,
                                                    GError              **error);
/* Added for the GUI's sign-in (gui engineer): every user, sorted by login. */
GPtrArray       *bhxh_store_list_users             (BhxhStore            *self,
                                                    GError              **error);

/* Added by trust-auth (bhxh-store-users.c, docs/security.md): accounts,
 * sign-in and roles. Once bhxh_store_init_accounts() has run, the database
 * is in "accounts required" mode: deciding, overriding, managing users,
 * reading the audit trail and purging early need a user signed in on this
 * store object (bhxh_store_authenticate) with the right role; without it
 * they fail with a BHXH_AUTH_ERROR (see bhxh-auth.h). Outside that mode
 * everything works as before, and accounts without a password sign in. */
typedef struct
{
  char     *login;
  char     *display_name;
  char     *role;
  gboolean  has_password;
  guint     failures;        /* failed sign-ins since the last success */
  GDateTime *locked_until;   /* NULL: not locked */
  gboolean  disabled;        /* an admin disabled it: no sign-in */
} BhxhUserStatus;

gboolean         bhxh_store_accounts_required      (BhxhStore            *self);
gboolean         bhxh_store_init_accounts          (BhxhStore            *self,
                                                    const char           *admin_login,
                                                    const char           *display_name,
                                                    const char           *password,
                                                    GError              **error);
gboolean         bhxh_store_set_user_disabled      (BhxhStore            *self,
                                                    const char           *login,
                                                    gboolean              disabled,
                                                    GError              **error);
gboolean         bhxh_store_authenticate           (BhxhStore            *self,
                                                    const char           *login,
                                                    const char           *password,
                                                    BhxhUser            **user,
                                                    GError              **error);
BhxhUser        *bhxh_store_dup_session_user       (BhxhStore            *self);
/* In accounts-required mode: a user of at least @role ("clerk",
 * "supervisor", "admin") is signed in; outside it always TRUE. */
gboolean         bhxh_store_require_session        (BhxhStore            *self,
                                                    const char           *role,
                                                    GError              **error);
void             bhxh_store_sign_out               (BhxhStore            *self);
gboolean         bhxh_store_set_password           (BhxhStore            *self,
                                                    const char           *login,
                                                    const char           *password,
                                                    GError              **error);
gboolean         bhxh_store_unlock_user            (BhxhStore            *self,
                                                    const char           *login,
                                                    GError              **error);
GPtrArray       *bhxh_store_list_user_status       (BhxhStore            *self,
                                                    GError              **error);
/* Settings kept in meta, with their defaults when unset. */
#define BHXH_META_ACCOUNTS_REQUIRED  "accounts_required"   /* "1" */
#define BHXH_META_MAX_FAILURES       "auth_max_failures"   /* 5 */
#define BHXH_META_LOCKOUT_MINUTES    "auth_lockout_minutes" /* 15 */
#define BHXH_META_IDLE_LOCK_MINUTES  "idle_lock_minutes"   /* 5; 0: never */
#define BHXH_META_RETENTION_DAYS     "retention_days"      /* 30 */
#define BHXH_META_CHIP_REQUIRED      "chip_required"       /* 0; 1: approving on a card needs its chip */
guint            bhxh_store_get_setting            (BhxhStore            *self,
                                                    const char           *key);
gboolean         bhxh_store_change_setting         (BhxhStore            *self,
                                                    const char           *key,
                                                    guint                 value,
                                                    GError              **error);
gboolean         bhxh_store_change_settings        (BhxhStore            *self,
                                                    const char * const   *keys,
                                                    const guint          *values,
                                                    GError              **error);

/* The portal this counter syncs with (enrolment): admin only, audited
 * "settings.portal" without the token. dup: FALSE when not enrolled;
 * @office is NULL when the portal's account decides it. */
gboolean         bhxh_store_set_portal             (BhxhStore            *self,
                                                    const char           *url,
                                                    const char           *office,
                                                    const char           *token,
                                                    GError              **error);
gboolean         bhxh_store_dup_portal             (BhxhStore            *self,
                                                    char                **url,
                                                    char                **office,
                                                    char                **token);
/* The portal's public signing key (text, checked by the sync layer:
 * bhxh_sync_pin_portal_key), which inbound bundles must be signed with:
 * admin only, audited "settings.portal-key" with @key_id. dup: NULL when
 * none is pinned. */
gboolean         bhxh_store_set_portal_key         (BhxhStore            *self,
                                                    const char           *key,
                                                    const char           *key_id,
                                                    GError              **error);
char            *bhxh_store_dup_portal_key         (BhxhStore            *self);

/* Audit, added by trust-auth. "Who viewed": one entry when a declaration is
 * opened for checking, written without an fsync of its own (the next
 * decision's commit makes it durable). */
typedef struct
{
  gint64  seq;
  char   *at;
  char   *actor;
  char   *action;
  char   *object;
  char   *detail;
} BhxhAuditEntry;

gboolean         bhxh_store_note_viewed            (BhxhStore            *self,
                                                    const char           *actor,
                                                    const char           *declaration_id,
                                                    GError              **error);
/* An export left the store (a printed paper, a bundle): "export.<kind>",
 * by the signed-in user or "local". */
gboolean         bhxh_store_note_export            (BhxhStore            *self,
                                                    const char           *kind,
                                                    const char           *object,
                                                    const char           *detail,
                                                    GError              **error);
/* Runs the chain check: @first_bad is the seq of the first altered entry,
 * 0 when intact. FALSE only when the trail cannot be read. */
gboolean         bhxh_store_audit_check            (BhxhStore            *self,
                                                    guint64              *n_entries,
                                                    gint64               *first_bad,
                                                    GError              **error);
GPtrArray       *bhxh_store_list_audit             (BhxhStore            *self,
                                                    const BhxhDate       *day,
                                                    GError              **error);

/* Audit upload with the decisions (sync): up to @limit entries after meta
 * "audit_uploaded_seq" as a JSON array of {seq, at, actor, action, object,
 * detail, prev_hash, hash}; @last_seq is the last one's seq (0: none).
 * mark_uploaded moves the mark forward once the portal took them. */
/* For the portal to verify the keyed trail it receives: the audit key,
 * its id and the first keyed entry (G_MAXINT64: none yet). FALSE on a
 * store in clear (its trail is plain SHA-256). Registered with the portal
 * by the sync (the service's; clerks never hold it). */
gboolean         bhxh_store_audit_dup_key          (BhxhStore            *self,
                                                    GBytes              **key,
                                                    char                **id,
                                                    gint64               *from);
JsonNode        *bhxh_store_audit_dup_unsent       (BhxhStore            *self,
                                                    guint                 limit,
                                                    gint64               *last_seq,
                                                    GError              **error);
gboolean         bhxh_store_audit_mark_sent        (BhxhStore            *self,
                                                    gint64                seq,
                                                    GError              **error);

/* Retention: blanks the raw payload of documents scanned more than @days
 * days before now (0 days: the meta setting); audited. */
gboolean         bhxh_store_purge_documents        (BhxhStore            *self,
                                                    guint                 days,
                                                    guint                *n_purged,
                                                    GError              **error);

char            *bhxh_store_dup_meta               (BhxhStore            *self,
                                                    const char           *key);
gboolean         bhxh_store_set_meta               (BhxhStore            *self,
                                                    const char           *key,
                                                    const char           *value,
                                                    GError              **error);

/* Added by reassign: a supervisor (or an admin) hands an open declaration
 * to a clerk; it goes (back) to pending, assigned to them, audited
 * "declaration.reassign". dup_assignee: the clerk's login, or NULL. */
gboolean         bhxh_store_reassign               (BhxhStore            *self,
                                                    const char           *declaration_id,
                                                    const char           *clerk_login,
                                                    const char           *actor,
                                                    GError              **error);
char            *bhxh_store_dup_assignee           (BhxhStore            *self,
                                                    const char           *declaration_id);
/* Every assigned declaration: id → clerk login (both utf8, owned). */
GHashTable      *bhxh_store_list_assignments       (BhxhStore            *self,
                                                    GError              **error);

void             bhxh_office_free                  (BhxhOffice           *office);
BhxhUser        *bhxh_user_copy                    (const BhxhUser       *user);
void             bhxh_user_free                    (BhxhUser             *user);
void             bhxh_user_status_free             (BhxhUserStatus       *status);
void             bhxh_audit_entry_free             (BhxhAuditEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhOffice, bhxh_office_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhUser, bhxh_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhUserStatus, bhxh_user_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhAuditEntry, bhxh_audit_entry_free)

G_END_DECLS
