/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "store/bhxh-auth.h"
#include "../store/store-fixtures.h"
#include "service-fixtures.h"
#include "sync/bhxh-sync.h"
#include "bhxh-counter.h"

/* BhxhCounter against its private bhxh-deskd (a socketpair, no bus) on a
 * real demo store in a temporary directory: what the GUI does, without a
 * display. */

typedef struct
{
  char        *dir;
  char        *db;
  BhxhCounter *counter;
} Fixture;

#define AWAIT(call, ...) \
  ({ g_autoptr(GAsyncResult) r_ = NULL; \
     call (__VA_ARGS__ NULL, got, &r_); \
     await (&r_); \
     g_steal_pointer (&r_); })

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = fixture_tmpdir ();
  f->db = g_build_filename (f->dir, "demo.db", NULL);
  bhxh_counter_new_private_async (f->db, TRUE, NULL, got, &result);
  f->counter = bhxh_counter_new_finish (await (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->counter);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->counter);
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static const BhxhUser *
user_with_role (GPtrArray  *users,
                const char *role)
{
  for (guint i = 0; i < users->len; i++)
    if (g_str_equal (((BhxhUser *) g_ptr_array_index (users, i))->role, role))
      return g_ptr_array_index (users, i);
  g_assert_not_reached ();
}

static void
sign_in (Fixture    *f,
         const char *role)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhxhCounterInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const BhxhUser *user;

  result = AWAIT (bhxh_counter_describe_async, f->counter,);
  info = bhxh_counter_describe_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_false (info->accounts_required);
  user = user_with_role (info->users, role);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_sign_in_async, f->counter, user->login, "",);
  g_assert_true (bhxh_counter_sign_in_finish (f->counter, result, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bhxh_counter_get_login (f->counter), ==, user->login);
  g_assert_cmpstr (bhxh_counter_get_display_name (f->counter), ==, user->display_name);
  g_assert_true (bhxh_counter_get_supervisor (f->counter) == !g_str_equal (role, "clerk"));
}

/* A pending declaration of the queue (at @office when given). */
static BhxhDeclaration *
pending_at (Fixture    *f,
            const char *office)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GHashTable) assignments = NULL;
  g_autoptr(GError) error = NULL;

  result = AWAIT (bhxh_counter_list_queue_async, f->counter, NULL,);
  queue = bhxh_counter_list_queue_finish (f->counter, result, &assignments, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, >, 10);
  g_assert_nonnull (assignments);
  for (guint i = 0; i < queue->len; i++)
    {
      BhxhDeclaration *d = g_ptr_array_index (queue, i);

      if (d->status == BHXH_STATUS_PENDING && d->id_number != NULL &&
          (office == NULL || g_strcmp0 (d->office_code, office) == 0))
        return bhxh_declaration_copy (d);
    }
  g_assert_not_reached ();
}

static BhxhDeclaration *
pending (Fixture *f)
{
  return pending_at (f, NULL);
}

static void
test_clerk_day (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(BhxhCheck) check = NULL;
  g_autoptr(BhxhDocument) post = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  g_autoptr(BhxhCounterStatus) status = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *contents = NULL;
  const char *reasons[2] = { NULL, NULL };
  BhxhDecisionRequest request = { 0 };
  guint n_persons = 99, pages = 0;
  gsize length;
  gboolean seen = FALSE;

  sign_in (f, "clerk");

  result = AWAIT (bhxh_counter_list_reason_codes_async, f->counter,);
  codes = bhxh_counter_list_reason_codes_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, >, 0);
  g_assert_true (bhxh_counter_get_reason_codes (f->counter) == codes);

  d = pending (f);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_find_open_async, f->counter, d->id_number,);
  found = bhxh_counter_find_open_finish (f->counter, result, &n_persons, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    seen |= g_str_equal (((BhxhDeclaration *) g_ptr_array_index (found, i))->id, d->id);
  g_assert_true (seen);
  g_assert_cmpuint (n_persons, ==, 0);

  /* The rules run in the service: a post copy is evidence enough to see
   * the fields compared. */
  post = bhxh_document_new_post_copy (d->id_number, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_check_async, f->counter, d->id, post,);
  check = bhxh_counter_check_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (check->fields->len, >, 3);

  g_clear_object (&result);
  result = AWAIT (bhxh_counter_note_viewed_async, f->counter, d->id,);
  g_assert_true (bhxh_counter_note_viewed_finish (f->counter, result, &error));
  g_assert_no_error (error);

  /* Reject with a reason, then take it back inside its hold. */
  reasons[0] = ((BhxhReasonCode *) g_ptr_array_index (codes, 0))->code;
  request.declaration_id = d->id;
  request.outcome = BHXH_OUTCOME_REJECT;
  request.reason_codes = reasons;
  request.hold_seconds = 60;
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_decide_async, f->counter, &request,);
  decision = bhxh_counter_decide_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decision->uuid);
  g_assert_nonnull (decision->hold_until);
  g_assert_cmpint (decision->outcome, ==, BHXH_OUTCOME_REJECT);
  /* The counter knows the decision may still be taken back. */
  g_assert_true (bhxh_counter_get_can_undo (f->counter));
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_undo_async, f->counter, decision->uuid,);
  g_assert_false (bhxh_counter_get_can_undo (f->counter));
  g_assert_true (bhxh_counter_undo_finish (f->counter, result, &error));
  g_assert_no_error (error);
  /* A typed birth certificate reaches the service as the evidence of the
   * decision (the "document" option). */
  {
    g_autoptr(BhxhDocument) typed = bhxh_document_new (BHXH_DOCUMENT_BIRTH_CERTIFICATE);
    g_autoptr(BhxhDecision) with_paper = NULL;
    g_autoptr(GAsyncResult) decided = NULL;

    typed->id_number = g_strdup (d->id_number);
    typed->full_name = g_strdup (d->full_name);
    typed->birth_date = d->birth_date;
    request.document = typed;
    bhxh_counter_decide_async (f->counter, &request, NULL, got, &decided);
    with_paper = bhxh_counter_decide_finish (f->counter, await (&decided), &error);
    g_assert_no_error (error);
    g_assert_cmpint (with_paper->evidence, ==, BHXH_EVIDENCE_BIRTH_CERTIFICATE);
    g_clear_object (&result);
    result = AWAIT (bhxh_counter_undo_async, f->counter, with_paper->uuid,);
    g_assert_true (bhxh_counter_undo_finish (f->counter, result, &error));
    g_assert_no_error (error);
    request.document = NULL;
  }
  /* A second undo is refused by the library, its message intact. */
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_undo_async, f->counter, decision->uuid,);
  g_assert_false (bhxh_counter_undo_finish (f->counter, result, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "GDBus.Error"));
  g_clear_error (&error);
  /* A short hold ends on its own: can-undo follows the service's window. */
  {
    g_autoptr(BhxhDecision) brief = NULL;
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    request.hold_seconds = 1;
    g_clear_object (&result);
    result = AWAIT (bhxh_counter_decide_async, f->counter, &request,);
    brief = bhxh_counter_decide_finish (f->counter, result, &error);
    g_assert_no_error (error);
    g_assert_true (bhxh_counter_get_can_undo (f->counter));
    while (bhxh_counter_get_can_undo (f->counter) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (bhxh_counter_get_can_undo (f->counter));
    /* …as the service does: the decision stands. */
    g_clear_object (&result);
    result = AWAIT (bhxh_counter_undo_async, f->counter, brief->uuid,);
    g_assert_false (bhxh_counter_undo_finish (f->counter, result, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* A paper comes back as a PDF file of its own. */
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_render_paper_async, f->counter, "form01", d->id,);
  pdf = bhxh_counter_render_paper_finish (f->counter, result, &pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages, >=, 1);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_true (length > 1000 && memcmp (contents, "%PDF", 4) == 0);
  g_assert_true (g_str_has_suffix (pdf, ".pdf"));
  bhxh_counter_remove_paper (pdf);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));

  g_clear_object (&result);
  result = AWAIT (bhxh_counter_get_status_async, f->counter,);
  status = bhxh_counter_get_status_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status->persons, >, 100);
  g_assert_true (status->has_safety);
  /* The counter follows the service's day and safety stop. */
  {
    BhxhDate today = bhxh_counter_get_today (f->counter);
    g_autofree char *iso = bhxh_date_to_iso (&today);
    g_autofree char *property = NULL;

    g_assert_cmpstr (iso, ==, FIXTURE_TODAY);
    g_object_get (f->counter, "today", &property, NULL);
    g_assert_cmpstr (property, ==, FIXTURE_TODAY);
    g_assert_cmpint (bhxh_counter_get_approvals_blocked (f->counter), ==,
                     status->safety == BHXH_SAFETY_BLOCK);
    g_assert_true (bhxh_counter_get_approvals_blocked (f->counter) ==
                   (bhxh_counter_get_block_message (f->counter) != NULL));
  }

  /* The trail names the clerk for what the service did on their behalf
   * (read from another process's connection while the service runs). */
  {
    g_autoptr(BhxhStore) store = bhxh_store_open (f->db, &error);
    g_autoptr(GPtrArray) trail = NULL;
    const char *login = bhxh_counter_get_login (f->counter);
    guint exports = 0;

    g_assert_no_error (error);
    trail = bhxh_store_list_audit (store, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < trail->len; i++)
      {
        const BhxhAuditEntry *entry = g_ptr_array_index (trail, i);

        if (g_str_has_prefix (entry->action, "export."))
          {
            g_assert_cmpstr (entry->actor, ==, login);
            exports++;
          }
      }
    g_assert_cmpuint (exports, >=, 1);
  }

  bhxh_counter_sign_out (f->counter);
  g_assert_null (bhxh_counter_get_login (f->counter));
  /* Signed out: the service refuses the next call. */
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_get_status_async, f->counter,);
  g_assert_null (bhxh_counter_get_status_finish (f->counter, result, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
}

/* The demo's declarations through the service: some with a portrait
 * photo (a JPEG), some without (empty answer, no error); none before
 * signing in. */
static void
test_portraits (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  guint with = 0, without = 0;

  result = AWAIT (bhxh_counter_get_declaration_portrait_async, f->counter,
                  "TK01-00106-000001",);
  g_assert_null (bhxh_counter_get_declaration_portrait_finish (f->counter, result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  sign_in (f, "clerk");
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_list_queue_async, f->counter, NULL,);
  queue = bhxh_counter_list_queue_finish (f->counter, result, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < queue->len && i < 30; i++)
    {
      BhxhDeclaration *d = g_ptr_array_index (queue, i);

      g_clear_object (&result);
      result = AWAIT (bhxh_counter_get_declaration_portrait_async, f->counter, d->id,);
      g_clear_pointer (&image, g_bytes_unref);
      image = bhxh_counter_get_declaration_portrait_finish (f->counter, result, &error);
      g_assert_no_error (error);
      if (image == NULL)
        {
          without++;
          continue;
        }
      with++;
      g_assert_cmpmem (g_bytes_get_data (image, NULL), 3, "\xff\xd8\xff", 3);
    }
  g_assert_cmpuint (with, >, 0);
  g_assert_cmpuint (without, >, 0);
}

static void
test_supervisor_day (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhCounterDay) day = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  BhxhDate today;

  sign_in (f, "supervisor");
  g_assert_true (bhxh_date_parse (FIXTURE_TODAY, &today, NULL));
  result = AWAIT (bhxh_counter_day_async, f->counter, &today,);
  day = bhxh_counter_day_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (day->decisions);
  g_assert_nonnull (day->escalations);
  g_assert_cmpuint (day->clerks->len, >, 0);
  for (guint i = 0; i < day->clerks->len; i++)
    g_assert_cmpstr (((BhxhUser *) g_ptr_array_index (day->clerks, i))->role, ==, "clerk");

  g_clear_object (&result);
  result = AWAIT (bhxh_counter_list_offices_async, f->counter,);
  offices = bhxh_counter_list_offices_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, >, 0);
}

/* A wrong service path is a clear error, not a hang. */
static void
test_no_service (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "x.db", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("BHXH_DESKD"));

  g_setenv ("BHXH_DESKD", "/nonexistent/bhxh-deskd", TRUE);
  bhxh_counter_new_private_async (db, FALSE, NULL, got, &result);
  g_assert_null (bhxh_counter_new_finish (await (&result), &error));
  g_assert_nonnull (error);
  g_setenv ("BHXH_DESKD", saved, TRUE);
  fixture_rmdir (dir);
}

static void
count_progress (BhxhCounter *counter,
                int          stage,
                guint64      done,
                guint64      total,
                guint       *pushes)
{
  g_assert_true (bhxh_counter_get_syncing (counter));
  g_assert_true (total == 0 || done <= total);
  if (stage == BHXH_SYNC_STAGE_PUSH)
    (*pushes)++;
}

static void
reject_now (Fixture    *f,
            const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  const char *reasons[] = { "other", NULL };
  BhxhDecisionRequest request = { 0 };

  request.declaration_id = id;
  request.outcome = BHXH_OUTCOME_REJECT;
  request.reason_codes = reasons;
  result = AWAIT (bhxh_counter_decide_async, f->counter, &request,);
  decision = bhxh_counter_decide_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_release_async, f->counter, decision->uuid,);
  g_assert_true (bhxh_counter_release_finish (f->counter, result, &error));
  g_assert_no_error (error);
}

/* The portal simulator on 127.0.0.1, knowing the demo office's
 * declarations as the e2e test's does; @url: its address. */
static GSubprocess *
start_sim (Fixture  *f,
           char    **url)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *portal_db = g_build_filename (f->dir, "portal.db", NULL);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *sim;

  g_unsetenv ("http_proxy");
  g_unsetenv ("all_proxy");
  sim = g_subprocess_launcher_spawn (launcher, &error, PORTAL_SIM_PATH, "--port=0", "--db",
                                     portal_db, "--token", "counter-token", "--office", "00106",
                                     "--demo-data", "1000", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  *url = g_strdup (line + strlen ("listening on "));
  return sim;
}

/* "Sync now" through the service against the portal simulator on
 * 127.0.0.1: the decision goes, declarations come, and the service says
 * how far it is (SyncProgress → BhxhCounter::sync-progress). */
static void
test_sync (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(BhxhCounterSync) report = NULL;
  g_autofree char *token = g_build_filename (f->dir, "portal-token", NULL);
  g_autofree char *line = NULL;
  guint pushes = 0;

  g_assert_true (g_file_set_contents_full (token, "counter-token\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  sim = start_sim (f, &line);

  sign_in (f, "clerk");
  d = pending_at (f, "00106");
  /* Its undo window ends before the sync, as the window's "Sync now" does. */
  reject_now (f, d->id);

  /* A token file others can read: the service refuses it, as the CLI does. */
  g_assert_cmpint (g_chmod (token, 0644), ==, 0);
  result = AWAIT (bhxh_counter_sync_async, f->counter, line, token, "00106",);
  g_assert_null (bhxh_counter_sync_finish (f->counter, result, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);
  g_assert_cmpint (g_chmod (token, 0600), ==, 0);

  g_signal_connect (f->counter, "sync-progress", G_CALLBACK (count_progress), &pushes);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_sync_async, f->counter, line, token, "00106",);
  report = bhxh_counter_sync_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; report->errors != NULL && i < report->errors->len; i++)
    g_test_message ("sync: %s", (const char *) g_ptr_array_index (report->errors, i));
  /* The portal answered for it (the simulator's own demo may not hold
   * this declaration: an answer either way ends it), nothing is left. */
  g_assert_cmpuint (report->acknowledged + report->refused + report->conflict, ==, 1);
  g_assert_cmpuint (report->pending, ==, 0);
  g_assert_cmpuint (report->declarations, >, 0);
  g_assert_cmpuint (pushes, >=, 1);
  /* Signals queued before the answer have all arrived by now. */
  g_assert_false (bhxh_counter_get_syncing (f->counter));
  g_signal_handlers_disconnect_by_data (f->counter, &pushes);
  g_subprocess_force_exit (sim);
}


static BhxhCounterSync *
sync_enrolled (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BhxhCounterSync *report;

  result = AWAIT (bhxh_counter_sync_async, f->counter, NULL, NULL, NULL,);
  report = bhxh_counter_sync_finish (f->counter, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; report->errors != NULL && i < report->errors->len; i++)
    g_test_message ("sync: %s", (const char *) g_ptr_array_index (report->errors, i));
  return report;
}

static char *
claim (Fixture    *f,
       const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *holder = NULL;

  result = AWAIT (bhxh_counter_claim_async, f->counter, id,);
  g_assert_true (bhxh_counter_claim_finish (f->counter, result, &holder, &error));
  g_assert_no_error (error);
  return holder;
}


/* Two declarations pending both at the portal and at this desk. */
static void
shared_pending (Fixture     *f,
                BhxhPortal  *portal,
                char       **first,
                char       **second)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GHashTable) assignments = NULL;
  g_autoptr(GHashTable) here = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = NULL;
  JsonArray *there;
  guint status = 0;

  result = AWAIT (bhxh_counter_list_queue_async, f->counter, NULL,);
  queue = bhxh_counter_list_queue_finish (f->counter, result, &assignments, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < queue->len; i++)
    {
      BhxhDeclaration *d = g_ptr_array_index (queue, i);

      if (d->status == BHXH_STATUS_PENDING)
        g_hash_table_add (here, d->id);
    }
  page = bhxh_portal_call (portal, "GET", "/v1/declarations?limit=200", NULL, &status, NULL,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  there = json_object_get_array_member (json_node_get_object (page), "declarations");
  *first = *second = NULL;
  for (guint i = 0; i < json_array_get_length (there) && *second == NULL; i++)
    {
      JsonObject *d = json_array_get_object_element (there, i);
      const char *id = json_object_get_string_member (d, "id");

      if (!g_str_equal (json_object_get_string_member (d, "status"), "pending")
          || !g_hash_table_contains (here, id))
        continue;
      if (*first == NULL)
        *first = g_strdup (id);
      else
        *second = g_strdup (id);
    }
  g_assert_nonnull (*second);
}

/* Enrolment and one declaration, one desk: the service syncs with the
 * portal it was given (no address from the caller), claims what its clerk
 * opens, shows by name who holds a declaration elsewhere, releases on
 * decision, and a decision taken while another clerk held it comes back
 * from the sync as a conflict. */
static void
test_claims (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhCounterSync) report = NULL;
  g_autoptr(BhxhCounterSync) report2 = NULL;
  g_autoptr(BhxhPortalConfig) config = bhxh_portal_config_new ();
  g_autofree char *url = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *holder2 = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *other = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  BhxhPortal *portal;
  gboolean released = FALSE;

  sim = start_sim (f, &url);
  sign_in (f, "clerk");

  /* Not enrolled: a claim is not attempted, the sync says so. */
  g_assert_null (claim (f, "TK01-00106-000002"));
  result = AWAIT (bhxh_counter_sync_async, f->counter, NULL, NULL, NULL,);
  g_assert_null (bhxh_counter_sync_finish (f->counter, result, &error));
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_NOT_ENROLLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Plain http to anything but this machine is refused at enrolment. */
  result = AWAIT (bhxh_counter_set_portal_async, f->counter, "http://portal.example.vn",
                  "00106", "counter-token",);
  g_assert_false (bhxh_counter_set_portal_finish (f->counter, result, &error));
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_INSECURE);
  g_clear_error (&error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_set_portal_async, f->counter, url, "00106", "counter-token",);
  g_assert_true (bhxh_counter_set_portal_finish (f->counter, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  /* The portal's signing key: a bad one is refused, the right one pinned. */
  result = AWAIT (bhxh_counter_set_portal_key_async, f->counter, "not-a-key",);
  g_assert_false (bhxh_counter_set_portal_key_finish (f->counter, result, &error));
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_set_portal_key_async, f->counter,
                  "ed25519:" "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",);
  g_assert_true (bhxh_counter_set_portal_key_finish (f->counter, result, &error));
  g_assert_no_error (error);
  {
    g_autoptr(BhxhStore) store = bhxh_store_open (f->db, &error);
    g_autofree char *pinned = NULL;

    g_assert_no_error (error);
    pinned = bhxh_store_dup_portal_key (store);
    g_assert_cmpstr (pinned, ==, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  }
  report = sync_enrolled (f);
  g_assert_cmpuint (report->declarations, >, 0);

  /* Another desk's clerk, straight at the portal. */
  config->portal_url = g_strdup (url);
  config->token = g_strdup ("counter-token");
  portal = bhxh_portal_new (config);
  shared_pending (f, portal, &ours, &theirs);

  /* Ours: claimed; the other desk meets our clerk by name. */
  g_assert_null (claim (f, ours));
  g_assert_false (bhxh_sync_claim (portal, ours, "minh", "Trần Văn Minh",
                                   &mine, NULL, &error));
  g_assert_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CLAIMED);
  g_clear_error (&error);
  g_assert_cmpstr (mine, ==, bhxh_counter_get_display_name (f->counter));
  /* Decided: released (in the service's background). */
  reject_now (f, ours);
  for (guint i = 0; i < 100 && !released; i++)
    {
      g_clear_pointer (&other, g_free);
      released = bhxh_sync_claim (portal, ours, "minh", "Trần Văn Minh", &other,
                                  NULL, NULL);
      if (!released)
        g_usleep (50000);
    }
  g_assert_true (released);
  g_assert_true (bhxh_sync_release (portal, ours, "minh", NULL, &error));
  g_assert_no_error (error);

  /* Theirs: the clerk sees who has it; deciding anyway conflicts. */
  g_assert_true (bhxh_sync_claim (portal, theirs, "minh", "Trần Văn Minh", &holder2,
                                  NULL, &error));
  g_assert_no_error (error);
  holder = claim (f, theirs);
  g_assert_cmpstr (holder, ==, "Trần Văn Minh");
  reject_now (f, theirs);
  report2 = sync_enrolled (f);
  g_assert_cmpuint (report2->conflict, ==, 1);
  g_assert_cmpuint (report2->acknowledged, ==, 1);
  g_assert_cmpuint (report2->pending, ==, 0);

  bhxh_portal_free (portal);
  g_subprocess_force_exit (sim);
}

static void
sign_in_with (Fixture    *f,
              const char *login,
              const char *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = AWAIT (bhxh_counter_sign_in_async, f->counter, login, password,);
  g_assert_true (bhxh_counter_sign_in_finish (f->counter, result, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Accounts and the counter's rules from the preferences, through the
 * service: an admin adds, unlocks and resets; everyone may change their
 * own password; the rules change all together or not at all; a clerk can
 * neither read nor change them. */
static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(BhxhCounterSettings) settings = NULL;
  g_autoptr(BhxhCounterSettings) changed = NULL;
  const char *keys[] = { BHXH_META_IDLE_LOCK_MINUTES, BHXH_META_RETENTION_DAYS, NULL };
  const guint values[] = { 12, 45 };
  const char *bad_keys[] = { BHXH_META_IDLE_LOCK_MINUTES, "no_such_rule", NULL };
  const guint bad_values[] = { 3, 1 };
  gboolean found = FALSE;

  /* Accounts required, with an admin (the service stopped meanwhile). */
  g_clear_object (&f->counter);
  {
    g_autoptr(BhxhStore) store = bhxh_store_open (f->db, &error);

    g_assert_no_error (error);
    g_assert_true (bhxh_store_init_accounts (store, "quan.tri", "Đỗ Quản Trị",
                                             "mat-khau-quan-tri-1", &error));
    g_assert_no_error (error);
  }
  bhxh_counter_new_private_async (f->db, FALSE, NULL, got, &result);
  f->counter = bhxh_counter_new_finish (await (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  sign_in_with (f, "quan.tri", "mat-khau-quan-tri-1");

  result = AWAIT (bhxh_counter_add_user_async, f->counter, "thu.ha", "Lê Thu Hà", "clerk",
                  "mat-khau-thu-ha-01",);
  g_assert_true (bhxh_counter_add_user_finish (f->counter, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_list_users_async, f->counter,);
  users = bhxh_counter_list_users_finish (f->counter, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < users->len; i++)
    {
      const BhxhUserStatus *user = g_ptr_array_index (users, i);

      if (g_str_equal (user->login, "thu.ha"))
        {
          found = TRUE;
          g_assert_cmpstr (user->display_name, ==, "Lê Thu Hà");
          g_assert_cmpstr (user->role, ==, "clerk");
          g_assert_true (user->has_password);
          g_assert_null (user->locked_until);
        }
    }
  g_assert_true (found);

  g_clear_object (&result);
  result = AWAIT (bhxh_counter_get_settings_async, f->counter,);
  settings = bhxh_counter_get_settings_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_true (settings->accounts_required);
  g_assert_cmpuint (settings->retention_days, ==, 30);
  g_assert_cmpuint (settings->max_failures, ==, 5);

  g_clear_object (&result);
  result = AWAIT (bhxh_counter_change_settings_async, f->counter, keys, values,);
  changed = bhxh_counter_change_settings_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->idle_lock_minutes, ==, 12);
  g_assert_cmpuint (changed->retention_days, ==, 45);
  /* All or none: a bad key leaves the good one unchanged. */
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_change_settings_async, f->counter, bad_keys, bad_values,);
  g_assert_null (bhxh_counter_change_settings_finish (f->counter, result, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_clear_pointer (&settings, g_free);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_get_settings_async, f->counter,);
  settings = bhxh_counter_get_settings_finish (f->counter, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (settings->idle_lock_minutes, ==, 12);

  g_clear_object (&result);
  result = AWAIT (bhxh_counter_unlock_user_async, f->counter, "thu.ha",);
  g_assert_true (bhxh_counter_unlock_user_finish (f->counter, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_set_password_async, f->counter, "thu.ha", "mat-khau-moi-cua-ha",);
  g_assert_true (bhxh_counter_set_password_finish (f->counter, result, &error));
  g_assert_no_error (error);

  /* The clerk: their own password only; no rules, no accounts. */
  bhxh_counter_sign_out (f->counter);
  sign_in_with (f, "thu.ha", "mat-khau-moi-cua-ha");
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_set_password_async, f->counter, "thu.ha", "mat-khau-thu-ha-02",);
  g_assert_true (bhxh_counter_set_password_finish (f->counter, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_set_password_async, f->counter, "quan.tri", "chiem-quyen-quan-tri",);
  g_assert_false (bhxh_counter_set_password_finish (f->counter, result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_get_settings_async, f->counter,);
  g_assert_null (bhxh_counter_get_settings_finish (f->counter, result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_change_settings_async, f->counter, keys, values,);
  g_assert_null (bhxh_counter_change_settings_finish (f->counter, result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_add_user_async, f->counter, "ke.gian", "Kẻ Gian", "admin",
                  "mat-khau-ke-gian-1",);
  g_assert_false (bhxh_counter_add_user_finish (f->counter, result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&result);
  result = AWAIT (bhxh_counter_unlock_user_async, f->counter, "quan.tri",);
  g_assert_false (bhxh_counter_unlock_user_finish (f->counter, result, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("BHXH_DESK_TODAY", FIXTURE_TODAY, TRUE);

  g_test_add ("/counter/clerk-day", Fixture, NULL, setup, test_clerk_day, teardown);
  g_test_add ("/counter/supervisor-day", Fixture, NULL, setup, test_supervisor_day, teardown);
  g_test_add ("/counter/portraits", Fixture, NULL, setup, test_portraits, teardown);
  g_test_add ("/counter/sync", Fixture, NULL, setup, test_sync, teardown);
  g_test_add ("/counter/claims", Fixture, NULL, setup, test_claims, teardown);
  g_test_add ("/counter/accounts", Fixture, NULL, setup, test_accounts, teardown);
  g_test_add_func ("/counter/no-service", test_no_service);
  return g_test_run ();
}
