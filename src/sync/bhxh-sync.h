/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "store/bhxh-store.h"
#include "bhxh-portal.h"
#include "bhxh-sync-error.h"

G_BEGIN_DECLS

/* What one synchronisation does. */
typedef struct
{
  BhxhPortalConfig *portal;
  gboolean          pull;         /* reference data, declarations, mirror */
  gboolean          push;         /* the outbox */
  gboolean          pull_mirror;  /* with pull: the registry mirror too */
  char             *office_code;  /* NULL: the workstation's office (from the portal) */
  guint             batch_size;   /* decisions per request; 0: 1000, the most allowed */
  guint             page_size;    /* declarations per page; 0: 200 */
} BhxhSyncOptions;

/* What it did. Counts are for this run, except @pending (what is left). */
typedef struct
{
  guint     declarations;
  guint     offices;
  guint     reason_codes;
  char     *mirror_version;     /* NULL: unchanged */
  guint64   mirror_rows;
  gboolean  mirror_from_delta;
  gboolean  mirror_from_snapshot; /* a signed sqlite snapshot, verified and copied in */
  const char *mirror_format;      /* "sqlite", "jsonl", "delta"; NULL: unchanged (static) */
  guint     acknowledged;
  guint     refused;
  guint     conflict;
  guint     pending;
  GPtrArray *errors;            /* (element-type utf8): translated, one line each */
  guint64   requests;
  guint64   retries;
} BhxhSyncReport;

typedef enum
{
  BHXH_SYNC_STAGE_ACCOUNT,
  BHXH_SYNC_STAGE_PUSH,
  BHXH_SYNC_STAGE_REFERENCE,
  BHXH_SYNC_STAGE_DECLARATIONS,
  BHXH_SYNC_STAGE_MIRROR_DOWNLOAD,
  BHXH_SYNC_STAGE_MIRROR_IMPORT,
} BhxhSyncStage;

/* Called in the thread that runs the sync (the blocking variant) or in
 * the caller's main context (the async one). */
typedef void (*BhxhSyncProgressFunc) (BhxhSyncStage stage,
                                      guint64       done,
                                      guint64       total,
                                      gpointer      user_data);

BhxhSyncOptions *bhxh_sync_options_new          (void);
BhxhSyncOptions *bhxh_sync_options_copy         (const BhxhSyncOptions *options);
void             bhxh_sync_options_free         (BhxhSyncOptions       *options);

void             bhxh_sync_report_free          (BhxhSyncReport        *report);
gboolean         bhxh_sync_report_needs_person  (const BhxhSyncReport  *report);
JsonNode        *bhxh_sync_report_to_json       (const BhxhSyncReport  *report);
const char      *bhxh_sync_stage_to_string      (BhxhSyncStage          stage);
gboolean         bhxh_sync_stage_parse          (const char            *text,
                                                 BhxhSyncStage         *stage);
const char      *bhxh_sync_stage_to_label       (BhxhSyncStage          stage);

/* Blocking: for the CLI and the timer. Only one synchronisation of a
 * database runs at a time (BUSY otherwise). Failures to reach the portal
 * are in the report, not in @error: the outbox is left as it was. */
BhxhSyncReport  *bhxh_sync_run                  (BhxhStore             *store,
                                                 const BhxhSyncOptions *options,
                                                 BhxhSyncProgressFunc   progress,
                                                 gpointer               user_data,
                                                 GCancellable          *cancellable,
                                                 GError               **error);
/* For the GUI: runs in a worker thread on its own connection to the
 * store's file; never blocks the main loop. */
void             bhxh_sync_run_async            (BhxhStore             *store,
                                                 const BhxhSyncOptions *options,
                                                 BhxhSyncProgressFunc   progress,
                                                 gpointer               progress_data,
                                                 GDestroyNotify         progress_notify,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
BhxhSyncReport  *bhxh_sync_run_finish           (GAsyncResult          *result,
                                                 GError               **error);

/* The decision as the portal receives it (docs/portal-api.yaml, Decision). */
JsonNode        *bhxh_sync_decision_to_wire     (const BhxhDecision    *decision);

/* Enrolment: checks the address (https, or http to loopback) and keeps
 * the portal, the office and the workstation token in the store (admin
 * only; see bhxh_store_set_portal). */
gboolean         bhxh_sync_enrol                (BhxhStore             *store,
                                                 const char            *url,
                                                 const char            *office,
                                                 const char            *token,
                                                 GError               **error);
/* Pins the portal's public signing key (Ed25519, base64 or hex; admin
 * only, audited): inbound bundles must carry its signature. */
gboolean         bhxh_sync_pin_portal_key       (BhxhStore             *store,
                                                 const char            *key,
                                                 GError               **error);
/* This counter's own signing key, which signs the decision bundles it
 * exports (made on first use, kept in the store, registered with the
 * portal by the sync): its public half in base64, and its id. */
char            *bhxh_sync_dup_desk_key         (BhxhStore             *store,
                                                 char                 **key_id,
                                                 GError               **error);
/* The enrolled portal's options (NOT_ENROLLED when none is set). */
BhxhSyncOptions *bhxh_sync_options_new_enrolled (BhxhStore             *store,
                                                 GError               **error);

/* One clerk at a time on a declaration while online. @holder: the
 * holder's display name (the login only when the portal has none). */
gboolean         bhxh_sync_claim                (BhxhPortal            *portal,
                                                 const char            *declaration_id,
                                                 const char            *clerk,
                                                 const char            *clerk_name,
                                                 char                 **holder,
                                                 GCancellable          *cancellable,
                                                 GError               **error);
gboolean         bhxh_sync_release              (BhxhPortal            *portal,
                                                 const char            *declaration_id,
                                                 const char            *clerk,
                                                 GCancellable          *cancellable,
                                                 GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhSyncOptions, bhxh_sync_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhSyncReport, bhxh_sync_report_free)

G_END_DECLS
