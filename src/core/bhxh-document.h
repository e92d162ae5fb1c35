/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "bhxh-date.h"
#include "bhxh-id.h"

G_BEGIN_DECLS

typedef enum
{
  BHXH_DOCUMENT_CCCD,               /* chip ID card QR, the documented layout */
  BHXH_DOCUMENT_ID_CARD_OTHER,      /* a card QR in another layout: number + raw text */
  BHXH_DOCUMENT_BIRTH_CERTIFICATE,  /* scanned or typed in by the clerk */
  BHXH_DOCUMENT_POST_COPY,          /* ID number typed from a copy received by post */
  BHXH_DOCUMENT_CCCD_CHIP,          /* the card's chip (DG13), with its authentication */
} BhxhDocumentKind;

/**
 * BhxhAuthResult:
 * @BHXH_AUTH_NOT_CHECKED: not checked (no trust store given, nothing to check)
 * @BHXH_AUTH_VALID: checked and genuine
 * @BHXH_AUTH_INVALID: checked and failed (the reason says what)
 * @BHXH_AUTH_UNTRUSTED: well-formed, but signed by no CSCA the office trusts
 * @BHXH_AUTH_ABSENT: the chip offers no such authentication
 *
 * The result of an authentication of a chip: passive (the signed data) or
 * the chip's own (active or chip authentication).
 */
typedef enum
{
  BHXH_AUTH_NOT_CHECKED,
  BHXH_AUTH_VALID,
  BHXH_AUTH_INVALID,
  BHXH_AUTH_UNTRUSTED,
  BHXH_AUTH_ABSENT,
} BhxhAuthResult;

/* How a chip document was authenticated (DOMAIN.md §8). */
typedef struct
{
  BhxhAuthResult  passive;
  BhxhAuthResult  chip;
  char           *reason;        /* what failed, a stable code, when invalid */
  char           *signer;        /* the Document Signer certificate's subject */
  guint           bac_attempts;  /* access keys tried (BAC or PACE) before one opened the chip */
  guint           pace_attempts; /* of those, tried with PACE */
  const char     *access;        /* "bac" or "pace" (interned), NULL when unknown */
  const char     *access_fallback; /* why BAC although PACE was offered: "pace-unsupported"
                                  * (its parameters), "pace-failed" (the chip refused it);
                                  * interned */
  const char     *chip_method;   /* "ca" (chip authentication) or "aa" (active), interned */
  /* The signed files as read, so that whoever receives the chip's data can
   * check it again (bhxh_chip_document_verify()); NULL when not kept. */
  GBytes         *sod;
  GBytes         *dg1;
  GBytes         *dg13;
  GBytes         *dg14;
  GBytes         *dg15;
  /* DG2's image (JPEG or JPEG 2000) when the face was read, for the clerk
   * to look at; never in the JSON. */
  GBytes         *portrait;
} BhxhChipAuth;

typedef struct _BhxhDocument
{
  BhxhDocumentKind  kind;
  char             *id_number;
  char             *old_id_number;
  char             *full_name;
  BhxhDate          birth_date;
  BhxhSex           sex;
  char             *address;
  BhxhDate          issue_date;
  char             *father_name;
  char             *mother_name;
  GPtrArray        *extra;          /* (element-type utf8) raw extra fields */
  BhxhIdWarnings    warnings;
  char             *raw;            /* the payload as NFC text */
  /* The chip's data (kind CCCD_CHIP) beyond the QR's fields. */
  BhxhDate          expiry_date;
  char             *nationality;
  char             *ethnicity;
  char             *religion;
  char             *place_of_origin;
  char             *personal_marks;
  char             *spouse_name;
  BhxhChipAuth      chip;
  struct _BhxhDocument *qr;        /* the card's QR read with the chip, or NULL */
} BhxhDocument;

#define BHXH_TYPE_DOCUMENT (bhxh_document_get_type ())

GType         bhxh_document_get_type      (void) G_GNUC_CONST;
BhxhDocument *bhxh_document_new           (BhxhDocumentKind    kind);
BhxhDocument *bhxh_document_copy          (const BhxhDocument *self);
void          bhxh_document_free          (BhxhDocument       *self);
BhxhDocument *bhxh_document_parse_cccd    (const char         *data,
                                           gssize              len,
                                           GError            **error);
BhxhDocument *bhxh_document_parse_scan    (const char         *data,
                                           gssize              len,
                                           GError            **error);
BhxhDocument *bhxh_document_parse_birth_certificate (const char *data,
                                                    gssize      len,
                                                    GError    **error);
BhxhDocument *bhxh_document_new_post_copy (const char         *id_number,
                                           GError            **error);
void          bhxh_document_recheck       (BhxhDocument       *self);
const char   *bhxh_document_kind_to_string (BhxhDocumentKind   kind);
gboolean      bhxh_document_kind_parse    (const char         *text,
                                           BhxhDocumentKind   *out);
JsonNode     *bhxh_document_to_json       (const BhxhDocument *self);
const char   *bhxh_auth_result_to_string  (BhxhAuthResult      result);
gboolean      bhxh_auth_result_parse      (const char         *text,
                                           BhxhAuthResult     *out);
gboolean      bhxh_document_is_chip_verified (const BhxhDocument *self);
GPtrArray    *bhxh_document_chip_disagreements (const BhxhDocument *self);
BhxhDocument *bhxh_document_from_json     (JsonObject         *object,
                                           GError            **error);
BhxhDocument *bhxh_document_from_record   (JsonObject         *object,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhDocument, bhxh_document_free)

G_END_DECLS
