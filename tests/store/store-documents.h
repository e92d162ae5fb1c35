/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The identity document a clerk would have checked for a declaration: its
 * ID card (or, for a child without one, the birth certificate) with the
 * declaration's own data, so that approving it passes the counter's rule. */

#include "store/bhxh-store.h"

static inline BhxhDocument *
fixture_document_from (const BhxhDeclaration *d)
{
  BhxhDocument *document = bhxh_document_new (d->id_number != NULL
                                              ? BHXH_DOCUMENT_CCCD
                                              : BHXH_DOCUMENT_BIRTH_CERTIFICATE);

  document->id_number = g_strdup (d->id_number);
  document->full_name = g_strdup (d->full_name);
  document->birth_date = d->birth_date;
  document->sex = d->sex;
  return document;
}

/* The same for a declaration in @store; NULL for an unknown one. */
static inline BhxhDocument *
fixture_document_for (BhxhStore  *store,
                      const char *declaration_id)
{
  g_autoptr(BhxhDeclaration) d = bhxh_store_get_declaration (store, declaration_id, NULL);

  if (d == NULL)
    return NULL;   /* the caller tests a missing declaration */
  return fixture_document_from (d);
}
