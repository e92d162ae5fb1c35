/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-text.h"

#include "bhxh-scan-document.h"

/**
 * bhxh_scan_birth_certificate_from_payload:
 * @data: whatever a code on a birth certificate held, as raw bytes
 * @len: length of @data, or -1 if nul-terminated
 *
 * No standard payload is known for birth certificates: some carry a
 * verification URL, recent ones print the child's number. So any text is
 * accepted; the first 12-digit run becomes the identification number
 * (with the core's checks), and the raw text is kept for the clerk, who
 * completes the rest (name, birth date, sex, parents) by hand.
 *
 * Returns: (transfer full): a birth-certificate document, or %NULL with
 *   @error set (a #BhxhCoreError) only when @data is not text
 */
BhxhDocument *
bhxh_scan_birth_certificate_from_payload (const char  *data,
                                          gssize       len,
                                          GError     **error)
{
  g_autoptr(BhxhDocument) document = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  text = bhxh_text_from_bytes (data, len, error);
  if (text == NULL)
    return NULL;

  document = bhxh_document_new (BHXH_DOCUMENT_BIRTH_CERTIFICATE);
  document->id_number = bhxh_text_find_digits (text, 12);
  document->raw = g_steal_pointer (&text);
  bhxh_document_recheck (document);
  return g_steal_pointer (&document);
}
