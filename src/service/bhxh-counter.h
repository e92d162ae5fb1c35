/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bhxh-decision.h"
#include "core/bhxh-declaration.h"
#include "core/bhxh-document.h"
#include "core/bhxh-verdict.h"
#include "store/bhxh-store.h"
#include "store/bhxh-store-safety.h"

G_BEGIN_DECLS

/*
 * BhxhCounter: the counter's session with bhxh-deskd (vn.bhxh.Desk1), the
 * one object a client's screens share (GNOME Text Editor's EditorSession
 * pattern, ../shared/STYLE.md). It owns the proxy and the state the
 * screens read — who is signed in, their role, the reason codes, whether
 * a sync runs — as properties, and turns each call into an async method
 * whose _finish gives the library's own types. No store is opened here:
 * every rule runs in the service.
 */

#define BHXH_TYPE_COUNTER (bhxh_counter_get_type ())
G_DECLARE_FINAL_TYPE (BhxhCounter, bhxh_counter, BHXH, COUNTER, GObject)

typedef struct
{
  gboolean   accounts_required;
  guint      idle_lock_minutes;
  GPtrArray *users;                 /* (element-type BhxhUser) */
} BhxhCounterInfo;

typedef struct
{
  char            *mirror_version;
  GDateTime       *mirror_imported_at;
  guint64          persons;
  char            *last_sync;       /* the last successful sync (ISO 8601) */
  char            *last_attempt;    /* the last sync tried, successful or not */
  char            *office;          /* enrolled, or the portal account's; NULL: none */
  char            *portal_url;      /* the enrolled portal's address, or NULL */
  guint            unsynced;
  guint            needs_person;
  gboolean         has_safety;
  BhxhSafetyLevel  safety;
  char            *safety_message;
} BhxhCounterStatus;

/* An escalation handed back to a clerk that day (from the audit trail). */
typedef struct
{
  char      *declaration_id;
  char      *full_name;
  GDateTime *at;
  char      *by_name;
  char      *to_name;
} BhxhCounterReassignment;

typedef struct
{
  GPtrArray *decisions;             /* (element-type BhxhDecision) */
  GPtrArray *reassignments;         /* (element-type BhxhCounterReassignment) */
  GPtrArray *escalations;           /* (element-type BhxhDeclaration) */
  GPtrArray *clerks;                /* (element-type BhxhUser) */
} BhxhCounterDay;

typedef struct
{
  guint      declarations;
  guint      acknowledged;
  guint      refused;
  guint      conflict;
  guint      pending;
  GPtrArray *errors;                /* (element-type utf8) */
} BhxhCounterSync;

/* The counter's rules (GetSettings). */
typedef struct
{
  gboolean   accounts_required;
  guint      max_failures;
  guint      lockout_minutes;
  guint      idle_lock_minutes;     /* 0: never */
  guint      retention_days;
  gboolean   chip_required;         /* approving on a card needs its chip */
} BhxhCounterSettings;

void bhxh_counter_info_free   (BhxhCounterInfo   *info);
void bhxh_counter_status_free (BhxhCounterStatus *status);
void bhxh_counter_day_free    (BhxhCounterDay    *day);
void bhxh_counter_sync_free   (BhxhCounterSync   *sync);

/* A private service for @db_path: bhxh-deskd --peer-fd on a socketpair
 * ($BHXH_DESKD or the installed one), ending with this object. @demo:
 * fill an empty store with the demo office first. */
void         bhxh_counter_new_private_async  (const char           *db_path,
                                              gboolean              demo,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* The system service (vn.bhxh.Desk1 on the system bus). */
void         bhxh_counter_new_system_async   (GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
BhxhCounter *bhxh_counter_new_finish         (GAsyncResult         *result,
                                              GError              **error);

const char  *bhxh_counter_get_login          (BhxhCounter          *self);
const char  *bhxh_counter_get_display_name   (BhxhCounter          *self);
const char  *bhxh_counter_get_role           (BhxhCounter          *self);
gboolean     bhxh_counter_get_supervisor     (BhxhCounter          *self);
GPtrArray   *bhxh_counter_get_reason_codes   (BhxhCounter          *self);
gboolean     bhxh_counter_get_syncing        (BhxhCounter          *self);
BhxhDate     bhxh_counter_get_today          (BhxhCounter          *self);
gboolean     bhxh_counter_get_can_undo       (BhxhCounter          *self);
gboolean     bhxh_counter_get_approvals_blocked (BhxhCounter       *self);
const char  *bhxh_counter_get_block_message  (BhxhCounter          *self);

#define BHXH_COUNTER_ASYNC(name, ...) \
  void name##_async (BhxhCounter *self, __VA_ARGS__ GCancellable *cancellable, \
                     GAsyncReadyCallback callback, gpointer user_data)

BHXH_COUNTER_ASYNC (bhxh_counter_describe, );
BhxhCounterInfo *bhxh_counter_describe_finish (BhxhCounter *self, GAsyncResult *result,
                                               GError **error);

/* On success the properties change; on failure @attempts_left and
 * @locked_until (nullable) say what the person may be told. */
BHXH_COUNTER_ASYNC (bhxh_counter_sign_in, const char *login, const char *password,);
gboolean bhxh_counter_sign_in_finish (BhxhCounter *self, GAsyncResult *result,
                                      guint *attempts_left, GDateTime **locked_until,
                                      GError **error);
/* Ends the session (fire and forget: the properties clear at once). */
void     bhxh_counter_sign_out       (BhxhCounter *self);

/* Also sets the "reason-codes" property. */
BHXH_COUNTER_ASYNC (bhxh_counter_list_reason_codes, );
GPtrArray *bhxh_counter_list_reason_codes_finish (BhxhCounter *self, GAsyncResult *result,
                                                  GError **error);
BHXH_COUNTER_ASYNC (bhxh_counter_list_offices, );
GPtrArray *bhxh_counter_list_offices_finish (BhxhCounter *self, GAsyncResult *result,
                                             GError **error);

/* Declarations (element-type BhxhDeclaration); @assignments: id → login. */
BHXH_COUNTER_ASYNC (bhxh_counter_list_queue, const char *office_code,);
GPtrArray *bhxh_counter_list_queue_finish (BhxhCounter *self, GAsyncResult *result,
                                           GHashTable **assignments, GError **error);

BHXH_COUNTER_ASYNC (bhxh_counter_find_open, const char *id_number,);
GPtrArray *bhxh_counter_find_open_finish (BhxhCounter *self, GAsyncResult *result,
                                          guint *n_persons, GError **error);

BHXH_COUNTER_ASYNC (bhxh_counter_check, const char *declaration_id,
                    const BhxhDocument *document,);
BhxhCheck *bhxh_counter_check_finish (BhxhCounter *self, GAsyncResult *result, GError **error);

BHXH_COUNTER_ASYNC (bhxh_counter_note_viewed, const char *declaration_id,);
gboolean bhxh_counter_note_viewed_finish (BhxhCounter *self, GAsyncResult *result,
                                          GError **error);

/* The portrait photo of an online declaration (JPEG), for the compare
 * page; %NULL with no error when it has none. */
BHXH_COUNTER_ASYNC (bhxh_counter_get_declaration_portrait, const char *declaration_id,);
GBytes *bhxh_counter_get_declaration_portrait_finish (BhxhCounter *self, GAsyncResult *result,
                                                      GError **error);

/* Enrolment (admin): the portal, office and workstation token the service
 * syncs with when no address is given. */
BHXH_COUNTER_ASYNC (bhxh_counter_set_portal, const char *url, const char *office_code,
                    const char *token,);
gboolean bhxh_counter_set_portal_finish (BhxhCounter *self, GAsyncResult *result,
                                         GError **error);
/* Pins the portal's public signing key (admin): USB bundles must carry
 * its signature. */
BHXH_COUNTER_ASYNC (bhxh_counter_set_portal_key, const char *key,);
gboolean bhxh_counter_set_portal_key_finish (BhxhCounter *self, GAsyncResult *result,
                                             GError **error);

/* One declaration, one desk: claims it at the portal while the clerk has
 * it open. @holder: the name of the clerk who holds it at another counter,
 * NULL when this clerk has it, the portal is away or none is set. */
BHXH_COUNTER_ASYNC (bhxh_counter_claim, const char *declaration_id,);
gboolean bhxh_counter_claim_finish (BhxhCounter *self, GAsyncResult *result, char **holder,
                                    GError **error);

/* @request's clerk is ignored: the service decides as the signed-in user.
 * Gives the decision's uuid, outcome, evidence and hold_until. */
BHXH_COUNTER_ASYNC (bhxh_counter_decide, const BhxhDecisionRequest *request,);
BhxhDecision *bhxh_counter_decide_finish (BhxhCounter *self, GAsyncResult *result,
                                          GError **error);

BHXH_COUNTER_ASYNC (bhxh_counter_decide_many, const char * const *declaration_ids,
                    const BhxhDecisionRequest *request,);
guint bhxh_counter_decide_many_finish (BhxhCounter *self, GAsyncResult *result,
                                       GError **error);

BHXH_COUNTER_ASYNC (bhxh_counter_undo, const char *uuid,);
gboolean bhxh_counter_undo_finish (BhxhCounter *self, GAsyncResult *result, GError **error);

BHXH_COUNTER_ASYNC (bhxh_counter_release, const char *uuid,);
gboolean bhxh_counter_release_finish (BhxhCounter *self, GAsyncResult *result,
                                      GError **error);

BHXH_COUNTER_ASYNC (bhxh_counter_reassign, const char *declaration_id, const char *clerk,);
gboolean bhxh_counter_reassign_finish (BhxhCounter *self, GAsyncResult *result,
                                       GError **error);

/* Accounts (supervisor: list; admin: add, unlock, anyone's password; each
 * user: their own password) and the counter's rules (admin changes them;
 * keys: the BHXH_META_* numeric settings, all or none). */
BHXH_COUNTER_ASYNC (bhxh_counter_list_users, );
GPtrArray *bhxh_counter_list_users_finish (BhxhCounter *self, GAsyncResult *result,
                                           GError **error);   /* BhxhUserStatus */
BHXH_COUNTER_ASYNC (bhxh_counter_add_user, const char *login, const char *display_name,
                    const char *role, const char *password,);
gboolean bhxh_counter_add_user_finish (BhxhCounter *self, GAsyncResult *result,
                                       GError **error);
BHXH_COUNTER_ASYNC (bhxh_counter_set_password, const char *login, const char *password,);
gboolean bhxh_counter_set_password_finish (BhxhCounter *self, GAsyncResult *result,
                                           GError **error);
BHXH_COUNTER_ASYNC (bhxh_counter_unlock_user, const char *login,);
gboolean bhxh_counter_unlock_user_finish (BhxhCounter *self, GAsyncResult *result,
                                          GError **error);
/* Admin: a disabled account signs in no more (its name stays on its work). */
BHXH_COUNTER_ASYNC (bhxh_counter_set_user_disabled, const char *login, gboolean disabled,);
gboolean bhxh_counter_set_user_disabled_finish (BhxhCounter *self, GAsyncResult *result,
                                                GError **error);
/* The first run (no account yet): the admin, who is then signed in. */
BHXH_COUNTER_ASYNC (bhxh_counter_init_accounts, const char *login, const char *display_name,
                    const char *password,);
gboolean bhxh_counter_init_accounts_finish (BhxhCounter *self, GAsyncResult *result,
                                            GError **error);
BHXH_COUNTER_ASYNC (bhxh_counter_get_settings, );
BhxhCounterSettings *bhxh_counter_get_settings_finish (BhxhCounter *self, GAsyncResult *result,
                                                       GError **error);
BHXH_COUNTER_ASYNC (bhxh_counter_change_settings, const char * const *keys,
                    const guint *values,);
BhxhCounterSettings *bhxh_counter_change_settings_finish (BhxhCounter *self,
                                                          GAsyncResult *result,
                                                          GError **error);
BHXH_COUNTER_ASYNC (bhxh_counter_day, const BhxhDate *date,);
BhxhCounterDay *bhxh_counter_day_finish (BhxhCounter *self, GAsyncResult *result,
                                         GError **error);

BHXH_COUNTER_ASYNC (bhxh_counter_get_status, );
BhxhCounterStatus *bhxh_counter_get_status_finish (BhxhCounter *self, GAsyncResult *result,
                                                   GError **error);

/* While it runs, the "syncing" property is TRUE. */
BHXH_COUNTER_ASYNC (bhxh_counter_sync, const char *portal_url, const char *token_file,
                    const char *office_code,);
BhxhCounterSync *bhxh_counter_sync_finish (BhxhCounter *self, GAsyncResult *result,
                                           GError **error);

/* The PDF in a new temporary directory (bhxh_counter_remove_paper()
 * removes both), named after the paper and @key. */
BHXH_COUNTER_ASYNC (bhxh_counter_render_paper, const char *kind, const char *key,);
char *bhxh_counter_render_paper_finish (BhxhCounter *self, GAsyncResult *result,
                                        guint *n_pages, GError **error);
void  bhxh_counter_remove_paper        (const char *pdf_path);

/* The day's decisions as a file's bytes: @format "csv" or "xlsx"
 * (supervisor). */
BHXH_COUNTER_ASYNC (bhxh_counter_export_decisions, const char *date, const char *format,);
GBytes *bhxh_counter_export_decisions_finish (BhxhCounter *self, GAsyncResult *result,
                                              guint *n_decisions, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhCounterInfo, bhxh_counter_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhCounterStatus, bhxh_counter_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhCounterDay, bhxh_counter_day_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhCounterSync, bhxh_counter_sync_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhCounterSettings, g_free)

G_END_DECLS
