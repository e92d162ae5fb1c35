/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A bundle file carried on USB between the counter and the portal
 * (docs/formats.md):
 *
 *   BHXH-BUNDLE/2 <kind> <workstation> seq=<n> expires=<RFC 3339>
 *     key=<key id> sha256=<payload's SHA-256, hex> ed25519=<signature, base64>\n
 *   <payload: JSON>
 *
 * (one header line). The Ed25519 signature covers the header up to the
 * space before "ed25519=", so the kind, the workstation, the sequence
 * number, the expiry, the signing key's id and, through its digest, the
 * payload. Inbound bundles (kind "inbound") are signed by the portal, whose
 * public key the counter pins at enrolment; decision bundles (kind
 * "decisions") by the counter's own key, registered with the portal. The
 * workstation token is no signing key: whoever holds it cannot forge one.
 * Format 1 (an HMAC keyed with the token) is refused. */
#define BHXH_BUNDLE_MAGIC          "BHXH-BUNDLE/2"
#define BHXH_BUNDLE_KIND_DECISIONS "decisions"
#define BHXH_BUNDLE_KIND_INBOUND   "inbound"

/* Checked before any JSON is parsed: a bundle holds at most a registry
 * snapshot (a province's, some hundred MiB) and nests a few levels. */
#define BHXH_BUNDLE_MAX_BYTES      ((gsize) 1 << 30)
#define BHXH_BUNDLE_MAX_DEPTH      32

#define BHXH_BUNDLE_PUBLIC_KEY_BYTES 32
#define BHXH_BUNDLE_SECRET_KEY_BYTES 64

typedef struct
{
  char    *kind;
  char    *workstation;
  guint64  seq;            /* > 0; grows with each bundle its signer makes */
  gint64   expires;        /* Unix time */
  char    *key_id;         /* bhxh_bundle_key_id() of the signing key */
  GBytes  *payload;        /* JSON text, size and depth checked, not parsed */
} BhxhBundle;

/* Ed25519 keys, as libsodium holds them (the secret key includes the
 * public one); the secret is wiped when freed. FALSE when libsodium
 * cannot start. */
gboolean    bhxh_bundle_keypair_new        (GBytes            **public_key,
                                            GBytes            **secret_key);
GBytes     *bhxh_bundle_public_of_secret   (GBytes             *secret_key);
/* Names a public key without revealing it: the first 16 hex digits of its
 * SHA-256. */
char       *bhxh_bundle_key_id             (GBytes             *public_key);
/* Keys as text: base64. Reading also takes hex and an "ed25519:" prefix,
 * and ignores white space around; @length is the size expected. */
char       *bhxh_bundle_key_to_text        (GBytes             *key);
GBytes     *bhxh_bundle_key_from_text      (const char         *text,
                                            gsize               length,
                                            GError            **error);

/* NULL when @workstation cannot be written in a header (letters, digits,
 * "-", "_", ".", at most 64). */
GBytes     *bhxh_bundle_encode             (const char         *kind,
                                            const char         *workstation,
                                            guint64             seq,
                                            gint64              expires,
                                            GBytes             *payload,
                                            GBytes             *secret_key);
/* At most BHXH_BUNDLE_MAX_BYTES (BAD_BUNDLE): checked before a file is read. */
gboolean    bhxh_bundle_size_ok            (guint64             size,
                                            GError            **error);
/* Checks the size, the header, the payload's digest, the signature under
 * @public_key and the payload's nesting depth — not what the header says
 * (bhxh_bundle_check). Errors: BHXH_SYNC_ERROR BAD_BUNDLE, BAD_SIGNATURE. */
BhxhBundle *bhxh_bundle_decode             (GBytes             *file,
                                            GBytes             *public_key,
                                            GError            **error);
/* The id of the key a bundle says it is signed with, unverified: for a
 * portal to pick the key to check it with among a desk's. */
char       *bhxh_bundle_peek_key_id        (GBytes             *file);
/* Its kind is @kind, it was made for @workstation and has not expired at
 * @now (Unix time). Errors: BAD_BUNDLE, BUNDLE_ELSEWHERE, BUNDLE_EXPIRED. */
gboolean    bhxh_bundle_check              (const BhxhBundle   *bundle,
                                            const char         *kind,
                                            const char         *workstation,
                                            gint64              now,
                                            GError            **error);
/* The payload's JSON object with its "format" @format (BAD_BUNDLE). */
JsonNode   *bhxh_bundle_parse_payload      (const BhxhBundle   *bundle,
                                            const char         *format,
                                            GError            **error);
void        bhxh_bundle_free               (BhxhBundle         *bundle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhBundle, bhxh_bundle_free)

G_END_DECLS
