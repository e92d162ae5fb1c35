/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo through the real store: offices, mirror import, declarations
 * import, users; then the core rules on every demo declaration, which must
 * give each case its verdict — an end-to-end test of the rules as well. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "core/bhxh-document.h"
#include "core/bhxh-id.h"
#include "core/bhxh-verdict.h"
#include "demo/bhxh-demo.h"
#include "store/bhxh-store.h"

#define N_PERSONS 3000

static const BhxhDate today = { 2026, 11, 23 };
/* Around year ends and a leap day: the demo is relative to its date. */
static const BhxhDate leap_day = { 2028, 2, 29 };
static const BhxhDate new_year = { 2027, 1, 2 };

typedef struct
{
  BhxhVerdict  verdict;
  const char  *reason;    /* a reason that must be there, or NULL */
} Expected;

/* What the clerk should see for each case, the card scanned. */
static const Expected expected[BHXH_DEMO_N_CASES] = {
  [BHXH_DEMO_CASE_CLEAN]                     = { BHXH_VERDICT_CAN_APPROVE, NULL },
  [BHXH_DEMO_CASE_NAME_CASE_SPACING]         = { BHXH_VERDICT_CAN_APPROVE, NULL },
  [BHXH_DEMO_CASE_NAME_TONE_VARIANT]         = { BHXH_VERDICT_CAN_APPROVE, NULL },
  [BHXH_DEMO_CASE_NAME_DIACRITICS]           = { BHXH_VERDICT_NEEDS_ATTENTION, "name-diacritics" },
  [BHXH_DEMO_CASE_BIRTH_DATE_MISMATCH]       = { BHXH_VERDICT_BLOCKED, "birth-date-mismatch" },
  [BHXH_DEMO_CASE_BIRTH_DATE_PARTIAL]        = { BHXH_VERDICT_NEEDS_ATTENTION, "birth-date-partial" },
  [BHXH_DEMO_CASE_ID_WARNING_SEX]            = { BHXH_VERDICT_NEEDS_ATTENTION, NULL },
  [BHXH_DEMO_CASE_ID_WARNING_YEAR]           = { BHXH_VERDICT_NEEDS_ATTENTION, NULL },
  [BHXH_DEMO_CASE_ID_WARNING_PROVINCE]       = { BHXH_VERDICT_NEEDS_ATTENTION, NULL },
  [BHXH_DEMO_CASE_EXPIRED]                   = { BHXH_VERDICT_BLOCKED, "expired" },
  [BHXH_DEMO_CASE_NEAR_EXPIRY]               = { BHXH_VERDICT_CAN_APPROVE, "expires-soon" },
  [BHXH_DEMO_CASE_MINOR_GUARDIAN_ACCOUNT]    = { BHXH_VERDICT_CAN_APPROVE, "minor" },
  [BHXH_DEMO_CASE_MINOR_GUARDIAN_NO_ACCOUNT] = { BHXH_VERDICT_BLOCKED, "guardian-no-account" },
  [BHXH_DEMO_CASE_NOT_IN_MIRROR]             = { BHXH_VERDICT_BLOCKED, "not-in-registry" },
  [BHXH_DEMO_CASE_ADJUST]                    = { BHXH_VERDICT_CAN_APPROVE, NULL },
  [BHXH_DEMO_CASE_STOP]                      = { BHXH_VERDICT_CAN_APPROVE, NULL },
  [BHXH_DEMO_CASE_REGISTER_HAS_ACCOUNT]      = { BHXH_VERDICT_BLOCKED, "already-registered" },
  [BHXH_DEMO_CASE_DUPLICATE]                 = { BHXH_VERDICT_NEEDS_ATTENTION, "duplicate" },
  [BHXH_DEMO_CASE_EMPLOYER_BATCH]            = { BHXH_VERDICT_CAN_APPROVE, NULL },
  [BHXH_DEMO_CASE_POST_HANDIN]               = { BHXH_VERDICT_CAN_APPROVE, NULL },
  [BHXH_DEMO_CASE_IVAN]                      = { BHXH_VERDICT_CAN_APPROVE, NULL },
  [BHXH_DEMO_CASE_HISTORY_APPROVED]          = { BHXH_VERDICT_BLOCKED, "not-open" },
  [BHXH_DEMO_CASE_HISTORY_REJECTED]          = { BHXH_VERDICT_BLOCKED, "not-open" },
  [BHXH_DEMO_CASE_MINOR_GUARDIAN_NOT_PARENT] = { BHXH_VERDICT_NEEDS_ATTENTION,
                                                 "guardian-not-parent" },
};

static BhxhIdWarnings
expected_warning (BhxhDemoCase c)
{
  switch (c)
    {
    case BHXH_DEMO_CASE_ID_WARNING_SEX:      return BHXH_ID_WARNING_SEX_MISMATCH;
    case BHXH_DEMO_CASE_ID_WARNING_YEAR:     return BHXH_ID_WARNING_BIRTH_YEAR;
    case BHXH_DEMO_CASE_ID_WARNING_PROVINCE: return BHXH_ID_WARNING_UNKNOWN_PROVINCE;
    default:                                 return BHXH_ID_WARNING_NONE;
    }
}

typedef struct
{
  char      *dir;
  char      *db;
  BhxhStore *store;
  BhxhDemo  *demo;
  BhxhDate   today;
} Fixture;

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BhxhDemoSummary summary;

  f->today = data ? *(const BhxhDate *) data : today;
  f->dir = g_dir_make_tmp ("bhxh-demo-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "demo.db", NULL);
  f->store = bhxh_store_open (f->db, &error);
  g_assert_no_error (error);
  f->demo = bhxh_demo_new (&f->today, N_PERSONS, BHXH_DEMO_DEFAULT_SEED, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_demo_populate (f->demo, f->store, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.persons, ==, N_PERSONS);
  g_assert_cmpuint (summary.declarations, ==, bhxh_demo_get_payloads (f->demo)->len);
  g_assert_cmpuint (summary.offices, ==, 23);
  g_assert_cmpuint (summary.users, ==, 4);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->demo, bhxh_demo_free);
  remove_tree (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

static void
test_contents (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offices = bhxh_store_list_offices (f->store, &error);
  g_autoptr(GPtrArray) users = bhxh_store_list_users (f->store, &error);
  g_autoptr(BhxhOffice) dongda = bhxh_store_get_office (f->store, "00106", &error);
  g_autofree char *version = bhxh_store_dup_mirror_version (f->store);
  g_autofree char *demo_today = bhxh_store_dup_meta (f->store, "demo_today");
  BhxhQueueFilter pending = BHXH_QUEUE_FILTER_INIT;
  BhxhQueueFilter hanoi = BHXH_QUEUE_FILTER_INIT;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) in_hanoi = NULL;
  guint supervisors = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, ==, 23);
  g_assert_cmpstr (dongda->parent_code, ==, "001");
  g_assert_cmpstr (dongda->name, ==, "BHXH Quận Đống Đa");
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, N_PERSONS);
  g_assert_cmpstr (version, ==, "demo-2026-11-23");
  g_assert_cmpstr (demo_today, ==, "2026-11-23");
  for (guint i = 0; i < users->len; i++)
    supervisors += g_str_equal (((BhxhUser *) users->pdata[i])->role, "supervisor");
  g_assert_cmpuint (users->len, ==, 4);
  g_assert_cmpuint (supervisors, ==, 1);

  /* Live work in the queue: most declarations are pending, most in Hà Nội. */
  pending.status = BHXH_STATUS_PENDING;
  open = bhxh_store_list_declarations (f->store, &pending, &error);
  g_assert_no_error (error);
  hanoi.office_code = "001";
  in_hanoi = bhxh_store_list_declarations (f->store, &hanoi, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, bhxh_demo_get_payloads (f->demo)->len - 10);
  g_assert_cmpuint (in_hanoi->len * 10, >, bhxh_demo_get_payloads (f->demo)->len * 8);
}

/* Young children have no card: the office decides online from the birth
 * certificate and the mirror, with nothing scanned. */
static BhxhDocument *
scan (const BhxhDemoPayload *p)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) doc = bhxh_document_parse_scan (p->payload, -1, &error);

  g_assert_no_error (error);
  if (doc->kind != BHXH_DOCUMENT_CCCD)
    {
      g_assert_true (p->demo_case == BHXH_DEMO_CASE_MINOR_GUARDIAN_ACCOUNT
                     || p->demo_case == BHXH_DEMO_CASE_MINOR_GUARDIAN_NO_ACCOUNT);
      return NULL;
    }
  return g_steal_pointer (&doc);
}

static void
assert_check (const BhxhDemoPayload *p,
              const BhxhCheck       *check)
{
  const Expected *want = &expected[p->demo_case];
  BhxhIdWarnings warning = expected_warning (p->demo_case);
  const char *name = bhxh_demo_case_to_string (p->demo_case);

  if (check->verdict != want->verdict
      || (want->reason && !bhxh_check_has_reason (check, want->reason)))
    {
      g_autoptr(JsonNode) node = bhxh_check_to_json (check);
      g_autofree char *json = json_to_string (node, FALSE);

      g_error ("%s (%s): expected %s%s%s, got %s", p->declaration_id, name,
               bhxh_verdict_to_string (want->verdict), want->reason ? " with " : "",
               want->reason ? want->reason : "", json);
    }
  if (warning != BHXH_ID_WARNING_NONE)
    g_assert_true (bhxh_check_has_reason (check, bhxh_id_warning_code (warning)));
  /* can-approve means nothing but information. */
  for (guint i = 0; i < check->reasons->len; i++)
    if (want->verdict == BHXH_VERDICT_CAN_APPROVE)
      g_assert_cmpint (((BhxhReason *) check->reasons->pdata[i])->severity, ==,
                       BHXH_SEVERITY_INFO);
}

static void
test_verdicts (Fixture       *f,
               gconstpointer  data)
{
  GPtrArray *payloads = bhxh_demo_get_payloads (f->demo);
  guint seen[BHXH_DEMO_N_CASES] = { 0 };

  for (guint i = 0; i < payloads->len; i++)
    {
      const BhxhDemoPayload *p = payloads->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhDocument) doc = scan (p);
      g_autoptr(BhxhDeclaration) decl = bhxh_store_get_declaration (f->store,
                                                                    p->declaration_id,
                                                                    &error);
      g_autoptr(BhxhCheck) check = NULL;

      g_assert_no_error (error);
      check = bhxh_store_check_declaration (f->store, decl, doc, &f->today, &error);
      g_assert_no_error (error);
      assert_check (p, check);
      seen[p->demo_case]++;
    }
  for (guint c = 0; c < BHXH_DEMO_N_CASES; c++)
    g_assert_cmpuint (seen[c], >, 0);
}

static const BhxhFieldCheck *
field_of (const BhxhCheck *check,
          const char      *name)
{
  for (guint i = 0; i < check->fields->len; i++)
    if (g_str_equal (((BhxhFieldCheck *) check->fields->pdata[i])->field, name))
      return check->fields->pdata[i];
  return NULL;
}

/* The demo shows 2025: declarations of each kind carrying the ID number as
 * the mã số BHXH, persons the registry keys by ID number with older
 * declarations carrying their former code, and teens whose card of 2024
 * names their parents. */
static void
test_identity_2025 (Fixture       *f,
                    gconstpointer  data)
{
  GPtrArray *payloads = bhxh_demo_get_payloads (f->demo);
  guint id_as_code[3] = { 0 };
  guint former = 0, id_shown_with_former = 0, parents = 0, not_parent = 0;

  for (guint i = 0; i < payloads->len; i++)
    {
      const BhxhDemoPayload *p = payloads->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhDocument) doc = scan (p);
      g_autoptr(BhxhDeclaration) d = bhxh_store_get_declaration (f->store, p->declaration_id,
                                                                 &error);
      g_autoptr(BhxhCheck) check = NULL;
      const BhxhFieldCheck *code, *guardian;

      g_assert_no_error (error);
      check = bhxh_store_check_declaration (f->store, d, doc, &f->today, &error);
      g_assert_no_error (error);
      code = field_of (check, "bhxh_code");
      if (p->demo_case != BHXH_DEMO_CASE_NOT_IN_MIRROR)
        g_assert_cmpint (code->level, ==, BHXH_LEVEL_MATCH);
      if (bhxh_id_number_is_valid (d->bhxh_code))
        {
          g_assert_cmpstr (d->bhxh_code, ==, d->id_number);
          id_as_code[d->kind]++;
        }
      former += bhxh_check_has_reason (check, "bhxh-code-former");
      id_shown_with_former += bhxh_check_has_reason (check, "bhxh-code-id-number");
      if (doc != NULL && doc->father_name != NULL)
        {
          guardian = field_of (check, "guardian_name");
          g_assert_nonnull (doc->mother_name);
          g_assert_nonnull (guardian);
          parents++;
          if (p->demo_case == BHXH_DEMO_CASE_MINOR_GUARDIAN_NOT_PARENT)
            {
              g_assert_cmpint (guardian->level, ==, BHXH_LEVEL_MISMATCH);
              not_parent++;
            }
          else
            g_assert_cmpint (guardian->level, ==, BHXH_LEVEL_MATCH);
        }
    }
  g_assert_cmpuint (id_as_code[BHXH_KIND_REGISTER], >, 0);
  g_assert_cmpuint (id_as_code[BHXH_KIND_ADJUST], >, 0);
  g_assert_cmpuint (id_as_code[BHXH_KIND_STOP], >, 0);
  g_assert_cmpuint (former, >, 0);
  g_assert_cmpuint (id_shown_with_former, >, 0);
  g_assert_cmpuint (parents, ==, 3);
  g_assert_cmpuint (not_parent, ==, 2);
}

/* Not in the mirror: the armed-forces guidance, not a bare "not found". */
static void
test_not_in_mirror (Fixture       *f,
                    gconstpointer  data)
{
  GPtrArray *payloads = bhxh_demo_get_payloads (f->demo);

  for (guint i = 0; i < payloads->len; i++)
    {
      const BhxhDemoPayload *p = payloads->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhDocument) doc = NULL;
      g_autoptr(GPtrArray) persons = NULL;

      if (p->demo_case != BHXH_DEMO_CASE_NOT_IN_MIRROR)
        continue;
      doc = scan (p);
      persons = bhxh_store_find_persons_by_id (f->store, doc->id_number, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (persons->len, ==, 0);
    }
}

/* Laying the demo over itself (a "reset demo"): works, nothing doubles. */
static void
test_again (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) all = NULL;
  BhxhQueueFilter any = BHXH_QUEUE_FILTER_INIT;
  BhxhDemoSummary summary;

  g_assert_true (bhxh_demo_populate (f->demo, f->store, &summary, NULL, &error));
  g_assert_no_error (error);
  users = bhxh_store_list_users (f->store, &error);
  all = bhxh_store_list_declarations (f->store, &any, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 4);
  g_assert_cmpuint (all->len, ==, summary.declarations);
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, N_PERSONS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/demo/store/contents", Fixture, NULL,
              fixture_set_up, test_contents, fixture_tear_down);
  g_test_add ("/demo/store/verdicts", Fixture, NULL,
              fixture_set_up, test_verdicts, fixture_tear_down);
  g_test_add ("/demo/store/verdicts-leap-day", Fixture, &leap_day,
              fixture_set_up, test_verdicts, fixture_tear_down);
  g_test_add ("/demo/store/verdicts-new-year", Fixture, &new_year,
              fixture_set_up, test_verdicts, fixture_tear_down);
  g_test_add ("/demo/store/again", Fixture, NULL,
              fixture_set_up, test_again, fixture_tear_down);
  g_test_add ("/demo/store/identity-2025", Fixture, NULL,
              fixture_set_up, test_identity_2025, fixture_tear_down);
  g_test_add ("/demo/store/not-in-mirror", Fixture, NULL,
              fixture_set_up, test_not_in_mirror, fixture_tear_down);

  return g_test_run ();
}
