/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "bhxh-date.h"
#include "bhxh-id.h"

G_BEGIN_DECLS

/* Days a confirmed declaration waits for the person before it is cancelled. */
#define BHXH_DECLARATION_EXPIRY_DAYS 10
#define BHXH_ADULT_AGE 18

typedef enum
{
  BHXH_KIND_REGISTER,
  BHXH_KIND_ADJUST,
  BHXH_KIND_STOP,
} BhxhDeclarationKind;

typedef enum
{
  BHXH_STATUS_PENDING,
  BHXH_STATUS_APPROVED,
  BHXH_STATUS_REJECTED,
  BHXH_STATUS_ESCALATED,
  BHXH_STATUS_CANCELLED,
} BhxhDeclarationStatus;

/* One portal declaration (form 01). Strings are NFC; NULL when absent. */
typedef struct
{
  char                  *id;
  BhxhDeclarationKind    kind;
  BhxhDeclarationStatus  status;
  char                  *office_code;
  GDateTime             *submitted_at;
  GDateTime             *confirmed_at;   /* NULL: not confirmed yet */

  char                  *full_name;
  char                  *bhxh_code;      /* 10 digits, or since 2025 the 12-digit ID number */
  char                  *id_number;
  BhxhDate               birth_date;
  BhxhSex                sex;
  char                  *address;
  char                  *province_code;
  char                  *district_code;
  char                  *commune_code;

  char                  *contact_person;
  char                  *email;
  char                  *phone;
  char                  *cert_number;
  char                  *cert_issuer;
  BhxhDate               cert_valid_from;
  BhxhDate               cert_valid_to;

  BhxhDate               start_date;     /* register and stop */
  char                  *channel;        /* register: "portal" | "ivan" */
  char                  *ivan_name;
  char                  *stop_reason;
  char                  *handin;         /* "office" | "post" */

  char                  *guardian_bhxh_code;
  char                  *guardian_id_number;
  char                  *guardian_name;  /* as declared; NULL in older declarations */
  char                  *employer;       /* employer batch (Phụ lục 02), or NULL */
} BhxhDeclaration;

/* One person of the registry mirror, with their e-transaction account. */
typedef struct
{
  char     *bhxh_code;          /* the registry's key: 10 digits, or the 12-digit ID number */
  char     *id_number;
  char     *old_id_number;
  char     *full_name;
  BhxhDate  birth_date;
  BhxhSex   sex;
  char     *address;
  char     *office_code;
  char     *account_status;   /* NULL or "" none, "active", "suspended", "stopped" */
  BhxhDate  account_since;
  char     *legacy_bhxh_code;   /* the former 10-digit code of a person keyed by ID number */
} BhxhPerson;

#define BHXH_TYPE_DECLARATION (bhxh_declaration_get_type ())
#define BHXH_TYPE_PERSON (bhxh_person_get_type ())

GType            bhxh_declaration_get_type      (void) G_GNUC_CONST;
BhxhDeclaration *bhxh_declaration_new           (void);
BhxhDeclaration *bhxh_declaration_copy          (const BhxhDeclaration *self);
void             bhxh_declaration_free          (BhxhDeclaration       *self);
BhxhDeclaration *bhxh_declaration_from_json     (JsonObject            *object,
                                                 GError               **error);
JsonNode        *bhxh_declaration_to_json       (const BhxhDeclaration *self);
int              bhxh_declaration_days_left     (const BhxhDeclaration *self,
                                                 const BhxhDate        *today);
gboolean         bhxh_declaration_is_minor      (const BhxhDeclaration *self,
                                                 const BhxhDate        *today);

const char      *bhxh_kind_to_string            (BhxhDeclarationKind    kind);
gboolean         bhxh_kind_parse                (const char            *text,
                                                 BhxhDeclarationKind   *out);
const char      *bhxh_kind_to_display           (BhxhDeclarationKind    kind);
const char      *bhxh_status_to_string          (BhxhDeclarationStatus  status);
gboolean         bhxh_status_parse              (const char            *text,
                                                 BhxhDeclarationStatus *out);
const char      *bhxh_status_to_display         (BhxhDeclarationStatus  status);

GType            bhxh_person_get_type           (void) G_GNUC_CONST;
BhxhPerson      *bhxh_person_new                (void);
BhxhPerson      *bhxh_person_copy               (const BhxhPerson      *self);
void             bhxh_person_free               (BhxhPerson            *self);
gboolean         bhxh_person_has_active_account (const BhxhPerson      *self);
GStrv            bhxh_person_dup_codes          (const BhxhPerson      *self);
JsonNode        *bhxh_person_to_json            (const BhxhPerson      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhDeclaration, bhxh_declaration_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhPerson, bhxh_person_free)

G_END_DECLS
