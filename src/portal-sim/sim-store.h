/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sim-json.h"

G_BEGIN_DECLS

#define SIM_ERROR (sim_error_quark ())

/**
 * SimError:
 * @SIM_ERROR_DB: the simulator's own database failed
 * @SIM_ERROR_BAD_REQUEST: a request body is malformed
 * @SIM_ERROR_NOT_FOUND: no such object
 * @SIM_ERROR_GONE: a mirror version is too old for a delta
 */
typedef enum
{
  SIM_ERROR_DB,
  SIM_ERROR_BAD_REQUEST,
  SIM_ERROR_NOT_FOUND,
  SIM_ERROR_GONE,
} SimError;

GQuark sim_error_quark (void);

typedef struct _SimStore SimStore;

typedef struct
{
  char *workstation;
  char *office_code;
  char *status;       /* "active" | "suspended" */
} SimAccount;

SimStore   *sim_store_open               (const char  *path,
                                          GError     **error);
void        sim_store_free               (SimStore    *self);
gboolean    sim_store_begin              (SimStore    *self,
                                          GError     **error);
gboolean    sim_store_commit             (SimStore    *self,
                                          GError     **error);
void        sim_store_rollback           (SimStore    *self);

gboolean    sim_store_is_empty           (SimStore    *self);
gboolean    sim_store_add_token          (SimStore    *self,
                                          const char  *token,
                                          const char  *workstation,
                                          const char  *office_code,
                                          GError     **error);
SimAccount *sim_store_lookup_token       (SimStore    *self,
                                          const char  *token);
SimAccount *sim_store_lookup_workstation (SimStore    *self,
                                          const char  *workstation);
gboolean    sim_store_set_account_status (SimStore    *self,
                                          const char  *workstation,
                                          const char  *status,
                                          GError     **error);
void        sim_account_free             (SimAccount  *account);

/* Reference data. */
gboolean    sim_store_put_office         (SimStore    *self,
                                          const char  *code,
                                          const char  *parent_code,
                                          const char  *name,
                                          GError     **error);
gboolean    sim_store_put_reason         (SimStore    *self,
                                          const char  *code,
                                          const char  *label,
                                          GError     **error);
gboolean    sim_store_put_rule           (SimStore    *self,
                                          const char  *key,
                                          const char  *value,
                                          GError     **error);
JsonNode   *sim_store_list_offices       (SimStore    *self);
JsonNode   *sim_store_list_reasons       (SimStore    *self);
JsonNode   *sim_store_list_rules         (SimStore    *self);

/* Declarations: every change gets a new sequence number, which is what
 * the cursor of the incremental feed counts. */
gboolean    sim_store_put_declarations   (SimStore    *self,
                                          JsonNode    *root,
                                          guint       *n_put,
                                          GError     **error);
JsonNode   *sim_store_list_declarations  (SimStore    *self,
                                          const char  *office_code,
                                          gint64       after_seq,
                                          guint        limit,
                                          gint64      *next_seq,
                                          gboolean    *has_more);

/* A declaration's portrait photo (JPEG), or NULL. */
GBytes     *sim_store_get_portrait       (SimStore    *self,
                                          const char  *declaration_id);

/* Registry mirror: snapshots and the deltas between consecutive ones. */
gboolean    sim_store_publish_mirror     (SimStore    *self,
                                          const char  *version,
                                          GBytes      *jsonl,
                                          GError     **error);
JsonNode   *sim_store_mirror_info        (SimStore    *self);
GBytes     *sim_store_mirror_snapshot    (SimStore    *self,
                                          const char  *version,
                                          char       **sha256);
JsonNode   *sim_store_mirror_delta       (SimStore    *self,
                                          const char  *since,
                                          GError     **error);

/* The portal's answer about one decision (docs/portal-api.yaml). */
typedef struct
{
  char     *uuid;
  char     *status;
  char     *reason_code;
  char     *message;
  char     *ack_id;
  char     *acknowledged_at;
  int       replayed;   /* -1: not said (a refusal of its form, a reused UUID) */
  gboolean  forced;     /* a conflict the fault injection made */
} SimResult;

void        sim_result_clear             (SimResult       *result);
void        sim_result_append_json       (const SimResult *result,
                                          GString         *out);

/* Whether to answer the next new decision with an injected conflict. */
typedef gboolean (*SimConflictFunc) (gpointer user_data);

/* Decisions (SimDecisionIn), deduplicated by UUID, in one transaction.
 * Returns their results (SimResult), in order. */
GArray     *sim_store_submit_decisions   (SimStore        *self,
                                          const char      *workstation,
                                          GArray          *decisions,
                                          SimConflictFunc  conflict,
                                          gpointer         user_data);
JsonNode   *sim_store_list_decisions     (SimStore    *self);
gint64      sim_store_count_decisions    (SimStore    *self);

/* Claims: one clerk at a time, expiring after a while. */
gboolean    sim_store_claim              (SimStore    *self,
                                          const char  *declaration_id,
                                          const char  *clerk,
                                          const char  *clerk_name,
                                          const char  *workstation,
                                          gint64       now,
                                          gint64       ttl,
                                          char       **holder,
                                          char       **holder_name,
                                          gint64      *expires_at,
                                          GError     **error);
gboolean    sim_store_release            (SimStore    *self,
                                          const char  *declaration_id,
                                          const char  *clerk,
                                          GError     **error);
gboolean    sim_store_has_declaration    (SimStore    *self,
                                          const char  *declaration_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimAccount, sim_account_free)

/* The keyed audit trail a desk uploads (docs/portal-api.yaml). */
gboolean    sim_store_set_audit_key      (SimStore    *self,
                                          const char  *workstation,
                                          const char  *key_id,
                                          GBytes      *key,
                                          gint64       keyed_from,
                                          GError     **error);
JsonObject *sim_store_check_audit        (SimStore    *self,
                                          const char  *workstation,
                                          JsonArray   *entries);
JsonObject *sim_store_audit_status       (SimStore    *self);

/* Signed bundles (docs/formats.md): the portal's own signing key (made
 * on first use, kept in the database), its per-workstation sequence of
 * inbound bundles, and the desks' registered keys. */
gboolean    sim_store_dup_signing_key    (SimStore    *self,
                                          GBytes     **public_key,
                                          GBytes     **secret_key);
guint64     sim_store_next_bundle_seq    (SimStore    *self,
                                          const char  *workstation);
gboolean    sim_store_add_bundle_key     (SimStore    *self,
                                          const char  *workstation,
                                          const char  *key_id,
                                          GBytes      *key,
                                          GError     **error);
GBytes     *sim_store_lookup_bundle_key  (SimStore    *self,
                                          const char  *workstation,
                                          const char  *key_id);

G_END_DECLS
