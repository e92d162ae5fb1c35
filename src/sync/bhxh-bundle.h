/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A bundle file carried on USB between the counter and the portal:
 *
 *   BHXH-BUNDLE/1 <kind> <workstation> hmac-sha256=<hex>\n
 *   <payload: JSON>
 *
 * The HMAC-SHA256, keyed with the workstation's portal token, covers the
 * kind, the workstation and the payload bytes, so neither end accepts a
 * bundle that was altered or made by another workstation. */
#define BHXH_BUNDLE_MAGIC "BHXH-BUNDLE/1"
#define BHXH_BUNDLE_KIND_DECISIONS "decisions"
#define BHXH_BUNDLE_KIND_INBOUND "inbound"

GBytes   *bhxh_bundle_encode (const char  *kind,
                              const char  *workstation,
                              GBytes      *payload,
                              GBytes      *key);
GBytes   *bhxh_bundle_decode (GBytes      *file,
                              GBytes      *key,
                              char       **kind,
                              char       **workstation,
                              GError     **error);

G_END_DECLS
