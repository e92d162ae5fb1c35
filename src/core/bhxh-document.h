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
} BhxhDocumentKind;

typedef struct
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
BhxhDocument *bhxh_document_from_json     (JsonObject         *object,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhDocument, bhxh_document_free)

G_END_DECLS
