/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "store/bhxh-store.h"
#include "sync/bhxh-sync.h"

G_BEGIN_DECLS

/* A real portal simulator on 127.0.0.1 and a real store in a temp dir. */
typedef struct
{
  char            *tmpdir;
  GSubprocess     *sim;
  char            *url;
  BhxhStore       *store;
  BhxhSyncOptions *options;
  BhxhPortal      *admin;
  /* A deliberately wrong portal (sync_fixture_start_fake). */
  GSocketListener *fake;
  GCancellable    *fake_cancel;
  GThread         *fake_thread;
  GMutex           fake_lock;
  GPtrArray       *fake_routes;     /* (element-type SyncFakeRoute) */
  GPtrArray       *fake_requests;   /* (element-type utf8): "METHOD /path?query" */
} SyncFixture;

/* One canned answer of the fake portal: the first route whose method and
 * path prefix match the request answers it (404 when none does). */
typedef struct
{
  const char *method;
  const char *path;
  guint       status;
  const char *body;     /* JSON; NULL: empty */
} SyncFakeRoute;

void        sync_fixture_start_sim   (SyncFixture  *f,
                                      const char   *first_arg,
                                      ...) G_GNUC_NULL_TERMINATED;
void        sync_fixture_setup       (SyncFixture  *f,
                                      gconstpointer data);
void        sync_fixture_teardown    (SyncFixture  *f,
                                      gconstpointer data);
/* Starts (or re-routes) a small HTTP server on 127.0.0.1 that answers
 * with @routes (ended by a route whose method is NULL), in a thread of
 * its own: the sync may block the test's thread. Points the options at
 * it; the requests it got are in f->fake_requests. */
void        sync_fixture_start_fake  (SyncFixture         *f,
                                      const SyncFakeRoute *routes);
guint       sync_fixture_fake_count  (SyncFixture         *f,
                                      const char          *prefix);
BhxhStore  *sync_fixture_open_store  (SyncFixture  *f,
                                      const char   *name);
/* POST (body != NULL) or GET an /admin/ endpoint; returns the parsed answer. */
JsonNode   *sync_fixture_admin       (SyncFixture  *f,
                                      const char   *path,
                                      const char   *body);
gint64      sync_fixture_stat        (SyncFixture  *f,
                                      const char   *name);
/* Pins the simulator's key in @store, as the provincial office hands it over. */
void        sync_fixture_pin_key     (SyncFixture  *f,
                                      BhxhStore    *store);
/* Publishes @jsonl as the simulator's mirror version @version. */
void        sync_fixture_publish     (SyncFixture  *f,
                                      const char   *version,
                                      GString      *jsonl);
/* Rejects @n open declarations (reason "other"): n outbox entries. */
GPtrArray  *sync_fixture_decide      (SyncFixture  *f,
                                      BhxhStore    *store,
                                      guint         n);
BhxhSyncReport *sync_fixture_run     (SyncFixture  *f,
                                      BhxhStore    *store);

G_END_DECLS
