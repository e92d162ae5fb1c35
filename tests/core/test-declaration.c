/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-declaration.h"
#include "core/bhxh-error.h"

static const char *full_json =
  "{\"id\": \"TK01-00106-000001\", \"kind\": \"register\", \"status\": \"pending\","
  " \"office_code\": \"00106\","
  " \"submitted_at\": \"2026-11-20T08:15:00+07:00\","
  " \"confirmed_at\": \"2026-11-20T08:20:00+07:00\","
  " \"full_name\": \" Nguyễn  Văn An \", \"bhxh_code\": \"0112345678\","
  " \"id_number\": \"001090012345\", \"birth_date\": \"1990-03-15\", \"sex\": \"male\","
  " \"address\": \"Số 12 ngõ 34 Thái Hà, Đống Đa, Hà Nội\", \"email\": \"an@example.vn\","
  " \"phone\": \"0912345678\", \"start_date\": \"2026-12-01\", \"channel\": \"portal\","
  " \"handin\": \"office\","
  " \"certificate\": {\"number\": \"54010101\", \"issuer\": \"VNPT-CA\","
  "   \"valid_from\": \"2025-01-01\", \"valid_to\": \"2027-12-31\"},"
  " \"guardian\": null, \"employer\": null}";

static JsonObject *
parse_object (const char *text,
              JsonParser **parser)
{
  g_autoptr(GError) error = NULL;

  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*parser));
}

static void
test_round_trip (void)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonParser) parser2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(BhxhDeclaration) again = NULL;
  g_autoptr(BhxhDeclaration) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  d = bhxh_declaration_from_json (parse_object (full_json, &parser), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpint (d->kind, ==, BHXH_KIND_REGISTER);
  g_assert_cmpint (d->sex, ==, BHXH_SEX_MALE);
  g_assert_cmpstr (d->cert_issuer, ==, "VNPT-CA");
  g_assert_cmpuint (d->cert_valid_to.year, ==, 2027);
  g_assert_null (d->guardian_bhxh_code);

  node = bhxh_declaration_to_json (d);
  text = json_to_string (node, FALSE);
  again = bhxh_declaration_from_json (parse_object (text, &parser2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->id, ==, d->id);
  g_assert_true (g_date_time_equal (again->confirmed_at, d->confirmed_at));
  g_assert_cmpstr (again->cert_number, ==, "54010101");

  copy = bhxh_declaration_copy (d);
  g_assert_cmpstr (copy->email, ==, d->email);
  g_assert_true (copy->email != d->email);
}

/* Since 1 July 2025 a declaration may carry the 12-digit ID number where
 * the 10-digit mã số BHXH used to be; the guardian may be named. */
static void
test_code_2025 (void)
{
  const char *json =
    "{\"id\": \"TK01-00106-000009\", \"kind\": \"register\","
    " \"submitted_at\": \"2026-11-20T08:15:00+07:00\", \"full_name\": \"Nguyễn Minh Khôi\","
    " \"bhxh_code\": \"001209012345\", \"birth_date\": \"2009-03-15\","
    " \"guardian\": {\"bhxh_code\": \"001080001234\", \"id_number\": \"001080001234\","
    "   \"full_name\": \"Nguyễn  Văn Bình\"}}";
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonParser) parser2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(BhxhDeclaration) again = NULL;
  g_autoptr(BhxhDeclaration) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  d = bhxh_declaration_from_json (parse_object (json, &parser), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->bhxh_code, ==, "001209012345");
  g_assert_null (d->id_number);
  g_assert_cmpstr (d->guardian_bhxh_code, ==, "001080001234");
  g_assert_cmpstr (d->guardian_name, ==, "Nguyễn Văn Bình");
  node = bhxh_declaration_to_json (d);
  text = json_to_string (node, FALSE);
  again = bhxh_declaration_from_json (parse_object (text, &parser2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->guardian_name, ==, "Nguyễn Văn Bình");
  copy = bhxh_declaration_copy (again);
  g_assert_cmpstr (copy->guardian_name, ==, "Nguyễn Văn Bình");
  g_assert_true (copy->guardian_name != again->guardian_name);
}

static void
test_rejects (void)
{
  const char *bad[] = {
    "{\"kind\": \"register\", \"full_name\": \"A\", \"submitted_at\": \"2026-11-20T08:15:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"join\", \"full_name\": \"A\", \"submitted_at\": \"2026-11-20T08:15:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"stop\", \"full_name\": \"A\", \"submitted_at\": \"yesterday\"}",
    "{\"id\": \"x\", \"kind\": \"stop\", \"full_name\": 5, \"submitted_at\": \"2026-11-20T08:15:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"stop\", \"full_name\": \"A\", \"submitted_at\": \"2026-11-20T08:15:00Z\","
    " \"birth_date\": \"31/02/1990\"}",
    "{\"id\": \"x\", \"kind\": \"stop\", \"full_name\": \"A\", \"submitted_at\": \"2026-11-20T08:15:00Z\","
    " \"bhxh_code\": \"12345\"}",
    "{\"id\": \"x\", \"kind\": \"stop\", \"full_name\": \"A\", \"submitted_at\": \"2026-11-20T08:15:00Z\","
    " \"bhxh_code\": \"01123456789\"}",
    "{\"id\": \"x\", \"kind\": \"stop\", \"full_name\": \"A\", \"submitted_at\": \"2026-11-20T08:15:00Z\","
    " \"sex\": \"other\"}",
    "{\"id\": \"x\", \"kind\": \"stop\", \"full_name\": \"A\", \"submitted_at\": \"2026-11-20T08:15:00Z\","
    " \"guardian\": \"someone\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhDeclaration) d = bhxh_declaration_from_json (parse_object (bad[i], &parser),
                                                                 &error);

      g_assert_null (d);
      g_assert_error (error, BHXH_CORE_ERROR, error->code);
      g_assert_true (error->domain == BHXH_CORE_ERROR);
    }
}

static void
test_expiry_and_minor (void)
{
  g_autoptr(BhxhDeclaration) d = bhxh_declaration_new ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+07:00");
  BhxhDate today = { 2026, 11, 23 };

  d->submitted_at = g_date_time_new (tz, 2026, 11, 10, 9, 0, 0);
  g_assert_cmpint (bhxh_declaration_days_left (d, &today), ==, -3);
  d->confirmed_at = g_date_time_new (tz, 2026, 11, 13, 9, 0, 0);
  g_assert_cmpint (bhxh_declaration_days_left (d, &today), ==, 0);

  d->birth_date = (BhxhDate) { 2008, 11, 24 };
  g_assert_true (bhxh_declaration_is_minor (d, &today));
  d->birth_date = (BhxhDate) { 2008, 11, 23 };
  g_assert_false (bhxh_declaration_is_minor (d, &today));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/declaration/round-trip", test_round_trip);
  g_test_add_func ("/declaration/rejects", test_rejects);
  g_test_add_func ("/declaration/code-2025", test_code_2025);
  g_test_add_func ("/declaration/expiry-minor", test_expiry_and_minor);

  return g_test_run ();
}
