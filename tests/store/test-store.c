/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "raw-sql.h"
#include <stdio.h>

#include "core/bhxh-document.h"
#include "store/bhxh-auth.h"
#include "core/bhxh-clock.h"
#include "store/bhxh-store.h"
#include "store/bhxh-store-private.h"
#include "store-documents.h"
#include "store-fixtures.h"

/* The store on real sqlite files: opening and migrating, declarations,
 * the queue, decisions and their rules, the outbox, the audit chain. */

typedef struct
{
  char      *dir;
  char      *path;
  BhxhStore *store;
  BhxhDate   today;
} Fixture;

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

/* A store with the fixture mirror and declarations loaded. */
static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  guint64 rows = 0;
  guint imported = 0;

  f->dir = fixture_tmpdir ();
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  g_assert_true (bhxh_date_parse (FIXTURE_TODAY, &f->today, NULL));
  /* The clock reads that day, 09:00 in Vietnam, and ticks on from there. */
  g_assert_true (bhxh_clock_pin_text (FIXTURE_TODAY, NULL));
  fixture_open (f);
  if (data == NULL)
    return;

  csv = fixture_write (f->dir, "mirror.csv", FIXTURE_MIRROR_CSV);
  json = fixture_write (f->dir, "declarations.json", FIXTURE_DECLARATIONS_JSON);
  g_assert_true (bhxh_store_import_mirror (f->store, csv, BHXH_MIRROR_FORMAT_AUTO, "2026-11",
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, FIXTURE_MIRROR_ROWS);
  g_assert_true (bhxh_store_import_declarations (f->store, json, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (imported, ==, FIXTURE_DECLARATIONS);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->store);
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
reopen (Fixture *f)
{
  g_assert_finalize_object (f->store);
  f->store = NULL;
  fixture_open (f);
}

/* Opening. */

static void
test_open_migrate (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *value = NULL;
  g_autofree char *mode = NULL;

  g_assert_cmpstr (bhxh_store_get_path (f->store), ==, f->path);
  codes = bhxh_store_list_reason_codes (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, 12);
  g_assert_cmpstr (((BhxhReasonCode *) codes->pdata[0])->code, ==, "id-mismatch");
  g_assert_true (g_utf8_validate (((BhxhReasonCode *) codes->pdata[0])->label, -1, NULL));
  g_assert_true (bhxh_store_set_meta (f->store, "office", "00106", &error));
  g_assert_no_error (error);

  reopen (f);
  value = bhxh_store_dup_meta (f->store, "office");
  g_assert_cmpstr (value, ==, "00106");
  g_assert_cmpint (sql_int (f->path, "PRAGMA user_version"), ==, 9);
  mode = sql_text (f->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, 0);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_open_too_new (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = NULL;

  g_clear_object (&f->store);
  g_free (sql_text (f->path, "PRAGMA user_version = 99"));
  store = bhxh_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
}

static void
test_open_not_a_database (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autofree char *text = fixture_write (f->dir, "notes.db",
                                         "This is a text file, not a database, and it is "
                                         "long enough to fill a page header or two.\n");
  g_autofree char *foreign = g_build_filename (f->dir, "foreign.db", NULL);

  store = bhxh_store_open (text, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "notes.db"));
  g_clear_error (&error);

  g_free (sql_text (foreign, "CREATE TABLE songs (title TEXT)"));
  store = bhxh_store_open (foreign, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT);
}

static void
test_error_codes (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (_bhxh_store_error_code (SQLITE_FULL), ==, BHXH_STORE_ERROR_FULL);
  g_assert_cmpint (_bhxh_store_error_code (SQLITE_IOERR_WRITE), ==, BHXH_STORE_ERROR_IO);
  g_assert_cmpint (_bhxh_store_error_code (SQLITE_READONLY), ==, BHXH_STORE_ERROR_READ_ONLY);
  g_assert_cmpint (_bhxh_store_error_code (SQLITE_READONLY_DBMOVED), ==,
                   BHXH_STORE_ERROR_READ_ONLY);
  g_assert_cmpint (_bhxh_store_error_code (SQLITE_CORRUPT), ==, BHXH_STORE_ERROR_CORRUPT);
  g_assert_cmpint (_bhxh_store_error_code (SQLITE_NOTADB), ==, BHXH_STORE_ERROR_CORRUPT);
  _bhxh_store_set_error (&error, NULL, SQLITE_FULL, "writing");
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "writing"));
}

/* Two counters on one file: the second decision on a declaration loses. */
static void
test_decide_race (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) other = bhxh_store_open (f->path, &error);
  g_autoptr(BhxhDecision) first = NULL;
  g_autoptr(BhxhDecision) second = NULL;
  g_autoptr(BhxhDocument) card = fixture_document_for (f->store, "TK01-00106-000001");
  BhxhDecisionRequest request = {
    "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "lan", NULL, NULL, FALSE, card,
  };

  g_assert_no_error (error);
  first = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  request.clerk = "hung";
  second = bhxh_store_decide (other, &request, &error);
  g_assert_null (second);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_ALREADY_DECIDED);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM decisions"), ==, 1);
}

/* A store that has the mirror open sees a new one imported by another
 * connection (the sync worker) at its next read, without reopening. */
static void
test_mirror_swap_while_open (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) other = bhxh_store_open (f->path, &error);
  g_autofree char *jsonl = fixture_write (f->dir, "next.jsonl", FIXTURE_MIRROR_JSONL);
  g_autofree char *old_version = NULL;
  g_autofree char *new_version = NULL;
  g_autoptr(BhxhPerson) gone = NULL;

  g_assert_no_error (error);
  old_version = bhxh_store_dup_mirror_version (other);
  g_assert_cmpstr (old_version, ==, "2026-11");
  g_assert_cmpuint (bhxh_store_count_persons (other), ==, FIXTURE_MIRROR_ROWS);

  g_assert_true (bhxh_store_import_mirror (f->store, jsonl, BHXH_MIRROR_FORMAT_AUTO, "v3",
                                           NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  new_version = bhxh_store_dup_mirror_version (other);
  g_assert_cmpstr (new_version, ==, "v3");
  g_assert_cmpuint (bhxh_store_count_persons (other), ==, 2);
  gone = bhxh_store_find_person (other, "0112345678", &error);
  g_assert_null (gone);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
}

static void
test_users_offices (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) offices = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_office_free);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(BhxhOffice) office = NULL;
  BhxhOffice *o;

  g_assert_true (bhxh_store_add_user (f->store, "lan", "Nguyễn Thị Lan", "clerk", &error));
  g_assert_true (bhxh_store_add_user (f->store, "hung", "Trần Văn Hùng", "supervisor", &error));
  g_assert_no_error (error);
  g_assert_false (bhxh_store_add_user (f->store, "lan", "Lan", "clerk", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_false (bhxh_store_add_user (f->store, "x", "X", "boss", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);
  users = bhxh_store_list_users (f->store, &error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((BhxhUser *) users->pdata[0])->login, ==, "hung");

  o = g_new0 (BhxhOffice, 1);
  o->code = g_strdup ("001");
  o->name = g_strdup ("BHXH Tp. Hà Nội");
  g_ptr_array_add (offices, o);
  o = g_new0 (BhxhOffice, 1);
  o->code = g_strdup ("00106");
  o->parent_code = g_strdup ("001");
  o->name = g_strdup ("BHXH quận Đống Đa");
  g_ptr_array_add (offices, o);
  g_assert_true (bhxh_store_replace_offices (f->store, offices, &error));
  g_assert_no_error (error);
  listed = bhxh_store_list_offices (f->store, &error);
  g_assert_cmpuint (listed->len, ==, 2);
  office = bhxh_store_get_office (f->store, "00106", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (office->parent_code, ==, "001");
  g_assert_null (bhxh_store_get_office (f->store, "99999", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
}

/* Declarations and the queue. */

static GPtrArray *
queue (Fixture    *f,
       int         status,
       int         kind,
       const char *office,
       const char *search,
       guint       limit)
{
  g_autoptr(GError) error = NULL;
  BhxhQueueFilter filter = { status, kind, office, search, limit };
  GPtrArray *list = bhxh_store_list_declarations (f->store, &filter, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static const char *
first_id (GPtrArray *list)
{
  return list->len > 0 ? ((BhxhDeclaration *) list->pdata[0])->id : NULL;
}

static void
test_queue_filters (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) all = queue (f, -1, -1, NULL, NULL, 0);
  g_autoptr(GPtrArray) stops = queue (f, -1, BHXH_KIND_STOP, NULL, NULL, 0);
  g_autoptr(GPtrArray) hanoi = queue (f, BHXH_STATUS_PENDING, -1, "001", NULL, 0);
  g_autoptr(GPtrArray) dongda = queue (f, -1, -1, "00106", NULL, 0);
  g_autoptr(GPtrArray) plain = queue (f, -1, -1, NULL, "nguyen van an", 0);
  g_autoptr(GPtrArray) marked = queue (f, -1, -1, NULL, "  NGUYỄN  Văn ", 0);
  g_autoptr(GPtrArray) dd = queue (f, -1, -1, NULL, "bich ngoc", 0);
  g_autoptr(GPtrArray) by_code = queue (f, -1, -1, NULL, "0112340001", 0);
  g_autoptr(GPtrArray) by_id = queue (f, -1, -1, NULL, "079305001234", 0);
  g_autoptr(GPtrArray) limited = queue (f, -1, -1, NULL, NULL, 2);
  g_autoptr(GPtrArray) none = queue (f, BHXH_STATUS_APPROVED, -1, NULL, NULL, 0);
  g_autoptr(GPtrArray) wild = queue (f, -1, -1, NULL, "%", 0);

  g_assert_cmpuint (all->len, ==, FIXTURE_DECLARATIONS);
  g_assert_cmpuint (stops->len, ==, 1);
  g_assert_cmpstr (first_id (stops), ==, "TK01-00102-000004");
  g_assert_cmpuint (hanoi->len, ==, 6);   /* all but 079 */
  g_assert_cmpuint (dongda->len, ==, 1);
  g_assert_cmpuint (plain->len, ==, 1);
  g_assert_cmpstr (first_id (plain), ==, "TK01-00106-000001");
  g_assert_cmpuint (marked->len, ==, 1);
  g_assert_cmpuint (dd->len, ==, 1);
  g_assert_cmpuint (by_code->len, ==, 1);
  g_assert_cmpstr (first_id (by_code), ==, "TK01-00102-000004");
  g_assert_cmpuint (by_id->len, ==, 1);
  g_assert_cmpuint (limited->len, ==, 2);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (wild->len, ==, 0);
}

static void
test_declarations_import (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  g_autofree char *json = g_build_filename (f->dir, "declarations.json", NULL);
  g_autofree char *bad = NULL;
  g_autofree char *other = NULL;
  const char *reasons[] = { "person-absent", NULL };
  BhxhDecisionRequest request = { "TK01-00106-000001", BHXH_OUTCOME_REJECT, "lan", reasons };
  guint imported = 0;

  d = bhxh_store_get_declaration (f->store, "TK01-00102-000003", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->full_name, ==, "Lê Minh Khang");
  g_assert_cmpstr (d->guardian_id_number, ==, "001185000111");
  g_assert_cmpint (d->birth_date.year, ==, 2015);
  g_assert_nonnull (d->confirmed_at);
  g_assert_null (bhxh_store_get_declaration (f->store, "nope", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Decided here: a new import of the same file leaves it alone. */
  decision = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_declarations (f->store, json, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (imported, ==, FIXTURE_DECLARATIONS - 1);
  g_clear_pointer (&d, bhxh_declaration_free);
  d = bhxh_store_get_declaration (f->store, "TK01-00106-000001", &error);
  g_assert_cmpint (d->status, ==, BHXH_STATUS_REJECTED);

  /* All or nothing: one bad declaration refuses the file. */
  bad = fixture_write (f->dir, "bad.json",
                       "[" DECL ("NEW-1", "register", "00106", "Mới Một", "null", "null",
                                 "1990-01-01", "male", "") ","
                       DECL ("NEW-2", "sideways", "00106", "Mới Hai", "null", "null",
                             "1990-01-01", "male", "") "]");
  g_assert_false (bhxh_store_import_declarations (f->store, bad, &imported, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "2"));
  g_clear_error (&error);
  g_assert_null (bhxh_store_get_declaration (f->store, "NEW-1", NULL));

  other = fixture_write (f->dir, "other.json", "{\"format\": \"songs/2\", \"declarations\": []}");
  g_assert_false (bhxh_store_import_declarations (f->store, other, &imported, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
}

static void
test_find_open (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) an = bhxh_store_find_open_declarations (f->store, "001090012345", &error);
  g_autoptr(GPtrArray) hoa = bhxh_store_find_open_declarations (f->store, "001185000111", &error);
  g_autoptr(GPtrArray) binh = bhxh_store_find_open_declarations (f->store, "001088000222", &error);
  g_autoptr(GPtrArray) nobody = bhxh_store_find_open_declarations (f->store, "001099999999", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (an->len, ==, 1);
  /* Hoa: her own stop, and her son Khang's register as guardian. */
  g_assert_cmpuint (hoa->len, ==, 2);
  /* Bình: by his ID, and as Mai's guardian. */
  g_assert_cmpuint (binh->len, ==, 2);
  g_assert_cmpuint (nobody->len, ==, 0);
}

static void
test_find_open_by_mirror_code (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *json = fixture_write (f->dir, "code-only.json",
    "[" DECL ("TK-CODE-ONLY", "adjust", "07901", "Trần Thị Bích Ngọc", "\"7912345678\"",
              "null", "2005-11-02", "female", "") "]");

  /* The declaration gives only the mã số BHXH; the mirror links it to the ID. */
  g_assert_true (bhxh_store_import_declarations (f->store, json, NULL, &error));
  g_assert_no_error (error);
  found = bhxh_store_find_open_declarations (f->store, "079305001234", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
}

/* Checks and decisions. */

static BhxhCheck *
check (Fixture            *f,
       const char         *id,
       const BhxhDocument *document)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDeclaration) d = bhxh_store_get_declaration (f->store, id, &error);
  BhxhCheck *result;

  g_assert_no_error (error);
  result = bhxh_store_check_declaration (f->store, d, document, &f->today, &error);
  g_assert_no_error (error);
  return result;
}

static BhxhDocument *
scan (const char *payload)
{
  g_autoptr(GError) error = NULL;
  BhxhDocument *document = bhxh_document_parse_scan (payload, -1, &error);

  g_assert_no_error (error);
  return document;
}

static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BhxhDocument) an_card = scan (FIXTURE_CCCD_AN);
  g_autoptr(BhxhCheck) an = check (f, "TK01-00106-000001", an_card);
  g_autoptr(BhxhCheck) an_no_card = check (f, "TK01-00106-000001", NULL);
  g_autoptr(BhxhCheck) khang = check (f, "TK01-00102-000003", NULL);
  g_autoptr(BhxhCheck) mai = check (f, "TK01-00105-000006", NULL);
  g_autoptr(BhxhCheck) trung = check (f, "TK01-00101-000005", NULL);
  g_autoptr(BhxhCheck) hoa_stop = check (f, "TK01-00102-000004", NULL);

  g_assert_cmpint (an->verdict, ==, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpint (an_no_card->verdict, ==, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_true (bhxh_check_has_reason (an_no_card, "no-document"));
  /* Khang's mother has an account in the mirror; Mai's father has none. */
  g_assert_false (bhxh_check_has_reason (khang, "guardian-no-account"));
  g_assert_cmpint (khang->verdict, !=, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (mai, "guardian-no-account"));
  g_assert_cmpint (mai->verdict, ==, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (trung, "not-in-registry"));
  g_assert_false (bhxh_check_has_reason (hoa_stop, "no-account"));
}

static BhxhDecision *
decide (Fixture             *f,
        const char          *id,
        BhxhOutcome          outcome,
        const char * const  *reasons,
        const char          *note,
        gboolean             override,
        GError             **error)
{
  g_autoptr(BhxhDocument) document = NULL;
  BhxhDecisionRequest request = {
    id, outcome, "lan", reasons, note, override, NULL,
  };

  /* An escalation says what to look at. */
  if (outcome == BHXH_OUTCOME_ESCALATE && reasons == NULL && note == NULL)
    request.note = "Nhờ giám sát viên xem";
  /* The clerk checked the person's document before approving. */
  if (outcome == BHXH_OUTCOME_APPROVE)
    request.document = document = fixture_document_for (f->store, id);
  return bhxh_store_decide (f->store, &request, error);
}

static guint
count_rows (Fixture    *f,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return sql_int (f->path, sql);
}

/* Every refused decision leaves every table as it was. */
static void
assert_refused (Fixture       *f,
                const char    *id,
                BhxhOutcome    outcome,
                const char   **reasons,
                const char    *note,
                gboolean       override,
                int            code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  guint decisions = count_rows (f, "decisions");
  guint audit = count_rows (f, "audit");
  guint outbox = count_rows (f, "outbox");
  guint accounts = count_rows (f, "accounts");
  g_autoptr(BhxhDeclaration) before = bhxh_store_get_declaration (f->store, id, NULL);
  g_autoptr(BhxhDeclaration) after = NULL;

  decision = decide (f, id, outcome, reasons, note, override, &error);
  g_assert_null (decision);
  g_assert_error (error, BHXH_STORE_ERROR, code);
  g_assert_cmpuint (count_rows (f, "decisions"), ==, decisions);
  g_assert_cmpuint (count_rows (f, "audit"), ==, audit);
  g_assert_cmpuint (count_rows (f, "outbox"), ==, outbox);
  g_assert_cmpuint (count_rows (f, "accounts"), ==, accounts);
  after = bhxh_store_get_declaration (f->store, id, NULL);
  if (before != NULL)
    g_assert_cmpint (after->status, ==, before->status);
}

static void
test_decide_rules (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) approved = NULL;
  g_autoptr(BhxhDecision) overridden = NULL;
  const char *no_reasons[] = { NULL };
  const char *unknown[] = { "bad-hair-day", NULL };
  const char *absent[] = { "person-absent", "person-absent", NULL };

  assert_refused (f, "TK-NOPE", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE,
                  BHXH_STORE_ERROR_NOT_FOUND);
  assert_refused (f, "TK01-00106-000001", BHXH_OUTCOME_REJECT, no_reasons, NULL, FALSE,
                  BHXH_STORE_ERROR_BAD_INPUT);
  assert_refused (f, "TK01-00106-000001", BHXH_OUTCOME_REJECT, unknown, NULL, FALSE,
                  BHXH_STORE_ERROR_BAD_INPUT);
  /* Trung is not in the registry: blocked. */
  assert_refused (f, "TK01-00101-000005", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE,
                  BHXH_STORE_ERROR_NOT_ALLOWED);
  assert_refused (f, "TK01-00101-000005", BHXH_OUTCOME_APPROVE, NULL, "  ", TRUE,
                  BHXH_STORE_ERROR_NOT_ALLOWED);
  assert_refused (f, "TK01-00101-000005", BHXH_OUTCOME_APPROVE, NULL, "checked", FALSE,
                  BHXH_STORE_ERROR_NOT_ALLOWED);

  /* No document checked: refused, for a clerk even with an override; an
   * escalation says what the supervisor should look at. */
  {
    BhxhDecisionRequest bare = { "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "lan" };
    BhxhDecisionRequest bare_override = { "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "lan",
                                          NULL, "Người quen", TRUE };
    BhxhDecisionRequest mute = { "TK01-00106-000001", BHXH_OUTCOME_ESCALATE, "lan" };

    g_assert_null (bhxh_store_decide (f->store, &bare, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
    g_clear_error (&error);
    g_assert_null (bhxh_store_decide (f->store, &bare_override, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
    g_clear_error (&error);
    g_assert_null (bhxh_store_decide (f->store, &mute, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
    g_clear_error (&error);
    g_assert_cmpint (count_rows (f, "decisions"), ==, 0);
  }

  approved = decide (f, "TK01-00106-000001", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  /* The card matches the declaration and the registry. */
  g_assert_cmpint (approved->verdict, ==, BHXH_VERDICT_CAN_APPROVE);
  g_assert_false (bhxh_decision_is_without_document (approved));
  g_assert_cmpstr (approved->mirror_version, ==, "2026-11");
  g_assert_cmpint (approved->outbox_state, ==, BHXH_OUTBOX_PENDING);
  g_assert_true (g_uuid_string_is_valid (approved->uuid));
  assert_refused (f, "TK01-00106-000001", BHXH_OUTCOME_REJECT, absent, NULL, FALSE,
                  BHXH_STORE_ERROR_ALREADY_DECIDED);

  /* Only a supervisor approves over a blocking check: "lan" is a clerk. */
  assert_refused (f, "TK01-00101-000005", BHXH_OUTCOME_APPROVE, NULL,
                  "BQP code switched by phone with the province", TRUE,
                  BHXH_STORE_ERROR_NOT_ALLOWED);
  g_assert_true (bhxh_store_add_user (f->store, "lan", "Nguyễn Thị Lan", "supervisor", &error));
  overridden = decide (f, "TK01-00101-000005", BHXH_OUTCOME_APPROVE, NULL,
                       "BQP code switched by phone with the province", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (overridden->override);
  g_assert_false (overridden->countersign);
  g_assert_cmpint (bhxh_decision_get_kind (overridden), ==, BHXH_DECISION_APPROVED_OVERRIDE);
  g_assert_cmpint (overridden->verdict, ==, BHXH_VERDICT_BLOCKED);
  g_assert_cmpstr (overridden->countersigned_by, ==, "lan");
  g_assert_cmpint (overridden->evidence, ==, BHXH_EVIDENCE_CARD_QR);
}

static void
test_decide_countersigned (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  g_autoptr(JsonNode) node = NULL;
  BhxhDecisionRequest request = {
    "TK01-00105-000006", BHXH_OUTCOME_APPROVE, "hung", NULL,
    "Giấy khai sinh và sổ hộ khẩu đã đối chiếu", TRUE, NULL,
  };

  g_assert_true (bhxh_store_add_user (f->store, "hung", "Trần Văn Hùng", "supervisor", &error));
  decision = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (decision->verdict, ==, BHXH_VERDICT_BLOCKED);
  g_assert_cmpstr (decision->countersigned_by, ==, "hung");
  /* A supervisor's approval of a child nobody scanned a paper for: it shows. */
  g_assert_true (bhxh_decision_is_without_document (decision));
  node = bhxh_decision_to_json (decision);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node),
                                                  "countersigned_by"), ==, "hung");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node),
                                                 "without_document"));
}

static void
test_decide_durable (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  g_autoptr(BhxhDecision) escalated = NULL;
  g_autoptr(BhxhDecision) rejected = NULL;
  g_autoptr(BhxhDecision) again = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(GPtrArray) today = NULL;
  g_autoptr(BhxhDocument) card = scan (FIXTURE_CCCD_AN);
  const char *duplicate[] = { "duplicate", "other", NULL };
  BhxhDecisionRequest request = {
    "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "lan", NULL, NULL, FALSE, card,
  };
  g_autofree char *payload = NULL;
  g_autofree char *account = NULL;

  decision = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (decision->verdict, ==, BHXH_VERDICT_CAN_APPROVE);
  escalated = decide (f, "TK01-07901-000002", BHXH_OUTCOME_ESCALATE, NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  assert_refused (f, "TK01-07901-000002", BHXH_OUTCOME_ESCALATE, NULL, NULL, FALSE,
                  BHXH_STORE_ERROR_ALREADY_DECIDED);
  rejected = decide (f, "TK01-07901-000002", BHXH_OUTCOME_REJECT, duplicate, "Hai tờ khai",
                     FALSE, &error);
  g_assert_no_error (error);

  reopen (f);
  again = bhxh_store_get_decision (f->store, decision->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->declaration_id, ==, "TK01-00106-000001");
  g_assert_cmpint (again->outcome, ==, BHXH_OUTCOME_APPROVE);
  g_assert_cmpstr (again->clerk, ==, "lan");
  g_clear_pointer (&again, bhxh_decision_free);
  again = bhxh_store_get_decision (f->store, rejected->uuid, &error);
  g_assert_cmpuint (g_strv_length (again->reason_codes), ==, 2);
  g_assert_cmpstr (again->note, ==, "Hai tờ khai");
  d = bhxh_store_get_declaration (f->store, "TK01-00106-000001", &error);
  g_assert_cmpint (d->status, ==, BHXH_STATUS_APPROVED);
  today = bhxh_store_list_decisions_on (f->store, &f->today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (today->len, ==, 3);

  /* The scan is kept with the decision; the account is opened here. */
  payload = sql_text (f->path, "SELECT payload FROM documents");
  g_assert_cmpstr (payload, ==, FIXTURE_CCCD_AN);
  account = sql_text (f->path, "SELECT status || ' ' || since FROM accounts "
                               "WHERE bhxh_code = '0112345678'");
  g_assert_cmpstr (account, ==, "active 2026-12-01");
}

/* Since 1 July 2025 the ID number is the mã số BHXH (Law 41/2024/QH15):
 * a registry keyed by it, declarations carrying it, and old data alike. */

#define REKEYED_MIRROR_CSV \
  "bhxh_code,id_number,full_name,birth_date,sex,account_status,legacy_bhxh_code\n" \
  "001090012345,,Nguyễn Văn An,1990-03-15,male,,0112345678\n" \
  "7912345678,079305001234,Trần Thị Bích Ngọc,2005-11-02,female,,\n" \
  "001185000111,001185000111,Lê Thị Hoa,1985,female,active,0112340001\n" \
  "0112340002,,Lê Minh Khang,2015-06-01,male,,\n" \
  "0112340003,001088000222,Phạm Văn Bình,1988-07,male,,\n" \
  "0112340004,,Phạm Thị Mai,2016,female,,\n" \
  "0112340005,001086000333,Nguyễn Văn Thắng,1986-05-05,male,,\n" \
  "0112340006,001187000444,Ngô Thị Hằng,1987-06-06,female,,\n"

static void
import_rekeyed (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = fixture_write (f->dir, "rekeyed.csv", REKEYED_MIRROR_CSV);
  g_autofree char *json = fixture_write (f->dir, "2025.json",
    "[" DECL ("TK-2025-ID", "register", "07901", "Trần Thị Bích Ngọc", "\"079305001234\"",
              "null", "2005-11-02", "female", "") ",\n"
    DECL ("TK-2025-OLD", "adjust", "00106", "Nguyễn Văn An", "\"0112345678\"",
          "null", "1990-03-15", "male", "") ",\n"
    DECL ("TK-2025-THANG", "register", "00106", "Nguyễn Văn Thắng", "\"001086000333\"",
          "\"001086000333\"", "1986-05-05", "male", "") ",\n"
    DECL ("TK-2025-HANG", "register", "00106", "Ngô Thị Hằng", "\"0112340006\"",
          "\"001187000444\"", "1987-06-06", "female", "") "]");

  g_assert_true (bhxh_store_import_mirror (f->store, csv, BHXH_MIRROR_FORMAT_AUTO, "2026-12",
                                           NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_declarations (f->store, json, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
has_id (GPtrArray  *list,
        const char *id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((BhxhDeclaration *) list->pdata[i])->id, id))
      return TRUE;
  return FALSE;
}

static void
test_identity_2025 (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhPerson) by_former = NULL;
  g_autoptr(BhxhPerson) by_key = NULL;
  g_autoptr(GPtrArray) searched = NULL;
  g_autoptr(GPtrArray) an = NULL;
  g_autoptr(GPtrArray) ngoc = NULL;
  g_autoptr(GPtrArray) an_by_code = NULL;
  g_autoptr(GPtrArray) an_by_id = NULL;
  g_autoptr(GPtrArray) ngoc_by_code = NULL;
  g_autoptr(BhxhDocument) an_card = scan (FIXTURE_CCCD_AN);
  g_autoptr(BhxhDocument) ngoc_card = scan (FIXTURE_CCCD_NGOC);
  g_autoptr(BhxhCheck) old_declaration = NULL;
  g_autoptr(BhxhCheck) new_declaration = NULL;
  g_autoptr(BhxhCheck) guardian_rekeyed = NULL;

  import_rekeyed (f);

  /* The registry: keyed by the ID number, which is the ID number too; the
   * former code still finds the person. */
  by_former = bhxh_store_find_person (f->store, "0112345678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_former->bhxh_code, ==, "001090012345");
  g_assert_cmpstr (by_former->id_number, ==, "001090012345");
  g_assert_cmpstr (by_former->legacy_bhxh_code, ==, "0112345678");
  by_key = bhxh_store_find_person (f->store, "001090012345", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_key->full_name, ==, "Nguyễn Văn An");
  searched = bhxh_store_search_persons (f->store, "0112340001", 0, &error);
  g_assert_cmpuint (searched->len, ==, 1);
  g_assert_cmpstr (((BhxhPerson *) searched->pdata[0])->bhxh_code, ==, "001185000111");

  /* A scanned card finds the declarations carrying any of the codes. */
  an = bhxh_store_find_open_declarations (f->store, "001090012345", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (an->len, ==, 2);
  g_assert_true (has_id (an, "TK01-00106-000001"));
  g_assert_true (has_id (an, "TK-2025-OLD"));    /* only the former code */
  ngoc = bhxh_store_find_open_declarations (f->store, "079305001234", &error);
  g_assert_cmpuint (ngoc->len, ==, 2);
  g_assert_true (has_id (ngoc, "TK-2025-ID"));   /* only the ID number, as the code */

  /* The old declaration with the former code: the person's, both shown. */
  old_declaration = check (f, "TK01-00106-000001", an_card);
  g_assert_true (bhxh_check_has_reason (old_declaration, "bhxh-code-former"));
  g_assert_false (bhxh_check_has_reason (old_declaration, "bhxh-code-mismatch"));
  g_assert_false (bhxh_check_has_reason (old_declaration, "not-in-registry"));
  /* Two open declarations of An, whichever code they carry. */
  g_assert_true (bhxh_check_has_reason (old_declaration, "duplicate"));
  /* The new one with the ID number as the code, a registry keyed the old way. */
  new_declaration = check (f, "TK-2025-ID", ngoc_card);
  g_assert_true (bhxh_check_has_reason (new_declaration, "bhxh-code-id-number"));
  g_assert_false (bhxh_check_has_reason (new_declaration, "bhxh-code-mismatch"));
  g_assert_true (bhxh_check_has_reason (new_declaration, "duplicate"));
  /* Khang's guardian Hoa, named by her former code: found, with her account. */
  guardian_rekeyed = check (f, "TK01-00102-000003", NULL);
  g_assert_false (bhxh_check_has_reason (guardian_rekeyed, "guardian-not-found"));
  g_assert_false (bhxh_check_has_reason (guardian_rekeyed, "guardian-no-account"));

  /* The queue search: a code of either form finds the person's declarations. */
  an_by_code = queue (f, -1, -1, NULL, "0112345678", 0);
  g_assert_cmpuint (an_by_code->len, ==, 2);
  an_by_id = queue (f, -1, -1, NULL, "001090012345", 0);
  g_assert_cmpuint (an_by_id->len, ==, 2);
  ngoc_by_code = queue (f, -1, -1, NULL, "7912345678", 0);
  g_assert_cmpuint (ngoc_by_code->len, ==, 2);
  g_assert_true (has_id (ngoc_by_code, "TK-2025-ID"));
}

/* An approval kept under the ID number as the code is the person's
 * account, whatever code the registry keys them by. */
static void
test_identity_2025_accounts (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) approved = NULL;
  g_autoptr(BhxhCheck) again = NULL;
  g_autoptr(BhxhDocument) ngoc_card = scan (FIXTURE_CCCD_NGOC);

  import_rekeyed (f);
  approved = decide (f, "TK-2025-ID", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  again = check (f, "TK01-07901-000002", ngoc_card);
  g_assert_true (bhxh_check_has_reason (again, "already-registered"));
}

/* Name search by the start of words; the queue as a Vietnamese list. */
static void
test_queue_words_and_order (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) hang = NULL;
  g_autoptr(GPtrArray) thang = NULL;
  g_autoptr(GPtrArray) van = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GPtrArray) first_two = NULL;
  g_autoptr(GError) error = NULL;
  BhxhQueueFilter by_name = BHXH_QUEUE_FILTER_INIT;
  const char *expected[] = {
    "Nguyễn Văn An", "Nguyễn Văn An", "Phạm Văn Bình", "Ngô Thị Hằng", "Lê Thị Hoa",
    "Lê Minh Khang", "Phạm Thị Mai", "Trần Thị Bích Ngọc", "Trần Thị Bích Ngọc",
    "Nguyễn Văn Thắng", "Vũ Quốc Trung",
  };

  import_rekeyed (f);
  hang = queue (f, -1, -1, NULL, "Hằng", 0);
  g_assert_cmpuint (hang->len, ==, 1);
  g_assert_cmpstr (first_id (hang), ==, "TK-2025-HANG");
  thang = queue (f, -1, -1, NULL, "thang", 0);
  g_assert_cmpuint (thang->len, ==, 1);
  g_assert_cmpstr (first_id (thang), ==, "TK-2025-THANG");
  van = queue (f, -1, -1, NULL, "van", 0);   /* the Văn of four; no word ends in "van" */
  g_assert_cmpuint (van->len, ==, 4);
  g_clear_pointer (&van, g_ptr_array_unref);
  van = queue (f, -1, -1, NULL, "an", 0);    /* An, not the "an" in Văn */
  g_assert_cmpuint (van->len, ==, 2);

  by_name.sort = BHXH_QUEUE_SORT_NAME;
  sorted = bhxh_store_list_declarations (f->store, &by_name, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sorted->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < sorted->len; i++)
    g_assert_cmpstr (((BhxhDeclaration *) sorted->pdata[i])->full_name, ==, expected[i]);
  by_name.limit = 2;
  by_name.search = "nguyen";
  first_two = bhxh_store_list_declarations (f->store, &by_name, &error);
  g_assert_cmpuint (first_two->len, ==, 2);
  g_assert_cmpstr (((BhxhDeclaration *) first_two->pdata[1])->full_name, ==, "Nguyễn Văn An");
}

static void
test_decide_accounts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) father = NULL;
  g_autoptr(BhxhDecision) child = NULL;
  g_autoptr(BhxhDecision) stop = NULL;
  g_autoptr(BhxhCheck) before = check (f, "TK01-00105-000006", NULL);
  g_autoptr(BhxhCheck) after = NULL;
  g_autoptr(BhxhCheck) hoa_again = NULL;
  g_autofree char *stopped = NULL;

  /* Mai's father has no account: approving his own declaration here opens
   * one, and then Mai's can be approved. */
  g_assert_true (bhxh_check_has_reason (before, "guardian-no-account"));
  father = decide (f, "TK01-00105-000007", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  after = check (f, "TK01-00105-000006", NULL);
  g_assert_false (bhxh_check_has_reason (after, "guardian-no-account"));
  child = decide (f, "TK01-00105-000006", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE, &error);
  g_assert_no_error (error);

  /* Hoa stops her account: the local change wins over the mirror. */
  stop = decide (f, "TK01-00102-000004", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  stopped = sql_text (f->path, "SELECT status FROM accounts WHERE bhxh_code = '0112340001'");
  g_assert_cmpstr (stopped, ==, "stopped");
  hoa_again = check (f, "TK01-00102-000003", NULL);
  g_assert_true (bhxh_check_has_reason (hoa_again, "guardian-no-account"));
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(BhxhDecision) a = NULL;
  g_autoptr(BhxhDecision) b = NULL;
  g_autoptr(BhxhDecision) c = NULL;
  g_autoptr(BhxhDecision) refused = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *absent[] = { "person-absent", NULL };

  a = decide (f, "TK01-00106-000001", BHXH_OUTCOME_REJECT, absent, NULL, FALSE, &error);
  b = decide (f, "TK01-07901-000002", BHXH_OUTCOME_REJECT, absent, NULL, FALSE, &error);
  c = decide (f, "TK01-00102-000004", BHXH_OUTCOME_REJECT, absent, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==, 3);

  claimed = bhxh_store_outbox_claim (f->store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 2);
  g_assert_cmpstr (((BhxhDecision *) claimed->pdata[0])->uuid, ==, a->uuid);
  g_assert_cmpstr (((BhxhDecision *) claimed->pdata[1])->uuid, ==, b->uuid);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 2);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==, 1);

  /* The sync's answers for a batch: one transaction, a failed write
   * undoing itself only. */
  g_assert_true (bhxh_store_batch_begin (f->store, &error));
  g_assert_true (bhxh_store_outbox_set_state (f->store, a->uuid, BHXH_OUTBOX_ACKNOWLEDGED,
                                              NULL, &error));
  g_assert_false (bhxh_store_outbox_set_state (f->store, "no-such-uuid",
                                               BHXH_OUTBOX_ACKNOWLEDGED, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (bhxh_store_outbox_set_state (f->store, c->uuid, BHXH_OUTBOX_REFUSED,
                                              "Mã số BHXH đã khóa", &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_batch_end (f->store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (bhxh_store_outbox_set_state (f->store, "no-such-uuid",
                                               BHXH_OUTBOX_ACKNOWLEDGED, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* A batch given up leaves nothing. */
  g_assert_true (bhxh_store_batch_begin (f->store, &error));
  g_assert_true (bhxh_store_outbox_set_state (f->store, b->uuid, BHXH_OUTBOX_ACKNOWLEDGED,
                                              NULL, &error));
  g_assert_true (bhxh_store_batch_end (f->store, FALSE, &error));
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 1);

  /* A crash while sending: b goes back to pending, once. */
  reopen (f);
  g_assert_true (bhxh_store_outbox_requeue_sending (f->store, &error));
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 0);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==, 1);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_ACKNOWLEDGED), ==, 1);
  rest = bhxh_store_outbox_claim (f->store, 0, &error);
  g_assert_cmpuint (rest->len, ==, 1);
  g_assert_cmpstr (((BhxhDecision *) rest->pdata[0])->uuid, ==, b->uuid);
  g_assert_cmpint (sql_int (f->path, "SELECT attempts FROM outbox WHERE decision_uuid = "
                                     "(SELECT uuid FROM decisions WHERE declaration_id = "
                                     "'TK01-07901-000002')"), ==, 2);

  /* The answers about a batch at once: all or nothing, each audited. */
  {
    BhxhOutboxAnswer answers[] = {
      { b->uuid, BHXH_OUTBOX_CONFLICT, "Tờ khai đã được một quầy khác quyết định trước." },
      { "no-such-uuid", BHXH_OUTBOX_ACKNOWLEDGED, NULL },
    };
    gint64 audited = sql_int (f->path, "SELECT count(*) FROM audit");

    g_assert_false (bhxh_store_outbox_settle (f->store, answers, 2, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 1);
    g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM audit"), ==, audited);
    g_assert_true (bhxh_store_outbox_settle (f->store, answers, 1, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_CONFLICT), ==, 1);
    g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM audit WHERE action = "
                                       "'outbox.conflict'"), ==, 1);
    g_assert_true (bhxh_store_audit_verify (f->store, NULL, &error));
    g_assert_no_error (error);
  }

  refused = bhxh_store_get_decision (f->store, c->uuid, &error);
  g_assert_cmpint (refused->outbox_state, ==, BHXH_OUTBOX_REFUSED);
  g_assert_cmpstr (refused->outbox_detail, ==, "Mã số BHXH đã khóa");
  node = bhxh_decision_to_json (refused);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "outbox_state"),
                   ==, "refused");
}

static void
test_audit_chain (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  g_autofree char *tamper = NULL;
  guint64 n = 0;

  g_assert_true (bhxh_store_audit (f->store, "lan", "declaration.view", "TK01-00106-000001",
                                   NULL, &error));
  decision = decide (f, "TK01-00106-000001", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE, &error);
  g_assert_true (bhxh_store_audit (f->store, "lan", "sign-out", NULL, "ca sáng", &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_audit_verify (f->store, &n, &error));
  g_assert_no_error (error);
  /* mirror import, declarations import, view, decision, sign-out */
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM audit WHERE action = "
                                     "'decision.approve' AND actor = 'lan'"), ==, 1);

  /* Someone edits entry 3 behind the program's back. */
  g_free (sql_text (f->path, "UPDATE audit SET actor = 'hung' WHERE seq = 3"));
  g_assert_false (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "3"));
  g_clear_error (&error);

  /* Deleting the last entry and re-chaining is not possible without the
   * hashes; deleting a middle one shows too. */
  g_free (sql_text (f->path, "UPDATE audit SET actor = 'lan' WHERE seq = 3"));
  g_assert_true (bhxh_store_audit_verify (f->store, NULL, &error));
  g_free (sql_text (f->path, "DELETE FROM audit WHERE seq = 2"));
  g_assert_false (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT);
}

/* A supervisor hands an open declaration to a clerk: back to pending,
 * assigned, audited; refusals change nothing; accounts mode needs a
 * supervisor. */
static void
test_reassign (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) escalated = NULL;
  g_autoptr(BhxhDecision) approved = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autofree char *assignee = NULL;
  g_autofree char *none = NULL;
  g_autofree char *audit = NULL;
  g_autoptr(GHashTable) assignments = NULL;
  guint audit_rows;

  g_assert_true (bhxh_store_add_user (f->store, "lan", "Nguyễn Thị Lan", "clerk", &error));
  g_assert_true (bhxh_store_add_user (f->store, "minh", "Trần Văn Minh", "clerk", &error));
  g_assert_true (bhxh_store_add_user (f->store, "quang", "Lê Quang", "supervisor", &error));
  g_assert_no_error (error);

  escalated = decide (f, "TK01-07901-000002", BHXH_OUTCOME_ESCALATE, NULL, "?", FALSE, &error);
  g_assert_no_error (error);
  none = bhxh_store_dup_assignee (f->store, "TK01-07901-000002");
  g_assert_null (none);

  g_assert_true (bhxh_store_reassign (f->store, "TK01-07901-000002", "minh", "quang", &error));
  g_assert_no_error (error);
  d = bhxh_store_get_declaration (f->store, "TK01-07901-000002", &error);
  g_assert_cmpint (d->status, ==, BHXH_STATUS_PENDING);
  assignee = bhxh_store_dup_assignee (f->store, "TK01-07901-000002");
  g_assert_cmpstr (assignee, ==, "minh");
  audit = sql_text (f->path, "SELECT actor || ' ' || object || ' ' || detail FROM audit "
                    "WHERE action = 'declaration.reassign'");
  g_assert_cmpstr (audit, ==, "quang TK01-07901-000002 minh");
  g_assert_true (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_no_error (error);

  /* A pending one too; refusals leave the trail as it was. */
  g_assert_true (bhxh_store_reassign (f->store, "TK01-00106-000001", "lan", "quang", &error));
  g_assert_no_error (error);
  audit_rows = count_rows (f, "audit");
  g_assert_false (bhxh_store_reassign (f->store, "TK01-00106-000001", "nobody", "quang", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bhxh_store_reassign (f->store, "TK01-00106-000001", "quang", "quang", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_false (bhxh_store_reassign (f->store, "TK01-99999-999999", "lan", "quang", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  approved = decide (f, "TK01-00105-000007", BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  audit_rows = count_rows (f, "audit");
  g_assert_false (bhxh_store_reassign (f->store, "TK01-00105-000007", "lan", "quang", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_ALREADY_DECIDED);
  g_clear_error (&error);
  g_assert_cmpuint (count_rows (f, "audit"), ==, audit_rows);
  g_clear_pointer (&assignee, g_free);
  assignee = bhxh_store_dup_assignee (f->store, "TK01-00106-000001");
  g_assert_cmpstr (assignee, ==, "lan");
  assignments = bhxh_store_list_assignments (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (assignments), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (assignments, "TK01-07901-000002"), ==, "minh");
  g_assert_cmpstr (g_hash_table_lookup (assignments, "TK01-00106-000001"), ==, "lan");

  /* Accounts required: nobody signed in, then a clerk, then the admin. */
  g_assert_true (bhxh_store_init_accounts (f->store, "root", "Quản trị", "a long admin passphrase",
                                           &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_set_password (f->store, "lan", "lan's long passphrase", &error));
  g_assert_no_error (error);
  bhxh_store_sign_out (f->store);
  g_assert_false (bhxh_store_reassign (f->store, "TK01-00106-000001", "minh", NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_true (bhxh_store_authenticate (f->store, "lan", "lan's long passphrase", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (bhxh_store_reassign (f->store, "TK01-00106-000001", "minh", "lan", &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  bhxh_store_sign_out (f->store);
  g_assert_true (bhxh_store_authenticate (f->store, "root", "a long admin passphrase", NULL,
                                          &error));
  g_assert_true (bhxh_store_reassign (f->store, "TK01-00106-000001", "minh", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&audit, g_free);
  audit = sql_text (f->path, "SELECT actor || ' ' || detail FROM audit "
                    "WHERE action = 'declaration.reassign' ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (audit, ==, "root minh");
}

/* A supervisor's approval of an escalated declaration is a countersign,
 * its own kind: not an override when nothing blocks. */
static void
test_decide_countersign_escalation (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) escalated = NULL;
  g_autoptr(BhxhDecision) approved = NULL;
  g_autoptr(BhxhDocument) card = fixture_document_for (f->store, "TK01-00106-000001");
  const char *codes[] = { "name-mismatch", NULL };
  BhxhDecisionRequest escalate = { "TK01-00106-000001", BHXH_OUTCOME_ESCALATE, "lan", codes,
                                   NULL, FALSE, card };
  BhxhDecisionRequest by_clerk = { "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "lan" };
  BhxhDecisionRequest countersign = { "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "hung",
                                      NULL, "Đã xem bản gốc", TRUE };

  g_assert_true (bhxh_store_add_user (f->store, "hung", "Trần Văn Hùng", "supervisor", &error));
  escalated = bhxh_store_decide (f->store, &escalate, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bhxh_decision_get_kind (escalated), ==, BHXH_DECISION_ESCALATED);

  /* The card scanned with the escalation counts for the approval; a clerk's
   * approval of an escalation is no countersign. */
  approved = bhxh_store_decide (f->store, &countersign, &error);
  g_assert_no_error (error);
  g_assert_true (approved->countersign);
  g_assert_false (approved->override);
  g_assert_false (bhxh_decision_is_without_document (approved));
  g_assert_cmpint (approved->evidence, ==, BHXH_EVIDENCE_CARD_QR);
  g_assert_cmpstr (approved->countersigned_by, ==, "hung");
  g_assert_cmpint (bhxh_decision_get_kind (approved), ==, BHXH_DECISION_APPROVED_COUNTERSIGNED);
  g_assert_null (bhxh_store_decide (f->store, &by_clerk, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_ALREADY_DECIDED);
}

/* A declaration handed in by post: the ID number typed from the copy is
 * its evidence, and only its. */
static void
test_decide_post_copy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) copy = bhxh_document_new_post_copy (" 001090012345 ", &error);
  g_autoptr(BhxhDocument) bad = bhxh_document_new_post_copy ("00109001234", NULL);
  g_autoptr(BhxhDecision) approved = NULL;
  g_autoptr(JsonNode) node = NULL;
  BhxhDecisionRequest request = { "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "lan",
                                  NULL, NULL, FALSE, copy };

  g_assert_no_error (error);
  g_assert_null (bad);
  g_assert_cmpstr (copy->id_number, ==, "001090012345");
  /* Handed in at the office: a copy proves nothing. */
  g_assert_null (bhxh_store_decide (f->store, &request, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  g_free (sql_text (f->path, "UPDATE declarations SET handin = 'post' "
                             "WHERE id = 'TK01-00106-000001'"));
  approved = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (approved->evidence, ==, BHXH_EVIDENCE_POST_COPY);
  g_assert_false (bhxh_decision_is_without_document (approved));
  node = bhxh_decision_to_json (approved);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "evidence"),
                   ==, "post-copy");
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM documents WHERE kind = 'post-copy'"),
                   ==, 1);
}

/* The safety stops hold for a supervisor too. */
static void
test_decide_safety_stop (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  g_autoptr(BhxhDocument) card = fixture_document_for (f->store, "TK01-00106-000001");
  BhxhDecisionRequest request = { "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "hung",
                                  NULL, "Đã đối chiếu", TRUE, card };
  const char *codes[] = { "person-absent", NULL };
  BhxhDecisionRequest reject = { "TK01-00106-000001", BHXH_OUTCOME_REJECT, "hung", codes };

  g_assert_true (bhxh_store_add_user (f->store, "hung", "Trần Văn Hùng", "supervisor", &error));
  g_assert_true (bhxh_store_set_meta (f->store, "safety.mirror_block_days", "0", &error));
  g_assert_null (bhxh_store_decide (f->store, &request, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_SAFETY_STOP);
  g_clear_error (&error);
  g_assert_cmpuint (count_rows (f, "decisions"), ==, 0);
  /* Rejections go on. */
  decision = bhxh_store_decide (f->store, &reject, &error);
  g_assert_no_error (error);
}

/* Undo at the counter: the decision is on disk at once, not sent during its
 * hold, withdrawn only by its clerk and only within the window. */
static void
test_decide_hold_withdraw (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) held = NULL;
  g_autoptr(BhxhDecision) again = NULL;
  g_autoptr(BhxhDecision) late = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(GDateTime) start = bhxh_clock_now ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (start, 61);
  g_autoptr(BhxhDocument) card = fixture_document_for (f->store, "TK01-00106-000001");
  g_autoptr(BhxhDocument) card2 = fixture_document_for (f->store, "TK01-00106-000001");
  BhxhDecisionRequest request = { "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "lan",
                                  NULL, NULL, FALSE, card, 30 };
  g_autofree char *audit = NULL;

  held = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (held->hold_until);
  g_assert_cmpint (count_rows (f, "accounts"), ==, 1);
  /* Committed: another connection sees it; the sync does not take it yet. */
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM decisions"), ==, 1);
  claimed = bhxh_store_outbox_claim (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* Someone else cannot undo it; its clerk can. */
  g_assert_false (bhxh_store_withdraw_decision (f->store, held->uuid, "minh", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_true (bhxh_store_withdraw_decision (f->store, held->uuid, "lan", &error));
  g_assert_no_error (error);
  d = bhxh_store_get_declaration (f->store, "TK01-00106-000001", &error);
  g_assert_cmpint (d->status, ==, BHXH_STATUS_PENDING);
  g_assert_cmpint (count_rows (f, "decisions"), ==, 0);
  g_assert_cmpint (count_rows (f, "outbox"), ==, 0);
  g_assert_cmpint (count_rows (f, "accounts"), ==, 0);
  g_assert_cmpint (count_rows (f, "documents"), ==, 1);   /* the scan stays recorded */
  audit = sql_text (f->path, "SELECT action FROM audit ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (audit, ==, "decision.withdraw");
  g_assert_false (bhxh_store_withdraw_decision (f->store, held->uuid, "lan", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Decided again; once the window is over it stands and goes out. */
  request.document = card2;
  again = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_clock_pin (later));
  g_assert_false (bhxh_store_withdraw_decision (f->store, again->uuid, "lan", &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  claimed = bhxh_store_outbox_claim (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  late = bhxh_store_get_decision (f->store, again->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (late->outbox_state, ==, BHXH_OUTBOX_SENDING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, loaded, func) \
  g_test_add (name, Fixture, (loaded) ? "loaded" : NULL, setup, func, teardown)
  g_test_add_func ("/store/error-codes", test_error_codes);
  ADD ("/store/decide/countersign-escalation", TRUE, test_decide_countersign_escalation);
  ADD ("/store/decide/post-copy", TRUE, test_decide_post_copy);
  ADD ("/store/decide/safety-stop", TRUE, test_decide_safety_stop);
  ADD ("/store/decide/hold-withdraw", TRUE, test_decide_hold_withdraw);
  ADD ("/store/open/migrate", FALSE, test_open_migrate);
  ADD ("/store/open/too-new", FALSE, test_open_too_new);
  ADD ("/store/open/not-a-database", FALSE, test_open_not_a_database);
  ADD ("/store/users-offices", FALSE, test_users_offices);
  ADD ("/store/declarations/import", TRUE, test_declarations_import);
  ADD ("/store/declarations/find-open", TRUE, test_find_open);
  ADD ("/store/declarations/find-open-by-mirror-code", TRUE, test_find_open_by_mirror_code);
  ADD ("/store/queue/filters", TRUE, test_queue_filters);
  ADD ("/store/queue/words-and-order", TRUE, test_queue_words_and_order);
  ADD ("/store/identity-2025", TRUE, test_identity_2025);
  ADD ("/store/identity-2025/accounts", TRUE, test_identity_2025_accounts);
  ADD ("/store/check", TRUE, test_check);
  ADD ("/store/decide/rules", TRUE, test_decide_rules);
  ADD ("/store/decide/durable", TRUE, test_decide_durable);
  ADD ("/store/decide/accounts", TRUE, test_decide_accounts);
  ADD ("/store/decide/race", TRUE, test_decide_race);
  ADD ("/store/decide/countersigned", TRUE, test_decide_countersigned);
  ADD ("/store/mirror-swap-while-open", TRUE, test_mirror_swap_while_open);
  ADD ("/store/outbox", TRUE, test_outbox);
  ADD ("/store/audit-chain", TRUE, test_audit_chain);
  ADD ("/store/reassign", TRUE, test_reassign);
#undef ADD

  return g_test_run ();
}
