/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "core/bhxh-clock.h"
#include "sync/bhxh-sync-log.h"
#include "sync/bhxh-sync-private.h"
#include "store/bhxh-store-safety.h"
#include "store/bhxh-crypt.h"
#include "demo/bhxh-demo-portrait.h"
#include "sync-fixture.h"

/* The client against the real simulator: pull, push, and every fault. */

static void
assert_all_state (BhxhStore       *store,
                  GPtrArray       *uuids,
                  BhxhOutboxState  state)
{
  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhDecision) d = bhxh_store_get_decision (store, g_ptr_array_index (uuids, i),
                                                           &error);

      g_assert_no_error (error);
      g_assert_cmpstr (bhxh_outbox_state_to_string (d->outbox_state), ==,
                       bhxh_outbox_state_to_string (state));
    }
}

/* Exactly once: the portal stored each UUID once, and nothing else. */
static void
assert_portal_has_once (SyncFixture *f,
                        GPtrArray   *uuids)
{
  g_autoptr(JsonNode) list = sync_fixture_admin (f, "/admin/decisions", NULL);
  JsonArray *array = json_node_get_array (list);

  g_assert_cmpuint (json_array_get_length (array), ==, uuids->len);
  for (guint i = 0; i < uuids->len; i++)
    {
      guint found = 0;

      for (guint j = 0; j < json_array_get_length (array); j++)
        if (g_str_equal (json_object_get_string_member (json_array_get_object_element (array, j),
                                                        "uuid"),
                         g_ptr_array_index (uuids, i)))
          found++;
      g_assert_cmpuint (found, ==, 1);
    }
}

static void
test_pull_incremental (SyncFixture   *f,
                       gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) first = NULL;
  g_autoptr(BhxhSyncReport) second = NULL;
  g_autoptr(BhxhSyncReport) third = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reasons = NULL;

  sync_fixture_start_sim (f, "--demo=40", NULL);
  f->options->page_size = 7;
  first = sync_fixture_run (f, f->store);
  g_assert_cmpuint (first->errors->len, ==, 0);
  g_assert_cmpuint (first->declarations, ==, 40);
  g_assert_cmpuint (first->offices, ==, 18);
  g_assert_cmpstr (first->mirror_version, ==, "demo-1");
  g_assert_cmpuint (first->mirror_rows, ==, 200);
  /* 40 declarations in pages of 7: 6 pages. */
  g_assert_cmpuint (first->requests, >=, 6 + 5);

  offices = bhxh_store_list_offices (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, ==, 18);
  reasons = bhxh_store_dup_meta (f->store, "sync.reason_codes");
  g_assert_nonnull (strstr (reasons, "Họ và tên không khớp"));
  d = bhxh_store_get_declaration (f->store, "TK01-00106-000006", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->full_name, ==, "Huỳnh Thị Bình");

  /* Nothing changed: nothing comes. */
  second = sync_fixture_run (f, f->store);
  g_assert_cmpuint (second->declarations, ==, 0);
  g_assert_null (second->mirror_version);

  /* One new declaration on the portal: only it comes. */
  ok = sync_fixture_admin (f, "/admin/declarations",
    "{\"declarations\":[{\"id\":\"TK01-00106-900001\",\"kind\":\"register\","
    "\"status\":\"pending\",\"office_code\":\"00106\","
    "\"submitted_at\":\"2026-11-20T08:15:00+07:00\",\"confirmed_at\":null,"
    "\"full_name\":\"Đỗ Văn Mới\",\"bhxh_code\":\"0199999999\",\"id_number\":\"001090999999\","
    "\"birth_date\":\"1990-01-01\",\"sex\":\"male\",\"handin\":\"office\"}]}");
  third = sync_fixture_run (f, f->store);
  g_assert_cmpuint (third->declarations, ==, 1);
  g_clear_pointer (&d, bhxh_declaration_free);
  d = bhxh_store_get_declaration (f->store, "TK01-00106-900001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->full_name, ==, "Đỗ Văn Mới");
}

/* A declaration's portrait photo over real HTTP: the feed names it (hash
 * and size, no bytes), the sync fetches it from its own endpoint and the
 * store keeps it; a declaration without one has none; a photo that is not
 * the one named is refused and asked for again at the next sync. */
static void
test_pull_portraits (SyncFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = bhxh_demo_portrait_jpeg ("001090888888", BHXH_SEX_MALE,
                                                    "Đỗ Văn Ảnh");
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, jpeg);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (jpeg, NULL),
                                          g_bytes_get_size (jpeg));
  g_autofree char *body = NULL;
  g_autoptr(BhxhSyncReport) first = NULL;
  g_autoptr(BhxhSyncReport) second = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *feed = NULL;
  guint status = 0;

#define PORTRAIT_DECL(id, name, extra) \
  "{\"id\":\"" id "\",\"kind\":\"register\",\"status\":\"pending\",\"office_code\":\"00106\"," \
  "\"submitted_at\":\"2026-11-20T08:15:00+07:00\"," \
  "\"full_name\":\"" name "\",\"bhxh_code\":null,\"id_number\":\"001090888888\"," \
  "\"birth_date\":\"1990-01-01\",\"sex\":\"male\",\"handin\":\"office\"" extra "}"
  sync_fixture_start_sim (f, "--demo=3", NULL);
  body = g_strdup_printf ("{\"declarations\":["
                          PORTRAIT_DECL ("TK01-00106-800001", "Đỗ Văn Ảnh",
                                         ",\"portrait\":{\"sha256\":\"%s\",\"size\":%zu,"
                                         "\"data\":\"%s\"}") ","
                          PORTRAIT_DECL ("TK01-00106-800002", "Đỗ Văn Không", "") ","
                          PORTRAIT_DECL ("TK01-00106-800003", "Đỗ Văn Sai",
                                         ",\"portrait\":{\"sha256\":\"%s\",\"size\":%zu,"
                                         "\"data\":\"%s\"}") "]}",
                          sha256, g_bytes_get_size (jpeg), b64,
                          "0000000000000000000000000000000000000000000000000000000000000000",
                          g_bytes_get_size (jpeg), b64);
#undef PORTRAIT_DECL
  ok = sync_fixture_admin (f, "/admin/declarations", body);

  /* The feed names the photo, without its bytes. */
  page = bhxh_portal_call (f->admin, "GET", "/v1/declarations?limit=1000", NULL, &status,
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  feed = json_to_string (page, FALSE);
  g_assert_nonnull (strstr (feed, sha256));
  g_assert_null (strstr (feed, "\"data\""));

  first = sync_fixture_run (f, f->store);
  for (guint i = 0; i < first->errors->len; i++)
    g_test_message ("sync error: %s", (const char *) first->errors->pdata[i]);
  g_assert_cmpuint (first->errors->len, ==, 0);
  g_assert_true (bhxh_store_dup_declaration_portrait (f->store, "local", "TK01-00106-800001",
                                                      &got, &error));
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, jpeg));
  g_assert_true (bhxh_store_dup_declaration_portrait (f->store, "local", "TK01-00106-800002",
                                                      &none, &error));
  g_assert_null (none);
  g_assert_true (bhxh_store_dup_declaration_portrait (f->store, "local", "TK01-00106-800003",
                                                      &none, &error));
  g_assert_null (none);
  wanted = bhxh_store_list_wanted_portraits (f->store, &error);
  g_assert_cmpuint (wanted->len, ==, 1);
  g_assert_cmpstr (wanted->pdata[0], ==, "TK01-00106-800003");

  /* Asked again, still refused: nothing else changes. */
  second = sync_fixture_run (f, f->store);
  g_assert_cmpuint (second->errors->len, ==, 0);
  g_ptr_array_unref (wanted);
  wanted = bhxh_store_list_wanted_portraits (f->store, &error);
  g_assert_cmpuint (wanted->len, ==, 1);
}

/* The simulator seeded from the project's demo data (src/demo). */
static void
test_pull_demo_data (SyncFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GError) error = NULL;

  sync_fixture_start_sim (f, "--demo-data=1000", NULL);
  report = sync_fixture_run (f, f->store);
  g_assert_cmpuint (report->errors->len, ==, 0);
  g_assert_cmpuint (report->mirror_rows, ==, 1000);
  g_assert_cmpuint (report->declarations, >, 100);
  g_assert_true (g_str_has_prefix (report->mirror_version, "demo-"));
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, 1000);
  offices = bhxh_store_list_offices (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, ==, report->offices);
}

/* The contract accepts both forms of the mã số BHXH (2025): the simulator
 * keys one person in ten by the ID number with the former code, and one
 * declaration in five carries the ID number as the code; the pulled data
 * links them all. */
static void
test_pull_identity_2025 (SyncFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autoptr(BhxhPerson) rekeyed = NULL;
  g_autoptr(GError) error = NULL;
  const struct { const char *id; const char *reason; } cases[] = {
    { "TK01-00108-000008", "bhxh-code-former" },      /* the former code, re-keyed person */
    { "TK01-00105-000005", "bhxh-code-id-number" },   /* the ID number as the code */
  };

  sync_fixture_start_sim (f, "--demo=40", NULL);
  report = sync_fixture_run (f, f->store);
  g_assert_cmpuint (report->errors->len, ==, 0);
  rekeyed = bhxh_store_find_person (f->store, "0100000008", &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_id_number_is_valid (rekeyed->bhxh_code));
  g_assert_cmpstr (rekeyed->bhxh_code, ==, rekeyed->id_number);
  g_assert_cmpstr (rekeyed->legacy_bhxh_code, ==, "0100000008");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BhxhDeclaration) d = bhxh_store_get_declaration (f->store, cases[i].id, &error);
      g_autoptr(BhxhCheck) check = NULL;

      g_assert_no_error (error);
      check = bhxh_store_check_declaration (f->store, d, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (bhxh_check_has_reason (check, cases[i].reason));
      g_assert_false (bhxh_check_has_reason (check, "bhxh-code-mismatch"));
      g_assert_false (bhxh_check_has_reason (check, "not-in-registry"));
    }
}

static void
test_mirror_delta_and_resume (SyncFixture   *f,
                              gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) first = NULL;
  g_autoptr(BhxhSyncReport) second = NULL;
  g_autoptr(BhxhSyncReport) third = NULL;
  g_autoptr(BhxhStore) other = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autoptr(BhxhPerson) person = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) mirror = g_string_new (NULL);
  g_autofree char *path = NULL;

  sync_fixture_start_sim (f, "--demo=5", "--persons=300", NULL);
  first = sync_fixture_run (f, f->store);
  g_assert_cmpuint (first->mirror_rows, ==, 300);

  /* v2: one person renamed, one removed, one added. */
  g_string_append (mirror, "{\"bhxh_code\":\"0100000001\",\"full_name\":\"Nguyễn Văn Đổi\","
                           "\"birth_date\":\"1960\",\"sex\":\"male\"}\n");
  for (guint i = 3; i <= 300; i++)
    g_string_append_printf (mirror, "{\"bhxh_code\":\"01%08u\",\"full_name\":\"Người %u\","
                                    "\"birth_date\":\"1980-01-01\"}\n", i, i);
  g_string_append (mirror, "{\"bhxh_code\":\"0100999999\",\"full_name\":\"Lê Thị Thêm\","
                           "\"birth_date\":\"2001-02\"}\n");
  sync_fixture_publish (f, "v2", mirror);
  {
    g_autofree char *v1 = bhxh_store_dup_mirror_version (f->store);

    g_assert_cmpstr (v1, ==, "demo-1");
  }
  second = sync_fixture_run (f, f->store);
  g_assert_cmpuint (second->errors->len, ==, 0);
  g_assert_cmpstr (second->mirror_version, ==, "v2");
  g_assert_true (second->mirror_from_delta);
  g_assert_cmpuint (second->mirror_rows, ==, 300);
  person = bhxh_store_find_person (f->store, "0100000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (person->full_name, ==, "Nguyễn Văn Đổi");
  g_clear_pointer (&person, bhxh_person_free);
  person = bhxh_store_find_person (f->store, "0100999999", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (person->full_name, ==, "Lê Thị Thêm");
  g_clear_pointer (&person, bhxh_person_free);
  person = bhxh_store_find_person (f->store, "0100000002", NULL);
  g_assert_null (person);

  /* A second counter downloads v2 whole, through a truncated answer. */
  other = sync_fixture_open_store (f, "other.db");
  g_clear_pointer (&faults, json_node_unref);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"truncate_next\":3,"
                              "\"path_prefix\":\"/v1/mirror/snapshots/\"}");
  f->options->pull_mirror = TRUE;
  third = sync_fixture_run (f, other);
  g_assert_cmpuint (third->errors->len, ==, 0);
  g_assert_cmpstr (third->mirror_version, ==, "v2");
  g_assert_false (third->mirror_from_delta);
  g_assert_cmpuint (third->mirror_rows, ==, 300);
  g_assert_cmpint (sync_fixture_stat (f, "injected_truncations"), ==, 3);
  g_assert_cmpint (sync_fixture_stat (f, "range_requests"), ==, 3);
  path = g_build_filename (f->tmpdir, "other.db-sync", "mirror-v2.jsonl.part", NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Stores are encrypted: the snapshots kept for the next delta (made
   * from a delta, and downloaded whole) are sealed with the store's key —
   * no registry line in clear, and the next delta still applies to them. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *snapshot = g_build_filename (f->tmpdir, i == 0 ? "desk.db-sync"
                                                                      : "other.db-sync",
                                                    "mirror-v2.jsonl", NULL);
      g_autofree char *raw = NULL;
      gsize length = 0;

      g_assert_true (bhxh_store_is_encrypted (i == 0 ? f->store : other));
      g_assert_true (g_file_get_contents (snapshot, &raw, &length, NULL));
      g_assert_true (bhxh_crypt_is_sealed ((const guint8 *) raw, length));
      g_assert_null (g_strstr_len (raw, (gssize) length, "bhxh_code"));
    }
}

static void
test_push_exactly_once_under_faults (SyncFixture   *f,
                                     gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) push = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(JsonNode) faults = NULL;

  sync_fixture_start_sim (f, "--demo=60", "--fault-seed=7", NULL);
  pull = sync_fixture_run (f, f->store);
  uuids = sync_fixture_decide (f, f->store, 45);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==, 45);

  faults = sync_fixture_admin (f, "/admin/faults",
                               "{\"fail_rate\":0.3,\"drop_rate\":0.25,\"truncate_rate\":0.25,"
                               "\"latency_ms\":5,\"fail_next\":1,\"drop_next\":1,"
                               "\"truncate_next\":1}");
  f->options->pull = FALSE;
  f->options->batch_size = 4;
  f->options->portal->max_retries = 30;
  push = sync_fixture_run (f, f->store);
  g_assert_cmpuint (push->errors->len, ==, 0);
  g_assert_cmpuint (push->acknowledged, ==, 45);
  g_assert_cmpuint (push->pending, ==, 0);
  g_assert_cmpuint (push->retries, >, 0);
  assert_all_state (f->store, uuids, BHXH_OUTBOX_ACKNOWLEDGED);
  assert_portal_has_once (f, uuids);
  g_assert_cmpint (sync_fixture_stat (f, "injected_5xx"), >, 0);
  g_assert_cmpint (sync_fixture_stat (f, "injected_drops"), >, 0);
  g_assert_cmpint (sync_fixture_stat (f, "injected_truncations"), >, 0);
  /* Dropped and truncated answers made the client resend stored items. */
  g_assert_cmpint (sync_fixture_stat (f, "decision_items"), >, 45);
}

static void
test_push_crash_and_restart (SyncFixture   *f,
                             gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) push = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(BhxhPortal) portal = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(BhxhStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  sync_fixture_start_sim (f, "--demo=20", NULL);
  pull = sync_fixture_run (f, f->store);
  uuids = sync_fixture_decide (f, f->store, 10);

  /* A first process claims 6, sends them, and dies before recording the
   * acknowledgements: they stay "sending" in the database. */
  claimed = bhxh_store_outbox_claim (f->store, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 6);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 6);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "decisions");
  json_builder_begin_array (b);
  for (guint i = 0; i < claimed->len; i++)
    json_builder_add_value (b, bhxh_sync_decision_to_wire (g_ptr_array_index (claimed, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  portal = bhxh_portal_new (f->options->portal);
  answer = bhxh_portal_call (portal, "POST", "/v1/decisions/batch", body, &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_clear_object (&f->store);

  /* The restart: same file, new process state. */
  reopened = sync_fixture_open_store (f, "desk.db");
  f->options->pull = FALSE;
  push = sync_fixture_run (f, reopened);
  g_assert_cmpuint (push->acknowledged, ==, 10);
  g_assert_cmpuint (push->pending, ==, 0);
  assert_all_state (reopened, uuids, BHXH_OUTBOX_ACKNOWLEDGED);
  assert_portal_has_once (f, uuids);
}

static void
test_refusal_and_conflict (SyncFixture   *f,
                           gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) push = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) local = NULL;
  g_autoptr(BhxhDecision) conflicted = NULL;
  g_autoptr(JsonNode) faults = NULL;
  guint imported = 0;
  static const char * const reasons[] = { "other", NULL };
  BhxhDecisionRequest request = {
    "TK01-00106-777777", BHXH_OUTCOME_REJECT, "lan", reasons, NULL, FALSE, NULL,
  };
  g_autoptr(JsonNode) declarations = json_from_string (
    "{\"format\":\"bhxh-declarations/1\",\"declarations\":[{\"id\":\"TK01-00106-777777\","
    "\"kind\":\"register\",\"office_code\":\"00106\",\"full_name\":\"Phan Văn Lạc\","
    "\"bhxh_code\":\"0177777777\",\"id_number\":\"001090777777\",\"birth_date\":\"1990-01-01\","
    "\"submitted_at\":\"2026-11-20T08:15:00+07:00\",\"sex\":\"male\",\"handin\":\"office\"}]}",
    NULL);

  sync_fixture_start_sim (f, "--demo=20", NULL);
  pull = sync_fixture_run (f, f->store);
  /* A declaration the portal does not know (typed in from paper). */
  g_assert_true (bhxh_store_import_declarations_json (f->store, declarations, &imported, &error));
  g_assert_no_error (error);
  local = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  uuids = sync_fixture_decide (f, f->store, 5);

  f->options->pull = FALSE;
  f->options->batch_size = 2;
  push = sync_fixture_run (f, f->store);
  /* One refusal never blocks the rest. */
  g_assert_cmpuint (push->refused, ==, 1);
  g_assert_cmpuint (push->acknowledged, ==, 5);
  g_assert_true (bhxh_sync_report_needs_person (push));
  {
    g_autoptr(BhxhDecision) refused = bhxh_store_get_decision (f->store, local->uuid, &error);

    g_assert_no_error (error);
    g_assert_cmpint (refused->outbox_state, ==, BHXH_OUTBOX_REFUSED);
  }
  assert_all_state (f->store, uuids, BHXH_OUTBOX_ACKNOWLEDGED);

  /* Conflicts injected by the portal. */
  g_clear_pointer (&uuids, g_ptr_array_unref);
  uuids = sync_fixture_decide (f, f->store, 3);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"conflict_rate\":1.0}");
  g_clear_pointer (&push, bhxh_sync_report_free);
  push = sync_fixture_run (f, f->store);
  g_assert_cmpuint (push->conflict, ==, 3);
  assert_all_state (f->store, uuids, BHXH_OUTBOX_CONFLICT);
  conflicted = bhxh_store_get_decision (f->store, g_ptr_array_index (uuids, 0), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (conflicted->outbox_detail, "quầy khác"));
}

static void
test_refusal_detail_vietnamese (SyncFixture   *f,
                                gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) push = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) d = NULL;
  g_autoptr(BhxhDecision) stored = NULL;
  guint imported = 0;
  static const char * const reasons[] = { "other", NULL };
  BhxhDecisionRequest request = {
    "TK01-00106-888888", BHXH_OUTCOME_REJECT, "lan", reasons, NULL, FALSE, NULL,
  };
  g_autoptr(JsonNode) declarations = json_from_string (
    "[{\"id\":\"TK01-00106-888888\",\"kind\":\"register\",\"office_code\":\"00106\","
    "\"full_name\":\"Vũ Thị Lạ\",\"bhxh_code\":\"0188888888\",\"birth_date\":\"1991-01-01\","
    "\"submitted_at\":\"2026-11-20T08:15:00+07:00\",\"handin\":\"office\"}]", NULL);

  sync_fixture_start_sim (f, "--demo=3", NULL);
  pull = sync_fixture_run (f, f->store);
  g_assert_true (bhxh_store_import_declarations_json (f->store, declarations, &imported, &error));
  g_assert_no_error (error);
  d = bhxh_store_decide (f->store, &request, &error);
  g_assert_no_error (error);
  push = sync_fixture_run (f, f->store);
  g_assert_cmpuint (push->refused, ==, 1);
  stored = bhxh_store_get_decision (f->store, d->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->outbox_state, ==, BHXH_OUTBOX_REFUSED);
  g_assert_cmpstr (stored->outbox_detail, ==,
                   "Không tìm thấy tờ khai này trên Cổng dịch vụ công. (unknown-declaration)");
}

static void
test_unreachable_keeps_outbox (SyncFixture   *f,
                               gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) offline = NULL;
  g_autoptr(BhxhSyncReport) back = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autoptr(JsonNode) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sync_fixture_start_sim (f, "--demo=10", NULL);
  pull = sync_fixture_run (f, f->store);
  uuids = sync_fixture_decide (f, f->store, 4);

  /* The portal answers 503 to everything, for longer than the retries. */
  faults = sync_fixture_admin (f, "/admin/faults", "{\"fail_rate\":1.0}");
  f->options->portal->max_retries = 2;
  offline = sync_fixture_run (f, f->store);
  g_assert_cmpuint (offline->errors->len, >=, 1);
  g_assert_true (bhxh_sync_report_needs_person (offline));
  g_assert_cmpuint (offline->pending, ==, 4);
  g_assert_cmpuint (offline->retries, ==, 2);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 0);
  assert_all_state (f->store, uuids, BHXH_OUTBOX_PENDING);

  g_clear_pointer (&faults, json_node_unref);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"fail_rate\":0.0}");
  back = sync_fixture_run (f, f->store);
  g_assert_cmpuint (back->acknowledged, ==, 4);
  assert_portal_has_once (f, uuids);

  /* The log tells a person what happened. */
  log = bhxh_sync_log_read (bhxh_store_get_path (f->store), NULL, &error);
  g_assert_no_error (error);
  text = bhxh_sync_log_to_text (log);
  g_assert_nonnull (strstr (text, "The portal is unavailable (HTTP 503)."));
  g_assert_nonnull (strstr (text, "4 acknowledged"));
}

static void
test_closed_port_and_timeout (SyncFixture   *f,
                              gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autoptr(BhxhSyncReport) slow = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(JsonNode) faults = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port nobody listens on. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  g_free (f->options->portal->portal_url);
  f->options->portal->portal_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  f->options->portal->max_retries = 1;
  report = sync_fixture_run (f, f->store);
  g_assert_cmpuint (report->errors->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 0), "Cannot reach the portal"));
  /* In the desk's words (translated), not curl's English. */
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 0), "it does not answer"));
  g_assert_null (strstr (g_ptr_array_index (report->errors, 0), "Couldn't connect"));

  /* A portal slower than the timeout. */
  sync_fixture_start_sim (f, "--demo=3", NULL);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"latency_ms\":1500}");
  f->options->portal->timeout_ms = 300;
  g_timer_start (timer);
  slow = sync_fixture_run (f, f->store);
  g_assert_cmpuint (slow->errors->len, ==, 1);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 1.4);
}

static void
test_auth_and_suspended (SyncFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) bad = NULL;
  g_autoptr(BhxhSyncReport) suspended = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autofree char *status = NULL;

  sync_fixture_start_sim (f, "--demo=3", NULL);
  g_free (f->options->portal->token);
  f->options->portal->token = g_strdup ("wrong");
  bad = sync_fixture_run (f, f->store);
  g_assert_cmpuint (bad->errors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bad->errors, 0), ==,
                   "The portal refused this workstation's token.");
  g_assert_cmpuint (bad->retries, ==, 0);

  g_free (f->options->portal->token);
  f->options->portal->token = g_strdup ("demo-token");
  ok = sync_fixture_admin (f, "/admin/account", "{\"status\":\"suspended\"}");
  suspended = sync_fixture_run (f, f->store);
  g_assert_cmpuint (suspended->errors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (suspended->errors, 0), ==,
                   "The portal has suspended this workstation's account.");
  status = bhxh_store_dup_meta (f->store, "sync.account_status");
  g_assert_cmpstr (status, ==, "suspended");
}

static gpointer
cancel_soon_cb (gpointer cancellable)
{
  g_usleep (150 * 1000);
  g_cancellable_cancel (cancellable);
  return NULL;
}

static void
test_cancel (SyncFixture   *f,
             gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) cancelled = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;

  sync_fixture_start_sim (f, "--demo=10", NULL);
  pull = sync_fixture_run (f, f->store);
  uuids = sync_fixture_decide (f, f->store, 3);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"latency_ms\":3000}");
  thread = g_thread_new ("cancel", cancel_soon_cb, cancellable);
  cancelled = bhxh_sync_run (f->store, f->options, NULL, NULL, cancellable, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CANCELLED);
  g_assert_null (cancelled);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 1.5);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 0);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==, 3);
}

typedef struct
{
  GMainLoop      *loop;
  BhxhSyncReport *report;
  GError         *error;
  GThread        *main_thread;
  guint           progress_calls;
  gboolean        progress_on_main;
} AsyncState;

static void
async_progress_cb (BhxhSyncStage stage,
                   guint64       done,
                   guint64       total,
                   gpointer      user_data)
{
  AsyncState *state = user_data;

  state->progress_calls++;
  state->progress_on_main &= g_thread_self () == state->main_thread;
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;

  state->report = bhxh_sync_run_finish (result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (SyncFixture   *f,
            gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncState state = { loop, NULL, NULL, g_thread_self (), 0, TRUE };
  g_autoptr(BhxhSyncReport) report = NULL;

  sync_fixture_start_sim (f, "--demo=12", NULL);
  bhxh_sync_run_async (f->store, f->options, async_progress_cb, &state, NULL, NULL,
                       async_done_cb, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  report = state.report;
  g_assert_cmpuint (report->declarations, ==, 12);
  g_assert_cmpuint (state.progress_calls, >, 0);
  g_assert_true (state.progress_on_main);
  /* The main thread's store sees what the worker's connection wrote. */
  {
    BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) all = bhxh_store_list_declarations (f->store, &filter, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 12);
  }
}

static void
test_busy (SyncFixture   *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autofree char *path = g_strconcat (bhxh_store_get_path (f->store), "", NULL);
  int fd;

  sync_fixture_start_sim (f, "--demo=2", NULL);
  fd = _bhxh_sync_lock (path, &error);
  g_assert_no_error (error);
  report = bhxh_sync_run (f->store, f->options, NULL, NULL, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUSY);
  g_assert_null (report);
  _bhxh_sync_unlock (fd);
}

static void
test_claims (SyncFixture   *f,
             gconstpointer  data)
{
  g_autoptr(BhxhPortal) portal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *holder2 = NULL;
  g_autofree char *holder3 = NULL;

  sync_fixture_start_sim (f, "--demo=3", NULL);
  portal = bhxh_portal_new (f->options->portal);
  g_assert_true (bhxh_sync_claim (portal, "TK01-00101-000001", "lan", "Nguyễn Thị Lan",
                                  &holder, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (holder, ==, "Nguyễn Thị Lan");
  g_assert_false (bhxh_sync_claim (portal, "TK01-00101-000001", "minh", NULL, &holder2, NULL,
                                   &error));
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CLAIMED);
  /* The holder by name, in the message too. */
  g_assert_cmpstr (holder2, ==, "Nguyễn Thị Lan");
  g_assert_nonnull (strstr (error->message, "Nguyễn Thị Lan"));
  g_clear_error (&error);
  g_assert_true (bhxh_sync_release (portal, "TK01-00101-000001", "lan", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_sync_claim (portal, "TK01-00101-000001", "minh", NULL, &holder3, NULL,
                                  &error));
  g_assert_cmpstr (holder3, ==, "minh");
  g_assert_false (bhxh_sync_claim (portal, "TK01-NOPE", "minh", NULL, NULL, NULL, &error));
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_HTTP);
}

static void
test_safety_stops (SyncFixture   *f,
                   gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSafety) fresh = NULL;
  g_autoptr(BhxhSafety) waiting = NULL;
  g_autoptr(BhxhSafety) later = NULL;
  g_autoptr(BhxhSafety) old = NULL;
  g_autoptr(BhxhSafety) none = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GDateTime) now = bhxh_clock_now ();
  g_autoptr(GDateTime) in_2_days = NULL;
  g_autoptr(GDateTime) in_9_days = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) empty = sync_fixture_open_store (f, "empty.db");

  none = bhxh_store_check_safety (empty, now);
  g_assert_cmpint (none->level, ==, BHXH_SAFETY_BLOCK);
  g_assert_cmpint (none->mirror_age_days, ==, -1);

  sync_fixture_start_sim (f, "--demo=10", NULL);
  pull = sync_fixture_run (f, f->store);
  g_clear_pointer (&now, g_date_time_unref);
  now = bhxh_clock_now ();
  in_2_days = g_date_time_add_days (now, 2);
  in_9_days = g_date_time_add_days (now, 9);
  fresh = bhxh_store_check_safety (f->store, now);
  g_assert_cmpint (fresh->level, ==, BHXH_SAFETY_OK);
  g_assert_true (bhxh_store_safety_allows_approval (f->store, now, &error));
  g_assert_no_error (error);

  uuids = sync_fixture_decide (f, f->store, 2);
  waiting = bhxh_store_check_safety (f->store, now);
  g_assert_cmpint (waiting->level, ==, BHXH_SAFETY_OK);
  g_assert_cmpint (waiting->unsynced, ==, 2);
  g_assert_cmpint (waiting->unsynced_days, ==, 0);

  /* Two days offline: unsynced warns at 1 day; the portal's rule says 3
   * to block, the local setting lowers it to 2. */
  later = bhxh_store_check_safety (f->store, in_2_days);
  g_assert_cmpint (later->level, ==, BHXH_SAFETY_WARN);
  g_assert_cmpint (later->unsynced_days, ==, 2);
  g_assert_true (bhxh_store_set_meta (f->store, "safety.unsynced_block_days", "2", &error));
  g_assert_false (bhxh_store_safety_allows_approval (f->store, in_2_days, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_SAFETY_STOP);
  g_clear_error (&error);

  /* Nine days: the mirror is past its 7-day limit too. */
  old = bhxh_store_check_safety (f->store, in_9_days);
  g_assert_cmpint (old->level, ==, BHXH_SAFETY_BLOCK);
  g_assert_cmpint (old->mirror_age_days, ==, 9);
  g_assert_cmpuint (old->messages->len, ==, 2);
}

/* The rule in one place: what one answer means for one decision. */
static void
test_result_classify (void)
{
  static const struct
  {
    guint            http;
    const char      *result;
    BhxhOutboxState  state;
  } cases[] = {
    { 200, "{\"status\":\"accepted\",\"ack_id\":\"A1\"}", BHXH_OUTBOX_ACKNOWLEDGED },
    { 201, "{\"status\":\"accepted\"}", BHXH_OUTBOX_ACKNOWLEDGED },
    { 200, "{\"ack_id\":\"A1\"}", BHXH_OUTBOX_PENDING },
    { 201, "{\"status\":\"queued\"}", BHXH_OUTBOX_PENDING },
    { 200, "{\"status\":7}", BHXH_OUTBOX_PENDING },
    { 204, NULL, BHXH_OUTBOX_PENDING },
    { 404, "{\"status\":\"accepted\"}", BHXH_OUTBOX_PENDING },
    { 403, "{\"error\":\"forbidden\"}", BHXH_OUTBOX_PENDING },
    { 302, NULL, BHXH_OUTBOX_PENDING },
    { 200, "{\"status\":\"refused\"}", BHXH_OUTBOX_REFUSED },
    { 422, "{\"status\":\"refused\"}", BHXH_OUTBOX_REFUSED },
    { 422, "{\"error\":\"invalid\"}", BHXH_OUTBOX_REFUSED },
    { 400, NULL, BHXH_OUTBOX_REFUSED },
    { 413, NULL, BHXH_OUTBOX_REFUSED },
    { 200, "{\"status\":\"conflict\"}", BHXH_OUTBOX_CONFLICT },
    { 409, "{\"error\":\"uuid-reused\"}", BHXH_OUTBOX_CONFLICT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = cases[i].result ? json_from_string (cases[i].result, NULL)
                                                 : NULL;

      g_test_message ("HTTP %u %s", cases[i].http, cases[i].result ? cases[i].result : "-");
      g_assert_cmpstr (bhxh_outbox_state_to_string (
                         _bhxh_sync_classify_result (cases[i].http,
                                                     node ? json_node_get_object (node) : NULL)),
                       ==, bhxh_outbox_state_to_string (cases[i].state));
    }
}

#define FAKE_ACCOUNT \
  { "GET", "/v1/account", 200, \
    "{\"workstation\":\"WS-00106-09\",\"office_code\":\"00106\",\"status\":\"active\"}" }, \
  { "PUT", "/v1/workstation/", 204, NULL }

/* @n declarations the fake portal never heard of, decided (rejected). */
static GPtrArray *
decide_local (SyncFixture *f,
              guint        n)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint imported = 0;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"id\":\"TK01-00106-99%04u\",\"kind\":\"register\","
                            "\"office_code\":\"00106\",\"full_name\":\"Lê Văn Tám\","
                            "\"bhxh_code\":\"01990%05u\",\"birth_date\":\"1990-01-01\","
                            "\"submitted_at\":\"2026-11-20T08:15:00+07:00\","
                            "\"handin\":\"office\"}", i ? "," : "", i, i);
  g_string_append (json, "]");
  node = json_from_string (json->str, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_declarations_json (f->store, node, &imported, &error));
  g_assert_no_error (error);
  return sync_fixture_decide (f, f->store, n);
}

static BhxhOutboxState
state_of (SyncFixture *f,
          const char  *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) d = bhxh_store_get_decision (f->store, uuid, &error);

  g_assert_no_error (error);
  return d->outbox_state;
}

/* A portal that answers differently from the simulator: a 2xx without a
 * known result status (an "ack_id" alone, "queued") leaves the decision
 * pending, whether it came as a single PUT or in a batch; only an explicit
 * refusal or conflict ends it. */
static void
test_result_rules (SyncFixture   *f,
                   gconstpointer  data)
{
  const SyncFakeRoute ack_only[] = {
    FAKE_ACCOUNT,
    { "POST", "/v1/decisions/batch", 400,
      "{\"error\":\"bad-request\",\"message\":\"Lô không hợp lệ.\"}" },
    { "PUT", "/v1/decisions/", 200, "{\"ack_id\":\"ACK-00000001\"}" },
    { NULL },
  };
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(BhxhSyncReport) first = NULL;
  g_autoptr(BhxhSyncReport) second = NULL;
  g_autoptr(BhxhSyncReport) batch = NULL;
  g_autofree char *u0 = NULL, *u1 = NULL, *u2 = NULL, *u3 = NULL, *u4 = NULL;
  g_autofree char *r3 = NULL, *b0 = NULL;

  uuids = decide_local (f, 5);
  f->options->pull = FALSE;
  sync_fixture_start_fake (f, ack_only);
  first = sync_fixture_run (f, f->store);
  g_assert_cmpuint (sync_fixture_fake_count (f, "PUT /v1/decisions/"), ==, 5);
  g_assert_cmpuint (first->acknowledged + first->refused + first->conflict, ==, 0);
  g_assert_cmpuint (first->pending, ==, 5);
  assert_all_state (f->store, uuids, BHXH_OUTBOX_PENDING);
  /* Not silent: a person sees the portal's answers were unclear. */
  g_assert_true (bhxh_sync_report_needs_person (first));
  g_assert_cmpuint (first->errors->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (first->errors, 0), "no clear result for 5"));

  /* One by one, each answer its own way. */
  u0 = g_strdup_printf ("/v1/decisions/%s", (char *) g_ptr_array_index (uuids, 0));
  u1 = g_strdup_printf ("/v1/decisions/%s", (char *) g_ptr_array_index (uuids, 1));
  u2 = g_strdup_printf ("/v1/decisions/%s", (char *) g_ptr_array_index (uuids, 2));
  u3 = g_strdup_printf ("/v1/decisions/%s", (char *) g_ptr_array_index (uuids, 3));
  u4 = g_strdup_printf ("/v1/decisions/%s", (char *) g_ptr_array_index (uuids, 4));
  r3 = g_strdup_printf ("{\"uuid\":\"%s\",\"status\":\"accepted\",\"ack_id\":\"ACK-3\"}",
                        (char *) g_ptr_array_index (uuids, 3));
  {
    const SyncFakeRoute each[] = {
      FAKE_ACCOUNT,
      { "POST", "/v1/decisions/batch", 400, "{\"error\":\"bad-request\",\"message\":\"x\"}" },
      { "PUT", u0, 201, "{\"status\":\"queued\"}" },
      { "PUT", u1, 422, "{\"error\":\"invalid\",\"message\":\"Quyết định không hợp lệ.\"}" },
      { "PUT", u2, 409, "{\"error\":\"uuid-reused\",\"message\":\"Mã đã dùng.\"}" },
      { "PUT", u3, 201, r3 },
      { "PUT", u4, 404, "{\"status\":\"accepted\"}" },
      { NULL },
    };

    sync_fixture_start_fake (f, each);
    second = sync_fixture_run (f, f->store);
  }
  g_assert_cmpint (state_of (f, g_ptr_array_index (uuids, 0)), ==, BHXH_OUTBOX_PENDING);
  g_assert_cmpint (state_of (f, g_ptr_array_index (uuids, 1)), ==, BHXH_OUTBOX_REFUSED);
  g_assert_cmpint (state_of (f, g_ptr_array_index (uuids, 2)), ==, BHXH_OUTBOX_CONFLICT);
  g_assert_cmpint (state_of (f, g_ptr_array_index (uuids, 3)), ==, BHXH_OUTBOX_ACKNOWLEDGED);
  g_assert_cmpint (state_of (f, g_ptr_array_index (uuids, 4)), ==, BHXH_OUTBOX_PENDING);
  g_assert_cmpuint (second->acknowledged, ==, 1);
  g_assert_cmpuint (second->refused, ==, 1);
  g_assert_cmpuint (second->conflict, ==, 1);
  g_assert_cmpuint (second->pending, ==, 2);

  /* The batch path, same rule: a result with an "ack_id" and no status. */
  b0 = g_strdup_printf ("{\"results\":[{\"uuid\":\"%s\",\"ack_id\":\"ACK-9\"}]}",
                        (char *) g_ptr_array_index (uuids, 0));
  {
    const SyncFakeRoute batched[] = {
      FAKE_ACCOUNT,
      { "POST", "/v1/decisions/batch", 200, b0 },
      { NULL },
    };

    sync_fixture_start_fake (f, batched);
    batch = sync_fixture_run (f, f->store);
  }
  g_assert_cmpint (state_of (f, g_ptr_array_index (uuids, 0)), ==, BHXH_OUTBOX_PENDING);
  g_assert_cmpint (state_of (f, g_ptr_array_index (uuids, 4)), ==, BHXH_OUTBOX_PENDING);
  g_assert_cmpuint (batch->pending, ==, 2);
  g_assert_cmpuint (batch->errors->len, ==, 1);
}

/* A portal's refusal that names the person, and an address with a secret
 * in it: the sync log keeps neither (docs/security.md). */
static void
test_log_no_personal_data (SyncFixture   *f,
                           gconstpointer  data)
{
  const SyncFakeRoute refusing[] = {
    FAKE_ACCOUNT,
    { "POST", "/v1/decisions/batch", 400, "{\"error\":\"bad-request\",\"message\":\"x\"}" },
    { "PUT", "/v1/decisions/", 422,
      "{\"status\":\"refused\",\"reason_code\":\"already-decided\",\"message\":"
      "\"Bà Trần Thị Bích Ngọc (CCCD 079 305 001 234, Ấp Phước Lộc, Nhà Bè) đã có quyết định "
      "khác.\"}" },
    { NULL },
  };
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(BhxhSyncReport) secret = NULL;
  g_autoptr(BhxhSyncReport) refused = NULL;
  g_autoptr(BhxhDecision) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *log_path = bhxh_sync_log_path (bhxh_store_get_path (f->store));
  g_autofree char *plain = NULL;
  g_autofree char *with_secret = NULL;

  uuids = decide_local (f, 1);
  f->options->pull = FALSE;
  sync_fixture_start_fake (f, refusing);
  plain = g_strdup (f->url);
  with_secret = g_strdup_printf ("http://desk:s3cret@%s/?access_token=abc123",
                                 f->url + strlen ("http://"));
  g_free (f->options->portal->portal_url);
  f->options->portal->portal_url = g_strdup (with_secret);
  f->options->portal->max_retries = 0;
  secret = sync_fixture_run (f, f->store);
  g_assert_cmpuint (secret->errors->len, >, 0);

  g_free (f->options->portal->portal_url);
  f->options->portal->portal_url = g_strdup (plain);
  refused = sync_fixture_run (f, f->store);
  g_assert_cmpuint (refused->refused, ==, 1);
  /* The clerk reads the portal's whole word, in the encrypted store. */
  d = bhxh_store_get_decision (f->store, g_ptr_array_index (uuids, 0), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (d->outbox_detail, "Trần Thị Bích Ngọc"));

  g_assert_true (g_file_get_contents (log_path, &log, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", log);
  g_assert_null (strstr (log, "s3cret"));
  g_assert_null (strstr (log, "abc123"));
  g_assert_null (strstr (log, "Trần"));
  g_assert_null (strstr (log, "Bích Ngọc"));
  g_assert_null (strstr (log, "305 001"));
  g_assert_null (strstr (log, "Phước Lộc"));
  g_assert_null (strstr (log, "Nhà Bè"));
  g_assert_nonnull (strstr (log, "already-decided"));
  g_assert_nonnull (strstr (log, plain));
}

static JsonObject *
sim_audit (SyncFixture *f)
{
  g_autoptr(JsonNode) stats = sync_fixture_admin (f, "/admin/stats", NULL);

  return json_object_ref (json_object_get_object_member (json_node_get_object (stats), "audit"));
}

/* The keyed audit trail rides with the decisions; the desk registers its
 * audit key once and the portal recomputes every entry: an entry altered
 * on the desk (without the key, its HMAC cannot be redone) is reported
 * back, for a person, and sent again until it is settled. */
static void
test_audit_verified (SyncFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) push = NULL;
  g_autoptr(BhxhSyncReport) again = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(JsonObject) audit = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_file = g_strconcat (bhxh_store_get_path (f->store), ".key", NULL);
  g_autofree char *registered = NULL;
  const BhxhCryptKey *key;
  sqlite3 *db = NULL;
  gint64 last;

  sync_fixture_start_sim (f, "--demo=20", NULL);
  pull = sync_fixture_run (f, f->store);
  uuids = sync_fixture_decide (f, f->store, 3);
  f->options->pull = FALSE;
  push = sync_fixture_run (f, f->store);
  g_assert_cmpuint (push->acknowledged, ==, 3);
  g_assert_cmpuint (push->errors->len, ==, 0);
  registered = bhxh_store_dup_meta (f->store, "portal.audit_key_id");
  g_assert_nonnull (registered);
  audit = sim_audit (f);
  g_assert_cmpint (json_object_get_int_member (audit, "verified_to"), >, 3);
  g_assert_cmpint (json_object_get_int_member (audit, "broken_at"), ==, 0);

  /* Someone with SQL on the file (not the key) rewrites a new entry. */
  more = sync_fixture_decide (f, f->store, 1);
  key = bhxh_crypt_key_from_file (key_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (bhxh_store_get_path (f->store), &db, SQLITE_OPEN_READWRITE,
                                    bhxh_crypt_key_get_vfs_name (key)), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET actor = 'someone-else' WHERE seq = "
                                 "(SELECT max(seq) FROM audit WHERE action LIKE 'decision%')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  again = sync_fixture_run (f, f->store);
  /* The decision itself is the portal's; the trail is for a person. */
  g_assert_cmpuint (again->acknowledged, ==, 1);
  g_assert_true (bhxh_sync_report_needs_person (again));
  g_assert_cmpuint (again->errors->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (again->errors, 0), "audit"));
  after = sim_audit (f);
  last = json_object_get_int_member (after, "broken_at");
  g_assert_cmpint (last, >, json_object_get_int_member (audit, "verified_to"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/push/result-classify", test_result_classify);
#define ADD(path, func) \
  g_test_add (path, SyncFixture, NULL, sync_fixture_setup, func, sync_fixture_teardown)
  ADD ("/sync/pull/incremental", test_pull_incremental);
  ADD ("/sync/pull/demo-data", test_pull_demo_data);
  ADD ("/sync/pull/portraits", test_pull_portraits);
  ADD ("/sync/pull/identity-2025", test_pull_identity_2025);
  ADD ("/sync/pull/mirror-delta-and-resume", test_mirror_delta_and_resume);
  ADD ("/sync/push/exactly-once-under-faults", test_push_exactly_once_under_faults);
  ADD ("/sync/push/crash-and-restart", test_push_crash_and_restart);
  ADD ("/sync/push/refusal-and-conflict", test_refusal_and_conflict);
  ADD ("/sync/push/refusal-detail", test_refusal_detail_vietnamese);
  ADD ("/sync/push/result-rules", test_result_rules);
  ADD ("/sync/log/no-personal-data", test_log_no_personal_data);
  ADD ("/sync/offline/unreachable-keeps-outbox", test_unreachable_keeps_outbox);
  ADD ("/sync/offline/closed-port-and-timeout", test_closed_port_and_timeout);
  ADD ("/sync/auth-and-suspended", test_auth_and_suspended);
  ADD ("/sync/cancel", test_cancel);
  ADD ("/sync/async", test_async);
  ADD ("/sync/busy", test_busy);
  ADD ("/sync/claims", test_claims);
  ADD ("/sync/push/audit-verified", test_audit_verified);
  ADD ("/sync/safety-stops", test_safety_stops);
#undef ADD

  return g_test_run ();
}
