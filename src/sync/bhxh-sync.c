/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/bhxh-clock.h"
#include "bhxh-sync-log.h"
#include "store/bhxh-crypt.h"
#include "bhxh-sync-private.h"

#define DEFAULT_BATCH 1000   /* the contract's maximum (DecisionBatch.maxItems) */
#define AUDIT_BATCH 500     /* audit entries per batch: ~150 KiB at most */
#define DEFAULT_PAGE 200
#define META_CURSOR "sync.declarations_cursor"
#define META_CURSOR_OFFICE "sync.declarations_office"

typedef struct
{
  BhxhStore             *store;
  const BhxhSyncOptions *options;
  BhxhPortal            *portal;
  BhxhSyncReport        *report;
  const char            *db_path;
  char                  *office_code;
  BhxhSyncProgressFunc   progress;
  gpointer               progress_data;
  GCancellable          *cancellable;
  gboolean               offline;      /* the portal is out of reach: stop trying */
  GHashTable            *unanswered;   /* UUIDs the portal gave no clear result for */
} Run;

/* ---- options and report ------------------------------------------------ */

BhxhSyncOptions *
bhxh_sync_options_new (void)
{
  BhxhSyncOptions *options = g_new0 (BhxhSyncOptions, 1);

  options->portal = bhxh_portal_config_new ();
  options->pull = TRUE;
  options->push = TRUE;
  options->pull_mirror = TRUE;
  return options;
}

BhxhSyncOptions *
bhxh_sync_options_copy (const BhxhSyncOptions *options)
{
  BhxhSyncOptions *copy = g_memdup2 (options, sizeof *options);

  copy->portal = bhxh_portal_config_copy (options->portal);
  copy->office_code = g_strdup (options->office_code);
  return copy;
}

void
bhxh_sync_options_free (BhxhSyncOptions *options)
{
  if (options == NULL)
    return;
  bhxh_portal_config_free (options->portal);
  g_free (options->office_code);
  g_free (options);
}

BhxhSyncReport *
_bhxh_sync_report_new (void)
{
  BhxhSyncReport *report = g_new0 (BhxhSyncReport, 1);

  report->errors = g_ptr_array_new_with_free_func (g_free);
  return report;
}

void
bhxh_sync_report_free (BhxhSyncReport *report)
{
  if (report == NULL)
    return;
  g_free (report->mirror_version);
  g_ptr_array_unref (report->errors);
  g_free (report);
}

gboolean
bhxh_sync_report_needs_person (const BhxhSyncReport *report)
{
  return report->refused > 0 || report->conflict > 0 || report->errors->len > 0;
}

JsonNode *
bhxh_sync_report_to_json (const BhxhSyncReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pulled");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "declarations");
  json_builder_add_int_value (b, report->declarations);
  json_builder_set_member_name (b, "offices");
  json_builder_add_int_value (b, report->offices);
  json_builder_set_member_name (b, "reason_codes");
  json_builder_add_int_value (b, report->reason_codes);
  json_builder_set_member_name (b, "mirror_version");
  if (report->mirror_version)
    json_builder_add_string_value (b, report->mirror_version);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "mirror_rows");
  json_builder_add_int_value (b, (gint64) report->mirror_rows);
  json_builder_set_member_name (b, "mirror_from_delta");
  json_builder_add_boolean_value (b, report->mirror_from_delta);
  json_builder_set_member_name (b, "mirror_from_snapshot");
  json_builder_add_boolean_value (b, report->mirror_from_snapshot);
  json_builder_set_member_name (b, "mirror_format");
  if (report->mirror_format)
    json_builder_add_string_value (b, report->mirror_format);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "pushed");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "acknowledged");
  json_builder_add_int_value (b, report->acknowledged);
  json_builder_set_member_name (b, "refused");
  json_builder_add_int_value (b, report->refused);
  json_builder_set_member_name (b, "conflict");
  json_builder_add_int_value (b, report->conflict);
  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, report->pending);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->errors->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (report->errors, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "requests");
  json_builder_add_int_value (b, (gint64) report->requests);
  json_builder_set_member_name (b, "retries");
  json_builder_add_int_value (b, (gint64) report->retries);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
report_progress (Run           *run,
                 BhxhSyncStage  stage,
                 guint64        done,
                 guint64        total)
{
  if (run->progress)
    run->progress (stage, done, total, run->progress_data);
}

static void
run_error (Run          *run,
           const GError *error)
{
  g_ptr_array_add (run->report->errors, g_strdup (error->message));
  if (error->domain == BHXH_SYNC_ERROR
      && (error->code == BHXH_SYNC_ERROR_UNREACHABLE || error->code == BHXH_SYNC_ERROR_TLS
          || error->code == BHXH_SYNC_ERROR_UNAUTHORIZED
          || error->code == BHXH_SYNC_ERROR_SUSPENDED))
    run->offline = TRUE;
  bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_ERROR, "error", "%s", error->message);
}

/* ---- lock -------------------------------------------------------------- */

int
_bhxh_sync_lock (const char  *db_path,
                 GError     **error)
{
  g_autofree char *path = g_strconcat (db_path, "-sync.lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot write %s: %s"),
                   path, g_strerror (errno));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUSY,
                           _("Another synchronisation of this database is running."));
      return -1;
    }
  return fd;
}

void
_bhxh_sync_unlock (int fd)
{
  if (fd >= 0)
    close (fd);
}

/* ---- push -------------------------------------------------------------- */

static const char *
outcome_to_wire (BhxhOutcome outcome)
{
  switch (outcome)
    {
    case BHXH_OUTCOME_APPROVE:
      return "approve";
    case BHXH_OUTCOME_REJECT:
      return "reject";
    case BHXH_OUTCOME_ESCALATE:
    default:
      return "escalate";
    }
}

static const char *
verdict_to_wire (BhxhVerdict verdict)
{
  switch (verdict)
    {
    case BHXH_VERDICT_CAN_APPROVE:
      return "can-approve";
    case BHXH_VERDICT_NEEDS_ATTENTION:
      return "needs-attention";
    case BHXH_VERDICT_BLOCKED:
    default:
      return "blocked";
    }
}

static void
add_optional_string (JsonBuilder *b,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
bhxh_sync_decision_to_wire (const BhxhDecision *d)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *decided_at = NULL;

  g_return_val_if_fail (d != NULL && d->uuid != NULL, NULL);

  /* Second precision with an offset: what RFC 3339 and the portal expect,
   * and stable across resends, so the portal sees the same content. */
  decided_at = d->decided_at ? g_date_time_format (d->decided_at, "%FT%T%:z") : NULL;
  json_builder_begin_object (b);
  add_optional_string (b, "uuid", d->uuid);
  add_optional_string (b, "declaration_id", d->declaration_id);
  add_optional_string (b, "outcome", outcome_to_wire (d->outcome));
  add_optional_string (b, "clerk", d->clerk);
  add_optional_string (b, "decided_at", decided_at);
  json_builder_set_member_name (b, "reason_codes");
  json_builder_begin_array (b);
  for (guint i = 0; d->reason_codes && d->reason_codes[i]; i++)
    json_builder_add_string_value (b, d->reason_codes[i]);
  json_builder_end_array (b);
  add_optional_string (b, "note", d->note);
  json_builder_set_member_name (b, "override");
  json_builder_add_boolean_value (b, d->override);
  add_optional_string (b, "countersigned_by", d->countersigned_by);
  add_optional_string (b, "mirror_version", d->mirror_version);
  add_optional_string (b, "verdict", verdict_to_wire (d->verdict));
  json_builder_set_member_name (b, "without_document");
  json_builder_add_boolean_value (b, bhxh_decision_is_without_document (d));
  add_optional_string (b, "evidence", bhxh_evidence_to_string (d->evidence));
  json_builder_set_member_name (b, "countersign");
  json_builder_add_boolean_value (b, d->countersign);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
result_detail (JsonObject *result)
{
  const char *message = json_object_get_string_member_with_default (result, "message", NULL);
  const char *code = json_object_get_string_member_with_default (result, "reason_code", NULL);

  if (message && code)
    return g_strdup_printf ("%s (%s)", message, code);
  return g_strdup (message ? message : code);
}

/* What the portal's answer about one decision means (docs/portal-api.yaml,
 * "Result rules"), for the batch's per-item results (@http: the batch's
 * status) and the single PUT alike. Only an explicit answer ends a
 * decision: a result "refused" or "conflict", or for a result without a
 * known status the contract's refusal (400, 413, 422) or conflict (409)
 * codes. Anything else — a 2xx without a known status ("ack_id" only, an
 * unknown word), an "accepted" that is not a 2xx, no result at all —
 * leaves it pending: it is sent again, and the portal knows it by UUID. */
BhxhOutboxState
_bhxh_sync_classify_result (guint       http,
                            JsonObject *result)
{
  /* NULL too when "status" is not a string. */
  const char *status = result != NULL
                       ? json_object_get_string_member_with_default (result, "status", NULL)
                       : NULL;

  if (g_strcmp0 (status, "accepted") == 0)
    return http >= 200 && http < 300 ? BHXH_OUTBOX_ACKNOWLEDGED : BHXH_OUTBOX_PENDING;
  if (g_strcmp0 (status, "refused") == 0)
    return BHXH_OUTBOX_REFUSED;
  if (g_strcmp0 (status, "conflict") == 0)
    return BHXH_OUTBOX_CONFLICT;
  if (http == 409)
    return BHXH_OUTBOX_CONFLICT;
  if (http == 400 || http == 413 || http == 422)
    return BHXH_OUTBOX_REFUSED;
  return BHXH_OUTBOX_PENDING;
}

/* What the portal's answer about one decision (@result may be NULL) means
 * for it: counted in the report, logged, and *detail set for the store
 * (bhxh_store_outbox_settle() records it). */
static BhxhOutboxState
judge_result (Run         *run,
              const char  *uuid,
              guint        http,
              JsonObject  *result,
              char       **detail)
{
  BhxhOutboxState state = _bhxh_sync_classify_result (http, result);

  *detail = NULL;
  switch (state)
    {
    case BHXH_OUTBOX_ACKNOWLEDGED:
      *detail = g_strdup (json_object_get_string_member_with_default (result, "ack_id", NULL));
      run->report->acknowledged++;
      break;
    case BHXH_OUTBOX_REFUSED:
    case BHXH_OUTBOX_CONFLICT:
      *detail = result != NULL ? result_detail (result) : NULL;
      if (*detail == NULL)
        *detail = g_strdup_printf (state == BHXH_OUTBOX_REFUSED
                                   ? _("The portal refused it (HTTP %u).")
                                   : _("The portal answered it with a conflict (HTTP %u)."),
                                   http);
      if (state == BHXH_OUTBOX_REFUSED)
        {
          run->report->refused++;
          bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_WARNING, "refused",
                                _("Decision %s refused by the portal: %s"), uuid, *detail);
        }
      else
        {
          run->report->conflict++;
          bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_WARNING, "conflict",
                                _("Decision %s conflicts on the portal: %s"), uuid, *detail);
        }
      break;
    case BHXH_OUTBOX_PENDING:
    case BHXH_OUTBOX_SENDING:
    default:
      g_hash_table_add (run->unanswered, g_strdup (uuid));
      return BHXH_OUTBOX_PENDING;
    }
  g_hash_table_remove (run->unanswered, uuid);
  return state;
}

/* Records the answers about @n decisions in one transaction. */
static gboolean
settle (Run                    *run,
        const BhxhOutboxAnswer *answers,
        guint                   n)
{
  g_autoptr(GError) error = NULL;

  if (bhxh_store_outbox_settle (run->store, answers, n, &error))
    return TRUE;
  run_error (run, error);
  return FALSE;
}

/* The per-item results of a batch by UUID (the first for a UUID given twice). */
static GHashTable *
index_results (JsonArray *results)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; results && i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      const char *uuid = JSON_NODE_HOLDS_OBJECT (node)
        ? json_object_get_string_member_with_default (json_node_get_object (node), "uuid", NULL)
        : NULL;

      if (uuid != NULL && !g_hash_table_contains (index, uuid))
        g_hash_table_insert (index, (gpointer) uuid, json_node_get_object (node));
    }
  return index;
}

/* The batch as a whole was refused (malformed, too big): send one by one,
 * so one bad decision never holds back the others. */
static gboolean
push_singly (Run       *run,
             GPtrArray *batch)
{
  for (guint i = 0; i < batch->len; i++)
    {
      BhxhDecision *d = g_ptr_array_index (batch, i);
      g_autofree char *path = g_strdup_printf ("/v1/decisions/%s", d->uuid);
      g_autoptr(JsonNode) wire = bhxh_sync_decision_to_wire (d);
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GError) error = NULL;
      guint status = 0;

      answer = bhxh_portal_call (run->portal, "PUT", path, wire, &status, run->cancellable,
                                 &error);
      if (answer == NULL)
        {
          run_error (run, error);
          return FALSE;
        }
      {
        g_autofree char *detail = NULL;
        BhxhOutboxAnswer settled = { d->uuid, BHXH_OUTBOX_PENDING, NULL };

        settled.state = judge_result (run, d->uuid, status,
                                      JSON_NODE_HOLDS_OBJECT (answer)
                                      ? json_node_get_object (answer) : NULL, &detail);
        settled.detail = detail;
        if (!settle (run, &settled, 1))
          return FALSE;
      }
    }
  return TRUE;
}

/* The portal's word on the audit entries that rode along: a trail found
 * altered is for a person (the entries are sent again until it is
 * settled); verified or unverified, they are the portal's now. */
static gboolean
audit_accepted (Run        *run,
                JsonObject *answer)
{
  JsonObject *audit = json_object_has_member (answer, "audit")
                      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "audit"))
                      ? json_object_get_object_member (answer, "audit") : NULL;
  const char *status = audit != NULL
                       ? json_object_get_string_member_with_default (audit, "status", "") : "";
  g_autoptr(GError) error = NULL;
  g_autofree char *seq = NULL;

  if (g_strcmp0 (status, "broken") != 0)
    return TRUE;
  seq = g_strdup_printf ("%" G_GINT64_FORMAT,
                         json_object_get_int_member_with_default (audit, "first_bad", 0));
  g_set_error (&error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_AUDIT_BROKEN,
               _("The portal found this counter’s audit trail altered from entry %s: "
                 "tell the supervisor."), seq);
  run_error (run, error);
  return FALSE;
}

static gboolean
push_batch (Run       *run,
            GPtrArray *batch)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *results = NULL;
  g_autoptr(GHashTable) index = NULL;
  g_autofree BhxhOutboxAnswer *answers = NULL;
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  JsonNode *audit;
  gint64 audit_seq = 0;
  guint status = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "decisions");
  json_builder_begin_array (b);
  for (guint i = 0; i < batch->len; i++)
    json_builder_add_value (b, bhxh_sync_decision_to_wire (g_ptr_array_index (batch, i)));
  json_builder_end_array (b);
  /* The audit trail rides along (docs/security.md): the entries the portal
   * has not had yet, so a trail cut or rewritten here shows up there. */
  audit = bhxh_store_audit_dup_unsent (run->store, AUDIT_BATCH, &audit_seq, NULL);
  if (audit != NULL && audit_seq > 0)
    {
      json_builder_set_member_name (b, "audit");
      json_builder_add_value (b, audit);
    }
  else if (audit != NULL)
    json_node_unref (audit);
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  answer = bhxh_portal_call (run->portal, "POST", "/v1/decisions/batch", body, &status,
                             run->cancellable, &error);

  if (answer == NULL)
    {
      run_error (run, error);
      return FALSE;
    }
  if (status == 400 || status == 413 || status == 422)
    return push_singly (run, batch);
  if (status / 100 != 2 || !JSON_NODE_HOLDS_OBJECT (answer)
      || !json_object_has_member (json_node_get_object (answer), "results")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (answer),
                                                         "results")))
    {
      g_set_error (&error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_HTTP,
                   _("The portal did not take the decisions (HTTP %u)."), status);
      run_error (run, error);
      return FALSE;
    }
  if (audit_seq > 0 && audit_accepted (run, json_node_get_object (answer)))
    bhxh_store_audit_mark_sent (run->store, audit_seq, NULL);
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  /* The answers for the batch in one transaction: one sync to disk, not
   * one per decision. A crash before the commit leaves them "sending":
   * sent again, recognised by uuid. */
  index = index_results (results);
  answers = g_new0 (BhxhOutboxAnswer, batch->len);
  for (guint i = 0; i < batch->len; i++)
    {
      BhxhDecision *d = g_ptr_array_index (batch, i);
      char *detail = NULL;

      answers[i].uuid = d->uuid;
      answers[i].state = judge_result (run, d->uuid, status,
                                       g_hash_table_lookup (index, d->uuid), &detail);
      answers[i].detail = detail;
      g_ptr_array_add (details, detail);
    }
  return settle (run, answers, batch->len);
}

#define META_AUDIT_KEY_REGISTERED "portal.audit_key_id"

/* The portal verifies the keyed audit trail it receives (HMAC under the
 * service's audit key, which the clerks never hold): the key is registered
 * once per key (again after a rekey). A portal without the endpoint keeps
 * the entries unverified; nothing else changes. */
static void
register_audit_key (Run *run)
{
  g_autoptr(GBytes) key = NULL;
  g_autofree char *id = NULL;
  g_autofree char *registered = NULL;
  g_autofree char *encoded = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gint64 from = 0;
  guint status = 0;

  if (!bhxh_store_audit_dup_key (run->store, &key, &id, &from))
    return;
  registered = bhxh_store_dup_meta (run->store, META_AUDIT_KEY_REGISTERED);
  if (g_strcmp0 (registered, id) == 0)
    return;
  encoded = g_base64_encode (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  object = json_object_new ();
  json_object_set_string_member (object, "key_id", id);
  json_object_set_string_member (object, "key", encoded);
  if (from != G_MAXINT64)
    json_object_set_int_member (object, "keyed_from", from);
  body = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  answer = bhxh_portal_call (run->portal, "PUT", "/v1/workstation/audit-key", body, &status,
                             run->cancellable, &error);
  memset (encoded, 0, strlen (encoded));
  if (answer == NULL)
    {
      run_error (run, error);
      return;
    }
  if (status == 200 || status == 204)
    bhxh_store_set_meta (run->store, META_AUDIT_KEY_REGISTERED, id, NULL);
  else
    bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_WARNING, "audit",
                          _("The portal did not take the audit key (HTTP %u)."), status);
}

static void
push (Run *run)
{
  guint batch_size = run->options->batch_size ? run->options->batch_size : DEFAULT_BATCH;
  guint total = bhxh_store_outbox_count (run->store, BHXH_OUTBOX_PENDING);
  guint done = 0;

  report_progress (run, BHXH_SYNC_STAGE_PUSH, 0, total);
  if (total > 0)
    register_audit_key (run);
  while (done < total)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) batch = bhxh_store_outbox_claim (run->store, batch_size, &error);
      guint before = run->report->acknowledged + run->report->refused + run->report->conflict;
      gboolean ok;

      if (batch == NULL)
        {
          run_error (run, error);
          break;
        }
      if (batch->len == 0)
        break;
      ok = push_batch (run, batch);
      /* Whatever was claimed and not settled goes back to pending now:
       * nothing stays "sending" once this function returns. */
      bhxh_store_outbox_requeue_sending (run->store, NULL);
      if (!ok || run->report->acknowledged + run->report->refused + run->report->conflict
                 == before)
        break;
      done += batch->len;
      report_progress (run, BHXH_SYNC_STAGE_PUSH, MIN (done, total), total);
    }
  if (g_hash_table_size (run->unanswered) > 0)
    {
      g_autoptr(GError) error = NULL;

      g_set_error (&error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                   _("The portal gave no clear result for %u decisions: they stay waiting "
                     "and are sent again at the next synchronisation."),
                   g_hash_table_size (run->unanswered));
      run_error (run, error);
    }
  if (run->report->acknowledged + run->report->refused + run->report->conflict > 0)
    bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_INFO, "push",
                          _("Sent decisions: %u acknowledged, %u refused, %u in conflict."),
                          run->report->acknowledged, run->report->refused,
                          run->report->conflict);
}

/* ---- pull -------------------------------------------------------------- */

static JsonArray *
get_list (Run         *run,
          const char  *path,
          const char  *member,
          JsonNode   **keep,
          GError     **error)
{
  guint status = 0;
  JsonNode *answer = bhxh_portal_call (run->portal, "GET", path, NULL, &status,
                                       run->cancellable, error);

  if (answer == NULL)
    return NULL;
  *keep = answer;
  if (status != 200 || !JSON_NODE_HOLDS_OBJECT (answer)
      || !json_object_has_member (json_node_get_object (answer), member)
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (answer), member)))
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                   _("The portal's answer to %s does not follow the contract (HTTP %u)."),
                   path, status);
      return NULL;
    }
  return json_object_get_array_member (json_node_get_object (answer), member);
}

static gboolean
pull_reference (Run     *run,
                GError **error)
{
  g_autoptr(JsonNode) offices_node = NULL;
  g_autoptr(JsonNode) reasons_node = NULL;
  g_autoptr(JsonNode) rules_node = NULL;
  JsonArray *offices, *reasons, *rules;

  report_progress (run, BHXH_SYNC_STAGE_REFERENCE, 0, 3);
  if (!(offices = get_list (run, "/v1/offices", "offices", &offices_node, error))
      || !_bhxh_sync_save_offices (run->store, offices, &run->report->offices, error))
    return FALSE;
  if (!(reasons = get_list (run, "/v1/reason-codes", "reason_codes", &reasons_node, error))
      || !_bhxh_sync_save_reasons (run->store, reasons, &run->report->reason_codes, error))
    return FALSE;
  if (!(rules = get_list (run, "/v1/rules", "rules", &rules_node, error)))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);
      const char *key = json_object_get_string_member_with_default (rule, "key", NULL);
      const char *value = json_object_get_string_member_with_default (rule, "value", NULL);
      g_autofree char *meta = NULL;

      if (key == NULL || value == NULL)
        continue;
      meta = g_strconcat ("sync.rule.", key, NULL);
      if (!bhxh_store_set_meta (run->store, meta, value, error))
        return FALSE;
    }
  report_progress (run, BHXH_SYNC_STAGE_REFERENCE, 3, 3);
  return TRUE;
}

static gboolean
pull_declarations (Run     *run,
                   GError **error)
{
  guint page = run->options->page_size ? run->options->page_size : DEFAULT_PAGE;
  g_autofree char *cursor = bhxh_store_dup_meta (run->store, META_CURSOR);
  g_autofree char *cursor_office = bhxh_store_dup_meta (run->store, META_CURSOR_OFFICE);
  g_autofree char *office_escaped = g_uri_escape_string (run->office_code, NULL, FALSE);
  gboolean more = TRUE;

  /* A cursor is only valid for the subtree it was made for. */
  if (g_strcmp0 (cursor_office, run->office_code) != 0)
    g_clear_pointer (&cursor, g_free);

  while (more)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor ? cursor : "", NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("/v1/declarations?office=%s&limit=%u&cursor=%s",
                                               office_escaped, page, escaped);
      g_autoptr(JsonNode) answer = NULL;
      JsonObject *object;
      guint status = 0, n = 0;
      const char *next;

      answer = bhxh_portal_call (run->portal, "GET", path, NULL, &status, run->cancellable,
                                 error);
      if (answer == NULL)
        return FALSE;
      object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
      next = object ? json_object_get_string_member_with_default (object, "next_cursor", NULL)
                    : NULL;
      if (status != 200 || next == NULL || !json_object_has_member (object, "declarations"))
        {
          g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                       _("The portal's answer to %s does not follow the contract (HTTP %u)."),
                       "/v1/declarations", status);
          return FALSE;
        }
      if (!bhxh_store_import_declarations_json (run->store, answer, &n, error))
        return FALSE;
      /* The cursor moves only once the page is stored: a crash in between
       * fetches the same page again, and the import is idempotent. */
      if (!bhxh_store_set_meta (run->store, META_CURSOR, next, error)
          || !bhxh_store_set_meta (run->store, META_CURSOR_OFFICE, run->office_code, error))
        return FALSE;
      run->report->declarations += json_array_get_length (
        json_object_get_array_member (object, "declarations"));
      g_free (cursor);
      cursor = g_strdup (next);
      more = json_object_get_boolean_member_with_default (object, "has_more", FALSE);
      report_progress (run, BHXH_SYNC_STAGE_DECLARATIONS, run->report->declarations, 0);
    }
  if (run->report->declarations > 0)
    bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_INFO, "declarations",
                          _("Received %u new or changed declarations."),
                          run->report->declarations);
  return TRUE;
}

/* The portrait photos the declarations name, each from its own endpoint
 * after the feed (docs/portal-api.yaml): the feed stays small. A photo the
 * store refuses (not the one named) is skipped and logged; the next sync
 * asks again. */
static gboolean
pull_portraits (Run     *run,
                GError **error)
{
  g_autoptr(GPtrArray) wanted = bhxh_store_list_wanted_portraits (run->store, error);
  guint received = 0, refused = 0;

  if (wanted == NULL)
    return FALSE;
  for (guint i = 0; i < wanted->len; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (wanted->pdata[i], NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("/v1/declarations/%s/portrait", escaped);
      g_autoptr(GBytes) image = NULL;
      g_autoptr(GError) local = NULL;
      guint status = 0;

      image = bhxh_portal_call_bytes (run->portal, "GET", path, NULL, NULL, &status,
                                      run->cancellable, error);
      if (image == NULL)
        return FALSE;
      if (status == 200 &&
          bhxh_store_set_declaration_portrait (run->store, wanted->pdata[i], image, &local))
        received++;
      else
        refused++;
    }
  if (received > 0)
    bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_INFO, "declarations",
                          _("Received %u portrait photos of declarations."), received);
  if (refused > 0)
    bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_WARNING, "declarations",
                          _("%u portrait photos could not be received; the next "
                            "synchronisation asks again."), refused);
  return TRUE;
}

static void
import_progress_cb (guint64  done_bytes,
                    guint64  total_bytes,
                    guint64  rows,
                    gpointer user_data)
{
  report_progress (user_data, BHXH_SYNC_STAGE_MIRROR_IMPORT, done_bytes, total_bytes);
}

static void
download_progress_cb (guint64  done,
                      guint64  total,
                      gpointer user_data)
{
  report_progress (user_data, BHXH_SYNC_STAGE_MIRROR_DOWNLOAD, done, total);
}

static gboolean
import_snapshot (Run         *run,
                 const char  *file,
                 const char  *version,
                 GError     **error)
{
  guint64 rows = 0;

  if (!bhxh_store_import_mirror (run->store, file, BHXH_MIRROR_FORMAT_JSONL, version,
                                 import_progress_cb, run, run->cancellable, &rows, error))
    return FALSE;
  run->report->mirror_version = g_strdup (version);
  run->report->mirror_rows = rows;
  _bhxh_sync_prune_snapshots (run->db_path, version);
  bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_INFO, "mirror",
                        _("Registry mirror updated to version %s (%llu people)."), version,
                        (unsigned long long) rows);
  return TRUE;
}

/* Returns TRUE when a delta brought the mirror up to @latest; FALSE (no
 * error) when a full download is needed instead. */
static gboolean
try_delta (Run         *run,
           const char  *local,
           const char  *latest,
           GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (local, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v1/mirror/deltas?since=%s", escaped);
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *delta;
  guint status = 0;
  guint64 rows = 0;

  answer = bhxh_portal_call (run->portal, "GET", path, NULL, &status, run->cancellable, error);
  if (answer == NULL || status != 200 || !JSON_NODE_HOLDS_OBJECT (answer))
    return FALSE;
  delta = json_node_get_object (answer);
  if (g_strcmp0 (json_object_get_string_member_with_default (delta, "to", NULL), latest) != 0
      || !json_object_has_member (delta, "changes"))
    return FALSE;
  report_progress (run, BHXH_SYNC_STAGE_MIRROR_IMPORT, 0, 1);
  if (!_bhxh_sync_mirror_delta (run->store, local, latest,
                                json_object_get_array_member (delta, "changes"),
                                import_progress_cb, run, run->cancellable, &rows, error))
    return FALSE;
  report_progress (run, BHXH_SYNC_STAGE_MIRROR_IMPORT, 1, 1);
  run->report->mirror_version = g_strdup (latest);
  run->report->mirror_rows = rows;
  run->report->mirror_from_delta = TRUE;
  run->report->mirror_format = "delta";
  bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_INFO, "mirror",
                        _("Registry mirror updated to version %s (%llu people)."), latest,
                        (unsigned long long) rows);
  return TRUE;
}

/* The signed sqlite snapshot the portal offers beside the JSON Lines one
 * (docs/portal-api.yaml, MirrorInfo.sqlite), when this counter can check
 * it: a portal key is pinned. NULL: take the JSON Lines. */
static JsonObject *
usable_sqlite_offer (Run        *run,
                     JsonObject *info)
{
  g_autofree char *key = NULL;
  JsonObject *offer;
  const char *href, *signature;

  offer = json_object_has_member (info, "sqlite") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (info, "sqlite"))
          ? json_object_get_object_member (info, "sqlite") : NULL;
  if (offer == NULL)
    return NULL;
  href = json_object_get_string_member_with_default (offer, "href", NULL);
  signature = json_object_get_string_member_with_default (offer, "signature", NULL);
  if (href == NULL || !g_str_has_prefix (href, "/") || signature == NULL || *signature == '\0')
    {
      bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_WARNING, "mirror",
                            _("The portal's registry snapshot offer is incomplete: the JSON "
                              "Lines file is downloaded instead."));
      return NULL;
    }
  key = bhxh_store_dup_portal_key (run->store);
  if (key == NULL)
    {
      bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_INFO, "mirror",
                            _("The portal offers a signed registry snapshot, but this counter "
                              "trusts no portal key yet: the JSON Lines file is downloaded "
                              "instead."));
      return NULL;
    }
  return offer;
}

/* Downloads the signed sqlite snapshot into a spool beside the store (a
 * file enciphered as it arrives, with a key in memory only: the registry is
 * never on disk in clear, nor whole in memory) and imports it from there:
 * signature checked against the pinned key, then copied page by page
 * through the store's VFS. Refused, the mirror in use stays and the next
 * sync tries again. The spool is removed either way. */
static gboolean
pull_sqlite_snapshot (Run         *run,
                      JsonObject  *offer,
                      const char  *latest,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BhxhSpool) spool = NULL;
  g_autofree char *path = _bhxh_sync_cache_path (run->db_path, latest, ".sqlite.spool");
  const char *href = json_object_get_string_member (offer, "href");
  guint64 rows = 0;

  spool = bhxh_spool_new (path, error);
  if (spool == NULL ||
      !bhxh_portal_download_spool (run->portal, href, spool,
                                   (guint64) json_object_get_int_member_with_default (offer,
                                                                                      "size", 0),
                                   json_object_get_string_member_with_default (offer, "sha256",
                                                                               NULL),
                                   download_progress_cb, run, run->cancellable, error))
    return FALSE;
  if (!bhxh_store_import_mirror_snapshot_version (run->store, path,
                                                  json_object_get_string_member (offer,
                                                                                 "signature"),
                                                  latest, import_progress_cb, run,
                                                  run->cancellable, &rows, &local_error))
    {
      g_autoptr(GString) message = NULL;

      if (g_error_matches (local_error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* The file is the portal's, not this counter's spool. */
      message = g_string_new (local_error->message);
      g_string_replace (message, path, href, 0);
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                   _("The portal's registry snapshot of version %s was refused; the mirror "
                     "in use is kept: %s"), latest, message->str);
      return FALSE;
    }
  run->report->mirror_version = g_strdup (latest);
  run->report->mirror_rows = rows;
  run->report->mirror_from_snapshot = TRUE;
  run->report->mirror_format = "sqlite";
  /* No JSON Lines base: the next delta is applied in place. */
  _bhxh_sync_prune_snapshots (run->db_path, latest);
  bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_INFO, "mirror",
                        _("Registry mirror updated to version %s (%llu people) from the "
                          "portal's signed snapshot."), latest, (unsigned long long) rows);
  return TRUE;
}

static gboolean
pull_mirror (Run     *run,
             GError **error)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *local = bhxh_store_dup_mirror_version (run->store);
  g_autofree char *dest = NULL;
  JsonObject *info, *snapshot, *offer;
  const char *latest, *href, *sha256;
  guint64 size;
  guint status = 0;

  answer = bhxh_portal_call (run->portal, "GET", "/v1/mirror", NULL, &status, run->cancellable,
                             error);
  if (answer == NULL)
    return FALSE;
  if (status == 404)
    return TRUE;
  info = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  latest = info ? json_object_get_string_member_with_default (info, "version", NULL) : NULL;
  snapshot = info && json_object_has_member (info, "snapshot")
             ? json_object_get_object_member (info, "snapshot") : NULL;
  href = snapshot ? json_object_get_string_member_with_default (snapshot, "href", NULL) : NULL;
  if (status != 200 || latest == NULL || href == NULL || !g_str_has_prefix (href, "/"))
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                   _("The portal's answer to %s does not follow the contract (HTTP %u)."),
                   "/v1/mirror", status);
      return FALSE;
    }
  if (g_strcmp0 (local, latest) == 0)
    return TRUE;
  if (local && try_delta (run, local, latest, error))
    return TRUE;
  if (error && *error)
    return FALSE;

  offer = usable_sqlite_offer (run, info);
  if (offer != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (pull_sqlite_snapshot (run, offer, latest, &local_error))
        return TRUE;
      /* A portal that named a file it then refuses to serve (HTTP 404,
       * 403…): the JSON Lines, as from a portal without them. */
      if (!g_error_matches (local_error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_HTTP))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      bhxh_sync_log_append (run->db_path, BHXH_SYNC_LOG_WARNING, "mirror",
                            _("The portal did not serve its registry snapshot (%s): the JSON "
                              "Lines file is downloaded instead."), local_error->message);
    }

  dest = _bhxh_sync_snapshot_path (run->db_path, latest);
  size = (guint64) json_object_get_int_member_with_default (snapshot, "size", 0);
  sha256 = json_object_get_string_member_with_default (snapshot, "sha256", NULL);
  if (bhxh_store_is_encrypted (run->store))
    {
      /* Downloaded in memory, kept sealed: never in clear on disk. */
      g_autoptr(GBytes) bytes = bhxh_portal_download_bytes (run->portal, href, size, sha256,
                                                            download_progress_cb, run,
                                                            run->cancellable, error);

      if (bytes == NULL ||
          !bhxh_store_write_sealed (run->store, latest, g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes), dest, error))
        return FALSE;
    }
  else if (!bhxh_portal_download (run->portal, href, dest, size, sha256, download_progress_cb,
                                  run, run->cancellable, error))
    return FALSE;
  if (!import_snapshot (run, dest, latest, error))
    return FALSE;
  run->report->mirror_format = "jsonl";
  return TRUE;
}

static gboolean
pull_account (Run     *run,
              GError **error)
{
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *account;
  const char *status_text, *office;
  guint status = 0;

  report_progress (run, BHXH_SYNC_STAGE_ACCOUNT, 0, 1);
  answer = bhxh_portal_call (run->portal, "GET", "/v1/account", NULL, &status, run->cancellable,
                             error);
  if (answer == NULL)
    return FALSE;
  account = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  status_text = account ? json_object_get_string_member_with_default (account, "status", NULL)
                        : NULL;
  office = account ? json_object_get_string_member_with_default (account, "office_code", NULL)
                   : NULL;
  if (status != 200 || status_text == NULL || office == NULL)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                   _("The portal's answer to %s does not follow the contract (HTTP %u)."),
                   "/v1/account", status);
      return FALSE;
    }
  bhxh_store_set_meta (run->store, "sync.account_status", status_text, NULL);
  bhxh_store_set_meta (run->store, "sync.workstation",
                       json_object_get_string_member_with_default (account, "workstation", ""),
                       NULL);
  bhxh_store_set_meta (run->store, "sync.office_code", office, NULL);
  if (!g_str_equal (status_text, "active"))
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_SUSPENDED,
                           _("The portal has suspended this workstation's account."));
      return FALSE;
    }
  run->office_code = g_strdup (run->options->office_code ? run->options->office_code : office);
  report_progress (run, BHXH_SYNC_STAGE_ACCOUNT, 1, 1);
  return TRUE;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CANCELLED)
         || g_error_matches (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CANCELLED);
}

/* The steps, in order of what matters at close of day: decisions out
 * first, then what comes in. A failed step is reported and the rest that
 * can still work goes on. */
static gboolean
run_steps (Run     *run,
           GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!pull_account (run, &local))
    goto failed;
  /* Before anything is carried on USB, the portal knows the key. */
  _bhxh_sync_register_desk_key (run->store, run->portal, run->cancellable);
  if (run->options->push)
    push (run);
  if (g_cancellable_set_error_if_cancelled (run->cancellable, &local))
    goto failed;
  if (run->options->pull && !run->offline)
    {
      if (!pull_reference (run, &local) && is_cancelled (local))
        goto failed;
      if (local)
        run_error (run, local);
      g_clear_error (&local);
      if (!run->offline && (!pull_declarations (run, &local) || !pull_portraits (run, &local)) &&
          is_cancelled (local))
        goto failed;
      if (local)
        run_error (run, local);
      g_clear_error (&local);
      if (!run->offline && run->options->pull_mirror && !pull_mirror (run, &local))
        goto failed;
    }
  return TRUE;

failed:
  if (local && (is_cancelled (local)
                || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CANCELLED,
                           _("Synchronisation was cancelled."));
      return FALSE;
    }
  if (local)
    run_error (run, local);
  return TRUE;
}

BhxhSyncReport *
bhxh_sync_run (BhxhStore             *store,
               const BhxhSyncOptions *options,
               BhxhSyncProgressFunc   progress,
               gpointer               user_data,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autoptr(BhxhPortal) portal = NULL;
  g_autofree char *now_text = NULL;
  Run run = { 0 };
  gboolean ok;
  int lock;

  g_return_val_if_fail (BHXH_IS_STORE (store), NULL);
  g_return_val_if_fail (options != NULL && options->portal != NULL, NULL);

  lock = _bhxh_sync_lock (bhxh_store_get_path (store), error);
  if (lock < 0)
    return NULL;
  /* Anything left "sending" was cut off by a crash: send it again, the
   * portal recognises it by its UUID. */
  if (!bhxh_store_outbox_requeue_sending (store, error))
    {
      _bhxh_sync_unlock (lock);
      return NULL;
    }

  report = _bhxh_sync_report_new ();
  portal = bhxh_portal_new (options->portal);
  run.store = store;
  run.options = options;
  run.portal = portal;
  run.report = report;
  run.db_path = bhxh_store_get_path (store);
  run.progress = progress;
  run.progress_data = user_data;
  run.cancellable = cancellable;
  run.unanswered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  {
    g_autofree char *shown = bhxh_portal_url_for_display (options->portal->portal_url);

    bhxh_sync_log_append (run.db_path, BHXH_SYNC_LOG_INFO, "start",
                          _("Synchronisation with %s started."), shown);
  }
  ok = run_steps (&run, error);
  bhxh_store_outbox_requeue_sending (store, NULL);
  report->pending = bhxh_store_outbox_count (store, BHXH_OUTBOX_PENDING);
  report->requests = bhxh_portal_get_stats (portal)->requests;
  report->retries = bhxh_portal_get_stats (portal)->retries;
  g_free (run.office_code);
  g_hash_table_unref (run.unanswered);

  now_text = bhxh_clock_now_iso ();
  if (ok && report->errors->len == 0)
    bhxh_store_set_meta (store, "sync.last_success_at", now_text, NULL);
  bhxh_store_set_meta (store, "sync.last_attempt_at", now_text, NULL);
  bhxh_sync_log_append (run.db_path, report->errors->len ? BHXH_SYNC_LOG_WARNING
                                                         : BHXH_SYNC_LOG_INFO, "end",
                        ok ? _("Synchronisation finished: %u decisions still waiting.")
                           : _("Synchronisation cancelled: %u decisions still waiting."),
                        report->pending);
  _bhxh_sync_unlock (lock);
  return ok ? g_steal_pointer (&report) : NULL;
}

/* ---- async ------------------------------------------------------------- */

typedef struct
{
  char                 *db_path;
  BhxhSyncOptions      *options;
  BhxhSyncProgressFunc  progress;
  gpointer              progress_data;
  GDestroyNotify        progress_notify;
  GMainContext         *context;
} AsyncData;

typedef struct
{
  GTask         *task;
  BhxhSyncStage  stage;
  guint64        done;
  guint64        total;
} ProgressEvent;

static void
async_data_free (AsyncData *data)
{
  if (data->progress_notify)
    data->progress_notify (data->progress_data);
  g_main_context_unref (data->context);
  bhxh_sync_options_free (data->options);
  g_free (data->db_path);
  g_free (data);
}

static gboolean
progress_idle_cb (gpointer user_data)
{
  ProgressEvent *event = user_data;
  AsyncData *data = g_task_get_task_data (event->task);

  data->progress (event->stage, event->done, event->total, data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_event_free (ProgressEvent *event)
{
  g_object_unref (event->task);
  g_free (event);
}

static void
thread_progress_cb (BhxhSyncStage stage,
                    guint64       done,
                    guint64       total,
                    gpointer      user_data)
{
  GTask *task = user_data;
  AsyncData *data = g_task_get_task_data (task);
  ProgressEvent *event;

  if (data->progress == NULL)
    return;
  event = g_new0 (ProgressEvent, 1);
  event->task = g_object_ref (task);
  event->stage = stage;
  event->done = done;
  event->total = total;
  /* The event holds the task, so the data outlives every pending event. */
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, progress_idle_cb, event,
                              (GDestroyNotify) progress_event_free);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AsyncData *data = task_data;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BhxhSyncReport *report;

  store = bhxh_store_open (data->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  report = bhxh_sync_run (store, data->options, thread_progress_cb, task, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) bhxh_sync_report_free);
}

void
bhxh_sync_run_async (BhxhStore             *store,
                     const BhxhSyncOptions *options,
                     BhxhSyncProgressFunc   progress,
                     gpointer               progress_data,
                     GDestroyNotify         progress_notify,
                     GCancellable          *cancellable,
                     GAsyncReadyCallback    callback,
                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data;

  g_return_if_fail (BHXH_IS_STORE (store));
  g_return_if_fail (options != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, bhxh_sync_run_async);
  data = g_new0 (AsyncData, 1);
  data->db_path = g_strdup (bhxh_store_get_path (store));
  data->options = bhxh_sync_options_copy (options);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_notify = progress_notify;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, sync_thread);
}

BhxhSyncReport *
bhxh_sync_run_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bhxh_sync_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- claims ------------------------------------------------------------ */

gboolean
bhxh_sync_claim (BhxhPortal    *portal,
                 const char    *declaration_id,
                 const char    *clerk,
                 const char    *clerk_name,
                 char         **holder,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *escaped = g_uri_escape_string (declaration_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v1/declarations/%s/claim", escaped);
  g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), json_object_new ());
  g_autoptr(JsonNode) answer = NULL;
  const char *by = NULL;
  guint status = 0;

  json_object_set_string_member (json_node_get_object (body), "clerk", clerk);
  if (clerk_name != NULL)
    json_object_set_string_member (json_node_get_object (body), "clerk_name", clerk_name);
  answer = bhxh_portal_call (portal, "POST", path, body, &status, cancellable, error);
  if (answer == NULL)
    return FALSE;
  /* People by their names: the login only when the portal has no name. */
  if (JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *object = json_node_get_object (answer);

      by = json_object_get_string_member_with_default (object, "claimed_by_name", NULL);
      if (by == NULL || *by == '\0')
        by = json_object_get_string_member_with_default (object, "claimed_by", NULL);
    }
  if (holder)
    *holder = g_strdup (by);
  if (status == 200)
    return TRUE;
  if (status == 409)
    g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CLAIMED,
                 _("%s is already handling this declaration at another counter."),
                 by ? by : _("Another clerk"));
  else
    g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_HTTP,
                 _("The portal refused the claim (HTTP %u)."), status);
  return FALSE;
}

gboolean
bhxh_sync_release (BhxhPortal    *portal,
                   const char    *declaration_id,
                   const char    *clerk,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *id = g_uri_escape_string (declaration_id, NULL, FALSE);
  g_autofree char *who = g_uri_escape_string (clerk, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v1/declarations/%s/claim?clerk=%s", id, who);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = bhxh_portal_call (portal, "DELETE", path, NULL, &status, cancellable, error);
  if (answer == NULL)
    return FALSE;
  if (status == 204 || status == 200)
    return TRUE;
  g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_HTTP,
               _("The portal refused to release the claim (HTTP %u)."), status);
  return FALSE;
}

/* ---- enrolment --------------------------------------------------------- */

gboolean
bhxh_sync_enrol (BhxhStore   *store,
                 const char  *url,
                 const char  *office,
                 const char  *token,
                 GError     **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (store), FALSE);

  if (!bhxh_portal_url_check (url, error))
    return FALSE;
  return bhxh_store_set_portal (store, url, office, token, error);
}

BhxhSyncOptions *
bhxh_sync_options_new_enrolled (BhxhStore  *store,
                                GError    **error)
{
  g_autoptr(BhxhSyncOptions) options = bhxh_sync_options_new ();

  g_return_val_if_fail (BHXH_IS_STORE (store), NULL);

  if (!bhxh_store_dup_portal (store, &options->portal->portal_url, &options->office_code,
                              &options->portal->token))
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_NOT_ENROLLED,
                           _("No portal is set for this counter: an administrator sets it "
                             "with “bhxh-deskctl portal set”."));
      return NULL;
    }
  return g_steal_pointer (&options);
}
