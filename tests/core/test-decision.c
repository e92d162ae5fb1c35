/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The counter's rules for a decision, and the day summary: pure functions. */
#include "config.h"

#include <string.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-decision.h"

static BhxhCheck *
make_check (BhxhVerdict  verdict,
            const char  *reason_code)
{
  BhxhCheck *check = g_new0 (BhxhCheck, 1);

  check->verdict = verdict;
  check->fields = g_ptr_array_new ();
  check->reasons = g_ptr_array_new ();
  if (reason_code != NULL)
    {
      BhxhReason *reason = g_new0 (BhxhReason, 1);

      reason->code = g_strdup (reason_code);
      reason->severity = verdict == BHXH_VERDICT_BLOCKED ? BHXH_SEVERITY_BLOCK
                                                         : BHXH_SEVERITY_ATTENTION;
      reason->message = g_strdup (reason_code);
      g_ptr_array_add (check->reasons, reason);
    }
  return check;
}

static void
free_check (BhxhCheck *check)
{
  for (guint i = 0; i < check->reasons->len; i++)
    {
      BhxhReason *reason = g_ptr_array_index (check->reasons, i);

      g_free (reason->code);
      g_free (reason->message);
      g_free (reason);
    }
  g_ptr_array_unref (check->reasons);
  g_ptr_array_unref (check->fields);
  g_free (check);
}

typedef struct
{
  BhxhOutcome            outcome;
  gboolean               override;
  const char            *note;
  guint                  n_codes;
  BhxhDeclarationStatus  status;
  const char            *handin;
  BhxhVerdict            verdict;
  const char            *reason;
  BhxhEvidence           evidence;
  gboolean               supervisor;
  BhxhRuleResult         expected;
  gboolean               override_recorded;
  gboolean               countersign;
  gboolean               chip_required;
} Case;

static void
test_rules (void)
{
  const Case cases[] = {
    /* approve: needs a document; a clerk never without one */
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_CARD_QR, FALSE, BHXH_RULE_OK, FALSE, FALSE },
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_NOT_ALLOWED },
    { BHXH_OUTCOME_APPROVE, TRUE, "quen", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_NOT_ALLOWED },
    /* a supervisor may, with a note: recorded as an override */
    { BHXH_OUTCOME_APPROVE, TRUE, "đã gọi điện", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, TRUE, BHXH_RULE_OK, TRUE, FALSE },
    { BHXH_OUTCOME_APPROVE, TRUE, "  ", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, TRUE, BHXH_RULE_NOT_ALLOWED },
    /* blocked: override and supervisor */
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "not-in-registry", BHXH_EVIDENCE_CARD_QR, TRUE,
      BHXH_RULE_NOT_ALLOWED },
    { BHXH_OUTCOME_APPROVE, TRUE, "BQP", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "not-in-registry", BHXH_EVIDENCE_CARD_QR, FALSE,
      BHXH_RULE_NOT_ALLOWED },
    { BHXH_OUTCOME_APPROVE, TRUE, "BQP", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "not-in-registry", BHXH_EVIDENCE_CARD_QR, TRUE, BHXH_RULE_OK,
      TRUE, FALSE },
    /* an override that overrides nothing is not recorded as one */
    { BHXH_OUTCOME_APPROVE, TRUE, "thừa", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_CARD_QR, TRUE, BHXH_RULE_OK, FALSE,
      FALSE },
    /* a supervisor's approval of an escalation: a countersign */
    { BHXH_OUTCOME_APPROVE, TRUE, "xem bản gốc", 0, BHXH_STATUS_ESCALATED, "office",
      BHXH_VERDICT_NEEDS_ATTENTION, "name-diacritics", BHXH_EVIDENCE_CARD_QR, TRUE,
      BHXH_RULE_OK, FALSE, TRUE },
    /* expired: only a rejection, by anyone */
    { BHXH_OUTCOME_APPROVE, TRUE, "x", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "expired", BHXH_EVIDENCE_CARD_QR, TRUE, BHXH_RULE_NOT_ALLOWED },
    { BHXH_OUTCOME_ESCALATE, FALSE, "x", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "expired", BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_NOT_ALLOWED },
    { BHXH_OUTCOME_REJECT, FALSE, NULL, 1, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "expired", BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_OK },
    /* reject needs a code; escalate a code or a note; not twice */
    { BHXH_OUTCOME_REJECT, FALSE, "ghi chú", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_BAD_INPUT },
    { BHXH_OUTCOME_ESCALATE, FALSE, " ", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_BAD_INPUT },
    { BHXH_OUTCOME_ESCALATE, FALSE, NULL, 1, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_OK },
    { BHXH_OUTCOME_ESCALATE, FALSE, NULL, 1, BHXH_STATUS_ESCALATED, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_ALREADY_DECIDED },
    { BHXH_OUTCOME_REJECT, FALSE, NULL, 1, BHXH_STATUS_APPROVED, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_NONE, FALSE, BHXH_RULE_ALREADY_DECIDED },
    /* a chip that failed authentication, or a QR that disagrees with its
     * chip: no approval, not even a supervisor's override; escalate or reject */
    { BHXH_OUTCOME_APPROVE, TRUE, "x", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "chip-invalid", BHXH_EVIDENCE_CARD_QR, TRUE, BHXH_RULE_NOT_ALLOWED },
    { BHXH_OUTCOME_APPROVE, TRUE, "x", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "chip-qr-mismatch", BHXH_EVIDENCE_CHIP_VERIFIED, TRUE,
      BHXH_RULE_NOT_ALLOWED },
    { BHXH_OUTCOME_ESCALATE, FALSE, "QR giả?", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_BLOCKED, "chip-qr-mismatch", BHXH_EVIDENCE_CHIP_VERIFIED, FALSE,
      BHXH_RULE_OK },
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, "chip-verified", BHXH_EVIDENCE_CHIP_VERIFIED, FALSE,
      BHXH_RULE_OK, FALSE, FALSE },
    /* the counter requires the chip: a card's QR alone approves only with a
     * supervisor's override (recorded); the chip, or a child's birth
     * certificate, as before */
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_CARD_QR, FALSE,
      BHXH_RULE_NOT_ALLOWED, FALSE, FALSE, TRUE },
    { BHXH_OUTCOME_APPROVE, TRUE, "chip unreadable", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_CARD_QR, FALSE,
      BHXH_RULE_NOT_ALLOWED, FALSE, FALSE, TRUE },
    { BHXH_OUTCOME_APPROVE, TRUE, "chip unreadable", 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_CARD_QR, TRUE,
      BHXH_RULE_OK, TRUE, FALSE, TRUE },
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, "chip-verified", BHXH_EVIDENCE_CHIP_VERIFIED, FALSE,
      BHXH_RULE_OK, FALSE, FALSE, TRUE },
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_BIRTH_CERTIFICATE, FALSE,
      BHXH_RULE_OK, FALSE, FALSE, TRUE },
    { BHXH_OUTCOME_REJECT, FALSE, NULL, 1, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_CAN_APPROVE, NULL, BHXH_EVIDENCE_CARD_QR, FALSE,
      BHXH_RULE_OK, FALSE, FALSE, TRUE },
    /* a copy received by post: evidence only for a declaration sent by post */
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "post",
      BHXH_VERDICT_NEEDS_ATTENTION, "post-copy", BHXH_EVIDENCE_POST_COPY, FALSE,
      BHXH_RULE_OK },
    { BHXH_OUTCOME_APPROVE, FALSE, NULL, 0, BHXH_STATUS_PENDING, "office",
      BHXH_VERDICT_NEEDS_ATTENTION, "post-copy", BHXH_EVIDENCE_POST_COPY, FALSE,
      BHXH_RULE_NOT_ALLOWED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      BhxhDeclaration declaration = { 0 };
      BhxhCheck *check = make_check (c->verdict, c->reason);
      BhxhDecisionRequest request = { "TK01-00106-000001", c->outcome, "lan", NULL, c->note,
                                      c->override };
      BhxhDecisionFacts facts = { &declaration, check, c->n_codes, c->evidence, c->supervisor,
                                  c->chip_required };
      BhxhDecisionTerms terms;
      g_autofree char *message = NULL;
      BhxhRuleResult result;

      declaration.id = (char *) "TK01-00106-000001";
      declaration.status = c->status;
      declaration.handin = (char *) c->handin;
      result = bhxh_decision_rules_check (&request, &facts, &terms, &message);
      g_test_message ("case %u: %d %s", i, result, message ? message : "");
      g_assert_cmpint (result, ==, c->expected);
      g_assert_true ((result == BHXH_RULE_OK) == (message == NULL));
      if (result == BHXH_RULE_OK)
        {
          g_assert_cmpint (terms.override, ==, c->override_recorded);
          g_assert_cmpint (terms.countersign, ==, c->countersign);
        }
      free_check (check);
    }
}

static BhxhDecision *
decision (BhxhOutcome  outcome,
          const char  *clerk,
          const char  *at,
          const char  *reason)
{
  BhxhDecision *d = g_new0 (BhxhDecision, 1);

  d->outcome = outcome;
  d->clerk = g_strdup (clerk);
  d->decided_at = g_date_time_new_from_iso8601 (at, NULL);
  d->reason_codes = reason ? g_strsplit (reason, ",", -1) : g_new0 (char *, 1);
  d->evidence = BHXH_EVIDENCE_CARD_QR;
  return d;
}

/* The day at a glance: one set of counts for charts, report, CSV. Hours are
 * the office's whatever the instants' offsets. */
static void
test_day_summary (void)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_decision_free);
  g_autoptr(BhxhDaySummary) s = NULL;
  BhxhDecision *d;

  g_ptr_array_add (list, decision (BHXH_OUTCOME_APPROVE, "lan", "2026-11-23T09:05:00+07:00", NULL));
  g_ptr_array_add (list, decision (BHXH_OUTCOME_REJECT, "lan", "2026-11-23T02:30:00Z",
                                   "name-mismatch,duplicate"));
  g_ptr_array_add (list, decision (BHXH_OUTCOME_REJECT, "minh", "2026-11-23T10:00:00+07:00",
                                   "name-mismatch"));
  d = decision (BHXH_OUTCOME_APPROVE, "hung", "2026-11-23T14:00:00+07:00", NULL);
  d->override = TRUE;
  g_ptr_array_add (list, d);
  d = decision (BHXH_OUTCOME_APPROVE, "hung", "2026-11-23T15:00:00+07:00", NULL);
  d->countersign = TRUE;
  g_ptr_array_add (list, d);
  d = decision (BHXH_OUTCOME_APPROVE, "hung", "2026-11-23T15:30:00+07:00", NULL);
  d->override = TRUE;
  d->evidence = BHXH_EVIDENCE_NONE;
  d->outbox_state = BHXH_OUTBOX_ACKNOWLEDGED;
  g_ptr_array_add (list, d);

  s = bhxh_day_summary_new (list);
  g_assert_cmpuint (s->total, ==, 6);
  g_assert_cmpuint (s->by_outcome[BHXH_OUTCOME_APPROVE], ==, 4);
  g_assert_cmpuint (s->by_outcome[BHXH_OUTCOME_REJECT], ==, 2);
  g_assert_cmpuint (s->by_kind[BHXH_DECISION_APPROVED], ==, 1);
  g_assert_cmpuint (s->by_kind[BHXH_DECISION_APPROVED_OVERRIDE], ==, 1);
  g_assert_cmpuint (s->by_kind[BHXH_DECISION_APPROVED_COUNTERSIGNED], ==, 1);
  g_assert_cmpuint (s->by_kind[BHXH_DECISION_APPROVED_WITHOUT_DOCUMENT], ==, 1);
  g_assert_cmpuint (s->by_outbox[BHXH_OUTBOX_PENDING], ==, 5);
  g_assert_cmpuint (s->by_outbox[BHXH_OUTBOX_ACKNOWLEDGED], ==, 1);
  g_assert_cmpuint (s->by_hour[9][BHXH_OUTCOME_APPROVE], ==, 1);
  g_assert_cmpuint (s->by_hour[9][BHXH_OUTCOME_REJECT], ==, 1);    /* 02:30Z */
  g_assert_cmpuint (bhxh_day_summary_reason (s, "name-mismatch"), ==, 2);
  g_assert_cmpuint (bhxh_day_summary_reason (s, "duplicate"), ==, 1);
  g_assert_cmpuint (bhxh_day_summary_clerk (s, "lan")[BHXH_OUTCOME_APPROVE], ==, 1);
  g_assert_cmpuint (bhxh_day_summary_clerk (s, "lan")[BHXH_OUTCOME_REJECT], ==, 1);
  g_assert_cmpuint (bhxh_day_summary_clerk (s, "hung")[BHXH_OUTCOME_APPROVE], ==, 3);
  g_assert_null (bhxh_day_summary_clerk (s, "nobody"));
}

static void
test_strings (void)
{
  BhxhOutcome outcome;
  BhxhEvidence evidence;
  BhxhOutboxState state;

  for (BhxhOutcome o = BHXH_OUTCOME_APPROVE; o <= BHXH_OUTCOME_ESCALATE; o++)
    {
      g_assert_true (bhxh_outcome_parse (bhxh_outcome_to_string (o), &outcome));
      g_assert_cmpint (outcome, ==, o);
    }
  g_assert_cmpint (bhxh_outcome_to_status (BHXH_OUTCOME_REJECT), ==, BHXH_STATUS_REJECTED);
  for (BhxhEvidence e = BHXH_EVIDENCE_UNKNOWN; e <= BHXH_EVIDENCE_CARD_QR; e++)
    {
      g_assert_true (bhxh_evidence_parse (bhxh_evidence_to_string (e), &evidence));
      g_assert_cmpint (evidence, ==, e);
      g_assert_cmpstr (bhxh_evidence_to_display (e), !=, "");
    }
  for (BhxhOutboxState o = BHXH_OUTBOX_PENDING; o <= BHXH_OUTBOX_CONFLICT; o++)
    {
      g_assert_true (bhxh_outbox_state_parse (bhxh_outbox_state_to_string (o), &state));
      g_assert_cmpint (state, ==, o);
    }
  g_assert_false (bhxh_outcome_parse ("approved", &outcome));
  /* A recorded document's kind proves what the document itself does. */
  for (BhxhDocumentKind k = BHXH_DOCUMENT_CCCD; k <= BHXH_DOCUMENT_POST_COPY; k++)
    {
      BhxhDocumentKind parsed;

      g_assert_true (bhxh_document_kind_parse (bhxh_document_kind_to_string (k), &parsed));
      g_assert_cmpint (parsed, ==, k);
      g_assert_cmpint (bhxh_evidence_for_kind (k), >, BHXH_EVIDENCE_NONE);
    }
  for (BhxhDecisionKind k = 0; k < BHXH_DECISION_N_KINDS; k++)
    g_assert_cmpstr (bhxh_decision_kind_to_display (k), !=, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/decision/rules", test_rules);
  g_test_add_func ("/decision/day-summary", test_day_summary);
  g_test_add_func ("/decision/strings", test_strings);
  return g_test_run ();
}
