/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bhxh-sync.h"

G_BEGIN_DECLS

/* Where the sync keeps the last mirror snapshot (to apply deltas to). */
char     *_bhxh_sync_cache_dir         (const char      *db_path);
char     *_bhxh_sync_snapshot_path     (const char      *db_path,
                                        const char      *version);
/* "mirror-<version><suffix>" there (a spool: removed by the prune too). */
char     *_bhxh_sync_cache_path        (const char      *db_path,
                                        const char      *version,
                                        const char      *suffix);
void      _bhxh_sync_prune_snapshots   (const char      *db_path,
                                        const char      *keep_version);

/* Writes @out: the JSON Lines snapshot @base with @changes applied
 * (upsert: a person object; delete: a bhxh_code). */
gboolean  _bhxh_sync_apply_delta       (BhxhStore       *store,
                                        const char      *base,
                                        const char      *from,
                                        JsonArray       *changes,
                                        const char      *out,
                                        const char      *to,
                                        guint64         *n_rows,
                                        GError         **error);

/* Brings the mirror from @from (its version) to @to by @changes: on the
 * sealed JSON Lines base kept for @from when there is one (then imported),
 * else in place (a mirror that came as a signed sqlite snapshot, or by
 * hand). Prunes the bases of other versions. */
gboolean  _bhxh_sync_mirror_delta      (BhxhStore       *store,
                                        const char      *from,
                                        const char      *to,
                                        JsonArray       *changes,
                                        BhxhProgressFunc progress,
                                        gpointer         user_data,
                                        GCancellable    *cancellable,
                                        guint64         *n_rows,
                                        GError         **error);

gboolean  _bhxh_sync_save_offices      (BhxhStore       *store,
                                        JsonArray       *offices,
                                        guint           *n,
                                        GError         **error);
gboolean  _bhxh_sync_save_reasons      (BhxhStore       *store,
                                        JsonArray       *reasons,
                                        guint           *n,
                                        GError         **error);

/* One sync of a database at a time, across processes (flock). */
int       _bhxh_sync_lock              (const char      *db_path,
                                        GError         **error);
void      _bhxh_sync_unlock            (int              fd);

BhxhSyncReport *_bhxh_sync_report_new  (void);

/* Bundle keys (bhxh-sync-keys.c): the pinned portal key (NOT_ENROLLED
 * when none is), the counter's own key pair (made on first use), and its
 * registration with the portal (once per key, best effort). */
GBytes   *_bhxh_sync_dup_portal_key    (BhxhStore       *store,
                                        GError         **error);
gboolean  _bhxh_sync_desk_key          (BhxhStore       *store,
                                        GBytes         **public_key,
                                        GBytes         **secret_key,
                                        GError         **error);
void      _bhxh_sync_register_desk_key (BhxhStore       *store,
                                        BhxhPortal      *portal,
                                        GCancellable    *cancellable);

/* The portal's answer about one decision (@result: its DecisionResult,
 * may be NULL; @http: the answer's status): acknowledged, refused,
 * conflict, or pending when it said nothing clear (docs/portal-api.yaml,
 * "Result rules"). */
BhxhOutboxState _bhxh_sync_classify_result (guint       http,
                                            JsonObject *result);

G_END_DECLS
