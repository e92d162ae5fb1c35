/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-json.h"
#include "bhxh-store-private.h"
#include "bhxh-store-safety.h"

#define DECISION_COLUMNS \
  "c.uuid, c.declaration_id, c.outcome, c.clerk, c.decided_at, c.reason_codes, c.note, " \
  "c.override, c.countersigned_by, c.mirror_version, c.verdict, o.state, o.detail, " \
  "c.document_checked"
#define DECISION_FROM "FROM decisions c LEFT JOIN outbox o ON o.decision_uuid = c.uuid "

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
  if (!_bhxh_outbox_state_parse ((const char *) sqlite3_column_text (stmt, 11),
                                 &decision->outbox_state))
    decision->outbox_state = BHXH_OUTBOX_PENDING;
  decision->outbox_detail = _bhxh_column_dup (stmt, 12);
  /* Before schema 4 nobody recorded it: not claimed either way. */
  decision->without_document = sqlite3_column_type (stmt, 13) != SQLITE_NULL &&
                               sqlite3_column_int (stmt, 13) == 0;

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

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

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

static char *
blocking_reasons (const BhxhCheck *check)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < check->reasons->len; i++)
    {
      const BhxhReason *reason = g_ptr_array_index (check->reasons, i);

      if (reason->severity != BHXH_SEVERITY_BLOCK)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, reason->code);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Whether an identity document of the person was recorded for the
 * declaration by an earlier decision (an escalation after a scan). */
static gboolean
has_recorded_document (BhxhStore  *self,
                       const char *declaration_id)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self,
    "SELECT 1 FROM documents WHERE declaration_id = ?1 LIMIT 1", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, declaration_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gboolean is_supervisor (BhxhStore  *self,
                               const char *login);

/* Everything decide() checks before it writes: the counter's rules, the same
 * for every caller (counter, supervisor page, CLI, bundle import). Sets
 * *document_checked. */
static gboolean
check_request (BhxhStore                  *self,
               const BhxhDecisionRequest  *request,
               const BhxhDeclaration      *d,
               guint                       n_codes,
               const BhxhCheck            *check,
               GDateTime                  *now,
               gboolean                   *document_checked,
               GError                    **error)
{
  gboolean open = d->status == BHXH_STATUS_PENDING || d->status == BHXH_STATUS_ESCALATED;

  if (!open || (request->outcome == BHXH_OUTCOME_ESCALATE &&
                d->status == BHXH_STATUS_ESCALATED))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_ALREADY_DECIDED,
                   _("Declaration %s is already %s"), d->id, bhxh_status_to_string (d->status));
      return FALSE;
    }
  if (request->outcome == BHXH_OUTCOME_REJECT && n_codes == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("A rejection needs at least one reason code"));
      return FALSE;
    }
  if (request->override && is_blank (request->note))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("An override needs a note saying why"));
      return FALSE;
    }
  /* The portal has cancelled it: nobody may approve or escalate it. */
  if (request->outcome != BHXH_OUTCOME_REJECT && bhxh_check_has_reason (check, "expired"))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("Declaration %s has expired (more than 10 days since it was confirmed) "
                     "and the portal has cancelled it: it can only be rejected"), d->id);
      return FALSE;
    }
  if (request->outcome == BHXH_OUTCOME_ESCALATE && n_codes == 0 && is_blank (request->note))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("An escalation needs a reason or a note telling the supervisor what "
                     "to look at"));
      return FALSE;
    }
  *document_checked = request->document != NULL || has_recorded_document (self, d->id);
  /* Checking the person's document is the point of the counter: without
   * one only a supervisor approves, with a note, and it shows. */
  if (request->outcome == BHXH_OUTCOME_APPROVE && !*document_checked &&
      !(request->override && is_supervisor (self, request->clerk)))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("No identity document was checked for declaration %s: scan the "
                     "person's ID card (for a child, the birth certificate; for a "
                     "declaration sent by post, type the ID number from the copy received) "
                     "before approving, or escalate it to a supervisor"), d->id);
      return FALSE;
    }
  if (request->outcome == BHXH_OUTCOME_APPROVE && check->verdict == BHXH_VERDICT_BLOCKED &&
      !request->override)
    {
      g_autofree char *reasons = blocking_reasons (check);

      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("Declaration %s is blocked (%s): approving it needs an override "
                     "and a note"), d->id, reasons);
      return FALSE;
    }
  /* A stale mirror or decisions stuck offline stop every approval, the
   * supervisor's bulk approve included (docs/sync.md). */
  if (request->outcome == BHXH_OUTCOME_APPROVE &&
      !bhxh_store_safety_allows_approval (self, now, error))
    return FALSE;

  return TRUE;
}

static BhxhDeclarationStatus
status_for (BhxhOutcome outcome)
{
  switch (outcome)
    {
    case BHXH_OUTCOME_APPROVE:
      return BHXH_STATUS_APPROVED;
    case BHXH_OUTCOME_REJECT:
      return BHXH_STATUS_REJECTED;
    case BHXH_OUTCOME_ESCALATE:
    default:
      return BHXH_STATUS_ESCALATED;
    }
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
  gboolean                   document_checked;
} DecisionRow;

/* An override decided by a supervisor (or an admin) carries their countersign. */
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
  sqlite3_stmt *stmt;

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO decisions (uuid, declaration_id, outcome, clerk, decided_at, decided_day, "
    "reason_codes, note, override, mirror_version, verdict, countersigned_by, "
    "document_checked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->declaration->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bhxh_outcome_to_string (request->outcome), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, request->clerk, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, row->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, row->day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, row->codes, -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 8, is_blank (request->note) ? NULL : request->note);
  sqlite3_bind_int (stmt, 9, request->override ? 1 : 0);
  _bhxh_bind_text (stmt, 10, mirror_version);
  sqlite3_bind_text (stmt, 11, bhxh_verdict_to_string (row->check->verdict), -1, SQLITE_STATIC);
  if (request->override && is_supervisor (self, request->clerk))
    sqlite3_bind_text (stmt, 12, request->clerk, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 13, row->document_checked ? 1 : 0);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _bhxh_store_prepare (self,
    "UPDATE declarations SET status = ?2, decided_locally = 1, updated_at = ?3 WHERE id = ?1",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->declaration->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, bhxh_status_to_string (status_for (request->outcome)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->now, -1, SQLITE_STATIC);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO outbox (decision_uuid, state, attempts, seq, updated_at) "
    "VALUES (?1, 'pending', 0, (SELECT coalesce (max (seq), 0) + 1 FROM outbox), ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->now, -1, SQLITE_STATIC);

  return _bhxh_store_step_done (self, stmt, error);
}

static gboolean
insert_document (BhxhStore          *self,
                 const DecisionRow  *row,
                 GError            **error)
{
  const BhxhDocument *document = row->request->document;
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
  _bhxh_bind_text (stmt, 4, document->raw);
  sqlite3_bind_text (stmt, 5, row->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, row->request->clerk, -1, SQLITE_STATIC);

  return _bhxh_store_step_done (self, stmt, error);
}

/* An approved register opens the account, an approved stop closes it. */
static gboolean
update_account (BhxhStore          *self,
                const DecisionRow  *row,
                GError            **error)
{
  const BhxhDeclaration *d = row->declaration;
  const char *status;
  sqlite3_stmt *stmt;

  if (row->request->outcome != BHXH_OUTCOME_APPROVE || d->bhxh_code == NULL ||
      d->kind == BHXH_KIND_ADJUST)
    return TRUE;
  status = d->kind == BHXH_KIND_REGISTER ? "active" : "stopped";

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
  g_autofree char *detail = g_strdup_printf ("uuid=%s verdict=%s reasons=%s override=%d",
                                             row->uuid,
                                             bhxh_verdict_to_string (row->check->verdict),
                                             row->codes, row->request->override ? 1 : 0);

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
  DecisionRow row;
  gboolean document_checked = FALSE;
  guint n_codes;

  d = bhxh_store_get_declaration (self, request->declaration_id, error);
  if (d == NULL)
    return NULL;
  codes = join_reason_codes (self, request->reason_codes, &n_codes, error);
  if (codes == NULL)
    return NULL;
  check = bhxh_store_check_declaration (self, d, request->document, &today, error);
  if (check == NULL ||
      !check_request (self, request, d, n_codes, check, now_time, &document_checked, error))
    return NULL;

  uuid = g_uuid_string_random ();
  day = bhxh_date_to_iso (&today);
  row = (DecisionRow) { request, d, check, uuid, codes, now, day, document_checked };
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
 * Nothing changes when any rule refuses it.
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

  if (request->declaration_id == NULL || is_blank (request->clerk) ||
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
    "WHERE o.state = 'pending' ORDER BY o.seq LIMIT ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
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

gboolean
bhxh_store_outbox_set_state (BhxhStore        *self,
                             const char       *uuid,
                             BhxhOutboxState   state,
                             const char       *detail,
                             GError          **error)
{
  g_autofree char *now = bhxh_clock_now_iso ();
  g_autofree char *action = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (state <= BHXH_OUTBOX_CONFLICT, FALSE);

  if (!_bhxh_store_begin (self, error))
    return FALSE;
  stmt = _bhxh_store_prepare (self,
    "UPDATE outbox SET state = ?2, detail = ?3, updated_at = ?4 WHERE decision_uuid = ?1",
    error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, bhxh_outbox_state_to_string (state), -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 3, detail);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  if (!_bhxh_store_step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no decision %s in the outbox"), uuid);
      goto fail;
    }
  /* The portal's answers matter to the trail; "sending" is bookkeeping. */
  if (state != BHXH_OUTBOX_SENDING)
    {
      action = g_strconcat ("outbox.", bhxh_outbox_state_to_string (state), NULL);
      if (!_bhxh_store_audit_append (self, "sync", action, uuid, detail, error))
        goto fail;
    }

  return _bhxh_store_commit (self, error);

fail:
  _bhxh_store_rollback (self);
  return FALSE;
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

void
bhxh_decision_free (BhxhDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->uuid);
  g_free (decision->declaration_id);
  g_free (decision->clerk);
  g_clear_pointer (&decision->decided_at, g_date_time_unref);
  g_strfreev (decision->reason_codes);
  g_free (decision->note);
  g_free (decision->countersigned_by);
  g_free (decision->mirror_version);
  g_free (decision->outbox_detail);
  g_free (decision);
}

/**
 * bhxh_decision_to_json:
 *
 * Returns: (transfer full): `{uuid, declaration_id, outcome, clerk,
 *   decided_at, reason_codes: [], note, override, countersigned_by,
 *   mirror_version, verdict, outbox_state, outbox_detail}`
 */
JsonNode *
bhxh_decision_to_json (const BhxhDecision *decision)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (decision != NULL, NULL);

  json_builder_begin_object (b);
  bhxh_json_add_string (b, "uuid", decision->uuid);
  bhxh_json_add_string (b, "declaration_id", decision->declaration_id);
  bhxh_json_add_string (b, "outcome", bhxh_outcome_to_string (decision->outcome));
  bhxh_json_add_string (b, "clerk", decision->clerk);
  bhxh_json_add_date_time (b, "decided_at", decision->decided_at);
  json_builder_set_member_name (b, "reason_codes");
  json_builder_begin_array (b);
  for (guint i = 0; decision->reason_codes != NULL && decision->reason_codes[i]; i++)
    json_builder_add_string_value (b, decision->reason_codes[i]);
  json_builder_end_array (b);
  bhxh_json_add_string (b, "note", decision->note);
  json_builder_set_member_name (b, "override");
  json_builder_add_boolean_value (b, decision->override);
  bhxh_json_add_string (b, "countersigned_by", decision->countersigned_by);
  bhxh_json_add_string (b, "mirror_version", decision->mirror_version);
  bhxh_json_add_string (b, "verdict", bhxh_verdict_to_string (decision->verdict));
  bhxh_json_add_string (b, "outbox_state", bhxh_outbox_state_to_string (decision->outbox_state));
  bhxh_json_add_string (b, "outbox_detail", decision->outbox_detail);
  json_builder_set_member_name (b, "without_document");
  json_builder_add_boolean_value (b, decision->without_document);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
