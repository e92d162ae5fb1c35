/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BHXH_AUDIT_KEY_BYTES 32

/* The hash of one audit entry chained to @prev_hash: HMAC-SHA256 under
 * @key (BHXH_AUDIT_KEY_BYTES) on a keyed trail, plain SHA-256 when @key
 * is NULL; each field with its terminating NUL. Lower-case hex. */
char *bhxh_audit_entry_hash (const guint8 *key,
                             const char   *prev_hash,
                             gint64        seq,
                             const char   *at,
                             const char   *actor,
                             const char   *action,
                             const char   *object,
                             const char   *detail);

G_END_DECLS
