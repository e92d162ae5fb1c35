/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "bhxh-clock.h"
#include "bhxh-decision.h"
#include "bhxh-error.h"
#include "bhxh-json.h"
#include "bhxh-text.h"

static const char *outcome_names[] = { "approve", "reject", "escalate" };
static const char *outbox_names[] = {
  "pending", "sending", "acknowledged", "refused", "conflict",
};
static const char *evidence_names[] = {
  "unknown", "none", "post-copy", "birth-certificate", "card-qr", "chip-verified",
};
static const char *kind_names[] = {
  "approved", "approved-override", "approved-countersigned", "approved-without-document",
  "rejected", "escalated",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == BHXH_DECISION_N_KINDS);

static gboolean
name_parse (const char  *text,
            const char **names,
            guint        n_names,
            guint       *out)
{
  for (guint i = 0; text != NULL && i < n_names; i++)
    if (g_str_equal (text, names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
bhxh_outcome_to_string (BhxhOutcome outcome)
{
  g_return_val_if_fail (outcome <= BHXH_OUTCOME_ESCALATE, NULL);
  return outcome_names[outcome];
}

gboolean
bhxh_outcome_parse (const char  *text,
                    BhxhOutcome *out)
{
  guint i;

  g_return_val_if_fail (out != NULL, FALSE);
  if (!name_parse (text, outcome_names, G_N_ELEMENTS (outcome_names), &i))
    return FALSE;
  *out = i;
  return TRUE;
}

const char *
bhxh_outcome_to_display (BhxhOutcome outcome)
{
  switch (outcome)
    {
    case BHXH_OUTCOME_APPROVE:  return _("Approved");
    case BHXH_OUTCOME_REJECT:   return _("Rejected");
    case BHXH_OUTCOME_ESCALATE: return _("Escalated");
    default:                    g_return_val_if_reached ("");
    }
}

/* The one place an outcome becomes a declaration's status. */
BhxhDeclarationStatus
bhxh_outcome_to_status (BhxhOutcome outcome)
{
  switch (outcome)
    {
    case BHXH_OUTCOME_APPROVE:  return BHXH_STATUS_APPROVED;
    case BHXH_OUTCOME_REJECT:   return BHXH_STATUS_REJECTED;
    case BHXH_OUTCOME_ESCALATE: return BHXH_STATUS_ESCALATED;
    default:                    g_return_val_if_reached (BHXH_STATUS_ESCALATED);
    }
}

const char *
bhxh_outbox_state_to_string (BhxhOutboxState state)
{
  g_return_val_if_fail (state <= BHXH_OUTBOX_CONFLICT, NULL);
  return outbox_names[state];
}

gboolean
bhxh_outbox_state_parse (const char      *text,
                         BhxhOutboxState *out)
{
  guint i;

  g_return_val_if_fail (out != NULL, FALSE);
  if (!name_parse (text, outbox_names, G_N_ELEMENTS (outbox_names), &i))
    return FALSE;
  *out = i;
  return TRUE;
}

const char *
bhxh_outbox_state_to_display (BhxhOutboxState state)
{
  switch (state)
    {
    case BHXH_OUTBOX_PENDING:      return _("Waiting to send");
    case BHXH_OUTBOX_SENDING:      return _("Sending");
    case BHXH_OUTBOX_ACKNOWLEDGED: return _("Received by the portal");
    case BHXH_OUTBOX_REFUSED:      return _("Refused by the portal");
    case BHXH_OUTBOX_CONFLICT:     return _("Conflict at the portal");
    default:                       g_return_val_if_reached ("");
    }
}

const char *
bhxh_evidence_to_string (BhxhEvidence evidence)
{
  g_return_val_if_fail (evidence <= BHXH_EVIDENCE_CHIP_VERIFIED, NULL);
  return evidence_names[evidence];
}

gboolean
bhxh_evidence_parse (const char   *text,
                     BhxhEvidence *out)
{
  guint i;

  g_return_val_if_fail (out != NULL, FALSE);
  if (!name_parse (text, evidence_names, G_N_ELEMENTS (evidence_names), &i))
    return FALSE;
  *out = i;
  return TRUE;
}

const char *
bhxh_evidence_to_display (BhxhEvidence evidence)
{
  switch (evidence)
    {
    case BHXH_EVIDENCE_UNKNOWN:           return _("Not recorded");
    case BHXH_EVIDENCE_NONE:              return _("No document checked");
    case BHXH_EVIDENCE_POST_COPY:         return _("ID number from the copy sent by post");
    case BHXH_EVIDENCE_BIRTH_CERTIFICATE: return _("Birth certificate");
    case BHXH_EVIDENCE_CARD_QR:           return _("ID card QR (not authenticated)");
    case BHXH_EVIDENCE_CHIP_VERIFIED:     return _("ID card chip (authenticated)");
    default:                              g_return_val_if_reached ("");
    }
}

/* What a document of @kind proves; the one mapping, for documents scanned
 * now and those recorded with earlier decisions. */
BhxhEvidence
bhxh_evidence_for_kind (BhxhDocumentKind kind)
{
  switch (kind)
    {
    case BHXH_DOCUMENT_CCCD:
    case BHXH_DOCUMENT_ID_CARD_OTHER:
    case BHXH_DOCUMENT_CCCD_CHIP:   /* the kind alone: its authentication unknown */
      return BHXH_EVIDENCE_CARD_QR;
    case BHXH_DOCUMENT_BIRTH_CERTIFICATE:
      return BHXH_EVIDENCE_BIRTH_CERTIFICATE;
    case BHXH_DOCUMENT_POST_COPY:
      return BHXH_EVIDENCE_POST_COPY;
    default:
      g_return_val_if_reached (BHXH_EVIDENCE_NONE);
    }
}

/* A chip counts as verified only when its data passed passive
 * authentication; otherwise it proves no more than the QR. */
BhxhEvidence
bhxh_evidence_for_document (const BhxhDocument *document)
{
  if (document == NULL)
    return BHXH_EVIDENCE_NONE;
  if (bhxh_document_is_chip_verified (document))
    return BHXH_EVIDENCE_CHIP_VERIFIED;
  return bhxh_evidence_for_kind (document->kind);
}

BhxhDecisionKind
bhxh_decision_get_kind (const BhxhDecision *d)
{
  g_return_val_if_fail (d != NULL, BHXH_DECISION_ESCALATED);

  switch (d->outcome)
    {
    case BHXH_OUTCOME_APPROVE:
      if (bhxh_decision_is_without_document (d))
        return BHXH_DECISION_APPROVED_WITHOUT_DOCUMENT;
      if (d->override)
        return BHXH_DECISION_APPROVED_OVERRIDE;
      if (d->countersign)
        return BHXH_DECISION_APPROVED_COUNTERSIGNED;
      return BHXH_DECISION_APPROVED;
    case BHXH_OUTCOME_REJECT:
      return BHXH_DECISION_REJECTED;
    case BHXH_OUTCOME_ESCALATE:
    default:
      return BHXH_DECISION_ESCALATED;
    }
}

const char *
bhxh_decision_kind_to_string (BhxhDecisionKind kind)
{
  g_return_val_if_fail (kind < BHXH_DECISION_N_KINDS, NULL);
  return kind_names[kind];
}

const char *
bhxh_decision_kind_to_display (BhxhDecisionKind kind)
{
  switch (kind)
    {
    case BHXH_DECISION_APPROVED:                  return _("Approved");
    case BHXH_DECISION_APPROVED_OVERRIDE:         return _("Approved (override)");
    case BHXH_DECISION_APPROVED_COUNTERSIGNED:    return _("Approved by a supervisor");
    case BHXH_DECISION_APPROVED_WITHOUT_DOCUMENT: return _("Approved without a document check");
    case BHXH_DECISION_REJECTED:                  return _("Rejected");
    case BHXH_DECISION_ESCALATED:                 return _("Escalated");
    default:                                      g_return_val_if_reached ("");
    }
}

/* Who decided, as people read it: the display name, never the login
 * unless the store does not know the person. */
const char *
bhxh_decision_get_clerk_name (const BhxhDecision *decision)
{
  g_return_val_if_fail (decision != NULL, NULL);
  return decision->clerk_name != NULL ? decision->clerk_name : decision->clerk;
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

/* No identity document was checked for it (derived from the evidence;
 * decisions from before the desk recorded it are not claimed either way). */
gboolean
bhxh_decision_is_without_document (const BhxhDecision *decision)
{
  g_return_val_if_fail (decision != NULL, FALSE);
  return decision->evidence == BHXH_EVIDENCE_NONE;
}

static BhxhRuleResult
refuse (BhxhRuleResult   result,
        char           **message,
        char            *text)
{
  if (message != NULL)
    *message = text;
  else
    g_free (text);
  return result;
}

/**
 * bhxh_decision_rules_check:
 * @request: what the clerk asks for
 * @facts: what the store knows of the declaration and the user
 * @terms: (out): what the decision will record when it is accepted
 * @message: (out) (optional): why it is refused, translated
 *
 * The counter's rules for a decision, the same for every caller (the
 * counter, the supervisor page, the command line, bundle imports):
 * - only an open declaration is decided, and an escalated one is not
 *   escalated again;
 * - a rejection needs a reason code; an escalation a reason or a note;
 * - an override needs a note;
 * - an expired declaration (the portal has cancelled it) can only be
 *   rejected;
 * - an approval needs the person's document checked (a card, a child's
 *   birth certificate, or for a declaration handed in by post the ID number
 *   from the copy received); without one only a supervisor approves, with an
 *   override and a note;
 * - an approval over a blocking check needs an override, and only a
 *   supervisor overrides.
 * The safety stops need the store and are checked there.
 *
 * Returns: %BHXH_RULE_OK, or why it is refused
 */
BhxhRuleResult
bhxh_decision_rules_check (const BhxhDecisionRequest  *request,
                           const BhxhDecisionFacts    *facts,
                           BhxhDecisionTerms          *terms,
                           char                      **message)
{
  const BhxhDeclaration *d = facts->declaration;
  const BhxhCheck *check = facts->check;
  gboolean open = d->status == BHXH_STATUS_PENDING || d->status == BHXH_STATUS_ESCALATED;
  gboolean approve = request->outcome == BHXH_OUTCOME_APPROVE;
  gboolean has_document = facts->evidence > BHXH_EVIDENCE_NONE;
  gboolean blocked = check->verdict == BHXH_VERDICT_BLOCKED;
  /* The counter's rule (chip_required): a card is proved by its chip. */
  gboolean chip_missing = facts->chip_required && facts->evidence == BHXH_EVIDENCE_CARD_QR;

  g_return_val_if_fail (terms != NULL, BHXH_RULE_BAD_INPUT);
  *terms = (BhxhDecisionTerms) { FALSE, FALSE };

  if (!open || (request->outcome == BHXH_OUTCOME_ESCALATE &&
                d->status == BHXH_STATUS_ESCALATED))
    return refuse (BHXH_RULE_ALREADY_DECIDED, message,
                   g_strdup_printf (_("Declaration %s is already %s"), d->id,
                                    bhxh_status_to_string (d->status)));
  if (request->outcome == BHXH_OUTCOME_REJECT && facts->n_reason_codes == 0)
    return refuse (BHXH_RULE_BAD_INPUT, message,
                   g_strdup (_("A rejection needs at least one reason code")));
  if (request->override && bhxh_text_is_blank (request->note))
    return refuse (BHXH_RULE_NOT_ALLOWED, message,
                   g_strdup (_("An override needs a note saying why")));
  /* The portal has cancelled it: nobody may approve or escalate it. */
  if (request->outcome != BHXH_OUTCOME_REJECT && bhxh_check_has_reason (check, "expired"))
    return refuse (BHXH_RULE_NOT_ALLOWED, message,
                   g_strdup_printf (_("Declaration %s has expired (more than 10 days since it "
                                      "was confirmed) and the portal has cancelled it: it "
                                      "can only be rejected"), d->id));
  /* The chip is the card's signed data: one that failed authentication,
   * or a QR that says otherwise, means a forged or altered card; no
   * override approves it. */
  if (approve && (bhxh_check_has_reason (check, "chip-invalid") ||
                  bhxh_check_has_reason (check, "chip-qr-mismatch")))
    {
      g_autofree char *reasons = blocking_reasons (check);

      return refuse (BHXH_RULE_NOT_ALLOWED, message,
                     g_strdup_printf (_("Declaration %s cannot be approved: the card's chip "
                                        "does not prove it genuine (%s); reject or escalate "
                                        "it"), d->id, reasons));
    }
  if (request->outcome == BHXH_OUTCOME_ESCALATE && facts->n_reason_codes == 0 &&
      bhxh_text_is_blank (request->note))
    return refuse (BHXH_RULE_BAD_INPUT, message,
                   g_strdup (_("An escalation needs a reason or a note telling the "
                               "supervisor what to look at")));
  if (facts->evidence == BHXH_EVIDENCE_POST_COPY && g_strcmp0 (d->handin, "post") != 0)
    return refuse (BHXH_RULE_NOT_ALLOWED, message,
                   g_strdup_printf (_("Declaration %s was not handed in by post: check the "
                                      "person's own document, not a copy"), d->id));
  if (!approve)
    return BHXH_RULE_OK;

  /* Checking the person's document is the point of the counter: without
   * one only a supervisor approves, with a note, and it shows. */
  if (!has_document && !(request->override && facts->by_supervisor))
    return refuse (BHXH_RULE_NOT_ALLOWED, message,
                   g_strdup_printf (_("No identity document was checked for declaration %s: "
                                      "scan the person's ID card (for a child, the birth "
                                      "certificate; for a declaration sent by post, type the "
                                      "ID number from the copy received) before approving, "
                                      "or escalate it to a supervisor"), d->id));
  /* A card's QR alone, where the chip is required, approves only with a
   * supervisor's override and note. */
  if (chip_missing && !(request->override && facts->by_supervisor))
    return refuse (BHXH_RULE_NOT_ALLOWED, message,
                   g_strdup_printf (_("This counter requires the card's chip to be read for "
                                      "declaration %s: place the card on the reader (its QR "
                                      "alone is not authenticated), or escalate it to a "
                                      "supervisor"), d->id));
  if (blocked && !request->override)
    {
      g_autofree char *reasons = blocking_reasons (check);

      return refuse (BHXH_RULE_NOT_ALLOWED, message,
                     g_strdup_printf (_("Declaration %s is blocked (%s): approving it needs "
                                        "an override and a note"), d->id, reasons));
    }
  if (blocked && !facts->by_supervisor)
    return refuse (BHXH_RULE_NOT_ALLOWED, message,
                   g_strdup_printf (_("Declaration %s is blocked: only a supervisor can "
                                      "approve it over the checks; escalate it with your "
                                      "note"), d->id));

  /* An override is recorded only when it overrides something. */
  terms->override = request->override && (blocked || !has_document || chip_missing);
  terms->countersign = facts->by_supervisor && d->status == BHXH_STATUS_ESCALATED;
  return BHXH_RULE_OK;
}

void
bhxh_reason_code_free (BhxhReasonCode *code)
{
  if (code == NULL)
    return;
  g_free (code->code);
  g_free (code->label);
  g_free (code);
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
  g_clear_pointer (&decision->hold_until, g_date_time_unref);
  g_free (decision->clerk_name);
  g_free (decision->countersigned_by_name);
  g_free (decision->person_name);
  g_free (decision);
}

/**
 * bhxh_decision_to_json:
 *
 * Returns: (transfer full): `{uuid, declaration_id, outcome, kind, clerk,
 *   decided_at, reason_codes: [], note, override, countersign,
 *   countersigned_by, mirror_version, verdict, evidence, without_document,
 *   outbox_state, outbox_detail}`
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
  bhxh_json_add_string (b, "kind",
                        bhxh_decision_kind_to_string (bhxh_decision_get_kind (decision)));
  bhxh_json_add_string (b, "clerk", decision->clerk);
  bhxh_json_add_string (b, "clerk_name", decision->clerk_name);
  bhxh_json_add_string (b, "person_name", decision->person_name);
  bhxh_json_add_date_time (b, "decided_at", decision->decided_at);
  json_builder_set_member_name (b, "reason_codes");
  json_builder_begin_array (b);
  for (guint i = 0; decision->reason_codes != NULL && decision->reason_codes[i]; i++)
    json_builder_add_string_value (b, decision->reason_codes[i]);
  json_builder_end_array (b);
  bhxh_json_add_string (b, "note", decision->note);
  json_builder_set_member_name (b, "override");
  json_builder_add_boolean_value (b, decision->override);
  json_builder_set_member_name (b, "countersign");
  json_builder_add_boolean_value (b, decision->countersign);
  bhxh_json_add_string (b, "countersigned_by", decision->countersigned_by);
  bhxh_json_add_string (b, "countersigned_by_name", decision->countersigned_by_name);
  bhxh_json_add_string (b, "mirror_version", decision->mirror_version);
  bhxh_json_add_string (b, "verdict", bhxh_verdict_to_string (decision->verdict));
  bhxh_json_add_string (b, "evidence", bhxh_evidence_to_string (decision->evidence));
  json_builder_set_member_name (b, "without_document");
  json_builder_add_boolean_value (b, bhxh_decision_is_without_document (decision));
  bhxh_json_add_string (b, "outbox_state", bhxh_outbox_state_to_string (decision->outbox_state));
  bhxh_json_add_string (b, "outbox_detail", decision->outbox_detail);
  bhxh_json_add_date_time (b, "hold_until", decision->hold_until);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static char *
dup_member (JsonObject *object,
            const char *key)
{
  return g_strdup (json_object_get_string_member_with_default (object, key, NULL));
}

/**
 * bhxh_decision_from_json:
 * @object: what bhxh_decision_to_json() made
 *
 * The inverse of bhxh_decision_to_json(), for a client of bhxh-deskd.
 *
 * Returns: (transfer full): the decision, or %NULL with @error set
 */
BhxhDecision *
bhxh_decision_from_json (JsonObject  *object,
                         GError     **error)
{
  g_autoptr(BhxhDecision) d = g_new0 (BhxhDecision, 1);
  JsonArray *codes = bhxh_json_get_array (object, "reason_codes");
  const char *verdict = json_object_get_string_member_with_default (object, "verdict", "");

  d->uuid = dup_member (object, "uuid");
  d->declaration_id = dup_member (object, "declaration_id");
  d->clerk = dup_member (object, "clerk");
  if (d->uuid == NULL || d->declaration_id == NULL || d->clerk == NULL ||
      !bhxh_outcome_parse (json_object_get_string_member_with_default (object, "outcome", ""),
                           &d->outcome) ||
      !bhxh_evidence_parse (json_object_get_string_member_with_default (object, "evidence", ""),
                            &d->evidence) ||
      !bhxh_outbox_state_parse (json_object_get_string_member_with_default (object,
                                                                           "outbox_state", ""),
                                &d->outbox_state) ||
      !bhxh_json_get_date_time (object, "decided_at", &d->decided_at, NULL) ||
      !bhxh_json_get_date_time (object, "hold_until", &d->hold_until, NULL))
    {
      g_set_error_literal (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                           _("The decision is not in the expected form"));
      return NULL;
    }
  d->verdict = g_str_equal (verdict, "can-approve") ? BHXH_VERDICT_CAN_APPROVE
             : g_str_equal (verdict, "needs-attention") ? BHXH_VERDICT_NEEDS_ATTENTION
             : BHXH_VERDICT_BLOCKED;
  d->reason_codes = g_new0 (char *, (codes != NULL ? json_array_get_length (codes) : 0) + 1);
  for (guint i = 0; codes != NULL && i < json_array_get_length (codes); i++)
    d->reason_codes[i] = g_strdup (json_array_get_string_element (codes, i));
  d->note = dup_member (object, "note");
  d->override = json_object_get_boolean_member_with_default (object, "override", FALSE);
  d->countersign = json_object_get_boolean_member_with_default (object, "countersign", FALSE);
  d->countersigned_by = dup_member (object, "countersigned_by");
  d->countersigned_by_name = dup_member (object, "countersigned_by_name");
  d->mirror_version = dup_member (object, "mirror_version");
  d->outbox_detail = dup_member (object, "outbox_detail");
  d->clerk_name = dup_member (object, "clerk_name");
  d->person_name = dup_member (object, "person_name");
  return g_steal_pointer (&d);
}

/* The day at a glance. */

BhxhDaySummary *
bhxh_day_summary_new (GPtrArray *decisions)
{
  BhxhDaySummary *s = g_new0 (BhxhDaySummary, 1);

  s->by_reason = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->by_clerk = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; decisions != NULL && i < decisions->len; i++)
    {
      const BhxhDecision *d = g_ptr_array_index (decisions, i);
      guint *clerk;

      if (d->outcome > BHXH_OUTCOME_ESCALATE || d->outbox_state > BHXH_OUTBOX_CONFLICT)
        continue;
      s->total++;
      s->by_outcome[d->outcome]++;
      s->by_kind[bhxh_decision_get_kind (d)]++;
      s->by_outbox[d->outbox_state]++;
      if (d->decided_at != NULL)
        {
          g_autoptr(GDateTime) office = bhxh_clock_to_office (d->decided_at);

          s->by_hour[g_date_time_get_hour (office)][d->outcome]++;
        }
      for (guint r = 0; d->outcome == BHXH_OUTCOME_REJECT && d->reason_codes != NULL &&
                        d->reason_codes[r] != NULL; r++)
        {
          gpointer n = g_hash_table_lookup (s->by_reason, d->reason_codes[r]);

          g_hash_table_replace (s->by_reason, g_strdup (d->reason_codes[r]),
                                GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
        }
      clerk = g_hash_table_lookup (s->by_clerk, d->clerk != NULL ? d->clerk : "");
      if (clerk == NULL)
        {
          clerk = g_new0 (guint, 3);
          g_hash_table_insert (s->by_clerk, g_strdup (d->clerk != NULL ? d->clerk : ""), clerk);
        }
      clerk[d->outcome]++;
    }
  return s;
}

guint
bhxh_day_summary_reason (const BhxhDaySummary *summary,
                         const char           *code)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (summary->by_reason, code));
}

/* Counts by outcome of one clerk's decisions; NULL when none. */
const guint *
bhxh_day_summary_clerk (const BhxhDaySummary *summary,
                        const char           *login)
{
  return g_hash_table_lookup (summary->by_clerk, login);
}

void
bhxh_day_summary_free (BhxhDaySummary *summary)
{
  if (summary == NULL)
    return;
  g_hash_table_unref (summary->by_reason);
  g_hash_table_unref (summary->by_clerk);
  g_free (summary);
}
