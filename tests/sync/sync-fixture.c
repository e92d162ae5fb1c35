/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "sync-fixture.h"

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

void
sync_fixture_start_sim (SyncFixture *f,
                        const char  *first_arg,
                        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *db = g_build_filename (f->tmpdir, "portal.db", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) PORTAL_SIM_PATH);
  g_ptr_array_add (argv, (char *) "--port=0");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, db);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* The simulator never outlives a test that crashed. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Under -Db_sanitize=address, LeakSanitizer's tracer crashes at the exit
   * of a simulator that served HTTPS (GnuTLS threads): not a leak, but noise. */
  for (guint i = 0; i < argv->len - 1; i++)
    if (g_str_equal (g_ptr_array_index (argv, i), "--tls-cert"))
      g_subprocess_launcher_setenv (launcher, "LSAN_OPTIONS", "detect_leaks=0", TRUE);
  f->sim = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->sim));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  f->url = g_strdup (line + strlen ("listening on "));

  g_free (f->options->portal->portal_url);
  f->options->portal->portal_url = g_strdup (f->url);
  bhxh_portal_free (f->admin);
  f->admin = bhxh_portal_new (f->options->portal);
}

/* ---- the fake portal --------------------------------------------------- */

static void
route_free (SyncFakeRoute *route)
{
  g_free ((char *) route->method);
  g_free ((char *) route->path);
  g_free ((char *) route->body);
  g_free (route);
}

static void
fake_serve (SyncFixture       *f,
            GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) request = NULL;
  g_autofree char *answer = NULL;
  guint64 content_length = 0;
  guint status = 404;
  const char *body = "{\"error\":\"not-found\",\"message\":\"Không có tài nguyên này.\"}";
  guint8 byte;

  while (g_input_stream_read (in, &byte, 1, NULL, NULL) == 1)
    {
      g_byte_array_append (head, &byte, 1);
      if (head->len >= 4 && memcmp (head->data + head->len - 4, "\r\n\r\n", 4) == 0)
        break;
    }
  g_byte_array_append (head, (const guint8 *) "", 1);
  lines = g_strsplit ((const char *) head->data, "\r\n", -1);
  request = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (request) != 3)
    return;
  for (guint i = 1; lines[i] && *lines[i]; i++)
    if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
      content_length = g_ascii_strtoull (lines[i] + 15, NULL, 10);
  while (content_length > 0 && g_input_stream_read (in, &byte, 1, NULL, NULL) == 1)
    content_length--;

  g_mutex_lock (&f->fake_lock);
  g_ptr_array_add (f->fake_requests, g_strdup_printf ("%s %s", request[0], request[1]));
  for (guint i = 0; i < f->fake_routes->len; i++)
    {
      SyncFakeRoute *route = g_ptr_array_index (f->fake_routes, i);

      if (g_str_equal (route->method, request[0]) && g_str_has_prefix (request[1], route->path))
        {
          status = route->status;
          body = route->body ? route->body : "";
          break;
        }
    }
  answer = g_strdup_printf ("HTTP/1.1 %u Fake\r\nContent-Type: application/json\r\n"
                            "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n%s",
                            status, strlen (body), body);
  g_mutex_unlock (&f->fake_lock);
  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static gpointer
fake_thread (gpointer data)
{
  SyncFixture *f = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) connection =
        g_socket_listener_accept (f->fake, NULL, f->fake_cancel, NULL);

      if (connection == NULL)
        break;
      fake_serve (f, connection);
    }
  return NULL;
}

void
sync_fixture_start_fake (SyncFixture         *f,
                         const SyncFakeRoute *routes)
{
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&f->fake_lock);
  g_ptr_array_set_size (f->fake_routes, 0);
  for (guint i = 0; routes[i].method != NULL; i++)
    {
      SyncFakeRoute *route = g_new0 (SyncFakeRoute, 1);

      route->method = g_strdup (routes[i].method);
      route->path = g_strdup (routes[i].path);
      route->status = routes[i].status;
      route->body = g_strdup (routes[i].body);
      g_ptr_array_add (f->fake_routes, route);
    }
  g_mutex_unlock (&f->fake_lock);
  if (f->fake == NULL)
    {
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
      g_autoptr(GSocketAddress) bound = NULL;

      f->fake = g_socket_listener_new ();
      f->fake_cancel = g_cancellable_new ();
      g_socket_listener_add_address (f->fake, address, G_SOCKET_TYPE_STREAM,
                                     G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
      g_assert_no_error (error);
      g_free (f->url);
      f->url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
      g_free (f->options->portal->portal_url);
      f->options->portal->portal_url = g_strdup (f->url);
      f->fake_thread = g_thread_new ("fake-portal", fake_thread, f);
    }
}

guint
sync_fixture_fake_count (SyncFixture *f,
                         const char  *prefix)
{
  guint n = 0;

  g_mutex_lock (&f->fake_lock);
  for (guint i = 0; i < f->fake_requests->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (f->fake_requests, i), prefix);
  g_mutex_unlock (&f->fake_lock);
  return n;
}

static void
stop_fake (SyncFixture *f)
{
  if (f->fake == NULL)
    return;
  g_cancellable_cancel (f->fake_cancel);
  g_thread_join (f->fake_thread);
  g_socket_listener_close (f->fake);
  g_clear_object (&f->fake);
  g_clear_object (&f->fake_cancel);
}

void
sync_fixture_setup (SyncFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The simulator is on 127.0.0.1: whatever proxy this machine uses is
   * not in the way (the proxy test sets its own). */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("ALL_PROXY");
  f->tmpdir = g_dir_make_tmp ("bhxh-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->options = bhxh_sync_options_new ();
  f->options->portal->token = g_strdup ("demo-token");
  /* Fast retries: the tests inject many faults. */
  f->options->portal->backoff_ms = 5;
  f->options->portal->backoff_max_ms = 40;
  f->options->portal->max_retries = 8;
  f->options->portal->timeout_ms = 5000;
  f->store = sync_fixture_open_store (f, "desk.db");
  g_mutex_init (&f->fake_lock);
  f->fake_routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  f->fake_requests = g_ptr_array_new_with_free_func (g_free);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
sync_fixture_teardown (SyncFixture   *f,
                       gconstpointer  data)
{
  if (f->sim)
    {
      g_subprocess_send_signal (f->sim, SIGTERM);
      g_subprocess_wait (f->sim, NULL, NULL);
      g_clear_object (&f->sim);
    }
  stop_fake (f);
  g_clear_pointer (&f->fake_routes, g_ptr_array_unref);
  g_clear_pointer (&f->fake_requests, g_ptr_array_unref);
  g_mutex_clear (&f->fake_lock);
  g_clear_object (&f->store);
  g_clear_pointer (&f->admin, bhxh_portal_free);
  g_clear_pointer (&f->options, bhxh_sync_options_free);
  remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->url);
}

BhxhStore *
sync_fixture_open_store (SyncFixture *f,
                         const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
  BhxhStore *store = bhxh_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

JsonNode *
sync_fixture_admin (SyncFixture *f,
                    const char  *path,
                    const char  *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) request = body ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status = 0;

  answer = bhxh_portal_call_bytes (f->admin, body ? "POST" : "GET", path, "application/json",
                                   request, &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             g_bytes_get_size (answer), &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

gint64
sync_fixture_stat (SyncFixture *f,
                   const char  *name)
{
  g_autoptr(JsonNode) stats = sync_fixture_admin (f, "/admin/stats", NULL);

  return json_object_get_int_member (json_node_get_object (stats), name);
}

void
sync_fixture_pin_key (SyncFixture *f,
                      BhxhStore   *store)
{
  g_autoptr(JsonNode) key = sync_fixture_admin (f, "/admin/signing-key", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (bhxh_sync_pin_portal_key (
    store, json_object_get_string_member (json_node_get_object (key), "public_key"), &error));
  g_assert_no_error (error);
}

void
sync_fixture_publish (SyncFixture *f,
                      const char  *version,
                      GString     *jsonl)
{
  g_autoptr(GBytes) body = g_bytes_new (jsonl->str, jsonl->len);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/admin/mirror?version=%s", version);
  guint status = 0;

  answer = bhxh_portal_call_bytes (f->admin, "POST", path, "application/x-ndjson", body,
                                   &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
}

GPtrArray *
sync_fixture_decide (SyncFixture *f,
                     BhxhStore   *store,
                     guint        n)
{
  BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  GPtrArray *uuids = g_ptr_array_new_with_free_func (g_free);
  static const char * const reasons[] = { "other", NULL };

  filter.status = BHXH_STATUS_PENDING;
  open = bhxh_store_list_declarations (store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, >=, n);
  for (guint i = 0; i < n; i++)
    {
      BhxhDeclaration *d = g_ptr_array_index (open, i);
      BhxhDecisionRequest request = {
        d->id, BHXH_OUTCOME_REJECT, "lan", reasons, "Hồ sơ chưa đủ", FALSE, NULL,
      };
      g_autoptr(BhxhDecision) decision = bhxh_store_decide (store, &request, &error);

      g_assert_no_error (error);
      g_ptr_array_add (uuids, g_strdup (decision->uuid));
    }
  return uuids;
}

BhxhSyncReport *
sync_fixture_run (SyncFixture *f,
                  BhxhStore   *store)
{
  g_autoptr(GError) error = NULL;
  BhxhSyncReport *report = bhxh_sync_run (store, f->options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}
