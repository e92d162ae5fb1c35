/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the service's method handlers (bhxh-daemon.c) and its portal
 * side (bhxh-daemon-portal.c: sync, enrolment, claims). */

#include "store/bhxh-store.h"
#include "bhxh-daemon.h"
#include "bhxh-desk1.h"

G_BEGIN_DECLS

/* A signed-in caller: its own store connection carries its user. */
typedef struct
{
  BhxhDaemon *daemon;        /* unowned */
  char       *sender;        /* unique bus name */
  BhxhStore  *store;
  BhxhUser   *user;
  guint       watch_id;
  gint64      last_call;     /* monotonic µs */
  GHashTable *claims;        /* declaration IDs claimed at the portal */
} Session;

struct _BhxhDaemon
{
  GObject             parent_instance;

  char               *db_path;
  const BhxhCryptKey *key;
  gboolean            system;
  guint               idle_timeout;
  BhxhStore          *store;        /* the service's own: first run, checks */
  GDBusConnection    *connection;
  BhxhDesk1          *skeleton;
  GHashTable         *sessions;     /* sender → Session */
  guint               idle_source;
};

Session  *_bhxh_daemon_session_of     (BhxhDaemon             *self,
                                       GDBusMethodInvocation  *invocation,
                                       const char             *role);
gboolean  _bhxh_daemon_reply_json     (GDBusMethodInvocation  *invocation,
                                       JsonNode               *node,
                                       GError                **error);
gboolean  _bhxh_daemon_reply          (GDBusMethodInvocation  *invocation,
                                       gboolean                ok,
                                       GError                **error);
guint32   _bhxh_daemon_caller_uid     (BhxhDaemon             *self,
                                       const char             *sender);

/* bhxh-daemon-portal.c */
void      _bhxh_daemon_export_portal  (BhxhDaemon             *self);
/* Releases @declaration_id (NULL: every claim) of @session at the portal,
 * in the background: a decision or a sign-out never waits for it. */
void      _bhxh_daemon_release_claims (BhxhDaemon             *self,
                                       Session                *session,
                                       const char             *declaration_id);

G_END_DECLS
