/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-error.h"
#include "core/bhxh-document.h"

static void
test_url_with_number (void)
{
  const char *url = "https://hotichdientu.gov.vn/xac-thuc?ma=KS-2023-000123"
                    "&sodinhdanh=001223004567";
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) doc = bhxh_document_parse_birth_certificate (url, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpint (doc->kind, ==, BHXH_DOCUMENT_BIRTH_CERTIFICATE);
  g_assert_cmpstr (doc->id_number, ==, "001223004567");
  g_assert_cmpstr (doc->raw, ==, url);
  g_assert_null (doc->full_name);
}

static void
test_any_text (void)
{
  g_autoptr(GError) error = NULL;
  /* NFD in, NFC kept; no number is fine: the clerk types it in. */
  g_autoptr(BhxhDocument) doc =
    bhxh_document_parse_birth_certificate ("Gia\xcc\x82\xcc\x81y khai sinh "
                                              "so\xcc\x82\xcc\x81 12", -1, &error);

  g_assert_no_error (error);
  g_assert_null (doc->id_number);
  g_assert_cmpstr (doc->raw, ==, "Giấy khai sinh số 12");
}

static void
test_not_text (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (bhxh_document_parse_birth_certificate ("\xff\xfe\x00x", 4, &error));
  g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_NUL_BYTE);
  g_clear_error (&error);
  g_assert_null (bhxh_document_parse_birth_certificate ("ab\xff", 3, &error));
  g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_INVALID_UTF8);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scan/document/url-with-number", test_url_with_number);
  g_test_add_func ("/scan/document/any-text", test_any_text);
  g_test_add_func ("/scan/document/not-text", test_not_text);

  return g_test_run ();
}
