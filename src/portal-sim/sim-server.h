/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "sim-store.h"

G_BEGIN_DECLS

/* What can go wrong, on purpose. Rates are probabilities per request
 * (per item for conflicts); the *_next counters hit the next N requests,
 * so a test can make a fault happen exactly where it wants. */
typedef struct
{
  double  fail_rate;       /* 503 before anything is done */
  double  drop_rate;       /* done, then the connection is closed unanswered */
  double  truncate_rate;   /* done, then half the body is sent */
  double  conflict_rate;   /* a new decision is answered "conflict" */
  guint   latency_ms;
  guint   fail_next;
  guint   drop_next;
  guint   truncate_next;
  char   *path_prefix;     /* NULL: every /v1 request; else only these */
} SimFaults;

typedef struct _SimServer SimServer;

SimServer *sim_server_new     (SimStore        *store,
                               const SimFaults *faults,
                               guint32          seed,
                               gboolean         verbose);
gboolean   sim_server_listen  (SimServer       *self,
                               guint            port,
                               GTlsCertificate *certificate,
                               char           **url,
                               GError         **error);
void       sim_server_free    (SimServer       *self);
/* Offer signed sqlite snapshots of the mirror, built in @dir on first
 * request (NULL: none, as a portal older than them). */
void       sim_server_set_snapshot_dir (SimServer  *self,
                                        const char *dir);

G_END_DECLS
