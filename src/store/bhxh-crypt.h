/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>
#include <sqlite3.h>

#include "bhxh-store.h"

G_BEGIN_DECLS

/*
 * Encryption at rest (docs/encryption.md): an SQLite VFS shim that seals
 * every page of the database, its WAL and its rollback journal with
 * XChaCha20-Poly1305 (libsodium), nonce and tag in the page's reserved
 * bytes; temporary files (sorter runs, statement journals) are enciphered
 * with a random key of their own. The key never goes into a file.
 */

/* Bytes reserved at the end of every page: 24-byte nonce + 16-byte tag. */
#define BHXH_CRYPT_RESERVE 40

/* Environment: a file whose content is the admin secret. */
#define BHXH_CRYPT_KEY_FILE_ENV "BHXH_DESK_KEY_FILE"
/* Environment: "1" takes the admin secret from the OS keyring (libsecret). */
#define BHXH_CRYPT_KEYRING_ENV "BHXH_DESK_KEYRING"

/* A database key. Keys are interned for the life of the process (each has
 * its VFS registered with sqlite), so they are never freed by callers. */
typedef struct _BhxhCryptKey BhxhCryptKey;

const BhxhCryptKey *bhxh_crypt_key_from_secret      (const void          *secret,
                                                      gsize                length,
                                                      GError             **error);
const BhxhCryptKey *bhxh_crypt_key_from_file        (const char          *file,
                                                      GError             **error);
/* %NULL without an error when no key is configured. */
const BhxhCryptKey *bhxh_crypt_key_from_environment (GError             **error);
gboolean            bhxh_crypt_keyring_available    (void);
const BhxhCryptKey *bhxh_crypt_key_from_keyring     (GError             **error);
gboolean            bhxh_crypt_keyring_store        (const char          *secret,
                                                      GError             **error);
const char         *bhxh_crypt_key_get_vfs_name     (const BhxhCryptKey  *key);
const guint8       *bhxh_crypt_key_get_audit_key    (const BhxhCryptKey  *key);
gboolean            bhxh_crypt_generate_key_file    (const char          *file,
                                                      GError             **error);
/* The key programs open a store with: encrypted by default (PATH.key). */
char               *bhxh_crypt_key_path_for_store   (const char          *path);
const BhxhCryptKey *bhxh_crypt_key_for_store        (const char          *path,
                                                      gboolean            *in_clear,
                                                      GError             **error);

/* Opens (creating when missing) a store encrypted with @key; %NULL @key
 * opens it in clear exactly like bhxh_store_open() without a key. */
BhxhStore          *bhxh_store_open_with_key        (const char          *path,
                                                      const BhxhCryptKey  *key,
                                                      GError             **error);

/* Files kept beside the store, sealed with its key (in clear for a store
 * kept in clear). */
gboolean            bhxh_store_is_encrypted         (BhxhStore           *self);
gboolean            bhxh_crypt_is_sealed            (const guint8        *data,
                                                      gsize                length);
gboolean            bhxh_store_write_sealed         (BhxhStore           *self,
                                                      const char          *label,
                                                      const void          *data,
                                                      gsize                length,
                                                      const char          *dest,
                                                      GError             **error);
GBytes             *bhxh_store_read_sealed          (BhxhStore           *self,
                                                      const char          *label,
                                                      const char          *path,
                                                      GError             **error);

/* A spool: a file enciphered as it is written, with a random key held in
 * this process's memory only, read back by offset or by sqlite; removed
 * when freed. Where a downloaded registry snapshot lands (the sync). */
typedef struct _BhxhSpool BhxhSpool;

BhxhSpool          *bhxh_spool_new                  (const char          *path,
                                                      GError             **error);
void                bhxh_spool_free                 (BhxhSpool           *self);
const char         *bhxh_spool_get_path             (BhxhSpool           *self);
guint64             bhxh_spool_get_size             (BhxhSpool           *self);
gboolean            bhxh_spool_truncate             (BhxhSpool           *self);
FILE               *bhxh_spool_open_writer          (BhxhSpool           *self);
gssize              bhxh_spool_read                 (BhxhSpool           *self,
                                                      guint64              offset,
                                                      void                *buf,
                                                      gsize                len);
/* The live spool at @path in this process, or %NULL; its URI for sqlite. */
BhxhSpool          *_bhxh_spool_lookup              (const char          *path);
char               *_bhxh_spool_dup_uri             (BhxhSpool           *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhSpool, bhxh_spool_free)

/* Encrypts a store kept in clear so far (the main file and its mirror);
 * no other process may have it open. */
gboolean            bhxh_crypt_encrypt_database     (const char          *path,
                                                      const BhxhCryptKey  *key,
                                                      GError             **error);

/* The same from @old_key to @new_key. */
gboolean            bhxh_crypt_rekey_database       (const char          *path,
                                                      const BhxhCryptKey  *old_key,
                                                      const BhxhCryptKey  *new_key,
                                                      GError             **error);

/* Whether @path is an encrypted database (a best guess from its header:
 * its pages reserve room for a nonce and a tag). */
gboolean            bhxh_crypt_file_is_encrypted    (const char          *path);

/* The format-1 twin of a passphrase key (stores encrypted by 0.1). */
const BhxhCryptKey *_bhxh_crypt_key_get_legacy      (const BhxhCryptKey  *key);
/* For the store: the crypt VFS name of @db's main file, or %NULL. */
const char         *_bhxh_crypt_vfs_of              (sqlite3             *db);
/* Reserves the page bytes on a new file of an encrypting connection. */
int                 _bhxh_crypt_prepare             (sqlite3             *db,
                                                      const char          *schema);
/* Checks that @db's key (or none, in clear) opens @path; absent or empty: yes. */
gboolean            _bhxh_crypt_check_file          (sqlite3             *db,
                                                      const char          *path,
                                                      GError             **error);
/* @key: (nullable): %NULL checks that @path is not encrypted. */
gboolean            _bhxh_crypt_check_file_with_key (const BhxhCryptKey  *key,
                                                      const char          *path,
                                                      GError             **error);
/* A best guess that @path is an encrypted database (its pages reserve ours). */
gboolean            _bhxh_crypt_file_looks_encrypted (const char         *path);

G_END_DECLS
