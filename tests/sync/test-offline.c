/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/bhxh-clock.h"

#include "sync/bhxh-bundle.h"
#include "sync/bhxh-sync-offline.h"
#include "sync/bhxh-sync-private.h"
#include "demo/bhxh-demo-portrait.h"
#include "sync-fixture.h"

/* Hand-carried days (signed bundles) and TLS, against the simulator. */

#define WORKSTATION "WS-00106-01"

static JsonArray *
upload_bundle (SyncFixture *f,
               GBytes      *bundle,
               guint       *status,
               JsonNode   **keep)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  answer = bhxh_portal_call_bytes (f->admin, "POST", "/v1/bundles",
                                   "application/vnd.bhxh.bundle", bundle, status, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             g_bytes_get_size (answer), NULL));
  g_clear_pointer (keep, json_node_unref);
  *keep = json_node_copy (json_parser_get_root (parser));
  if (*status != 200)
    return NULL;
  return json_object_get_array_member (json_node_get_object (*keep), "results");
}

static const char *
error_code (JsonNode *answer)
{
  return json_object_get_string_member_with_default (json_node_get_object (answer), "error", "");
}

static GBytes *
read_bytes (const char *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (file, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static GBytes *
desk_public_key (BhxhStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = bhxh_sync_dup_desk_key (store, NULL, &error);
  GBytes *key;

  g_assert_no_error (error);
  key = bhxh_bundle_key_from_text (text, BHXH_BUNDLE_PUBLIC_KEY_BYTES, &error);
  g_assert_no_error (error);
  return key;
}

/* Decisions go out signed by the counter's own key, which the sync
 * registered with the portal; the portal checks it, the workstation and
 * the expiry. Whoever holds the token cannot make one the portal takes. */
static void
test_export_decisions (SyncFixture   *f,
                       gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) online = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->tmpdir, "decisions.bhxh", NULL);
  g_autofree char *file2 = g_build_filename (f->tmpdir, "decisions-2.bhxh", NULL);
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(GBytes) desk_key = NULL;
  g_autoptr(GBytes) desk_secret = NULL;
  g_autoptr(GBytes) other_public = NULL;
  g_autoptr(GBytes) other_secret = NULL;
  g_autoptr(BhxhBundle) decoded = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *registered = NULL;
  JsonArray *results;
  guint n = 0, status = 0;

  sync_fixture_start_sim (f, "--demo=10", NULL);
  pull = sync_fixture_run (f, f->store);
  registered = bhxh_store_dup_meta (f->store, "portal.bundle_key_id");
  g_assert_nonnull (registered);
  uuids = sync_fixture_decide (f, f->store, 3);
  g_assert_true (bhxh_sync_export_decisions (f->store, file, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  /* Exported, not sent: they stay in the outbox. */
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==, 3);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 0);

  bundle = read_bytes (file);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bundle, NULL),
                                   "BHXH-BUNDLE/2 decisions " WORKSTATION " seq=1 expires="));
  desk_key = desk_public_key (f->store);
  decoded = bhxh_bundle_decode (bundle, desk_key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->seq, ==, 1);
  g_assert_true (bhxh_bundle_check (decoded, BHXH_BUNDLE_KIND_DECISIONS, WORKSTATION,
                                    bhxh_clock_now_unix (), &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_bundle_keypair_new (&other_public, &other_secret));
  g_clear_pointer (&decoded, bhxh_bundle_free);
  decoded = bhxh_bundle_decode (bundle, other_public, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE);
  g_assert_null (decoded);
  g_clear_error (&error);

  /* Altered on the way: the portal refuses it whole. */
  {
    gsize len = g_bytes_get_size (bundle);
    g_autofree char *altered = g_strndup (g_bytes_get_data (bundle, NULL), len);
    g_autoptr(GBytes) tampered = NULL;
    char *p = strstr (altered, "\"reject\"");

    g_assert_nonnull (p);
    memcpy (p, "\"approv\"", 8);
    tampered = g_bytes_new (altered, len);
    g_assert_null (upload_bundle (f, tampered, &status, &answer));
    g_assert_cmpuint (status, ==, 422);
    g_assert_cmpint (sync_fixture_stat (f, "decisions_stored"), ==, 0);
  }
  /* Signed with a key the portal does not know: refused whole too. */
  {
    g_autoptr(BhxhBundle) real = bhxh_bundle_decode (bundle, desk_key, NULL);
    g_autoptr(GBytes) forged = bhxh_bundle_encode (BHXH_BUNDLE_KIND_DECISIONS, WORKSTATION, 9,
                                                   bhxh_clock_now_unix () + 3600, real->payload,
                                                   other_secret);

    g_assert_null (upload_bundle (f, forged, &status, &answer));
    g_assert_cmpuint (status, ==, 422);
    g_assert_cmpstr (error_code (answer), ==, "unknown-key");
  }
  /* Signed by the desk, but expired. */
  {
    g_autoptr(BhxhBundle) real = bhxh_bundle_decode (bundle, desk_key, NULL);
    g_autoptr(GBytes) expired = NULL;

    g_assert_true (_bhxh_sync_desk_key (f->store, NULL, &desk_secret, &error));
    g_assert_no_error (error);
    expired = bhxh_bundle_encode (BHXH_BUNDLE_KIND_DECISIONS, WORKSTATION, 5,
                                  bhxh_clock_now_unix () - 60, real->payload, desk_secret);
    g_assert_null (upload_bundle (f, expired, &status, &answer));
    g_assert_cmpuint (status, ==, 422);
    g_assert_cmpstr (error_code (answer), ==, "expired");
  }
  g_assert_cmpint (sync_fixture_stat (f, "decisions_stored"), ==, 0);

  /* The provincial office uploads it (twice: no harm); then the counter
   * comes back online. */
  results = upload_bundle (f, bundle, &status, &answer);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i),
                                                    "status"), ==, "accepted");
  results = upload_bundle (f, bundle, &status, &answer);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (sync_fixture_stat (f, "decisions_stored"), ==, 3);
  f->options->pull = FALSE;
  online = sync_fixture_run (f, f->store);
  g_assert_cmpuint (online->acknowledged, ==, 3);
  g_assert_cmpint (sync_fixture_stat (f, "decisions_stored"), ==, 3);

  /* The next bundle has the next number. */
  more = sync_fixture_decide (f, f->store, 1);
  g_assert_true (bhxh_sync_export_decisions (f->store, file2, NULL, &n, &error));
  g_assert_no_error (error);
  g_clear_pointer (&bundle, g_bytes_unref);
  bundle = read_bytes (file2);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bundle, NULL),
                                   "BHXH-BUNDLE/2 decisions " WORKSTATION " seq=2 "));
}

static char *
fetch_inbound (SyncFixture *f,
               const char  *path,
               const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *file = g_build_filename (f->tmpdir, name, NULL);
  guint status = 0;

  answer = bhxh_portal_call_bytes (f->admin, "GET", path, NULL, NULL, &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (answer, NULL),
                                      g_bytes_get_size (answer), &error));
  return g_steal_pointer (&file);
}

static void
test_import_inbound (SyncFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) first = NULL;
  g_autoptr(BhxhSyncReport) second = NULL;
  g_autoptr(BhxhSyncReport) refused = NULL;
  g_autoptr(BhxhSyncReport) online = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhPerson) person = NULL;
  g_autofree char *file1 = NULL;
  g_autofree char *file2 = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GString) mirror = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) published = NULL;
  guint status = 0;

  sync_fixture_start_sim (f, "--demo=15", "--persons=50", NULL);
  file1 = fetch_inbound (f, "/v1/bundles/inbound", "inbound-1.bhxh");
  /* No portal key pinned: nothing is trusted. */
  refused = bhxh_sync_import_bundle (f->store, file1, WORKSTATION, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_NOT_ENROLLED);
  g_assert_null (refused);
  g_clear_error (&error);
  sync_fixture_pin_key (f, f->store);
  /* A counter that never reached the portal says which workstation it is. */
  refused = bhxh_sync_import_bundle (f->store, file1, NULL, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE);
  g_clear_error (&error);

  first = bhxh_sync_import_bundle (f->store, file1, WORKSTATION, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->declarations, ==, 15);
  g_assert_cmpuint (first->offices, ==, 18);
  g_assert_cmpstr (first->mirror_version, ==, "demo-1");
  g_assert_cmpuint (first->mirror_rows, ==, 50);

  /* The same bundle again: a replay. */
  refused = bhxh_sync_import_bundle (f->store, file1, WORKSTATION, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_STALE);
  g_assert_null (refused);
  g_clear_error (&error);

  /* A new mirror version is published; the next bundle carries a delta. */
  for (guint i = 1; i <= 50; i++)
    g_string_append_printf (mirror, "{\"bhxh_code\":\"01%08u\",\"full_name\":\"%s\","
                                    "\"birth_date\":\"1970\"}\n",
                            i, i == 7 ? "Trịnh Văn Bảy" : "Người Khác");
  body = g_bytes_new (mirror->str, mirror->len);
  published = bhxh_portal_call_bytes (f->admin, "POST", "/admin/mirror?version=v2",
                                      "application/x-ndjson", body, &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  cursor = bhxh_store_dup_meta (f->store, "sync.declarations_cursor");
  g_assert_nonnull (cursor);
  path = g_strdup_printf ("/v1/bundles/inbound?mirror_since=demo-1&cursor=%s", cursor);
  file2 = fetch_inbound (f, path, "inbound-2.bhxh");
  second = bhxh_sync_import_bundle (f->store, file2, WORKSTATION, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->declarations, ==, 0);
  g_assert_true (second->mirror_from_delta);
  g_assert_cmpstr (second->mirror_version, ==, "v2");
  person = bhxh_store_find_person (f->store, "0100000007", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (person->full_name, ==, "Trịnh Văn Bảy");

  /* The older bundle, validly signed, would roll the mirror back: refused. */
  refused = bhxh_sync_import_bundle (f->store, file1, WORKSTATION, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_STALE);
  g_assert_null (refused);
  g_clear_error (&error);
  version = bhxh_store_dup_mirror_version (f->store);
  g_assert_cmpstr (version, ==, "v2");

  /* Online again: the cursor the bundle left means nothing is fetched twice. */
  online = sync_fixture_run (f, f->store);
  g_assert_cmpuint (online->errors->len, ==, 0);
  g_assert_cmpuint (online->declarations, ==, 0);
  g_assert_null (online->mirror_version);
}

/* What a counter must refuse, however the file reached it: the old
 * token-keyed format (whoever holds the token could make it), a bundle
 * signed by anyone but the portal, altered, made for another workstation,
 * expired, nested 300 000 deep, too big, or older than the last sync. */
/* A declaration's portrait photo travels inside a USB bundle (no portal to
 * fetch it from) and is stored on import. */
static void
test_inbound_portraits (SyncFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = bhxh_demo_portrait_jpeg ("001090777777", BHXH_SEX_FEMALE,
                                                    "Lý Thị Ảnh");
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, jpeg);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (jpeg, NULL),
                                          g_bytes_get_size (jpeg));
  g_autofree char *body = NULL;
  g_autofree char *file = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  g_autoptr(GError) error = NULL;

  sync_fixture_start_sim (f, "--demo=3", "--persons=20", NULL);
  body = g_strdup_printf (
    "{\"declarations\":[{\"id\":\"TK01-00106-700001\",\"kind\":\"register\","
    "\"status\":\"pending\",\"office_code\":\"00106\","
    "\"submitted_at\":\"2026-11-20T08:15:00+07:00\",\"full_name\":\"Lý Thị Ảnh\","
    "\"bhxh_code\":null,\"id_number\":\"001090777777\",\"birth_date\":\"1990-01-01\","
    "\"sex\":\"female\",\"handin\":\"office\","
    "\"portrait\":{\"sha256\":\"%s\",\"size\":%zu,\"data\":\"%s\"}}]}",
    sha256, g_bytes_get_size (jpeg), b64);
  ok = sync_fixture_admin (f, "/admin/declarations", body);
  file = fetch_inbound (f, "/v1/bundles/inbound", "inbound-portraits.bhxh");
  sync_fixture_pin_key (f, f->store);
  report = bhxh_sync_import_bundle (f->store, file, WORKSTATION, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->declarations, ==, 4);
  g_assert_true (bhxh_store_dup_declaration_portrait (f->store, "local", "TK01-00106-700001",
                                                      &got, &error));
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, jpeg));
  wanted = bhxh_store_list_wanted_portraits (f->store, &error);
  g_assert_cmpuint (wanted->len, ==, 0);
}

static void
test_inbound_refused (SyncFixture   *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autoptr(BhxhSyncReport) online = NULL;
  g_autoptr(GBytes) forger_public = NULL;
  g_autoptr(GBytes) forger_secret = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) forged = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *file = g_build_filename (f->tmpdir, "forged.bhxh", NULL);
  g_autofree char *big = g_build_filename (f->tmpdir, "big.bhxh", NULL);
  g_autofree char *good = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *old = NULL;
  g_autofree char *version = NULL;
  const char *one_row = "{\"format\":\"bhxh-inbound/1\",\"created_at\":"
                        "\"2026-11-20T08:00:00+07:00\",\"mirror\":{\"snapshot\":{\"version\":"
                        "\"forged-1\",\"jsonl\":\"{\\\"bhxh_code\\\":\\\"0199999999\\\","
                        "\\\"full_name\\\":\\\"Giả Mạo\\\",\\\"birth_date\\\":"
                        "\\\"1990\\\"}\\n\"}}}";

  sync_fixture_start_sim (f, "--demo=5", "--persons=20", NULL);
  sync_fixture_pin_key (f, f->store);
  good = fetch_inbound (f, "/v1/bundles/inbound", "good.bhxh");
  report = bhxh_sync_import_bundle (f->store, good, WORKSTATION, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&report, bhxh_sync_report_free);

  /* The old format: an HMAC any holder of the token could compute. */
  {
    g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) "demo-token", 10);
    g_autofree char *text = NULL;

    g_hmac_update (hmac, (const guchar *) "inbound\n" WORKSTATION "\n", -1);
    g_hmac_update (hmac, (const guchar *) one_row, -1);
    text = g_strdup_printf ("BHXH-BUNDLE/1 inbound %s hmac-sha256=%s\n%s", WORKSTATION,
                            g_hmac_get_string (hmac), one_row);
    g_assert_true (g_file_set_contents (file, text, -1, NULL));
    report = bhxh_sync_import_bundle (f->store, file, WORKSTATION, NULL, &error);
    g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE);
    g_assert_null (report);
    g_clear_error (&error);
  }
  /* Signed, but by someone else's key: the one-row mirror "forged-1". */
  g_assert_true (bhxh_bundle_keypair_new (&forger_public, &forger_secret));
  payload = g_bytes_new_static (one_row, strlen (one_row));
  forged = bhxh_bundle_encode (BHXH_BUNDLE_KIND_INBOUND, WORKSTATION, 1000,
                               bhxh_clock_now_unix () + 3600, payload, forger_secret);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (forged, NULL),
                                      g_bytes_get_size (forged), NULL));
  report = bhxh_sync_import_bundle (f->store, file, WORKSTATION, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE);
  g_assert_null (report);
  g_clear_error (&error);
  /* Naming the portal's key does not help the forger. */
  {
    g_autoptr(GBytes) good_bytes = read_bytes (good);
    g_autofree char *portal_id = bhxh_bundle_peek_key_id (good_bytes);
    g_autofree char *forger_id = bhxh_bundle_key_id (forger_public);
    g_autofree char *text = g_strndup (g_bytes_get_data (forged, NULL),
                                       g_bytes_get_size (forged));
    g_autofree char *renamed = NULL;
    g_auto(GStrv) parts = g_strsplit (text, forger_id, 2);

    renamed = g_strjoinv (portal_id, parts);
    g_assert_true (g_file_set_contents (file, renamed, -1, NULL));
    report = bhxh_sync_import_bundle (f->store, file, WORKSTATION, NULL, &error);
    g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);
  }
  /* The portal's own bundle, altered: its number, or its contents. */
  {
    g_autoptr(GBytes) good_bytes = read_bytes (good);
    g_autofree char *text = g_strndup (g_bytes_get_data (good_bytes, NULL),
                                       g_bytes_get_size (good_bytes));
    char *seq = strstr (text, " seq=1 ");
    char *name = strstr (text, "\"full_name\":\"");

    g_assert_nonnull (seq);
    seq[5] = '7';
    g_assert_true (g_file_set_contents (file, text, -1, NULL));
    report = bhxh_sync_import_bundle (f->store, file, WORKSTATION, NULL, &error);
    g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);
    seq[5] = '1';
    g_assert_nonnull (name);
    name[strlen ("\"full_name\":\"")] ^= 1;
    g_assert_true (g_file_set_contents (file, text, -1, NULL));
    report = bhxh_sync_import_bundle (f->store, file, WORKSTATION, NULL, &error);
    g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);
  }
  version = bhxh_store_dup_mirror_version (f->store);
  g_assert_cmpstr (version, ==, "demo-1");

  /* Signed by the portal, but for another counter, or expired. */
  elsewhere = fetch_inbound (f, "/admin/bundles/inbound?workstation=" WORKSTATION
                                "&as=WS-00107-02", "elsewhere.bhxh");
  report = bhxh_sync_import_bundle (f->store, elsewhere, WORKSTATION, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_ELSEWHERE);
  g_clear_error (&error);
  expired = fetch_inbound (f, "/admin/bundles/inbound?workstation=" WORKSTATION
                              "&expires_in=-60", "expired.bhxh");
  report = bhxh_sync_import_bundle (f->store, expired, WORKSTATION, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_EXPIRED);
  g_clear_error (&error);

  /* Validly signed, nested 300 000 deep: a clear error, not a crash. */
  deep = fetch_inbound (f, "/admin/bundles/inbound?workstation=" WORKSTATION "&depth=300000",
                        "deep.bhxh");
  report = bhxh_sync_import_bundle (f->store, deep, WORKSTATION, NULL, &error);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE);
  g_assert_nonnull (strstr (error->message, "deeper"));
  g_clear_error (&error);

  /* Bigger than any bundle may be (a sparse file: nothing is written). */
  {
    FILE *out = fopen (big, "w");

    g_assert_nonnull (out);
    g_assert_cmpint (ftruncate (fileno (out), (off_t) BHXH_BUNDLE_MAX_BYTES + 1), ==, 0);
    fclose (out);
    report = bhxh_sync_import_bundle (f->store, big, WORKSTATION, NULL, &error);
    g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE);
    g_assert_nonnull (strstr (error->message, "too big"));
    g_clear_error (&error);
  }

  /* Made before the counter's last sync online: superseded, refused. The
   * counter's clock runs an hour ahead for the sync. */
  old = fetch_inbound (f, "/v1/bundles/inbound", "old.bhxh");
  now = bhxh_clock_now ();
  later = g_date_time_add_hours (now, 1);
  bhxh_clock_pin (later);
  online = sync_fixture_run (f, f->store);
  g_assert_cmpuint (online->errors->len, ==, 0);
  report = bhxh_sync_import_bundle (f->store, old, WORKSTATION, NULL, &error);
  bhxh_clock_pin (NULL);
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_STALE);
  g_clear_error (&error);
  g_clear_pointer (&version, g_free);
  version = bhxh_store_dup_mirror_version (f->store);
  g_assert_cmpstr (version, ==, "demo-1");
}

static gboolean
run_openssl (const char *dir,
             const char *command)
{
  g_autofree char *full = g_strdup_printf ("sh -c 'cd \"%s\" && %s' ", dir, command);
  int status = 0;

  if (!g_spawn_command_line_sync (full, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_tls (SyncFixture   *f,
          gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (f->tmpdir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (f->tmpdir, "server.key", NULL);
  g_autofree char *ca = g_build_filename (f->tmpdir, "ca.pem", NULL);
  g_autoptr(BhxhSyncReport) untrusted = NULL;
  g_autoptr(BhxhSyncReport) trusted = NULL;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_assert_true (run_openssl (f->tmpdir,
    "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca "
    "-keyout ca.key -out ca.pem 2>/dev/null && "
    "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 "
    "-keyout server.key -out server.csr 2>/dev/null && "
    "printf \"subjectAltName=IP:127.0.0.1\" > san.ext && "
    "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
    "-extfile san.ext -out server.pem 2>/dev/null"));

  sync_fixture_start_sim (f, "--demo=4", "--tls-cert", cert, "--tls-key", key, NULL);
  g_assert_true (g_str_has_prefix (f->url, "https://127.0.0.1:"));

  /* Verification is always on: a certificate from an unknown CA fails. */
  f->options->portal->max_retries = 0;
  untrusted = sync_fixture_run (f, f->store);
  g_assert_cmpuint (untrusted->errors->len, ==, 1);
  g_assert_cmpuint (untrusted->declarations, ==, 0);

  f->options->portal->ca_file = g_strdup (ca);
  trusted = sync_fixture_run (f, f->store);
  g_assert_cmpuint (trusted->errors->len, ==, 0);
  g_assert_cmpuint (trusted->declarations, ==, 4);
}

/* A minimal HTTP forward proxy (plain http, one request per connection),
 * enough to see that the client goes through the proxy it is given. */
static gint proxied;

static gboolean
proxy_run_cb (GThreadedSocketService *service,
              GSocketConnection      *connection,
              GObject                *source,
              gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) upstream = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) request = NULL;
  g_autoptr(GString) rewritten = g_string_new (NULL);
  guint64 content_length = 0;
  guint8 buffer[16384];
  gssize n;
  char *end = NULL;

  /* The request head, up to the blank line. */
  while (end == NULL && (n = g_input_stream_read (in, buffer, 1, NULL, NULL)) > 0)
    {
      g_byte_array_append (head, buffer, n);
      if (head->len >= 4 && memcmp (head->data + head->len - 4, "\r\n\r\n", 4) == 0)
        end = (char *) head->data;
    }
  if (end == NULL)
    {
      g_test_message ("proxy: no request head (%u bytes)", head->len);
      return FALSE;
    }
  g_byte_array_append (head, (const guint8 *) "", 1);
  lines = g_strsplit ((const char *) head->data, "\r\n", -1);
  request = g_strsplit (lines[0], " ", 3);
  uri = g_strv_length (request) == 3 ? g_uri_parse (request[1], G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL)
    {
      g_test_message ("proxy: cannot forward '%s'", lines[0]);
      return FALSE;
    }
  g_atomic_int_inc (&proxied);
  g_string_append_printf (rewritten, "%s %s%s%s %s\r\n", request[0], g_uri_get_path (uri),
                          g_uri_get_query (uri) ? "?" : "",
                          g_uri_get_query (uri) ? g_uri_get_query (uri) : "", request[2]);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      if (g_ascii_strncasecmp (lines[i], "Proxy-", 6) == 0
          || g_ascii_strncasecmp (lines[i], "Connection:", 11) == 0)
        continue;
      if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
        content_length = g_ascii_strtoull (lines[i] + 15, NULL, 10);
      g_string_append_printf (rewritten, "%s\r\n", lines[i]);
    }
  g_string_append (rewritten, "Connection: close\r\n\r\n");

  /* GIO would itself obey http_proxy, and loop back here. */
  g_socket_client_set_enable_proxy (client, FALSE);
  upstream = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                              g_uri_get_port (uri), NULL, NULL);
  if (upstream == NULL)
    return FALSE;
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (upstream)),
                             rewritten->str, rewritten->len, NULL, NULL, NULL);
  while (content_length > 0
         && (n = g_input_stream_read (in, buffer, MIN (sizeof buffer, content_length),
                                      NULL, NULL)) > 0)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (upstream)),
                                 buffer, n, NULL, NULL, NULL);
      content_length -= n;
    }
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (upstream)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_output_stream_write_all (out, buffer, n, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (upstream), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return FALSE;
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  BhxhSyncReport **report = user_data;
  g_autoptr(GError) error = NULL;

  *report = bhxh_sync_run_finish (result, &error);
  g_assert_no_error (error);
}

/* The proxy accepts in this thread's main loop: sync in the worker. */
static BhxhSyncReport *
run_in_worker (SyncFixture *f)
{
  BhxhSyncReport *report = NULL;

  bhxh_sync_run_async (f->store, f->options, NULL, NULL, NULL, NULL, run_done_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  return report;
}

static void
test_proxy (SyncFixture   *f,
            gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhSyncReport) through = NULL;
  g_autoptr(BhxhSyncReport) direct = NULL;
  g_autoptr(BhxhSyncReport) from_env = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("http_proxy"));

  g_signal_connect (service, "run", G_CALLBACK (proxy_run_cb), NULL);
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (service);
  sync_fixture_start_sim (f, "--demo=6", NULL);

  /* Given a proxy: every request goes through it. */
  f->options->portal->proxy = g_strdup (proxy_url);
  through = run_in_worker (f);
  g_assert_cmpuint (through->errors->len, ==, 0);
  g_assert_cmpuint (through->declarations, ==, 6);
  g_assert_cmpint (g_atomic_int_get (&proxied), ==, (gint) through->requests);

  /* "" means no proxy, whatever the environment says. */
  g_setenv ("http_proxy", "http://127.0.0.1:9", TRUE);
  g_free (f->options->portal->proxy);
  f->options->portal->proxy = g_strdup ("");
  direct = run_in_worker (f);
  g_assert_cmpuint (direct->errors->len, ==, 0);
  g_assert_cmpint (g_atomic_int_get (&proxied), ==, (gint) through->requests);

  /* Unset: the usual environment variable applies. */
  g_setenv ("http_proxy", proxy_url, TRUE);
  g_clear_pointer (&f->options->portal->proxy, g_free);
  from_env = run_in_worker (f);
  g_assert_cmpuint (from_env->errors->len, ==, 0);
  g_assert_cmpint (g_atomic_int_get (&proxied), ==,
                   (gint) (through->requests + from_env->requests));
  if (saved)
    g_setenv ("http_proxy", saved, TRUE);
  else
    g_unsetenv ("http_proxy");
  g_socket_service_stop (service);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, SyncFixture, NULL, sync_fixture_setup, func, sync_fixture_teardown)
  ADD ("/sync/bundle/export-decisions", test_export_decisions);
  ADD ("/sync/bundle/import-inbound", test_import_inbound);
  ADD ("/sync/bundle/inbound-refused", test_inbound_refused);
  ADD ("/sync/bundle/inbound-portraits", test_inbound_portraits);
  ADD ("/sync/tls", test_tls);
  ADD ("/sync/proxy", test_proxy);
#undef ADD

  return g_test_run ();
}
