/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A clerk's decision on a declaration: its types, the counter's rules that
 * a request must pass (pure: the store gathers the facts and enforces them
 * for every caller), and the words people read. */

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bhxh-declaration.h"
#include "bhxh-document.h"
#include "bhxh-verdict.h"

G_BEGIN_DECLS

typedef enum
{
  BHXH_OUTCOME_APPROVE,
  BHXH_OUTCOME_REJECT,
  BHXH_OUTCOME_ESCALATE,
} BhxhOutcome;

typedef enum
{
  BHXH_OUTBOX_PENDING,
  BHXH_OUTBOX_SENDING,
  BHXH_OUTBOX_ACKNOWLEDGED,
  BHXH_OUTBOX_REFUSED,
  BHXH_OUTBOX_CONFLICT,
} BhxhOutboxState;

/**
 * BhxhEvidence:
 * @BHXH_EVIDENCE_UNKNOWN: decided before the desk recorded it
 * @BHXH_EVIDENCE_NONE: no identity document was checked
 * @BHXH_EVIDENCE_CARD_QR: the ID card's QR was scanned (not authenticated):
 *   "qr-only"; also a chip whose data could not be authenticated
 * @BHXH_EVIDENCE_CHIP_VERIFIED: the ID card's chip was read and its data
 *   passed passive authentication against a trusted CSCA
 * @BHXH_EVIDENCE_BIRTH_CERTIFICATE: a child's birth certificate, scanned or
 *   typed with its number
 * @BHXH_EVIDENCE_POST_COPY: a declaration handed in by post: the ID number
 *   typed from the copy received
 *
 * What proved the person's identity for a decision, weakest first after
 * NONE. Stored and sent as its string ("none", "card-qr", …).
 */
typedef enum
{
  BHXH_EVIDENCE_UNKNOWN,
  BHXH_EVIDENCE_NONE,
  BHXH_EVIDENCE_POST_COPY,
  BHXH_EVIDENCE_BIRTH_CERTIFICATE,
  BHXH_EVIDENCE_CARD_QR,
  BHXH_EVIDENCE_CHIP_VERIFIED,
} BhxhEvidence;

/**
 * BhxhDecisionKind:
 *
 * What a decision is, as people read it in lists, charts and reports. An
 * approval over a blocking check (override), an approval that settles an
 * escalation (countersign) and an approval with no document checked are
 * each their own kind.
 */
typedef enum
{
  BHXH_DECISION_APPROVED,
  BHXH_DECISION_APPROVED_OVERRIDE,
  BHXH_DECISION_APPROVED_COUNTERSIGNED,
  BHXH_DECISION_APPROVED_WITHOUT_DOCUMENT,
  BHXH_DECISION_REJECTED,
  BHXH_DECISION_ESCALATED,
  BHXH_DECISION_N_KINDS,
} BhxhDecisionKind;

typedef struct
{
  char *code;          /* stable, e.g. "name-mismatch" */
  char *label;         /* Vietnamese text shown and printed */
} BhxhReasonCode;

/* What the clerk asks for. */
typedef struct
{
  const char          *declaration_id;
  BhxhOutcome          outcome;
  const char          *clerk;
  const char * const  *reason_codes;   /* NULL-terminated; reject needs ≥ 1 */
  const char          *note;
  gboolean             override;       /* approve despite a blocking reason: note required */
  const BhxhDocument  *document;       /* what was scanned or typed, or NULL */
  guint                hold_seconds;   /* the undo window: not sent before it ends */
} BhxhDecisionRequest;

/* A recorded decision, as stored and as sent to the portal. */
typedef struct
{
  char         *uuid;
  char         *declaration_id;
  BhxhOutcome   outcome;
  char         *clerk;
  GDateTime    *decided_at;
  GStrv         reason_codes;
  char         *note;
  gboolean      override;           /* approved over a blocking check */
  char         *countersigned_by;   /* the supervisor of an override or countersign */
  char         *mirror_version;
  BhxhVerdict   verdict;            /* what the rules said when deciding */
  BhxhOutboxState outbox_state;
  char         *outbox_detail;      /* the portal's reason for a refusal or conflict */
  BhxhEvidence  evidence;
  gboolean      countersign;        /* a supervisor's approval settling an escalation */
  GDateTime    *hold_until;         /* end of its undo window, or NULL */
  /* For people to read (the store fills them in; NULL when unknown). */
  char         *clerk_name;         /* the clerk's display name */
  char         *countersigned_by_name;
  char         *person_name;        /* the declaration's full name */
} BhxhDecision;

/* The facts the store gathers for the rules. */
typedef struct
{
  const BhxhDeclaration *declaration;
  const BhxhCheck       *check;
  guint                  n_reason_codes;  /* known codes, without repeats */
  BhxhEvidence           evidence;        /* best of the request's document and those recorded */
  gboolean               by_supervisor;   /* the deciding user is a supervisor or an admin */
  gboolean               chip_required;   /* the counter's rule: a card's chip, not its QR */
} BhxhDecisionFacts;

/* What the rules make of an accepted request. */
typedef struct
{
  gboolean override;       /* it overrides something: a blocking check or no document */
  gboolean countersign;    /* a supervisor approves an escalated declaration */
} BhxhDecisionTerms;

typedef enum
{
  BHXH_RULE_OK,
  BHXH_RULE_ALREADY_DECIDED,
  BHXH_RULE_BAD_INPUT,
  BHXH_RULE_NOT_ALLOWED,
} BhxhRuleResult;

BhxhRuleResult bhxh_decision_rules_check     (const BhxhDecisionRequest *request,
                                              const BhxhDecisionFacts   *facts,
                                              BhxhDecisionTerms         *terms,
                                              char                     **message);
BhxhEvidence   bhxh_evidence_for_document    (const BhxhDocument        *document);
BhxhEvidence   bhxh_evidence_for_kind        (BhxhDocumentKind           kind);

BhxhDeclarationStatus bhxh_outcome_to_status (BhxhOutcome                outcome);
const char    *bhxh_outcome_to_string        (BhxhOutcome                outcome);
gboolean       bhxh_outcome_parse            (const char                *text,
                                              BhxhOutcome               *out);
const char    *bhxh_outcome_to_display       (BhxhOutcome                outcome);
const char    *bhxh_outbox_state_to_string   (BhxhOutboxState            state);
gboolean       bhxh_outbox_state_parse       (const char                *text,
                                              BhxhOutboxState           *out);
const char    *bhxh_outbox_state_to_display  (BhxhOutboxState            state);
const char    *bhxh_evidence_to_string       (BhxhEvidence               evidence);
gboolean       bhxh_evidence_parse           (const char                *text,
                                              BhxhEvidence              *out);
const char    *bhxh_evidence_to_display      (BhxhEvidence               evidence);
BhxhDecisionKind bhxh_decision_get_kind      (const BhxhDecision        *decision);
const char    *bhxh_decision_kind_to_string  (BhxhDecisionKind           kind);
const char    *bhxh_decision_kind_to_display (BhxhDecisionKind           kind);
const char    *bhxh_decision_get_clerk_name  (const BhxhDecision        *decision);
gboolean       bhxh_decision_is_without_document (const BhxhDecision    *decision);

void           bhxh_reason_code_free         (BhxhReasonCode            *code);
void           bhxh_decision_free            (BhxhDecision              *decision);
JsonNode      *bhxh_decision_to_json         (const BhxhDecision        *decision);
BhxhDecision  *bhxh_decision_from_json       (JsonObject                *object,
                                              GError                   **error);

/* The day at a glance: counts of a day's decisions, the same for the
 * supervisor's charts, the daily report, the CSV and the CLI. */
typedef struct
{
  guint       total;
  guint       by_outcome[3];                    /* BhxhOutcome */
  guint       by_kind[BHXH_DECISION_N_KINDS];   /* BhxhDecisionKind */
  guint       by_outbox[5];                     /* BhxhOutboxState */
  guint       by_hour[24][3];                   /* office hour of decided_at, outcome */
  GHashTable *by_reason;   /* code → GUINT count, over rejections */
  GHashTable *by_clerk;    /* login → guint[3] by outcome */
} BhxhDaySummary;

BhxhDaySummary *bhxh_day_summary_new         (GPtrArray                 *decisions);
guint           bhxh_day_summary_reason      (const BhxhDaySummary      *summary,
                                              const char                *code);
const guint    *bhxh_day_summary_clerk       (const BhxhDaySummary      *summary,
                                              const char                *login);
void            bhxh_day_summary_free        (BhxhDaySummary            *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhDecision, bhxh_decision_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhDaySummary, bhxh_day_summary_free)

G_END_DECLS
