/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-document.h"
#include "core/bhxh-error.h"

#define AN "001090012345|123456789|Nguyễn Văn An|15031990|Nam|" \
           "Số 12 ngõ 34 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|20042021"
#define NGOC "079305001234||Trần Thị Bích Ngọc|02112005|Nữ|" \
             "Ấp Phước Lộc, Phước Kiển, Nhà Bè, Hồ Chí Minh|10082022"

static BhxhDocument *
parse_ok (const char *payload)
{
  g_autoptr(GError) error = NULL;
  BhxhDocument *doc = bhxh_document_parse_cccd (payload, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static void
test_examples (void)
{
  g_autoptr(BhxhDocument) an = parse_ok (AN);
  g_autoptr(BhxhDocument) ngoc = parse_ok (NGOC);

  g_assert_cmpint (an->kind, ==, BHXH_DOCUMENT_CCCD);
  g_assert_cmpstr (an->id_number, ==, "001090012345");
  g_assert_cmpstr (an->old_id_number, ==, "123456789");
  g_assert_cmpstr (an->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpuint (an->birth_date.year, ==, 1990);
  g_assert_cmpint (an->sex, ==, BHXH_SEX_MALE);
  g_assert_cmpuint (an->issue_date.year, ==, 2021);
  g_assert_cmpint (an->warnings, ==, BHXH_ID_WARNING_NONE);
  g_assert_cmpuint (an->extra->len, ==, 0);

  g_assert_null (ngoc->old_id_number);
  g_assert_cmpint (ngoc->sex, ==, BHXH_SEX_FEMALE);
  g_assert_cmpint (ngoc->warnings, ==, BHXH_ID_WARNING_NONE);
}

static void
test_lenient (void)
{
  g_autofree char *nfd = g_utf8_normalize (NGOC, -1, G_NORMALIZE_NFD);
  g_autofree char *noisy = g_strconcat ("\xEF\xBB\xBF", nfd, "\r\n", NULL);
  g_autoptr(BhxhDocument) a = parse_ok (noisy);
  g_autoptr(BhxhDocument) b =
    parse_ok (" 001090012345 | 123456789 |  Nguyễn   Văn  An |1990| NAM |Hà Nội");
  g_autoptr(BhxhDocument) c =
    parse_ok ("001090012345|123456789|Nguyễn Văn An|031990|nam|Hà Nội|20042021|X1||Y2||");
  g_autoptr(BhxhDocument) d = parse_ok (AN "|");

  g_assert_cmpstr (a->full_name, ==, "Trần Thị Bích Ngọc");
  g_assert_true (g_utf8_validate (a->address, -1, NULL));
  g_assert_cmpstr (a->address, ==, "Ấp Phước Lộc, Phước Kiển, Nhà Bè, Hồ Chí Minh");

  g_assert_cmpstr (b->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpuint (b->birth_date.year, ==, 1990);
  g_assert_cmpuint (b->birth_date.month, ==, 0);
  g_assert_false (b->issue_date.year != 0);

  g_assert_cmpuint (c->birth_date.month, ==, 3);
  g_assert_cmpuint (c->extra->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (c->extra, 0), ==, "X1");
  g_assert_cmpstr (g_ptr_array_index (c->extra, 1), ==, "");
  g_assert_cmpstr (g_ptr_array_index (c->extra, 2), ==, "Y2");

  g_assert_cmpuint (d->extra->len, ==, 0);
}

static void
test_strict (void)
{
  const struct { const char *payload; gssize len; int code; } bad[] = {
    { "001090012345|123456789|Nguyễn Văn An|15031990|Nam", -1, BHXH_CORE_ERROR_TOO_FEW_FIELDS },
    { "00109001234|123456789|Nguyễn Văn An|15031990|Nam|Hà Nội", -1, BHXH_CORE_ERROR_BAD_ID },
    { "0010900123456|123456789|Nguyễn Văn An|15031990|Nam|Hà Nội", -1, BHXH_CORE_ERROR_BAD_ID },
    { "001090012345|123456789|   |15031990|Nam|Hà Nội", -1, BHXH_CORE_ERROR_EMPTY_NAME },
    { "001090012345|123456789|Nguyễn Văn An|31021990|Nam|Hà Nội", -1, BHXH_CORE_ERROR_BAD_DATE },
    { "001090012345|123456789|Nguyễn Văn An|15031990|Nam|Hà Nội|99999999", -1,
      BHXH_CORE_ERROR_BAD_DATE },
    { "001090012345|123456789|Nguyễn Văn An|15031990|X|Hà Nội", -1, BHXH_CORE_ERROR_BAD_SEX },
    { "001090012345|1\xff|Nguyễn Văn An|15031990|Nam|Hà Nội", -1,
      BHXH_CORE_ERROR_INVALID_UTF8 },
    { "001090012345|\0|Nguyễn Văn An|15031990|Nam|Hà Nội", 40, BHXH_CORE_ERROR_NUL_BYTE },
    { " \r\n", -1, BHXH_CORE_ERROR_EMPTY },
    { "001090012345|123456789|Nguyễn \aVăn An|15031990|Nam|Hà Nội", -1,
      BHXH_CORE_ERROR_BAD_VALUE },
    { "001090012345|123456789|Nguyễn \x1b[31mVăn|15031990|Nam|Hà Nội", -1,
      BHXH_CORE_ERROR_BAD_VALUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhDocument) doc = bhxh_document_parse_cccd (bad[i].payload, bad[i].len, &error);

      g_assert_null (doc);
      g_assert_error (error, BHXH_CORE_ERROR, bad[i].code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_warnings (void)
{
  g_autoptr(BhxhDocument) doc =
    parse_ok ("003191012345|12345|Nguyễn Văn An|15031990|Nam|Hà Nội|01012020");
  g_autoptr(JsonNode) node = bhxh_document_to_json (doc);
  JsonArray *warnings = json_object_get_array_member (json_node_get_object (node), "warnings");

  g_assert_true (doc->warnings & BHXH_ID_WARNING_SEX_MISMATCH);
  g_assert_true (doc->warnings & BHXH_ID_WARNING_BIRTH_YEAR);
  g_assert_true (doc->warnings & BHXH_ID_WARNING_UNKNOWN_PROVINCE);
  g_assert_true (doc->warnings & BHXH_ID_WARNING_OLD_ID_MALFORMED);
  g_assert_cmpuint (json_array_get_length (warnings), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (warnings, 0), ==, "id-sex-mismatch");
}

static void
test_json (void)
{
  g_autoptr(BhxhDocument) doc = parse_ok (NGOC);
  g_autoptr(JsonNode) node = bhxh_document_to_json (doc);
  JsonObject *o = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (o, "document"), ==, "cccd");
  g_assert_cmpstr (json_object_get_string_member (o, "id_number"), ==, "079305001234");
  g_assert_true (json_object_get_null_member (o, "old_id_number"));
  g_assert_cmpstr (json_object_get_string_member (o, "birth_date"), ==, "2005-11-02");
  g_assert_cmpstr (json_object_get_string_member (o, "sex"), ==, "female");
  g_assert_cmpstr (json_object_get_string_member (o, "issue_date"), ==, "2022-08-10");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "extra")), ==, 0);
  g_assert_false (json_object_has_member (o, "raw"));
}

static void
test_scan_lenient (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) other =
    bhxh_document_parse_scan ("https://example.vn/v?so=079305001234&t=1", -1, &error);
  g_autoptr(BhxhDocument) card = bhxh_document_parse_scan (AN "\n", -1, &error);
  g_autoptr(BhxhDocument) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (other->kind, ==, BHXH_DOCUMENT_ID_CARD_OTHER);
  g_assert_cmpstr (other->id_number, ==, "079305001234");
  g_assert_cmpstr (other->raw, ==, "https://example.vn/v?so=079305001234&t=1");
  g_assert_cmpint (card->kind, ==, BHXH_DOCUMENT_CCCD);

  none = bhxh_document_parse_scan ("hello world", -1, &error);
  g_assert_null (none);
  g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_ID);
}

#define CHILD_2024 "001209012345||Nguyễn Minh Khôi|15032009|Nam|Số 12 Thái Hà, Hà Nội|" \
                   "04102024|15032009|001209000001|Nguyễn  Văn Bình |Trần Thị Hoa"

/* Cards of 2024 on: 11 fields; on a child's, 10 and 11 are the parents. */
static void
test_card_2024 (void)
{
  g_autoptr(BhxhDocument) child = parse_ok (CHILD_2024);
  g_autoptr(BhxhDocument) trailing = parse_ok (CHILD_2024 "|");
  g_autoptr(BhxhDocument) adult = parse_ok (AN "||||");
  g_autoptr(BhxhDocument) old_card = parse_ok (AN);
  g_autoptr(BhxhDocument) extras =
    parse_ok ("001090012345|123456789|Nguyễn Văn An|15031990|Nam|Hà Nội|20042021|X1||Y2|Z|W");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) adult_node = NULL;
  JsonObject *o;

  g_assert_cmpstr (child->father_name, ==, "Nguyễn Văn Bình");
  g_assert_cmpstr (child->mother_name, ==, "Trần Thị Hoa");
  /* extra stays what it was: every field after the seventh, as read. */
  g_assert_cmpuint (child->extra->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (child->extra, 2), ==, "Nguyễn  Văn Bình ");
  g_assert_cmpstr (trailing->father_name, ==, "Nguyễn Văn Bình");
  g_assert_null (adult->father_name);
  g_assert_null (adult->mother_name);
  g_assert_cmpuint (adult->extra->len, ==, 0);
  g_assert_null (old_card->father_name);
  /* Twelve fields are not the 2024 layout: no one's names. */
  g_assert_null (extras->father_name);
  g_assert_cmpuint (extras->extra->len, ==, 5);

  node = bhxh_document_to_json (child);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "father_name"), ==, "Nguyễn Văn Bình");
  g_assert_cmpstr (json_object_get_string_member (o, "mother_name"), ==, "Trần Thị Hoa");
  adult_node = bhxh_document_to_json (adult);
  o = json_node_get_object (adult_node);
  g_assert_true (json_object_has_member (o, "father_name"));
  g_assert_true (json_object_get_null_member (o, "father_name"));
  g_assert_true (json_object_get_null_member (o, "mother_name"));
}

/* What scanners add: a label before the code, CR alone after it. Only the
 * lenient scan path accepts them; qr parse's contract stays strict. */
static void
test_scan_prefix_cr (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) prefixed = bhxh_document_parse_scan ("CCCD:" AN, -1, &error);
  g_autoptr(BhxhDocument) spaced = bhxh_document_parse_scan ("CCCD: " CHILD_2024 "\r", -1,
                                                              &error);
  g_autoptr(BhxhDocument) cr_only = bhxh_document_parse_scan (AN "\r" NGOC "\r", -1, &error);
  g_autoptr(BhxhDocument) strict = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (prefixed->kind, ==, BHXH_DOCUMENT_CCCD);
  g_assert_cmpstr (prefixed->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpstr (prefixed->raw, ==, "CCCD:" AN);
  g_assert_cmpint (spaced->kind, ==, BHXH_DOCUMENT_CCCD);
  g_assert_cmpstr (spaced->mother_name, ==, "Trần Thị Hoa");
  g_assert_cmpint (cr_only->kind, ==, BHXH_DOCUMENT_CCCD);
  g_assert_cmpstr (cr_only->id_number, ==, "001090012345");
  g_assert_cmpuint (cr_only->issue_date.year, ==, 2021);

  strict = bhxh_document_parse_cccd ("CCCD:" AN, -1, &error);
  g_assert_null (strict);
  g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_ID);
}

static void
test_copy (void)
{
  g_autoptr(BhxhDocument) doc =
    parse_ok ("001090012345|123456789|Nguyễn Văn An|15031990|Nam|Hà Nội|20042021|X1");
  g_autoptr(BhxhDocument) copy = bhxh_document_copy (doc);

  g_assert_cmpstr (copy->full_name, ==, doc->full_name);
  g_assert_true (copy->full_name != doc->full_name);
  g_assert_cmpuint (copy->extra->len, ==, 1);
  g_assert_cmpstr (copy->raw, ==, doc->raw);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bhxh_clock_pin_text ("2026-11-23", NULL);

  g_test_add_func ("/document/examples", test_examples);
  g_test_add_func ("/document/lenient", test_lenient);
  g_test_add_func ("/document/strict", test_strict);
  g_test_add_func ("/document/warnings", test_warnings);
  g_test_add_func ("/document/json", test_json);
  g_test_add_func ("/document/scan-lenient", test_scan_lenient);
  g_test_add_func ("/document/copy", test_copy);
  g_test_add_func ("/document/card-2024", test_card_2024);
  g_test_add_func ("/document/scan-prefix-cr", test_scan_prefix_cr);

  return g_test_run ();
}
