/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo generator alone: determinism, realistic Vietnamese data, ID
 * numbers that follow PPP G YY RRRRRR, and every promised case present. */
#include "config.h"

#include <string.h>

#include "core/bhxh-compare.h"
#include "core/bhxh-document.h"
#include "core/bhxh-id.h"
#include "demo/bhxh-demo.h"

#define N_PERSONS 20000

static const BhxhDate today = { 2026, 11, 23 };

static BhxhDemo *
demo_new (const BhxhDate *day,
          guint           n,
          guint64         seed)
{
  g_autoptr(GError) error = NULL;
  BhxhDemo *demo = bhxh_demo_new (day, n, seed, &error);

  g_assert_no_error (error);
  g_assert_nonnull (demo);
  return demo;
}

static GBytes *
mirror_bytes (BhxhDemo *demo)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (bhxh_demo_write_mirror_csv (demo, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static char *
declarations_text (BhxhDemo *demo)
{
  g_autoptr(JsonNode) root = bhxh_demo_build_declarations (demo);

  return json_to_string (root, FALSE);
}

static void
test_determinism (void)
{
  g_autoptr(BhxhDemo) a = demo_new (&today, 5000, BHXH_DEMO_DEFAULT_SEED);
  g_autoptr(BhxhDemo) b = demo_new (&today, 5000, BHXH_DEMO_DEFAULT_SEED);
  g_autoptr(BhxhDemo) other_seed = demo_new (&today, 5000, 42);
  BhxhDate later = { 2027, 3, 1 };
  g_autoptr(BhxhDemo) other_day = demo_new (&later, 5000, BHXH_DEMO_DEFAULT_SEED);
  g_autoptr(GBytes) csv_a = mirror_bytes (a);
  g_autoptr(GBytes) csv_b = mirror_bytes (b);
  g_autoptr(GBytes) csv_seed = mirror_bytes (other_seed);
  g_autoptr(GBytes) csv_day = mirror_bytes (other_day);
  g_autofree char *json_a = declarations_text (a);
  g_autofree char *json_b = declarations_text (b);
  g_autofree char *json_seed = declarations_text (other_seed);
  g_autofree char *json_day = declarations_text (other_day);
  GPtrArray *pa = bhxh_demo_get_payloads (a);
  GPtrArray *pb = bhxh_demo_get_payloads (b);

  g_assert_cmpuint (g_bytes_get_size (csv_a), >, 5000 * 60);
  g_assert_true (g_bytes_equal (csv_a, csv_b));
  g_assert_cmpstr (json_a, ==, json_b);
  g_assert_cmpuint (pa->len, ==, pb->len);
  for (guint i = 0; i < pa->len; i++)
    g_assert_cmpstr (((BhxhDemoPayload *) pa->pdata[i])->payload, ==,
                     ((BhxhDemoPayload *) pb->pdata[i])->payload);

  /* Calling again on the same plan gives the same again. */
  {
    g_autofree char *again = declarations_text (a);
    g_autoptr(GBytes) csv_again = mirror_bytes (a);

    g_assert_cmpstr (again, ==, json_a);
    g_assert_true (g_bytes_equal (csv_again, csv_a));
  }

  g_assert_false (g_bytes_equal (csv_a, csv_seed));
  g_assert_cmpstr (json_a, !=, json_seed);
  g_assert_false (g_bytes_equal (csv_a, csv_day));
  g_assert_cmpstr (json_a, !=, json_day);
}

static void
test_bad_values (void)
{
  g_autoptr(GError) error = NULL;
  BhxhDate partial = { 2026, 11, 0 };
  BhxhDemo *demo;

  demo = bhxh_demo_new (&today, 10, 1, &error);
  g_assert_null (demo);
  g_assert_error (error, BHXH_DEMO_ERROR, BHXH_DEMO_ERROR_BAD_VALUE);
  g_clear_error (&error);
  demo = bhxh_demo_new (&partial, 5000, 1, &error);
  g_assert_null (demo);
  g_assert_error (error, BHXH_DEMO_ERROR, BHXH_DEMO_ERROR_BAD_VALUE);
}

/* RFC 4180 enough for our own output: quoted fields, no escaped quotes. */
static GStrv
split_csv (const char *line)
{
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *c = line; *c; c++)
    {
      if (*c == '"')
        quoted = !quoted;
      else if (*c == ',' && !quoted)
        {
          g_strv_builder_add (fields, field->str);
          g_string_truncate (field, 0);
        }
      else
        g_string_append_c (field, *c);
    }
  g_strv_builder_add (fields, field->str);
  return g_strv_builder_end (fields);
}

typedef struct
{
  JsonArray  *declarations;
  GHashTable *case_of_id;      /* declaration id → case name */
  GHashTable *warning_codes;   /* ID number → expected BhxhIdWarnings */
} Plan;

static void
plan_init (Plan     *plan,
           BhxhDemo *demo,
           JsonNode *root)
{
  GPtrArray *payloads = bhxh_demo_get_payloads (demo);

  plan->declarations = json_object_get_array_member (json_node_get_object (root),
                                                     "declarations");
  plan->case_of_id = g_hash_table_new (g_str_hash, g_str_equal);
  plan->warning_codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_assert_cmpuint (payloads->len, ==, json_array_get_length (plan->declarations));
  for (guint i = 0; i < payloads->len; i++)
    {
      BhxhDemoPayload *p = payloads->pdata[i];
      JsonObject *d = json_array_get_object_element (plan->declarations, i);
      const char *code = json_object_get_string_member (d, "id_number");
      BhxhIdWarnings w = BHXH_ID_WARNING_NONE;

      g_assert_cmpstr (p->declaration_id, ==, json_object_get_string_member (d, "id"));
      g_hash_table_insert (plan->case_of_id, p->declaration_id,
                           (gpointer) bhxh_demo_case_to_string (p->demo_case));
      if (p->demo_case == BHXH_DEMO_CASE_ID_WARNING_SEX)
        w = BHXH_ID_WARNING_SEX_MISMATCH;
      else if (p->demo_case == BHXH_DEMO_CASE_ID_WARNING_YEAR)
        w = BHXH_ID_WARNING_BIRTH_YEAR;
      else if (p->demo_case == BHXH_DEMO_CASE_ID_WARNING_PROVINCE)
        w = BHXH_ID_WARNING_UNKNOWN_PROVINCE;
      if (w != BHXH_ID_WARNING_NONE)
        g_hash_table_insert (plan->warning_codes, (gpointer) code, GUINT_TO_POINTER (w));
    }
}

static void
plan_clear (Plan *plan)
{
  g_hash_table_unref (plan->case_of_id);
  g_hash_table_unref (plan->warning_codes);
}

typedef struct
{
  guint rows, nguyen, non_ascii, year_only, month_only, active, female, rekeyed;
  guint minors;
  gboolean tone_old, tone_new;
} MirrorStats;

static void
check_row (GStrv        f,
           Plan        *plan,
           GHashTable  *codes,
           GHashTable  *ids,
           MirrorStats *stats)
{
  g_autoptr(GError) error = NULL;
  BhxhDate birth;
  BhxhSex sex;
  g_autofree char *nfc = NULL;
  gpointer expected;
  BhxhIdWarnings warnings;

  g_assert_cmpuint (g_strv_length (f), ==, 11);
  g_assert_true (bhxh_code_is_valid (f[0]));
  g_assert_true (bhxh_id_number_is_valid (f[1]));
  /* Keyed by the ID number, with the former code; or by the 10-digit code. */
  if (bhxh_id_number_is_valid (f[0]))
    {
      g_assert_cmpstr (f[0], ==, f[1]);
      g_assert_true (bhxh_code_is_legacy (f[10]));
      g_assert_true (g_hash_table_add (codes, g_strdup (f[10])));
      stats->rekeyed++;
    }
  else
    g_assert_cmpstr (f[10], ==, "");
  g_assert_true (f[2][0] == '\0' || bhxh_cmnd_is_valid (f[2]));
  g_assert_true (g_hash_table_add (codes, g_strdup (f[0])));
  g_assert_true (g_hash_table_add (ids, g_strdup (f[1])));

  /* Names: valid NFC UTF-8, Vietnamese-looking. */
  g_assert_true (g_utf8_validate (f[3], -1, NULL));
  nfc = g_utf8_normalize (f[3], -1, G_NORMALIZE_NFC);
  g_assert_cmpstr (nfc, ==, f[3]);
  stats->nguyen += g_str_has_prefix (f[3], "Nguyễn ");
  for (const char *c = f[3]; *c; c++)
    if ((guchar) *c >= 0x80)
      {
        stats->non_ascii++;
        break;
      }
  stats->tone_new |= g_str_has_suffix (f[3], " Thủy") || g_str_has_suffix (f[3], " Hòa");
  stats->tone_old |= g_str_has_suffix (f[3], " Thuỷ") || g_str_has_suffix (f[3], " Hoà");

  g_assert_true (bhxh_date_parse (f[4], &birth, &error));
  g_assert_no_error (error);
  stats->year_only += birth.month == 0;
  stats->month_only += birth.month != 0 && birth.day == 0;
  g_assert_true (bhxh_sex_parse (f[5], &sex));
  stats->female += sex == BHXH_SEX_FEMALE;
  stats->minors += bhxh_date_age_on (&birth, &today) < 18;
  g_assert_true (g_str_has_suffix (f[6], "Hà Nội") || g_str_has_suffix (f[6], "Hồ Chí Minh")
                 || g_str_has_suffix (f[6], "Đà Nẵng"));
  g_assert_cmpuint (strlen (f[7]), ==, 5);
  stats->active += g_str_equal (f[8], "active");
  g_assert_true ((f[8][0] == '\0') == (f[9][0] == '\0'));

  /* Consistent with birth year and sex, except the deliberate cases. */
  warnings = bhxh_id_number_check (f[1], &birth, sex);
  if (g_hash_table_lookup_extended (plan->warning_codes, f[1], NULL, &expected))
    g_assert_cmpuint (warnings, ==, GPOINTER_TO_UINT (expected));
  else
    g_assert_cmpuint (warnings, ==, BHXH_ID_WARNING_NONE);
  stats->rows++;
}

static void
test_mirror (void)
{
  g_autoptr(BhxhDemo) demo = demo_new (&today, N_PERSONS, BHXH_DEMO_DEFAULT_SEED);
  g_autoptr(JsonNode) root = bhxh_demo_build_declarations (demo);
  g_autoptr(GBytes) csv = mirror_bytes (demo);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  MirrorStats s = { 0 };
  Plan plan;

  plan_init (&plan, demo, root);
  g_assert_cmpstr (lines[0], ==, "bhxh_code,id_number,old_id_number,full_name,birth_date,"
                                 "sex,address,office_code,account_status,account_since,"
                                 "legacy_bhxh_code");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = split_csv (lines[i]);

      check_row (f, &plan, codes, ids, &s);
    }
  plan_clear (&plan);

  g_assert_cmpuint (s.rows, ==, N_PERSONS);
  g_test_message ("Nguyễn %.1f%%, partial %.1f%%/%.1f%%, active %.1f%%, minors %.1f%%",
                  100.0 * s.nguyen / s.rows, 100.0 * s.year_only / s.rows,
                  100.0 * s.month_only / s.rows, 100.0 * s.active / s.rows,
                  100.0 * s.minors / s.rows);
  g_assert_cmpfloat (100.0 * s.nguyen / s.rows, >, 34);
  g_assert_cmpfloat (100.0 * s.nguyen / s.rows, <, 42);
  g_assert_cmpuint (s.non_ascii, >, s.rows * 99 / 100);
  g_assert_cmpfloat (100.0 * s.year_only / s.rows, >, 2.0);
  g_assert_cmpfloat (100.0 * s.year_only / s.rows, <, 4.0);
  g_assert_cmpfloat (100.0 * s.month_only / s.rows, >, 1.0);
  g_assert_cmpfloat (100.0 * s.month_only / s.rows, <, 3.0);
  g_assert_cmpfloat (100.0 * s.active / s.rows, >, 35);
  g_assert_cmpfloat (100.0 * s.active / s.rows, <, 45);
  g_assert_cmpfloat (100.0 * s.female / s.rows, >, 45);
  g_assert_cmpfloat (100.0 * s.female / s.rows, <, 55);
  g_assert_true (s.tone_new && s.tone_old);
  /* One in eight keyed by the ID number (2025 on). */
  g_assert_cmpfloat (100.0 * s.rekeyed / s.rows, >, 10.5);
  g_assert_cmpfloat (100.0 * s.rekeyed / s.rows, <, 14.5);
}

static BhxhLevel
expected_name_level (BhxhDemoCase c)
{
  switch (c)
    {
    case BHXH_DEMO_CASE_NAME_CASE_SPACING:
    case BHXH_DEMO_CASE_NAME_TONE_VARIANT: return BHXH_LEVEL_EQUIVALENT;
    case BHXH_DEMO_CASE_NAME_DIACRITICS:   return BHXH_LEVEL_DIACRITICS;
    default:                               return BHXH_LEVEL_MATCH;
    }
}

/* The card against the declaration, the way each case needs. */
static void
check_card (const BhxhDemoPayload *p,
            JsonObject            *d)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) doc = bhxh_document_parse_scan (p->payload, -1, &error);
  BhxhDate declared;
  BhxhIdWarnings structure;

  g_assert_no_error (error);
  g_assert_cmpstr (doc->id_number, ==, json_object_get_string_member (d, "id_number"));
  if (doc->kind != BHXH_DOCUMENT_CCCD)
    {
      /* A young child's birth certificate QR: only the number. */
      g_assert_true (p->demo_case == BHXH_DEMO_CASE_MINOR_GUARDIAN_ACCOUNT
                     || p->demo_case == BHXH_DEMO_CASE_MINOR_GUARDIAN_NO_ACCOUNT);
      return;
    }
  g_assert_cmpint (bhxh_compare_name (json_object_get_string_member (d, "full_name"),
                                      doc->full_name), ==,
                   expected_name_level (p->demo_case));
  g_assert_true (bhxh_date_parse (json_object_get_string_member (d, "birth_date"),
                                  &declared, NULL));
  g_assert_cmpint (bhxh_compare_dates (&declared, &doc->birth_date), ==,
                   p->demo_case == BHXH_DEMO_CASE_BIRTH_DATE_MISMATCH
                   ? BHXH_LEVEL_MISMATCH : BHXH_LEVEL_MATCH);
  structure = doc->warnings & (BHXH_ID_WARNING_SEX_MISMATCH | BHXH_ID_WARNING_BIRTH_YEAR
                               | BHXH_ID_WARNING_UNKNOWN_PROVINCE);
  g_assert_cmpint (structure != 0, ==,
                   p->demo_case >= BHXH_DEMO_CASE_ID_WARNING_SEX
                   && p->demo_case <= BHXH_DEMO_CASE_ID_WARNING_PROVINCE);
}

static void
test_cases (void)
{
  g_autoptr(BhxhDemo) demo = demo_new (&today, N_PERSONS, BHXH_DEMO_DEFAULT_SEED);
  g_autoptr(JsonNode) root = bhxh_demo_build_declarations (demo);
  JsonArray *list = json_object_get_array_member (json_node_get_object (root), "declarations");
  GPtrArray *payloads = bhxh_demo_get_payloads (demo);
  guint per_case[BHXH_DEMO_N_CASES] = { 0 };
  guint empty_old = 0, trailing = 0, employer = 0;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"),
                   ==, "bhxh-declarations/1");
  g_assert_cmpuint (json_array_get_length (list), >=, 180);
  g_assert_cmpuint (json_array_get_length (list), <=, 220);
  for (guint i = 0; i < payloads->len; i++)
    {
      const BhxhDemoPayload *p = payloads->pdata[i];
      JsonObject *d = json_array_get_object_element (list, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhDeclaration) decl = bhxh_declaration_from_json (d, &error);

      g_assert_no_error (error);
      g_assert_true (g_hash_table_add (ids, (gpointer) decl->id));
      per_case[p->demo_case]++;
      empty_old += strstr (p->payload, "||") != NULL;
      trailing += g_str_has_suffix (p->payload, "|");
      employer += decl->employer != NULL;
      check_card (p, d);
    }
  for (guint c = 0; c < BHXH_DEMO_N_CASES; c++)
    {
      g_test_message ("%-26s %3u", bhxh_demo_case_to_string (c), per_case[c]);
      g_assert_cmpuint (per_case[c], >=, 2);
    }
  g_assert_cmpuint (per_case[BHXH_DEMO_CASE_CLEAN] * 2, >, payloads->len);
  g_assert_cmpuint (empty_old, >, 10);
  g_assert_cmpuint (trailing, >, 10);
  g_assert_cmpuint (employer, ==, per_case[BHXH_DEMO_CASE_EMPLOYER_BATCH]);
}

/* The example ids docs/demo.md gives are that case in the default demo. */
static void
test_docs_examples (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "docs",
                                            "demo.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDemo) demo = demo_new (&today, BHXH_DEMO_DEFAULT_PERSONS,
                                       BHXH_DEMO_DEFAULT_SEED);
  GPtrArray *payloads = bhxh_demo_get_payloads (demo);
  g_autoptr(GHashTable) case_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) lines = NULL;
  guint rows = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < payloads->len; i++)
    {
      BhxhDemoPayload *p = payloads->pdata[i];

      g_hash_table_insert (case_of, p->declaration_id,
                           (gpointer) bhxh_demo_case_to_string (p->demo_case));
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;
      g_autofree char *name = NULL;
      g_autofree char *id = NULL;
      guint n;

      if (!g_str_has_prefix (lines[i], "| `"))
        continue;
      cells = g_strsplit (lines[i], "|", -1);
      n = g_strv_length (cells);
      g_assert_cmpuint (n, ==, 7);
      name = g_strdup (g_strstrip (cells[1]));
      id = g_strdup (g_strstrip (cells[5]));
      g_strdelimit (name, "`", ' ');
      g_strdelimit (id, "`", ' ');
      g_assert_cmpstr (g_hash_table_lookup (case_of, g_strstrip (id)), ==, g_strstrip (name));
      rows++;
    }
  g_assert_cmpuint (rows, ==, BHXH_DEMO_N_CASES);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/generator/determinism", test_determinism);
  g_test_add_func ("/demo/generator/bad-values", test_bad_values);
  g_test_add_func ("/demo/generator/mirror", test_mirror);
  g_test_add_func ("/demo/generator/cases", test_cases);
  g_test_add_func ("/demo/generator/docs-examples", test_docs_examples);

  return g_test_run ();
}
