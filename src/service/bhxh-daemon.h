/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/bhxh-crypt.h"

G_BEGIN_DECLS

#define BHXH_TYPE_DAEMON (bhxh_daemon_get_type ())
G_DECLARE_FINAL_TYPE (BhxhDaemon, bhxh_daemon, BHXH, DAEMON, GObject)

/*
 * bhxh-deskd's one object: it owns the store (opened with @key) and the
 * sessions, exports vn.bhxh.Desk1 on @connection, and answers each call
 * as the caller's signed-in user through the library (one store
 * connection per session, so the library checks that user's role).
 * @system: on the system bus (InitAccounts is then root's only).
 */
BhxhDaemon *bhxh_daemon_new    (const char          *db_path,
                                const BhxhCryptKey  *key,
                                gboolean             system,
                                guint                idle_timeout,
                                GError             **error);
gboolean    bhxh_daemon_export (BhxhDaemon          *self,
                                GDBusConnection     *connection,
                                GError             **error);
gboolean    bhxh_daemon_ensure_demo (BhxhDaemon     *self,
                                     GError        **error);
guint       bhxh_daemon_get_n_sessions (BhxhDaemon  *self);

G_END_DECLS
