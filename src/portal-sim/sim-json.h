/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The decisions a counter uploads, read straight from the request's text:
 * a strict RFC 8259 reader that keeps only the members the portal reads.
 * Building json-glib's tree of a batch of 1000 decisions, then freeing it,
 * was a third of the simulator's work per decision. */

typedef enum
{
  SIM_JSON_ABSENT = 0,
  SIM_JSON_NULL,
  SIM_JSON_FALSE,
  SIM_JSON_TRUE,
  SIM_JSON_NUMBER,
  SIM_JSON_STRING,
  SIM_JSON_ARRAY,
  SIM_JSON_OBJECT,
} SimJsonType;

typedef enum
{
  SIM_FIELD_UUID,
  SIM_FIELD_DECLARATION_ID,
  SIM_FIELD_OUTCOME,
  SIM_FIELD_CLERK,
  SIM_FIELD_DECIDED_AT,
  SIM_FIELD_NOTE,
  SIM_N_FIELDS
} SimField;

/* One decision as received. A member given twice counts as its last. */
typedef struct
{
  SimJsonType  type;                       /* of the element itself */
  char        *body;                       /* an object's text, as received */
  SimJsonType  field_type[SIM_N_FIELDS];
  char        *field[SIM_N_FIELDS];        /* unescaped; NULL unless a string */
  SimJsonType  override_type;
  SimJsonType  reasons_type;
  GPtrArray   *reasons;                    /* when an array: its strings, NULL for others */
} SimDecisionIn;

void        sim_decision_in_clear    (SimDecisionIn *decision);

/* A batch {"decisions": [...], "audit": [...]}: the decisions (an array of
 * SimDecisionIn), or NULL when @text is not JSON, not an object, or its
 * "decisions" is not an array. *audit: the "audit" member's text when it is
 * an array, else NULL. */
GArray     *sim_json_parse_batch     (const char    *text,
                                      gsize          len,
                                      char         **audit);

/* One decision (a PUT's body): FALSE when @text is not JSON. */
gboolean    sim_json_parse_decision  (const char    *text,
                                      gsize          len,
                                      SimDecisionIn *out);

/* Appends @text as a JSON string. */
void        sim_json_append_string   (GString       *out,
                                      const char    *text);

G_END_DECLS
