/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-json.h"
#include "core/bhxh-text.h"
#include "bhxh-store-private.h"
#include "bhxh-store-safety.h"

#define DECISION_COLUMNS \
  "c.uuid, c.declaration_id, c.outcome, c.clerk, c.decided_at, c.reason_codes, c.note, " \
  "c.override, c.countersigned_by, c.mirror_version, c.verdict, o.state, o.detail, " \
  "c.document_checked, c.evidence, c.countersign, o.hold_until_unix, " \
  "u.display_name, cu.display_name, dc.full_name"
/* With the names people read: one join, not a query per row. */
#define DECISION_FROM "FROM decisions c LEFT JOIN outbox o ON o.decision_uuid = c.uuid " \
  "LEFT JOIN users u ON u.login = c.clerk LEFT JOIN users cu ON cu.login = c.countersigned_by " \
  "LEFT JOIN declarations dc ON dc.id = c.declaration_id "

static gboolean
verdict_parse (const char  *text,
               BhxhVerdict *out)
{
  for (BhxhVerdict v = BHXH_VERDICT_CAN_APPROVE; v <= BHXH_VERDICT_BLOCKED; v++)
    if (g_strcmp0 (text, bhxh_verdict_to_string (v)) == 0)
      {
        *out = v;
        return TRUE;
      }

  return FALSE;
}

static BhxhDecision *
decision_from_row (sqlite3_stmt *stmt)
{
  BhxhDecision *decision = g_new0 (BhxhDecision, 1);
  const char *codes = (const char *) sqlite3_column_text (stmt, 5);

  decision->uuid = _bhxh_column_dup (stmt, 0);
  decision->declaration_id = _bhxh_column_dup (stmt, 1);
  bhxh_outcome_parse ((const char *) sqlite3_column_text (stmt, 2), &decision->outcome);
  decision->clerk = _bhxh_column_dup (stmt, 3);
  decision->decided_at = _bhxh_column_time (stmt, 4);
  decision->reason_codes = codes != NULL && *codes != '\0' ? g_strsplit (codes, ",", -1)
                                                           : g_new0 (char *, 1);
  decision->note = _bhxh_column_dup (stmt, 6);
  decision->override = sqlite3_column_int (stmt, 7) != 0;
  decision->countersigned_by = _bhxh_column_dup (stmt, 8);
  decision->mirror_version = _bhxh_column_dup (stmt, 9);
  if (!verdict_parse ((const char *) sqlite3_column_text (stmt, 10), &decision->verdict))
    decision->verdict = BHXH_VERDICT_BLOCKED;
  if (!bhxh_outbox_state_parse ((const char *) sqlite3_column_text (stmt, 11),
                                &decision->outbox_state))
    decision->outbox_state = BHXH_OUTBOX_PENDING;
  decision->outbox_detail = _bhxh_column_dup (stmt, 12);
  /* Before schema 4 nobody recorded it: not claimed either way; schema 4
   * knew only whether a document was checked. */
  if (!bhxh_evidence_parse ((const char *) sqlite3_column_text (stmt, 14), &decision->evidence))
    decision->evidence = sqlite3_column_type (stmt, 13) != SQLITE_NULL &&
                         sqlite3_column_int (stmt, 13) == 0 ? BHXH_EVIDENCE_NONE
                                                            : BHXH_EVIDENCE_UNKNOWN;
  decision->countersign = sqlite3_column_int (stmt, 15) != 0;
  if (sqlite3_column_type (stmt, 16) != SQLITE_NULL)
    decision->hold_until = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 16));
  decision->clerk_name = _bhxh_column_dup (stmt, 17);
  decision->countersigned_by_name = _bhxh_column_dup (stmt, 18);
  decision->person_name = _bhxh_column_dup (stmt, 19);

  return decision;
}

static GPtrArray *
collect_decisions (BhxhStore     *self,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_decision_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, decision_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the decisions"));
      return NULL;
    }

  return g_steal_pointer (&list);
}

BhxhDecision *
bhxh_store_get_decision (BhxhStore   *self,
                         const char  *uuid,
                         GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT " DECISION_COLUMNS " " DECISION_FROM "WHERE c.uuid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  list = collect_decisions (self, stmt, error);
  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no decision %s"), uuid);
      return NULL;
    }

  return g_ptr_array_steal_index (list, 0);
}

/**
 * bhxh_store_get_latest_decision:
 *
 * The latest decision on a declaration (by index), or %NULL without an
 * error when it has none.
 */
BhxhDecision *
bhxh_store_get_latest_decision (BhxhStore   *self,
                                const char  *declaration_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (declaration_id != NULL, NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT " DECISION_COLUMNS " " DECISION_FROM
    "WHERE c.declaration_id = ?1 ORDER BY c.decided_at DESC, o.seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, declaration_id, -1, SQLITE_STATIC);
  list = collect_decisions (self, stmt, error);
  if (list == NULL || list->len == 0)
    return NULL;
  return g_ptr_array_steal_index (list, 0);
}

GPtrArray *
bhxh_store_list_decisions_on (BhxhStore       *self,
                              const BhxhDate  *day,
                              GError         **error)
{
  g_autofree char *iso = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (day != NULL && bhxh_date_is_full (day), NULL);

  iso = bhxh_date_to_iso (day);
  stmt = _bhxh_store_prepare (self,
    "SELECT " DECISION_COLUMNS " " DECISION_FROM
    "WHERE c.decided_day = ?1 ORDER BY c.decided_at, c.uuid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, iso, -1, SQLITE_STATIC);

  return collect_decisions (self, stmt, error);
}

/* Deciding. */

/* Checks the codes exist; returns them joined with commas, without repeats. */
static char *
join_reason_codes (BhxhStore          *self,
                   const char * const *codes,
                   guint              *n_codes,
                   GError            **error)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;

  *n_codes = 0;
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    {
      gboolean known;

      if (g_hash_table_contains (seen, codes[i]))
        continue;
      stmt = _bhxh_store_prepare (self, "SELECT 1 FROM reason_codes WHERE code = ?1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, codes[i], -1, SQLITE_STATIC);
      known = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!known)
        {
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                       _("“%s” is not a known reason code"), codes[i]);
          return NULL;
        }
      g_hash_table_add (seen, (gpointer) codes[i]);
      if (joined->len > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, codes[i]);
      (*n_codes)++;
    }

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* A chip document is recorded as the JSON of its data and authentication
 * (purged: NULL, then it counts as a QR). */
static BhxhEvidence
recorded_chip_evidence (const char *payload)
{
  g_autoptr(JsonNode) node = payload != NULL ? json_from_string (payload, NULL) : NULL;
  g_autoptr(BhxhDocument) document = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return BHXH_EVIDENCE_CARD_QR;
  document = bhxh_document_from_record (json_node_get_object (node), NULL);
  return bhxh_evidence_for_document (document);
}

/* The best identity evidence recorded for the declaration by earlier
 * decisions (an escalation after a scan, a withdrawn decision). */
static BhxhEvidence
recorded_evidence (BhxhStore  *self,
                   const char *declaration_id)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self,
    "SELECT DISTINCT kind, payload FROM documents WHERE declaration_id = ?1", NULL);
  BhxhEvidence best = BHXH_EVIDENCE_NONE;

  if (stmt == NULL)
    return BHXH_EVIDENCE_NONE;
  sqlite3_bind_text (stmt, 1, declaration_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BhxhDocumentKind kind;

      if (!bhxh_document_kind_parse ((const char *) sqlite3_column_text (stmt, 0), &kind))
        continue;
      best = MAX (best, bhxh_evidence_for_kind (kind));
      if (kind == BHXH_DOCUMENT_CCCD_CHIP)
        best = MAX (best, recorded_chip_evidence ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  return best;
}

static gboolean is_supervisor (BhxhStore  *self,
                               const char *login);

/* Everything decide() checks before it writes: the counter's rules of
 * src/core/bhxh-decision.c on the facts the store holds, then the safety
 * stops: the same for every caller (counter, supervisor page, CLI, bundle
 * import). */
static gboolean
check_request (BhxhStore                  *self,
               const BhxhDecisionRequest  *request,
               const BhxhDeclaration      *d,
               guint                       n_codes,
               const BhxhCheck            *check,
               GDateTime                  *now,
               BhxhDecisionFacts          *facts,
               BhxhDecisionTerms          *terms,
               GError                    **error)
{
  static const int store_codes[] = {
    [BHXH_RULE_ALREADY_DECIDED] = BHXH_STORE_ERROR_ALREADY_DECIDED,
    [BHXH_RULE_BAD_INPUT] = BHXH_STORE_ERROR_BAD_INPUT,
    [BHXH_RULE_NOT_ALLOWED] = BHXH_STORE_ERROR_NOT_ALLOWED,
  };
  g_autofree char *message = NULL;
  BhxhRuleResult result;

  *facts = (BhxhDecisionFacts) {
    .declaration = d,
    .check = check,
    .n_reason_codes = n_codes,
    .evidence = MAX (bhxh_evidence_for_document (request->document),
                     recorded_evidence (self, d->id)),
    .by_supervisor = is_supervisor (self, request->clerk),
    .chip_required = bhxh_store_get_setting (self, BHXH_META_CHIP_REQUIRED) != 0,
  };
  result = bhxh_decision_rules_check (request, facts, terms, &message);
  if (result != BHXH_RULE_OK)
    {
      g_set_error_literal (error, BHXH_STORE_ERROR, store_codes[result], message);
      return FALSE;
    }
  /* A stale mirror or decisions stuck offline stop every approval, the
   * supervisor's bulk approve included (docs/sync.md). */
  if (request->outcome == BHXH_OUTCOME_APPROVE &&
      !bhxh_store_safety_allows_approval (self, now, error))
    return FALSE;

  return TRUE;
}

typedef struct
{
  const BhxhDecisionRequest *request;
  const BhxhDeclaration     *declaration;
  const BhxhCheck           *check;
  const char                *uuid;
  const char                *codes;
  const char                *now;
  const char                *day;
  gint64                     now_unix;
  BhxhDecisionFacts          facts;
  BhxhDecisionTerms          terms;
} DecisionRow;

/* Whether @login is a supervisor (or an admin): they override and
 * countersign, and their name goes on the decision. */
static gboolean
is_supervisor (BhxhStore  *self,
               const char *login)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self, "SELECT role FROM users WHERE login = ?1",
                                            NULL);
  gboolean supervisor = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    supervisor = bhxh_role_parse ((const char *) sqlite3_column_text (stmt, 0)) >=
                 BHXH_ROLE_SUPERVISOR;
  sqlite3_reset (stmt);

  return supervisor;
}

static gboolean
insert_decision (BhxhStore          *self,
                 const DecisionRow  *row,
                 GError            **error)
{
  g_autofree char *mirror_version = bhxh_store_dup_mirror_version (self);
  const BhxhDecisionRequest *request = row->request;
  gboolean countersigned = row->facts.by_supervisor &&
                           (row->terms.override || row->terms.countersign);
  sqlite3_stmt *stmt;

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO decisions (uuid, declaration_id, outcome, clerk, decided_at, decided_day, "
    "reason_codes, note, override, mirror_version, verdict, countersigned_by, "
    "document_checked, evidence, countersign, previous_status) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->declaration->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bhxh_outcome_to_string (request->outcome), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, request->clerk, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, row->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, row->day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, row->codes, -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 8, bhxh_text_is_blank (request->note) ? NULL : request->note);
  sqlite3_bind_int (stmt, 9, row->terms.override ? 1 : 0);
  _bhxh_bind_text (stmt, 10, mirror_version);
  sqlite3_bind_text (stmt, 11, bhxh_verdict_to_string (row->check->verdict), -1, SQLITE_STATIC);
  if (countersigned)
    sqlite3_bind_text (stmt, 12, request->clerk, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 13, row->facts.evidence > BHXH_EVIDENCE_NONE ? 1 : 0);
  sqlite3_bind_text (stmt, 14, bhxh_evidence_to_string (row->facts.evidence), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (stmt, 15, row->terms.countersign ? 1 : 0);
  sqlite3_bind_text (stmt, 16, bhxh_status_to_string (row->declaration->status), -1,
                     SQLITE_STATIC);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _bhxh_store_prepare (self,
    "UPDATE declarations SET status = ?2, decided_locally = 1, updated_at = ?3 WHERE id = ?1",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->declaration->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, bhxh_status_to_string (bhxh_outcome_to_status (request->outcome)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->now, -1, SQLITE_STATIC);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO outbox (decision_uuid, state, attempts, seq, updated_at, hold_until_unix) "
    "VALUES (?1, 'pending', 0, (SELECT coalesce (max (seq), 0) + 1 FROM outbox), ?2, ?3)",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->now, -1, SQLITE_STATIC);
  if (request->hold_seconds > 0)
    sqlite3_bind_int64 (stmt, 3, row->now_unix + MIN (request->hold_seconds,
                                                      BHXH_STORE_MAX_HOLD_SECONDS));

  return _bhxh_store_step_done (self, stmt, error);
}

static gboolean
insert_document (BhxhStore          *self,
                 const DecisionRow  *row,
                 GError            **error)
{
  const BhxhDocument *document = row->request->document;
  g_autofree char *chip_json = NULL;
  sqlite3_stmt *stmt;

  if (document == NULL)
    return TRUE;
  stmt = _bhxh_store_prepare (self,
    "INSERT INTO documents (declaration_id, decision_uuid, kind, payload, scanned_at, clerk) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->declaration->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bhxh_document_kind_to_string (document->kind), -1, SQLITE_STATIC);
  if (document->kind == BHXH_DOCUMENT_CCCD_CHIP)
    {
      /* The chip's data with its authentication (and the QR read with it). */
      g_autoptr(JsonNode) node = bhxh_document_to_json (document);

      chip_json = json_to_string (node, FALSE);
    }
  _bhxh_bind_text (stmt, 4, chip_json != NULL ? chip_json : document->raw);
  sqlite3_bind_text (stmt, 5, row->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, row->request->clerk, -1, SQLITE_STATIC);

  return _bhxh_store_step_done (self, stmt, error);
}

/* The account row a decision replaces, kept on the decision so that a
 * withdrawal puts it back: "status|since|decision_uuid", or "none". */
static char *
dup_account_row (BhxhStore  *self,
                 const char *bhxh_code)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self,
    "SELECT status, coalesce (since, ''), decision_uuid FROM accounts WHERE bhxh_code = ?1",
    NULL);
  char *row = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, bhxh_code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    row = g_strdup_printf ("%s|%s|%s", sqlite3_column_text (stmt, 0),
                           sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
  else
    row = g_strdup ("none");
  sqlite3_reset (stmt);
  return row;
}

/* An approved register opens the account, an approved stop closes it. */
static gboolean
update_account (BhxhStore          *self,
                const DecisionRow  *row,
                GError            **error)
{
  const BhxhDeclaration *d = row->declaration;
  g_autofree char *before = NULL;
  const char *status;
  sqlite3_stmt *stmt;

  if (row->request->outcome != BHXH_OUTCOME_APPROVE || d->bhxh_code == NULL ||
      d->kind == BHXH_KIND_ADJUST)
    return TRUE;
  status = d->kind == BHXH_KIND_REGISTER ? "active" : "stopped";
  before = dup_account_row (self, d->bhxh_code);

  stmt = _bhxh_store_prepare (self,
    "UPDATE decisions SET account_before = ?2 WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->uuid, -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 2, before);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO accounts (bhxh_code, status, since, decision_uuid) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (bhxh_code) DO UPDATE SET status = excluded.status, "
    "since = excluded.since, decision_uuid = excluded.decision_uuid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->bhxh_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  if (bhxh_date_is_set (&d->start_date))
    _bhxh_bind_date (stmt, 3, &d->start_date);
  else
    sqlite3_bind_text (stmt, 3, row->day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, row->uuid, -1, SQLITE_STATIC);

  return _bhxh_store_step_done (self, stmt, error);
}

static gboolean
append_decision_audit (BhxhStore          *self,
                       const DecisionRow  *row,
                       GError            **error)
{
  g_autofree char *action = g_strconcat ("decision.",
                                         bhxh_outcome_to_string (row->request->outcome), NULL);
  g_autofree char *detail = g_strdup_printf ("uuid=%s verdict=%s reasons=%s override=%d "
                                             "evidence=%s countersign=%d",
                                             row->uuid,
                                             bhxh_verdict_to_string (row->check->verdict),
                                             row->codes, row->terms.override ? 1 : 0,
                                             bhxh_evidence_to_string (row->facts.evidence),
                                             row->terms.countersign ? 1 : 0);

  return _bhxh_store_audit_append (self, row->request->clerk, action,
                                   row->declaration->id, detail, error);
}

/* Runs inside the transaction; returns the new decision's uuid. */
static char *
decide_locked (BhxhStore                  *self,
               const BhxhDecisionRequest  *request,
               GError                    **error)
{
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(BhxhCheck) check = NULL;
  /* The decision's day is the office's day of its instant: one clock. */
  g_autoptr(GDateTime) now_time = bhxh_clock_now ();
  g_autofree char *codes = NULL;
  g_autofree char *now = bhxh_clock_format_iso (now_time);
  g_autofree char *day = NULL;
  g_autofree char *uuid = NULL;
  BhxhDate today = bhxh_clock_day_of (now_time);
  DecisionRow row = { 0 };
  guint n_codes;

  d = bhxh_store_get_declaration (self, request->declaration_id, error);
  if (d == NULL)
    return NULL;
  codes = join_reason_codes (self, request->reason_codes, &n_codes, error);
  if (codes == NULL)
    return NULL;
  check = bhxh_store_check_declaration (self, d, request->document, &today, error);
  if (check == NULL ||
      !check_request (self, request, d, n_codes, check, now_time, &row.facts, &row.terms,
                      error))
    return NULL;

  uuid = g_uuid_string_random ();
  day = bhxh_date_to_iso (&today);
  row.request = request;
  row.declaration = d;
  row.check = check;
  row.uuid = uuid;
  row.codes = codes;
  row.now = now;
  row.day = day;
  row.now_unix = g_date_time_to_unix (now_time);
  if (!insert_decision (self, &row, error) ||
      !insert_document (self, &row, error) ||
      !update_account (self, &row, error) ||
      !append_decision_audit (self, &row, error))
    return NULL;

  return g_steal_pointer (&uuid);
}

/**
 * bhxh_store_decide:
 * @request: the clerk's decision
 *
 * Records a decision in one transaction, committed to disk before this
 * returns: the decision, the declaration's new status, the scanned
 * document, the outbox entry, the account change and the audit entry.
 * Nothing changes when any rule refuses it. With @request->hold_seconds
 * (the counter's undo window, at most %BHXH_STORE_MAX_HOLD_SECONDS) the
 * decision is not sent before the window ends, and its clerk may withdraw it
 * until then (bhxh_store_withdraw_decision()).
 *
 * Returns: (transfer full): the decision, or %NULL with @error set
 */
BhxhDecision *
bhxh_store_decide (BhxhStore                  *self,
                   const BhxhDecisionRequest  *request,
                   GError                    **error)
{
  g_autofree char *uuid = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (request->declaration_id == NULL || bhxh_text_is_blank (request->clerk) ||
      request->outcome > BHXH_OUTCOME_ESCALATE)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("A decision needs a declaration, an outcome and a clerk"));
      return NULL;
    }
  /* Accounts required: the clerk is the signed-in user; only a supervisor
   * countersigns an approval over a blocking reason. */
  if (!_bhxh_store_require_role (self, request->clerk,
                                 request->override && request->outcome == BHXH_OUTCOME_APPROVE
                                 ? BHXH_ROLE_SUPERVISOR : BHXH_ROLE_CLERK, error))
    return NULL;

  if (!_bhxh_store_begin (self, error))
    return NULL;
  uuid = decide_locked (self, request, error);
  if (uuid == NULL)
    {
      _bhxh_store_rollback (self);
      return NULL;
    }
  if (!_bhxh_store_commit (self, error))
    return NULL;

  return bhxh_store_get_decision (self, uuid, error);
}

/* Puts back the account row a decision replaced ("none": there was none). */
static gboolean
restore_account (BhxhStore   *self,
                 const char  *bhxh_code,
                 const char  *before,
                 GError     **error)
{
  g_auto(GStrv) parts = NULL;
  sqlite3_stmt *stmt;

  if (before == NULL || bhxh_code == NULL)
    return TRUE;
  if (g_str_equal (before, "none"))
    {
      stmt = _bhxh_store_prepare (self, "DELETE FROM accounts WHERE bhxh_code = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, bhxh_code, -1, SQLITE_STATIC);
      return _bhxh_store_step_done (self, stmt, error);
    }
  parts = g_strsplit (before, "|", 3);
  if (g_strv_length (parts) != 3)
    return TRUE;
  stmt = _bhxh_store_prepare (self,
    "UPDATE accounts SET status = ?2, since = nullif (?3, ''), decision_uuid = ?4 "
    "WHERE bhxh_code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bhxh_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, parts[0], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, parts[1], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, parts[2], -1, SQLITE_STATIC);
  return _bhxh_store_step_done (self, stmt, error);
}

static gboolean
withdraw_locked (BhxhStore   *self,
                 const char  *uuid,
                 const char  *actor,
                 GError     **error)
{
  g_autoptr(GDateTime) now = bhxh_clock_now ();
  g_autofree char *declaration_id = NULL, *clerk = NULL, *previous = NULL;
  g_autofree char *state = NULL, *before = NULL, *bhxh_code = NULL, *detail = NULL;
  gint64 hold_until = 0;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bhxh_store_prepare (self,
    "SELECT c.declaration_id, c.clerk, c.previous_status, o.state, o.hold_until_unix, "
    "c.account_before, d.bhxh_code FROM decisions c JOIN outbox o ON o.decision_uuid = c.uuid "
    "JOIN declarations d ON d.id = c.declaration_id WHERE c.uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      declaration_id = _bhxh_column_dup (stmt, 0);
      clerk = _bhxh_column_dup (stmt, 1);
      previous = _bhxh_column_dup (stmt, 2);
      state = _bhxh_column_dup (stmt, 3);
      hold_until = sqlite3_column_int64 (stmt, 4);
      before = _bhxh_column_dup (stmt, 5);
      bhxh_code = _bhxh_column_dup (stmt, 6);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no decision %s"), uuid);
      return FALSE;
    }
  if (g_strcmp0 (clerk, actor) != 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("Only the clerk who made a decision can undo it"));
      return FALSE;
    }
  if (g_strcmp0 (state, "pending") != 0 || previous == NULL ||
      hold_until <= g_date_time_to_unix (now))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("The time to undo this decision is over: it stands"));
      return FALSE;
    }

  /* The scanned document stays recorded for the declaration. */
  if (!_bhxh_store_exec_printf (self, error,
        "UPDATE documents SET decision_uuid = NULL WHERE decision_uuid = %Q", uuid) ||
      !restore_account (self, bhxh_code, before, error) ||
      !_bhxh_store_exec_printf (self, error,
        "DELETE FROM outbox WHERE decision_uuid = %Q", uuid) ||
      !_bhxh_store_exec_printf (self, error,
        "DELETE FROM decisions WHERE uuid = %Q", uuid) ||
      !_bhxh_store_exec_printf (self, error,
        "UPDATE declarations SET status = %Q, decided_locally = "
        "(SELECT count(*) > 0 FROM decisions WHERE declaration_id = %Q) WHERE id = %Q",
        previous, declaration_id, declaration_id))
    return FALSE;
  detail = g_strdup_printf ("uuid=%s status=%s", uuid, previous);
  return _bhxh_store_audit_append (self, actor, "decision.withdraw", declaration_id, detail,
                                   error);
}

/**
 * bhxh_store_withdraw_decision:
 * @uuid: a decision made with a hold (the undo window)
 * @actor: who asks: the decision's own clerk
 *
 * Undo at the counter: removes a decision that is still in its undo window
 * and has not been sent, puts the declaration's status and the account back,
 * keeps the scanned document and records "decision.withdraw" in the audit
 * trail, in one durable transaction.
 */
gboolean
bhxh_store_withdraw_decision (BhxhStore   *self,
                              const char  *uuid,
                              const char  *actor,
                              GError     **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (bhxh_text_is_blank (actor))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("A decision needs a declaration, an outcome and a clerk"));
      return FALSE;
    }
  if (!_bhxh_store_require_role (self, actor, BHXH_ROLE_CLERK, error))
    return FALSE;
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!withdraw_locked (self, uuid, actor, error))
    {
      _bhxh_store_rollback (self);
      return FALSE;
    }
  return _bhxh_store_commit (self, error);
}

/**
 * bhxh_store_release_decision:
 * @uuid: a decision made with a hold
 *
 * Ends a decision's undo window early (the clerk moved on, printed its
 * paper, signed out, synchronises): it can no longer be withdrawn and the
 * next sync sends it. Nothing happens to a decision without a hold.
 */
gboolean
bhxh_store_release_decision (BhxhStore   *self,
                             const char  *uuid,
                             GError     **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  return _bhxh_store_exec_printf (self, error,
                                  "UPDATE outbox SET hold_until_unix = NULL "
                                  "WHERE decision_uuid = %Q AND state = 'pending'", uuid);
}

/* Outbox. */

/**
 * bhxh_store_outbox_claim:
 * @limit: at most this many; 0: all
 *
 * Moves the oldest pending entries to "sending" and returns their
 * decisions, oldest first.
 *
 * Returns: (transfer full) (element-type BhxhDecision): the claimed decisions
 */
GPtrArray *
bhxh_store_outbox_claim (BhxhStore  *self,
                         guint       limit,
                         GError    **error)
{
  g_autoptr(GPtrArray) claimed = NULL;
  g_autofree char *now = bhxh_clock_now_iso ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  if (!_bhxh_store_begin (self, error))
    return NULL;
  stmt = _bhxh_store_prepare (self,
    "SELECT " DECISION_COLUMNS " " DECISION_FROM
    "WHERE o.state = 'pending' AND coalesce (o.hold_until_unix, 0) <= ?2 "
    "ORDER BY o.seq LIMIT ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  /* A decision in its undo window is not sent yet. */
  sqlite3_bind_int64 (stmt, 2, bhxh_clock_now_unix ());
  claimed = collect_decisions (self, stmt, error);
  if (claimed == NULL)
    goto fail;

  for (guint i = 0; i < claimed->len; i++)
    {
      BhxhDecision *decision = g_ptr_array_index (claimed, i);

      stmt = _bhxh_store_prepare (self,
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?2 "
        "WHERE decision_uuid = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, decision->uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      if (!_bhxh_store_step_done (self, stmt, error))
        goto fail;
      decision->outbox_state = BHXH_OUTBOX_SENDING;
    }
  if (!_bhxh_store_commit (self, error))
    return NULL;

  return g_steal_pointer (&claimed);

fail:
  _bhxh_store_rollback (self);
  return NULL;
}

static gboolean
set_state_locked (BhxhStore        *self,
                  const char       *uuid,
                  BhxhOutboxState   state,
                  const char       *detail,
                  const char       *now,
                  gboolean          head,
                  GError          **error)
{
  g_autofree char *action = NULL;
  sqlite3_stmt *stmt;

  stmt = _bhxh_store_prepare (self,
    "UPDATE outbox SET state = ?2, detail = ?3, updated_at = ?4 WHERE decision_uuid = ?1",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, bhxh_outbox_state_to_string (state), -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 3, detail);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no decision %s in the outbox"), uuid);
      return FALSE;
    }
  /* The portal's answers matter to the trail; "sending" is bookkeeping. */
  if (state == BHXH_OUTBOX_SENDING)
    return TRUE;
  action = g_strconcat ("outbox.", bhxh_outbox_state_to_string (state), NULL);
  return _bhxh_store_audit_append_full (self, "sync", action, uuid, detail, head, error);
}

gboolean
bhxh_store_outbox_set_state (BhxhStore        *self,
                             const char       *uuid,
                             BhxhOutboxState   state,
                             const char       *detail,
                             GError          **error)
{
  BhxhOutboxAnswer answer = { uuid, state, detail };

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (state <= BHXH_OUTBOX_CONFLICT, FALSE);

  return bhxh_store_outbox_settle (self, &answer, 1, error);
}

/**
 * bhxh_store_outbox_settle:
 * @answers: (array length=n_answers): the new state of each decision
 *
 * Records the portal's answers about a batch of decisions: each outbox
 * entry's state and detail, with its audit entry, all in one transaction
 * (one sync to disk for the batch). All or nothing: when one of them
 * cannot be recorded (no such decision in the outbox), none is, and the
 * decisions stay as they were — sent again, recognised by the portal.
 */
gboolean
bhxh_store_outbox_settle (BhxhStore               *self,
                          const BhxhOutboxAnswer  *answers,
                          guint                    n_answers,
                          GError                 **error)
{
  g_autofree char *now = bhxh_clock_now_iso ();
  guint last_audited = 0;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (answers != NULL || n_answers == 0, FALSE);

  for (guint i = 0; i < n_answers; i++)
    {
      g_return_val_if_fail (answers[i].uuid != NULL, FALSE);
      g_return_val_if_fail (answers[i].state <= BHXH_OUTBOX_CONFLICT, FALSE);
      if (answers[i].state != BHXH_OUTBOX_SENDING)
        last_audited = i;
    }
  if (n_answers == 0)
    return TRUE;
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_answers; i++)
    {
      /* The audit trail's head anchored once, at the batch's last entry. */
      if (!set_state_locked (self, answers[i].uuid, answers[i].state, answers[i].detail, now,
                             i == last_audited, error))
        {
          _bhxh_store_rollback (self);
          return FALSE;
        }
    }
  return _bhxh_store_commit (self, error);
}

/* After a crash, entries left "sending" may not have reached the portal:
 * send them again (the portal de-duplicates by uuid). */
gboolean
bhxh_store_outbox_requeue_sending (BhxhStore  *self,
                                   GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  stmt = _bhxh_store_prepare (self,
    "UPDATE outbox SET state = 'pending' WHERE state = 'sending'", error);
  if (stmt == NULL)
    return FALSE;

  return _bhxh_store_step_done (self, stmt, error);
}

guint
bhxh_store_outbox_count (BhxhStore       *self,
                         BhxhOutboxState  state)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (BHXH_IS_STORE (self), 0);
  g_return_val_if_fail (state <= BHXH_OUTBOX_CONFLICT, 0);

  stmt = _bhxh_store_prepare (self, "SELECT count(*) FROM outbox WHERE state = ?1", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, bhxh_outbox_state_to_string (state), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return count;
}

/**
 * bhxh_store_dup_oldest_waiting:
 *
 * The instant of the oldest decision that has not reached the portal yet
 * (its outbox entry pending or being sent): one indexed query.
 *
 * Returns: (transfer full) (nullable): its decided_at, or %NULL when
 *   nothing waits
 */
GDateTime *
bhxh_store_dup_oldest_waiting (BhxhStore *self)
{
  sqlite3_stmt *stmt;
  GDateTime *oldest = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  /* julianday() reads each stored time's offset: the minimum is an instant. */
  stmt = _bhxh_store_prepare (self,
    "SELECT d.decided_at FROM outbox o JOIN decisions d ON d.uuid = o.decision_uuid "
    "WHERE o.state IN ('pending', 'sending') ORDER BY julianday (d.decided_at) LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    oldest = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 0), NULL);
  sqlite3_reset (stmt);
  return oldest;
}
