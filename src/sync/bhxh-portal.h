/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bhxh-sync-error.h"

G_BEGIN_DECLS

/* How to reach the portal. TLS verification is always on; ca_file only
 * chooses which authorities to trust. */
typedef struct
{
  char     *portal_url;         /* "https://portal.example.vn" (no trailing /v1) */
  char     *token;              /* per-workstation bearer token */
  char     *ca_file;            /* NULL: the system's CA bundle */
  char     *client_cert;        /* PEM, optional (mutual TLS) */
  char     *client_key;         /* PEM, optional; NULL: in client_cert */
  char     *proxy;              /* NULL: the usual *_proxy environment; "": none */
  guint     connect_timeout_ms; /* 0: 10 s */
  guint     timeout_ms;         /* one JSON request; 0: 60 s */
  guint     max_retries;        /* after the first attempt */
  guint     backoff_ms;         /* first retry delay; doubles, with jitter */
  guint     backoff_max_ms;
} BhxhPortalConfig;

typedef void (*BhxhTransferFunc) (guint64  done,
                                  guint64  total,
                                  gpointer user_data);

typedef struct _BhxhPortal BhxhPortal;

typedef struct
{
  guint64 requests;        /* HTTP exchanges attempted */
  guint64 retries;
  guint64 bytes_received;
} BhxhPortalStats;

BhxhPortalConfig *bhxh_portal_config_new     (void);
BhxhPortalConfig *bhxh_portal_config_copy    (const BhxhPortalConfig *config);
void              bhxh_portal_config_free    (BhxhPortalConfig       *config);

/* The address as logs and messages show it: without the user information,
 * the query or the fragment, which may carry a secret ("…" when it does
 * not parse). */
char             *bhxh_portal_url_for_display (const char           *url);
/* https, or plain http to loopback only (127.0.0.0/8, ::1, localhost);
 * every request checks it before connecting. */
gboolean          bhxh_portal_url_check      (const char             *url,
                                              GError                **error);

/* Not thread-safe: one per thread. Keeps connections alive between calls. */
BhxhPortal       *bhxh_portal_new            (const BhxhPortalConfig *config);
void              bhxh_portal_free           (BhxhPortal             *self);
const BhxhPortalStats *bhxh_portal_get_stats (BhxhPortal             *self);

/* One JSON exchange. Transient failures (no connection, timeout, dropped
 * or truncated answer, 429, 5xx) are retried with exponential backoff and
 * jitter; the callers only send requests that are safe to repeat. Any
 * other status is returned in @status with its parsed body (a JSON null
 * node when the body is empty). 401 and a suspended account are errors. */
JsonNode         *bhxh_portal_call           (BhxhPortal             *self,
                                              const char             *method,
                                              const char             *path,
                                              JsonNode               *body,
                                              guint                  *status,
                                              GCancellable           *cancellable,
                                              GError                **error);
/* Same, with a raw body and raw answer (bundles). */
GBytes           *bhxh_portal_call_bytes     (BhxhPortal             *self,
                                              const char             *method,
                                              const char             *path,
                                              const char             *content_type,
                                              GBytes                 *body,
                                              guint                  *status,
                                              GCancellable           *cancellable,
                                              GError                **error);
/* Downloads to @dest through "@dest.part", resuming it with a Range
 * request after a broken transfer or a restart; checks size and SHA-256. */
typedef struct _BhxhSpool BhxhSpool;
gboolean          bhxh_portal_download_spool (BhxhPortal             *self,
                                              const char             *path,
                                              BhxhSpool              *spool,
                                              guint64                 expected_size,
                                              const char             *expected_sha256,
                                              BhxhTransferFunc        progress,
                                              gpointer                user_data,
                                              GCancellable           *cancellable,
                                              GError                **error);
GBytes           *bhxh_portal_download_bytes (BhxhPortal             *self,
                                              const char             *path,
                                              guint64                 expected_size,
                                              const char             *expected_sha256,
                                              BhxhTransferFunc        progress,
                                              gpointer                user_data,
                                              GCancellable           *cancellable,
                                              GError                **error);
gboolean          bhxh_portal_download       (BhxhPortal             *self,
                                              const char             *path,
                                              const char             *dest,
                                              guint64                 expected_size,
                                              const char             *expected_sha256,
                                              BhxhTransferFunc        progress,
                                              gpointer                user_data,
                                              GCancellable           *cancellable,
                                              GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhPortal, bhxh_portal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhPortalConfig, bhxh_portal_config_free)

G_END_DECLS
