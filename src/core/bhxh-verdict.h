/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "bhxh-compare.h"
#include "bhxh-declaration.h"
#include "bhxh-document.h"

G_BEGIN_DECLS

typedef enum
{
  BHXH_VERDICT_CAN_APPROVE,
  BHXH_VERDICT_NEEDS_ATTENTION,
  BHXH_VERDICT_BLOCKED,
} BhxhVerdict;

typedef enum
{
  BHXH_SEVERITY_INFO,
  BHXH_SEVERITY_ATTENTION,
  BHXH_SEVERITY_BLOCK,
} BhxhSeverity;

typedef struct
{
  char         *code;       /* stable, e.g. "name-diacritics", "expired" */
  BhxhSeverity  severity;
  char         *message;    /* translated, for the clerk */
} BhxhReason;

typedef struct
{
  const char *field;        /* "full_name", "id_number", "birth_date", ... */
  char       *declared;
  char       *document;
  char       *mirror;
  BhxhLevel   level;
  gboolean    advisory;     /* shown, never blocks (the address) */
} BhxhFieldCheck;

typedef struct
{
  BhxhVerdict  verdict;
  GPtrArray   *fields;      /* (element-type BhxhFieldCheck) */
  GPtrArray   *reasons;     /* (element-type BhxhReason) */
} BhxhCheck;

/* Everything the rules look at; the caller (store, GUI) gathers it. */
typedef struct
{
  const BhxhDeclaration *declaration;
  const BhxhDocument    *document;             /* NULL: nothing scanned yet */
  const BhxhPerson      *person;               /* NULL: not in the mirror */
  const BhxhPerson      *guardian;             /* under-18 only; NULL: not found */
  gboolean               guardian_has_account; /* mirror or approved locally */
  gboolean               person_has_account;
  guint                  other_open_declarations; /* same person, still pending */
  BhxhDate               today;
} BhxhCheckInput;

#define BHXH_TYPE_CHECK (bhxh_check_get_type ())

GType        bhxh_check_get_type        (void) G_GNUC_CONST;
BhxhCheck   *bhxh_check_run             (const BhxhCheckInput *input);
BhxhCheck   *bhxh_check_copy            (const BhxhCheck      *self);
void         bhxh_check_free            (BhxhCheck            *self);
gboolean     bhxh_check_has_reason      (const BhxhCheck      *self,
                                         const char           *code);
JsonNode    *bhxh_check_to_json         (const BhxhCheck      *self);
BhxhCheck   *bhxh_check_from_json       (JsonObject           *object,
                                         GError              **error);
const char  *bhxh_verdict_to_string     (BhxhVerdict           verdict);
const char  *bhxh_verdict_to_display    (BhxhVerdict           verdict);
const char  *bhxh_severity_to_string    (BhxhSeverity          severity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhCheck, bhxh_check_free)

G_END_DECLS
