/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "core/bhxh-error.h"
#include "core/bhxh-secret-file.h"
#include "bhxh-crypt.h"
#include "bhxh-store-private.h"

/*
 * Page layout on disk (main file, WAL frame data, journal page images):
 *
 *   [ ciphertext of bytes 0 .. P-40 ][ nonce (24) ][ tag (16) ]
 *
 * except page 1 of the main file, whose first 100 bytes (sqlite's header:
 * page size, counters, no personal data) stay in clear so that sqlite can
 * read them before it knows the page size; they are authenticated as
 * associated data. The associated data also binds each page to its place
 * (file kind + page number or file offset) and to its file's role (the
 * store or its registry mirror: a page of one never authenticates in the
 * other), so pages cannot be swapped or transplanted.
 *
 * Keys: a generated key (64 hex digits: 32 random bytes, one per install)
 * is expanded with libsodium's BLAKE2b KDF into the page key and the
 * audit chain's key; an admin passphrase goes through Argon2id first.
 *
 * Temporary files are enciphered with a random key of their own in 4 KiB
 * blocks; each write of a block takes a new generation, part of its
 * nonce, so a block rewritten in place never reuses a keystream.
 */

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define KEY_BYTES crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define HEADER_BYTES 100
#define WAL_HEADER 32
#define WAL_FRAME_HEADER 24
#define MIN_PAGE 512
#define MAX_PAGE 65536
#define BHXH_CRYPT_CACHE_KIB 32768

G_STATIC_ASSERT (NONCE_BYTES + TAG_BYTES == BHXH_CRYPT_RESERVE);

#define TEMP_BLOCK 4096

/* Argon2id with a fixed application salt, for admin passphrases only: the
 * keys the programs generate are random per install and skip it
 * (docs/encryption.md). */
static const guint8 kdf_salt[crypto_pwhash_SALTBYTES] = "bhxh-desk/crypt";

struct _BhxhCryptKey
{
  sqlite3_vfs   vfs;
  sqlite3_vfs  *root;
  guint8       *key;            /* sodium_malloc'd, KEY_BYTES: seals pages */
  guint8       *audit_key;      /* sodium_malloc'd, KEY_BYTES */
  guint8       *seal_key;       /* sodium_malloc'd, KEY_BYTES: files beside the store */
  gboolean      legacy;         /* format 1: no role in the associated data */
  BhxhCryptKey *legacy_twin;    /* passphrases: the same secret, format 1 */
  char          name[32];
};

typedef enum
{
  KIND_PLAIN,
  KIND_MAIN,
  KIND_WAL,
  KIND_JOURNAL,
  KIND_TEMP,
} FileKind;

typedef struct
{
  sqlite3_file        base;
  const BhxhCryptKey *key;
  sqlite3_file       *real;
  FileKind            kind;
  guint8              role;           /* 0 the store, 1 its registry mirror */
  int                 reserve;        /* main: from the header, -1 unknown */
  guint32             wal_page_size;  /* WAL: from its header, 0 unknown */
  guint8              nonce_prefix[16];
  guint64             counter;
  guint8              temp_key[KEY_BYTES];
  guint8              temp_nonce[crypto_stream_xchacha20_NONCEBYTES];
  guint32            *temp_gens;      /* per 4 KiB block: writes so far */
  gsize               temp_gens_len;
  guint8             *scratch;
  gsize               scratch_len;
} CryptFile;

#define ROUND8(x) (((x) + 7) & ~7)

G_LOCK_DEFINE_STATIC (keys);
static GHashTable *keys;   /* SHA-256 of the secret's BLAKE2b → BhxhCryptKey */

static gboolean
is_page_size (sqlite3_int64 n)
{
  return n >= MIN_PAGE && n <= MAX_PAGE && (n & (n - 1)) == 0;
}

static guint8 *
scratch_get (CryptFile *f,
             gsize      len)
{
  if (f->scratch_len < len)
    {
      sqlite3_free (f->scratch);
      f->scratch = sqlite3_malloc64 (len);
      f->scratch_len = f->scratch != NULL ? len : 0;
    }
  return f->scratch;
}

#define AD_BYTES (2 + 8 + HEADER_BYTES)

static gsize
make_ad (guint8          *ad,
         const CryptFile *f,
         guint64          where,
         const guint8    *header)
{
  gsize n = 0;

  ad[n++] = (guint8) f->kind;
  if (!f->key->legacy)
    ad[n++] = f->role;
  for (int i = 0; i < 8; i++)
    ad[n++] = (guint8) (where >> (8 * i));
  if (header != NULL)
    {
      memcpy (ad + n, header, HEADER_BYTES);
      n += HEADER_BYTES;
    }
  return n;
}

/* Seals page @in (size @p) into @out; the first @clear bytes stay readable. */
static void
seal_page (CryptFile     *f,
           const guint8  *in,
           guint8        *out,
           gsize          p,
           gsize          clear,
           guint64        where)
{
  guint8 ad[AD_BYTES];
  guint8 *nonce = out + p - BHXH_CRYPT_RESERVE;
  gsize ad_len = make_ad (ad, f, where, clear > 0 ? in : NULL);
  guint64 counter = ++f->counter;

  memcpy (nonce, f->nonce_prefix, sizeof f->nonce_prefix);
  for (int i = 0; i < 8; i++)
    nonce[16 + i] = (guint8) (counter >> (8 * i));
  memcpy (out, in, clear);
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached (out + clear, out + p - TAG_BYTES, NULL,
                                                       in + clear,
                                                       p - BHXH_CRYPT_RESERVE - clear,
                                                       ad, ad_len, NULL, nonce, f->key->key);
}

/* Opens a sealed page in place; FALSE when it does not authenticate. */
static gboolean
open_page (CryptFile *f,
           guint8    *page,
           gsize      p,
           gsize      clear,
           guint64    where)
{
  guint8 ad[AD_BYTES];
  gsize ad_len = make_ad (ad, f, where, clear > 0 ? page : NULL);

  if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached (page + clear, NULL,
                                                           page + clear,
                                                           p - BHXH_CRYPT_RESERVE - clear,
                                                           page + p - TAG_BYTES,
                                                           ad, ad_len,
                                                           page + p - BHXH_CRYPT_RESERVE,
                                                           f->key->key) != 0)
    return FALSE;
  /* sqlite's WAL frame checksums cover the whole page, reserved bytes
   * included: it must read back exactly what it wrote, and the reserved
   * bytes of a page in its cache are zeros (new pages are zeroed, read
   * pages come through here). */
  memset (page + p - BHXH_CRYPT_RESERVE, 0, BHXH_CRYPT_RESERVE);
  return TRUE;
}

/* Temporary files: a stream cipher, nonce = random prefix, block, and the
 * block's generation; @at is the offset of @buf in the block. */
static void
temp_xor_block (const CryptFile *f,
                guint8          *buf,
                gsize            n,
                guint64          block,
                gsize            at,
                guint32          generation)
{
  guint8 nonce[crypto_stream_xchacha20_NONCEBYTES];
  guint64 counter = at / 64;
  gsize skip = at % 64;

  memcpy (nonce, f->temp_nonce, 8);
  for (int i = 0; i < 8; i++)
    {
      nonce[8 + i] = (guint8) (block >> (8 * i));
      nonce[16 + i] = (guint8) ((guint64) generation >> (8 * i));
    }
  if (skip != 0 && n > 0)
    {
      guint8 stream[64] = { 0 };
      gsize k = MIN (64 - skip, n);

      crypto_stream_xchacha20_xor_ic (stream, stream, 64, nonce, counter, f->temp_key);
      for (gsize i = 0; i < k; i++)
        buf[i] ^= stream[skip + i];
      buf += k;
      n -= k;
      counter++;
    }
  if (n > 0)
    crypto_stream_xchacha20_xor_ic (buf, buf, n, nonce, counter, f->temp_key);
}

static guint32
temp_generation (const CryptFile *f,
                 guint64          block)
{
  return block < f->temp_gens_len ? f->temp_gens[block] : 0;
}

static gboolean
temp_next_generation (CryptFile *f,
                      guint64    block)
{
  if (block >= f->temp_gens_len)
    {
      gsize len = MAX (block + 1, f->temp_gens_len * 2);
      guint32 *gens = sqlite3_realloc64 (f->temp_gens, len * sizeof *gens);

      if (gens == NULL)
        return FALSE;
      memset (gens + f->temp_gens_len, 0, (len - f->temp_gens_len) * sizeof *gens);
      f->temp_gens = gens;
      f->temp_gens_len = len;
    }
  f->temp_gens[block]++;
  return TRUE;
}

/* Deciphers @n bytes read at @offset (blocks never written read as zeros). */
static void
temp_decipher (const CryptFile *f,
               guint8          *buf,
               gsize            n,
               guint64          offset)
{
  while (n > 0)
    {
      guint64 block = offset / TEMP_BLOCK;
      gsize at = offset % TEMP_BLOCK;
      gsize k = MIN (n, TEMP_BLOCK - at);
      guint32 generation = temp_generation (f, block);

      if (generation != 0)
        temp_xor_block (f, buf, k, block, at, generation);
      buf += k;
      offset += k;
      n -= k;
    }
}

static int
real_read (CryptFile     *f,
           void          *buf,
           int            n,
           sqlite3_int64  offset)
{
  return f->real->pMethods->xRead (f->real, buf, n, offset);
}

/* Main file. */

static int
main_reserve (CryptFile *f)
{
  guint8 header[HEADER_BYTES];

  if (f->reserve < 0 && real_read (f, header, sizeof header, 0) == SQLITE_OK)
    f->reserve = header[20];
  return f->reserve;
}

static int
main_page_size (CryptFile *f)
{
  guint8 header[HEADER_BYTES];
  int p;

  if (real_read (f, header, sizeof header, 0) != SQLITE_OK)
    return 0;
  p = (header[16] << 8) | header[17];
  return p == 1 ? MAX_PAGE : p;
}

static int
main_read_page (CryptFile     *f,
                guint8        *buf,
                int            p,
                sqlite3_int64  offset)
{
  int rc = real_read (f, buf, p, offset);
  gsize clear = offset == 0 ? HEADER_BYTES : 0;

  if (rc == SQLITE_IOERR_SHORT_READ)
    {
      memset (buf, 0, p);
      return rc;
    }
  if (rc != SQLITE_OK)
    return rc;
  if (offset == 0)
    f->reserve = buf[20];
  if (!open_page (f, buf, p, clear, (guint64) (offset / p) + 1))
    {
      sqlite3_log (SQLITE_IOERR_DATA, "bhxh-crypt: page %lld does not authenticate",
                   (long long) (offset / p) + 1);
      return SQLITE_IOERR_DATA;
    }
  return SQLITE_OK;
}

static int
main_read (CryptFile     *f,
           void          *buf,
           int            n,
           sqlite3_int64  offset)
{
  int p;
  guint8 *page;
  int rc;

  if (is_page_size (n) && offset % n == 0)
    return main_read_page (f, buf, n, offset);
  if (offset + n <= HEADER_BYTES)
    return real_read (f, buf, n, offset);

  /* Anything else: open the pages it covers. */
  p = main_page_size (f);
  if (!is_page_size (p))
    return SQLITE_IOERR_READ;
  page = scratch_get (f, p);
  if (page == NULL)
    return SQLITE_IOERR_NOMEM;
  for (sqlite3_int64 at = offset; at < offset + n;)
    {
      sqlite3_int64 start = at - at % p;
      sqlite3_int64 end = MIN (start + p, offset + n);

      rc = main_read_page (f, page, p, start);
      if (rc != SQLITE_OK)
        return rc;
      memcpy ((guint8 *) buf + (at - offset), page + (at - start), end - at);
      at = end;
    }
  return SQLITE_OK;
}

static int
main_write (CryptFile     *f,
            const void    *buf,
            int            n,
            sqlite3_int64  offset)
{
  const guint8 *in = buf;
  guint8 *out;

  /* sqlite writes whole pages to the main file; anything else would have
   * to go out in clear, so it is refused. */
  if (!is_page_size (n) || offset % n != 0)
    return SQLITE_IOERR_WRITE;
  if (offset == 0)
    f->reserve = in[20];
  if (main_reserve (f) < BHXH_CRYPT_RESERVE)
    {
      sqlite3_log (SQLITE_IOERR_WRITE, "bhxh-crypt: the database reserves no room for a tag");
      return SQLITE_IOERR_WRITE;
    }
  out = scratch_get (f, n);
  if (out == NULL)
    return SQLITE_IOERR_NOMEM;
  seal_page (f, in, out, n, offset == 0 ? HEADER_BYTES : 0, (guint64) (offset / n) + 1);
  return f->real->pMethods->xWrite (f->real, out, n, offset);
}

/* WAL: a 32-byte header, then frames of a 24-byte header and a page. */

static guint32
wal_page_size (CryptFile *f)
{
  guint8 header[WAL_HEADER];

  if (f->wal_page_size == 0 && real_read (f, header, sizeof header, 0) == SQLITE_OK)
    {
      guint32 p = ((guint32) header[8] << 24) | (header[9] << 16) | (header[10] << 8) | header[11];

      f->wal_page_size = p == 1 ? MAX_PAGE : p;
    }
  return is_page_size (f->wal_page_size) ? f->wal_page_size : 0;
}

static void
wal_note_header (CryptFile     *f,
                 const guint8  *buf,
                 int            n,
                 sqlite3_int64  offset)
{
  if (offset == 0 && n >= WAL_HEADER)
    {
      guint32 p = ((guint32) buf[8] << 24) | (buf[9] << 16) | (buf[10] << 8) | buf[11];

      f->wal_page_size = p == 1 ? MAX_PAGE : p;
    }
}

/* Calls @func for every frame's page that [offset, offset+n) touches. */
typedef int (*WalPageFunc) (CryptFile     *f,
                            guint8        *buf,
                            sqlite3_int64  buf_offset,
                            int            n,
                            sqlite3_int64  page_offset,
                            guint32        p,
                            gboolean       with_header);

static int
wal_foreach_page (CryptFile     *f,
                  guint8        *buf,
                  int            n,
                  sqlite3_int64  offset,
                  WalPageFunc    func)
{
  guint32 p;
  sqlite3_int64 frame, first;

  if (offset + n <= WAL_HEADER)
    return SQLITE_OK;
  p = wal_page_size (f);
  if (p == 0)
    return SQLITE_IOERR;
  frame = WAL_FRAME_HEADER + (sqlite3_int64) p;
  first = offset > WAL_HEADER ? (offset - WAL_HEADER) / frame : 0;
  for (sqlite3_int64 i = first;; i++)
    {
      sqlite3_int64 start = WAL_HEADER + i * frame;
      sqlite3_int64 page = start + WAL_FRAME_HEADER;
      int rc;

      if (page >= offset + n)
        break;
      if (page + p <= offset)
        continue;
      rc = func (f, buf, offset, n, page, p, start >= offset);
      if (rc != SQLITE_OK)
        return rc;
    }
  return SQLITE_OK;
}

static int
wal_seal_cb (CryptFile     *f,
             guint8        *buf,
             sqlite3_int64  buf_offset,
             int            n,
             sqlite3_int64  page_offset,
             guint32        p,
             gboolean       with_header)
{
  guint8 *page = buf + (page_offset - buf_offset);

  (void) with_header;
  /* A write of part of a page cannot be sealed (sqlite does not do it
   * while the device is powersafe-overwrite, as the unix VFS reports). */
  if (page_offset < buf_offset || page_offset + p > buf_offset + n)
    return SQLITE_IOERR_WRITE;
  /* The frame checksum covers the reserved bytes, and a read gives them
   * back as zeros (open_page): anything else would read back as a torn
   * frame after a crash, so fail the write loudly instead. */
  for (guint32 i = p - BHXH_CRYPT_RESERVE; i < p; i++)
    if (page[i] != 0)
      {
        sqlite3_log (SQLITE_IOERR_WRITE, "bhxh-crypt: a page's reserved bytes are in use");
        return SQLITE_IOERR_WRITE;
      }
  seal_page (f, page, page, p, 0, (guint64) page_offset);
  return SQLITE_OK;
}

static int
wal_open_cb (CryptFile     *f,
             guint8        *buf,
             sqlite3_int64  buf_offset,
             int            n,
             sqlite3_int64  page_offset,
             guint32        p,
             gboolean       with_header)
{
  g_autofree guint8 *copy = NULL;
  guint8 *page;
  gboolean whole = page_offset >= buf_offset && page_offset + p <= buf_offset + n;
  int rc;

  if (whole)
    page = buf + (page_offset - buf_offset);
  else
    {
      page = copy = g_malloc (p);
      rc = real_read (f, page, p, page_offset);
      if (rc != SQLITE_OK)
        return rc;
    }

  if (!open_page (f, page, p, 0, (guint64) page_offset))
    {
      /* Read with its frame header, this is recovery scanning the log: a
       * torn last frame after a crash is normal, and zeros make sqlite's
       * own frame checksum reject it. A page read alone is a committed
       * frame: it must authenticate. */
      if (!with_header)
        {
          sqlite3_log (SQLITE_IOERR_DATA, "bhxh-crypt: a WAL frame does not authenticate");
          return SQLITE_IOERR_DATA;
        }
      memset (page, 0, p);
    }
  if (!whole)
    {
      sqlite3_int64 from = MAX (page_offset, buf_offset);
      sqlite3_int64 to = MIN (page_offset + p, buf_offset + n);

      memcpy (buf + (from - buf_offset), page + (from - page_offset), to - from);
    }
  return SQLITE_OK;
}

/* Rollback journal: page images of the page size at offsets ≡ 4 (mod 8),
 * between a 4-byte page number and a 4-byte checksum; headers start at
 * sector boundaries and everything else is shorter than a page. */
static gboolean
journal_is_page (int           n,
                 sqlite3_int64 offset)
{
  return is_page_size (n) && offset % 8 == 4;
}

static int
temp_read (CryptFile     *f,
           void          *buf,
           int            n,
           sqlite3_int64  offset)
{
  int rc = real_read (f, buf, n, offset);
  sqlite3_int64 valid = n;

  if (rc == SQLITE_IOERR_SHORT_READ)
    {
      sqlite3_int64 size = 0;

      f->real->pMethods->xFileSize (f->real, &size);
      valid = CLAMP (size - offset, 0, n);
    }
  else if (rc != SQLITE_OK)
    return rc;
  temp_decipher (f, buf, valid, offset);
  return rc;
}

/* Each block the write touches is enciphered again as a whole (its bytes
 * outside the write read back first) under its next generation. */
static int
temp_write (CryptFile     *f,
            const guint8  *buf,
            int            n,
            sqlite3_int64  offset)
{
  guint8 *block_buf = scratch_get (f, TEMP_BLOCK);
  sqlite3_int64 size = 0;
  int rc;

  if (block_buf == NULL)
    return SQLITE_IOERR_NOMEM;
  if (f->real->pMethods->xFileSize (f->real, &size) != SQLITE_OK)
    return SQLITE_IOERR_WRITE;
  while (n > 0)
    {
      guint64 block = offset / TEMP_BLOCK;
      gsize at = offset % TEMP_BLOCK;
      gsize k = MIN ((gsize) n, TEMP_BLOCK - at);
      sqlite3_int64 start = (sqlite3_int64) block * TEMP_BLOCK;
      gsize len = MIN (start + TEMP_BLOCK, MAX (size, offset + (sqlite3_int64) k)) - start;

      memset (block_buf, 0, len);
      if (at > 0 || at + k < len)
        {
          rc = real_read (f, block_buf, len, start);
          if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
            return rc;
          temp_decipher (f, block_buf, CLAMP (size - start, 0, (sqlite3_int64) len), start);
        }
      memcpy (block_buf + at, buf, k);
      if (!temp_next_generation (f, block))
        return SQLITE_IOERR_NOMEM;
      temp_xor_block (f, block_buf, len, block, 0, temp_generation (f, block));
      rc = f->real->pMethods->xWrite (f->real, block_buf, len, start);
      if (rc != SQLITE_OK)
        return rc;
      size = MAX (size, start + (sqlite3_int64) len);
      buf += k;
      offset += k;
      n -= k;
    }
  return SQLITE_OK;
}

static int
crypt_read (sqlite3_file  *file,
            void          *buf,
            int            n,
            sqlite3_int64  offset)
{
  CryptFile *f = (CryptFile *) file;
  int rc;

  switch (f->kind)
    {
    case KIND_MAIN:
      return main_read (f, buf, n, offset);
    case KIND_WAL:
      rc = real_read (f, buf, n, offset);
      if (rc == SQLITE_OK)
        {
          wal_note_header (f, buf, n, offset);
          rc = wal_foreach_page (f, buf, n, offset, wal_open_cb);
        }
      return rc;
    case KIND_JOURNAL:
      rc = real_read (f, buf, n, offset);
      /* A torn record reads as zeros, which its checksum rejects. */
      if (rc == SQLITE_OK && journal_is_page (n, offset) &&
          !open_page (f, buf, n, 0, (guint64) offset))
        memset (buf, 0, n);
      return rc;
    case KIND_TEMP:
      return temp_read (f, buf, n, offset);
    case KIND_PLAIN:
    default:
      return real_read (f, buf, n, offset);
    }
}

static int
crypt_write (sqlite3_file  *file,
             const void    *buf,
             int            n,
             sqlite3_int64  offset)
{
  CryptFile *f = (CryptFile *) file;
  guint8 *out;
  int rc;

  if (f->kind == KIND_PLAIN)
    return f->real->pMethods->xWrite (f->real, buf, n, offset);
  if (f->kind == KIND_MAIN)
    return main_write (f, buf, n, offset);
  if (f->kind == KIND_TEMP)
    return temp_write (f, buf, n, offset);
  if (f->kind == KIND_JOURNAL && !journal_is_page (n, offset))
    return f->real->pMethods->xWrite (f->real, buf, n, offset);

  out = scratch_get (f, n);
  if (out == NULL)
    return SQLITE_IOERR_NOMEM;
  memcpy (out, buf, n);
  switch (f->kind)
    {
    case KIND_WAL:
      wal_note_header (f, out, n, offset);
      rc = wal_foreach_page (f, out, n, offset, wal_seal_cb);
      if (rc != SQLITE_OK)
        return rc == SQLITE_IOERR ? SQLITE_IOERR_WRITE : rc;
      break;
    case KIND_JOURNAL:
      seal_page (f, buf, out, n, 0, (guint64) offset);
      break;
    case KIND_TEMP:
    case KIND_MAIN:
    case KIND_PLAIN:
    default:
      g_assert_not_reached ();
    }
  return f->real->pMethods->xWrite (f->real, out, n, offset);
}

static int
crypt_close (sqlite3_file *file)
{
  CryptFile *f = (CryptFile *) file;
  int rc = f->real->pMethods != NULL ? f->real->pMethods->xClose (f->real) : SQLITE_OK;

  sodium_memzero (f->temp_key, sizeof f->temp_key);
  sqlite3_free (f->temp_gens);
  f->temp_gens = NULL;
  f->temp_gens_len = 0;
  sqlite3_free (f->scratch);
  f->scratch = NULL;
  f->scratch_len = 0;
  return rc;
}

#define REAL(file) (((CryptFile *) (file))->real)

static int
crypt_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
crypt_sync (sqlite3_file *file, int flags)
{
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
crypt_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
crypt_lock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
crypt_unlock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
crypt_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
crypt_file_control (sqlite3_file *file, int op, void *arg)
{
  CryptFile *f = (CryptFile *) file;

  if (op == SQLITE_FCNTL_VFSNAME)
    {
      *(char **) arg = sqlite3_mprintf ("%s", f->key->name);
      return SQLITE_OK;
    }
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
crypt_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
crypt_device_characteristics (sqlite3_file *file)
{
  /* Batch-atomic writes would bypass the journal's page images. */
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file)) &
         ~SQLITE_IOCAP_BATCH_ATOMIC;
}

static int
crypt_shm_map (sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), region, size, extend, out);
}

static int
crypt_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
crypt_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
crypt_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

/* Version 2: no xFetch, so sqlite never maps pages it would read in clear. */
static const sqlite3_io_methods crypt_io_methods = {
  2,
  crypt_close,
  crypt_read,
  crypt_write,
  crypt_truncate,
  crypt_sync,
  crypt_file_size,
  crypt_lock,
  crypt_unlock,
  crypt_check_reserved_lock,
  crypt_file_control,
  crypt_sector_size,
  crypt_device_characteristics,
  crypt_shm_map,
  crypt_shm_lock,
  crypt_shm_barrier,
  crypt_shm_unmap,
  NULL,
  NULL,
};

static FileKind
kind_from_flags (int flags)
{
  if (flags & SQLITE_OPEN_MAIN_DB)
    return KIND_MAIN;
  if (flags & SQLITE_OPEN_WAL)
    return KIND_WAL;
  if (flags & SQLITE_OPEN_MAIN_JOURNAL)
    return KIND_JOURNAL;
  if (flags & (SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_SUBJOURNAL |
               SQLITE_OPEN_TRANSIENT_DB))
    return KIND_TEMP;
  /* The super-journal holds file names only. */
  return KIND_PLAIN;
}

/* The registry mirror is the store's path + "-mirror" (and its copies
 * being written: "-mirror.new", "-mirror.encrypting"). */
static guint8
file_role (FileKind         kind,
           sqlite3_filename name)
{
  const char *db;
  const char *base;

  if (name == NULL || (kind != KIND_MAIN && kind != KIND_WAL && kind != KIND_JOURNAL))
    return 0;
  db = kind == KIND_MAIN ? name : sqlite3_filename_database (name);
  if (db == NULL)
    return 0;
  base = strrchr (db, '/');
  return strstr (base != NULL ? base : db, "-mirror") != NULL ? 1 : 0;
}

static int
crypt_open (sqlite3_vfs     *vfs,
            sqlite3_filename name,
            sqlite3_file    *file,
            int              flags,
            int             *out_flags)
{
  BhxhCryptKey *key = vfs->pAppData;
  CryptFile *f = (CryptFile *) file;
  int rc;

  memset (f, 0, sizeof *f);
  f->key = key;
  f->real = (sqlite3_file *) ((guint8 *) file + ROUND8 (sizeof (CryptFile)));
  f->kind = kind_from_flags (flags);
  f->role = file_role (f->kind, name);
  f->reserve = -1;
  randombytes_buf (f->nonce_prefix, sizeof f->nonce_prefix);
  if (f->kind == KIND_TEMP)
    {
      randombytes_buf (f->temp_key, sizeof f->temp_key);
      randombytes_buf (f->temp_nonce, sizeof f->temp_nonce);
    }

  rc = key->root->xOpen (key->root, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      /* sqlite calls xClose only when pMethods is set. */
      if (f->real->pMethods != NULL)
        f->real->pMethods->xClose (f->real);
      return rc;
    }
  f->base.pMethods = &crypt_io_methods;
  return SQLITE_OK;
}

#define ROOT(vfs) (((BhxhCryptKey *) (vfs)->pAppData)->root)

static int
crypt_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  return ROOT (vfs)->xDelete (ROOT (vfs), name, sync_dir);
}

static int
crypt_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  return ROOT (vfs)->xAccess (ROOT (vfs), name, flags, out);
}

static int
crypt_full_pathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  return ROOT (vfs)->xFullPathname (ROOT (vfs), name, n, out);
}

static void *
crypt_dl_open (sqlite3_vfs *vfs, const char *name)
{
  return ROOT (vfs)->xDlOpen (ROOT (vfs), name);
}

static void
crypt_dl_error (sqlite3_vfs *vfs, int n, char *out)
{
  ROOT (vfs)->xDlError (ROOT (vfs), n, out);
}

static void (*crypt_dl_sym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  return ROOT (vfs)->xDlSym (ROOT (vfs), handle, symbol);
}

static void
crypt_dl_close (sqlite3_vfs *vfs, void *handle)
{
  ROOT (vfs)->xDlClose (ROOT (vfs), handle);
}

static int
crypt_randomness (sqlite3_vfs *vfs, int n, char *out)
{
  return ROOT (vfs)->xRandomness (ROOT (vfs), n, out);
}

static int
crypt_sleep (sqlite3_vfs *vfs, int us)
{
  return ROOT (vfs)->xSleep (ROOT (vfs), us);
}

static int
crypt_current_time (sqlite3_vfs *vfs, double *out)
{
  return ROOT (vfs)->xCurrentTime (ROOT (vfs), out);
}

static int
crypt_get_last_error (sqlite3_vfs *vfs, int n, char *out)
{
  return ROOT (vfs)->xGetLastError (ROOT (vfs), n, out);
}

static int
crypt_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  return ROOT (vfs)->xCurrentTimeInt64 (ROOT (vfs), out);
}

static guint8 *
secure_copy (const guint8 *material)
{
  guint8 *copy = sodium_malloc (KEY_BYTES);

  memcpy (copy, material, KEY_BYTES);
  sodium_mprotect_readonly (copy);
  return copy;
}

/* @master: 32 bytes; @legacy: format 1, whose page key was @master itself. */
static BhxhCryptKey *
key_new (const guint8 *master,
         gboolean      legacy,
         guint         serial)
{
  BhxhCryptKey *key = g_new0 (BhxhCryptKey, 1);
  sqlite3_vfs *root = sqlite3_vfs_find (NULL);
  guint8 subkey[KEY_BYTES];

  key->root = root;
  key->legacy = legacy;
  if (legacy)
    key->key = secure_copy (master);
  else
    {
      crypto_kdf_derive_from_key (subkey, sizeof subkey, 1, "bhxhpage", master);
      key->key = secure_copy (subkey);
    }
  crypto_kdf_derive_from_key (subkey, sizeof subkey, 2, "bhxhaudt", master);
  key->audit_key = secure_copy (subkey);
  crypto_kdf_derive_from_key (subkey, sizeof subkey, 3, "bhxhseal", master);
  key->seal_key = secure_copy (subkey);
  sodium_memzero (subkey, sizeof subkey);
  g_snprintf (key->name, sizeof key->name, "bhxh-crypt-%u", serial);

  key->vfs.iVersion = 2;
  key->vfs.szOsFile = ROUND8 (sizeof (CryptFile)) + root->szOsFile;
  key->vfs.mxPathname = root->mxPathname;
  key->vfs.zName = key->name;
  key->vfs.pAppData = key;
  key->vfs.xOpen = crypt_open;
  key->vfs.xDelete = crypt_delete;
  key->vfs.xAccess = crypt_access;
  key->vfs.xFullPathname = crypt_full_pathname;
  key->vfs.xDlOpen = crypt_dl_open;
  key->vfs.xDlError = crypt_dl_error;
  key->vfs.xDlSym = crypt_dl_sym;
  key->vfs.xDlClose = crypt_dl_close;
  key->vfs.xRandomness = crypt_randomness;
  key->vfs.xSleep = crypt_sleep;
  key->vfs.xCurrentTime = crypt_current_time;
  key->vfs.xGetLastError = crypt_get_last_error;
  key->vfs.xCurrentTimeInt64 = crypt_current_time_int64;

  return key;
}

static gboolean
sodium_ready (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                   _("The cryptography library could not be initialised"));
      return FALSE;
    }
  return TRUE;
}

/* A generated key: exactly 64 hex digits. */
static gboolean
secret_is_generated_key (const char *secret,
                         gsize       length,
                         guint8     *out)
{
  const char *end = NULL;
  size_t bin_len = 0;

  return length == 2 * KEY_BYTES &&
         sodium_hex2bin (out, KEY_BYTES, secret, length, NULL, &bin_len, &end) == 0 &&
         bin_len == KEY_BYTES && end == secret + length;
}

static BhxhCryptKey *
key_register (const guint8 *master,
              gboolean      legacy)
{
  static guint serial;
  BhxhCryptKey *key = key_new (master, legacy, ++serial);

  sqlite3_vfs_register (&key->vfs, 0);
  return key;
}

/* Called with the lock held; %NULL when out of memory. */
static BhxhCryptKey *
key_derive (const void *secret,
            gsize       length)
{
  guint8 master[KEY_BYTES];
  BhxhCryptKey *key;

  if (secret_is_generated_key (secret, length, master))
    {
      key = key_register (master, FALSE);
      sodium_memzero (master, sizeof master);
      return key;
    }
  if (crypto_pwhash (master, sizeof master, secret, length, kdf_salt,
                     crypto_pwhash_OPSLIMIT_INTERACTIVE,
                     crypto_pwhash_MEMLIMIT_INTERACTIVE,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    return NULL;
  key = key_register (master, FALSE);
  /* Stores encrypted before the page's role was authenticated. */
  key->legacy_twin = key_register (master, TRUE);
  sodium_memzero (master, sizeof master);
  return key;
}

/**
 * bhxh_crypt_key_from_secret:
 * @secret: a generated key (64 hex digits, bhxh_crypt_generate_key_file())
 *   or an admin passphrase (at least 16 bytes)
 * @length: its length
 * @error: return location for a #BhxhStoreError
 *
 * A generated key is expanded with BLAKE2b (crypto_kdf); a passphrase is
 * derived with Argon2id first (libsodium crypto_pwhash, 64 MiB, 2 passes:
 * the "interactive" limits). Registers the key's VFS; the same secret
 * gives the same key, derived once per process.
 *
 * Returns: (transfer none): the key, or %NULL with @error set
 */
const BhxhCryptKey *
bhxh_crypt_key_from_secret (const void  *secret,
                            gsize        length,
                            GError     **error)
{
  guint8 digest[32];
  g_autofree char *id = NULL;
  BhxhCryptKey *key;

  g_return_val_if_fail (secret != NULL || length == 0, NULL);

  if (!sodium_ready (error))
    return NULL;
  if (length < 16)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The database secret is too short: it needs at least 16 characters"));
      return NULL;
    }

  crypto_generichash (digest, sizeof digest, secret, length, NULL, 0);
  id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, digest, sizeof digest);

  G_LOCK (keys);
  if (keys == NULL)
    keys = g_hash_table_new (g_str_hash, g_str_equal);
  key = g_hash_table_lookup (keys, id);
  if (key == NULL)
    {
      key = key_derive (secret, length);
      if (key == NULL)
        {
          G_UNLOCK (keys);
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                       _("Not enough memory to derive the database key"));
          return NULL;
        }
      g_hash_table_insert (keys, g_steal_pointer (&id), key);
    }
  G_UNLOCK (keys);

  return key;
}

/**
 * bhxh_crypt_generate_key_file:
 * @file: where to write the key
 * @error: return location for a #BhxhStoreError
 *
 * Writes a new random key (32 bytes as 64 hex digits) to @file, readable
 * by its owner only (0600); refuses to overwrite an existing file.
 *
 * Returns: %TRUE when written
 */
gboolean
bhxh_crypt_generate_key_file (const char  *file,
                              GError     **error)
{
  g_autofree char *tmp = NULL;
  guint8 raw[KEY_BYTES];
  char hex[2 * KEY_BYTES + 2];
  int fd, saved = 0;
  gboolean ok;

  g_return_val_if_fail (file != NULL, FALSE);

  if (!sodium_ready (error))
    return FALSE;
  /* Written whole beside it, then linked to its name: a crash never leaves
   * an empty key, and an existing key is never replaced. */
  tmp = g_strdup_printf ("%s.%08x.tmp", file, randombytes_random ());
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                   _("Cannot create the key file %s: %s"), file, g_strerror (saved));
      return FALSE;
    }
  randombytes_buf (raw, sizeof raw);
  sodium_bin2hex (hex, sizeof hex, raw, sizeof raw);
  hex[2 * KEY_BYTES] = '\n';
  ok = write (fd, hex, 2 * KEY_BYTES + 1) == 2 * KEY_BYTES + 1 && fsync (fd) == 0;
  if (!ok)
    saved = errno;
  close (fd);
  sodium_memzero (raw, sizeof raw);
  sodium_memzero (hex, sizeof hex);
  if (ok && link (tmp, file) != 0)
    {
      ok = FALSE;
      saved = errno;
    }
  g_unlink (tmp);
  if (!ok)
    g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                 _("Cannot write the key file %s: %s"), file, g_strerror (saved));
  return ok;
}

/**
 * bhxh_crypt_key_path_for_store:
 * @path: a store's database file
 *
 * Returns: (transfer full): where the store's own key file is: `<path>.key`
 */
char *
bhxh_crypt_key_path_for_store (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_strconcat (path, ".key", NULL);
}

/**
 * bhxh_crypt_key_for_store:
 * @path: a store's database file
 * @in_clear: (out) (optional): set when the store is kept in clear
 * @error: return location for a #BhxhStoreError
 *
 * The key every program opens @path with — encrypted by default: the key
 * configured for the process (bhxh_crypt_key_from_environment()), else the
 * key file beside the store (`<path>.key`, mode 0600), generated for a
 * store that does not exist yet. Only a store an earlier version kept in
 * clear opens in clear (until `bhxh-deskctl crypt encrypt`).
 *
 * Returns: (transfer none) (nullable): the key; %NULL with @error set, or
 *   without for an existing store with no key beside it (@in_clear tells
 *   whether it is in clear; opening an encrypted one without its key fails
 *   with a clear message)
 */
const BhxhCryptKey *
bhxh_crypt_key_for_store (const char  *path,
                          gboolean    *in_clear,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *file = NULL;
  const BhxhCryptKey *key;

  g_return_val_if_fail (path != NULL, NULL);

  if (in_clear != NULL)
    *in_clear = FALSE;
  key = bhxh_crypt_key_from_environment (&local_error);
  if (key != NULL || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return key;
    }

  file = bhxh_crypt_key_path_for_store (path);
  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    {
      /* An existing store: in clear, or encrypted with a key kept
       * elsewhere (opening it says so). */
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          if (in_clear != NULL)
            *in_clear = !bhxh_crypt_file_is_encrypted (path);
          return NULL;
        }
      /* Another process may have made it meanwhile: then it is read. */
      if (!bhxh_crypt_generate_key_file (file, &local_error) &&
          !g_file_test (file, G_FILE_TEST_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  return bhxh_crypt_key_from_file (file, error);
}

/**
 * bhxh_crypt_key_get_audit_key:
 * @key: a key
 *
 * The subkey that keys the audit chain's HMAC (32 bytes): whoever holds
 * the files but not the key cannot re-chain the trail.
 *
 * Returns: (transfer none): 32 bytes
 */
const guint8 *
bhxh_crypt_key_get_audit_key (const BhxhCryptKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return key->audit_key;
}

/* The format-1 twin of @key, or %NULL (generated keys never had one). */
const BhxhCryptKey *
_bhxh_crypt_key_get_legacy (const BhxhCryptKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return key->legacy_twin;
}

/**
 * bhxh_crypt_key_from_file:
 * @file: a file holding the admin secret (trailing white space ignored)
 * @error: return location for a #BhxhStoreError
 *
 * A key file its group or others may use at all is refused
 * (%BHXH_STORE_ERROR_KEY, naming the fix: bhxh_secret_file_read()).
 *
 * Returns: (transfer none): the key, or %NULL with @error set
 */
const BhxhCryptKey *
bhxh_crypt_key_from_file (const char  *file,
                          GError     **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) local_error = NULL;
  const BhxhCryptKey *key;

  g_return_val_if_fail (file != NULL, NULL);

  /* Refused when others may read it; wiped when freed. */
  contents = bhxh_secret_file_read (file, &local_error);
  if (contents == NULL)
    {
      if (g_error_matches (local_error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_FILE_MODE))
        g_set_error_literal (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                             local_error->message);
      else
        g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                     _("Cannot read the database key file: %s"), local_error->message);
      return NULL;
    }
  key = bhxh_crypt_key_from_secret (g_bytes_get_data (contents, NULL),
                                    g_bytes_get_size (contents), error);
  if (key == NULL)
    g_prefix_error (error, "%s: ", file);

  return key;
}

/**
 * bhxh_crypt_key_from_environment:
 * @error: return location for a #BhxhStoreError
 *
 * The key configured for this process: the secret in the file named by
 * `BHXH_DESK_KEY_FILE`, else with `BHXH_DESK_KEYRING=1` the secret kept in
 * the OS keyring.
 *
 * Returns: (transfer none) (nullable): the key; %NULL with @error unset
 *   when none is configured
 */
const BhxhCryptKey *
bhxh_crypt_key_from_environment (GError **error)
{
  const char *file = g_getenv (BHXH_CRYPT_KEY_FILE_ENV);
  const char *keyring = g_getenv (BHXH_CRYPT_KEYRING_ENV);

  if (file != NULL && *file != '\0')
    return bhxh_crypt_key_from_file (file, error);
  if (g_strcmp0 (keyring, "1") == 0)
    return bhxh_crypt_key_from_keyring (error);
  return NULL;
}

const char *
bhxh_crypt_key_get_vfs_name (const BhxhCryptKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return key->name;
}

/* OS keyring. */

#ifdef HAVE_LIBSECRET
static const SecretSchema *
keyring_schema (void)
{
  static const SecretSchema schema = {
    "vn.bhxh.Desk.DatabaseSecret", SECRET_SCHEMA_NONE,
    {
      { "purpose", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}
#endif

gboolean
bhxh_crypt_keyring_available (void)
{
#ifdef HAVE_LIBSECRET
  return TRUE;
#else
  return FALSE;
#endif
}

/**
 * bhxh_crypt_key_from_keyring:
 * @error: return location for a #BhxhStoreError
 *
 * Derives the key from the admin secret kept in the OS keyring (Secret
 * Service, attribute purpose=database).
 *
 * Returns: (transfer none): the key, or %NULL with @error set
 */
const BhxhCryptKey *
bhxh_crypt_key_from_keyring (GError **error)
{
#ifdef HAVE_LIBSECRET
  g_autoptr(GError) local_error = NULL;
  char *secret = secret_password_lookup_sync (keyring_schema (), NULL, &local_error,
                                              "purpose", "database", NULL);
  const BhxhCryptKey *key;

  if (secret == NULL)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                   _("The OS keyring holds no database secret: %s"),
                   local_error != NULL ? local_error->message : _("not found"));
      return NULL;
    }
  key = bhxh_crypt_key_from_secret (secret, strlen (secret), error);
  secret_password_free (secret);
  return key;
#else
  g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
               _("This build has no OS keyring support: give the database key file "
                 "in BHXH_DESK_KEY_FILE"));
  return NULL;
#endif
}

/**
 * bhxh_crypt_keyring_store:
 * @secret: the admin secret
 * @error: return location for a #BhxhStoreError
 *
 * Keeps @secret in the OS keyring for bhxh_crypt_key_from_keyring().
 *
 * Returns: %TRUE when stored
 */
gboolean
bhxh_crypt_keyring_store (const char  *secret,
                          GError     **error)
{
  g_return_val_if_fail (secret != NULL, FALSE);

#ifdef HAVE_LIBSECRET
  {
    g_autoptr(GError) local_error = NULL;

    if (!secret_password_store_sync (keyring_schema (), SECRET_COLLECTION_DEFAULT,
                                     _("bhxh-desk database secret"), secret, NULL,
                                     &local_error, "purpose", "database", NULL))
      {
        g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                     _("Cannot keep the database secret in the OS keyring: %s"),
                     local_error->message);
        return FALSE;
      }
    return TRUE;
  }
#else
  g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
               _("This build has no OS keyring support: give the database key file "
                 "in BHXH_DESK_KEY_FILE"));
  return FALSE;
#endif
}

/* Hooks for the store. */

static BhxhCryptKey *
key_of (sqlite3 *db)
{
  sqlite3_vfs *vfs = NULL;

  if (db == NULL ||
      sqlite3_file_control (db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK ||
      vfs == NULL || vfs->xOpen != crypt_open)
    return NULL;
  return vfs->pAppData;
}

/* Sealed files: what the store keeps beside its database (the registry
 * snapshot the next mirror delta applies to) under the store's key —
 * "BHXHSL01", a random 24-byte nonce, then XChaCha20-Poly1305 of the
 * contents; the associated data binds the file to its label (the mirror
 * version), so one sealed file cannot stand in for another. */

#define SEAL_MAGIC "BHXHSL01"
#define SEAL_MAGIC_LEN 8
#define SEAL_HEADER (SEAL_MAGIC_LEN + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)

/**
 * bhxh_store_is_encrypted:
 *
 * Returns: whether @self is encrypted at rest
 */
gboolean
bhxh_store_is_encrypted (BhxhStore *self)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  return key_of (self->db) != NULL;
}

gboolean
bhxh_crypt_is_sealed (const guint8 *data,
                      gsize         length)
{
  return length >= SEAL_HEADER + crypto_aead_xchacha20poly1305_ietf_ABYTES &&
         memcmp (data, SEAL_MAGIC, SEAL_MAGIC_LEN) == 0;
}

static GByteArray *
seal_ad (const char *label)
{
  GByteArray *ad = g_byte_array_new ();

  g_byte_array_append (ad, (const guint8 *) SEAL_MAGIC, SEAL_MAGIC_LEN);
  g_byte_array_append (ad, (const guint8 *) label, strlen (label));
  return ad;
}

/**
 * bhxh_store_write_sealed:
 * @label: what the file is (bound to it: opening needs the same label)
 * @dest: the file, replaced atomically (mode 0600)
 *
 * Writes @data to @dest sealed with the store's key; in clear (0600) when
 * the store itself is kept in clear.
 */
gboolean
bhxh_store_write_sealed (BhxhStore     *self,
                         const char    *label,
                         const void    *data,
                         gsize          length,
                         const char    *dest,
                         GError       **error)
{
  BhxhCryptKey *key;
  g_autoptr(GByteArray) ad = NULL;
  guint8 *out;
  unsigned long long sealed_length = 0;
  gboolean ok;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (label != NULL && dest != NULL, FALSE);

  key = key_of (self->db);
  if (key == NULL)
    return g_file_set_contents_full (dest, data, (gssize) length,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  ad = seal_ad (label);
  out = g_malloc (SEAL_HEADER + length + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  memcpy (out, SEAL_MAGIC, SEAL_MAGIC_LEN);
  randombytes_buf (out + SEAL_MAGIC_LEN, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + SEAL_HEADER, &sealed_length, data, length,
                                              ad->data, ad->len, NULL, out + SEAL_MAGIC_LEN,
                                              key->seal_key);
  ok = g_file_set_contents_full (dest, (const char *) out, (gssize) (SEAL_HEADER + sealed_length),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  g_free (out);
  return ok;
}

/**
 * bhxh_store_read_sealed:
 * @label: the label it was written with
 *
 * Reads a file bhxh_store_write_sealed() wrote (a file in clear only for a
 * store kept in clear).
 *
 * Returns: (transfer full): the contents, or %NULL with @error set (a
 *   sealed file that does not open: %BHXH_STORE_ERROR_KEY)
 */
GBytes *
bhxh_store_read_sealed (BhxhStore   *self,
                        const char  *label,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GByteArray) ad = NULL;
  g_autofree guint8 *plain = NULL;
  g_autofree char *data = NULL;
  unsigned long long plain_length = 0;
  BhxhCryptKey *key;
  gsize length = 0;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  key = key_of (self->db);
  if (!bhxh_crypt_is_sealed ((const guint8 *) data, length))
    {
      if (key == NULL)
        return g_bytes_new_take (g_steal_pointer (&data), length);
      /* The store is encrypted: a file in clear is not one it wrote. */
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                   _("%s is not sealed with the store's key"), path);
      return NULL;
    }
  ad = seal_ad (label);
  plain = g_malloc (length);
  if (key == NULL ||
      crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_length, NULL,
                                                  (const guint8 *) data + SEAL_HEADER,
                                                  length - SEAL_HEADER, ad->data, ad->len,
                                                  (const guint8 *) data + SEAL_MAGIC_LEN,
                                                  key->seal_key) != 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                   _("%s does not open with the store's key, or was altered"), path);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&plain), plain_length);
}

const char *
_bhxh_crypt_vfs_of (sqlite3 *db)
{
  BhxhCryptKey *key = key_of (db);

  return key != NULL ? key->name : NULL;
}

int
_bhxh_crypt_prepare (sqlite3    *db,
                     const char *schema)
{
  int reserve = BHXH_CRYPT_RESERVE;
  char *sql;
  int rc;

  if (key_of (db) == NULL)
    return SQLITE_OK;
  /* Takes effect on a new, empty file only; an existing one keeps its own. */
  sqlite3_file_control (db, schema, SQLITE_FCNTL_RESERVE_BYTES, &reserve);
  /* A page read again from sqlite's cache is not opened again: a larger
   * cache than sqlite's 2 MiB (docs/encryption.md has the figures). */
  sql = sqlite3_mprintf ("PRAGMA \"%w\".cache_size = -%d", schema, BHXH_CRYPT_CACHE_KIB);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_free (sql);
  return rc;
}

/* Reads the first @length bytes of @path through SQLite's own default VFS,
 * never with open()/close() of our own: closing any descriptor of a file
 * drops every POSIX lock the process holds on it, so a plain close() here
 * while a connection of this process has the database open would let
 * another process think it is the last user and delete the live WAL (what
 * bhxh-deskd did each time it opened a session's connection). The unix VFS
 * shares one inode record per process and keeps such a descriptor until
 * the locks are gone. */
static gboolean
read_header (const char *path,
             guint8     *header,
             gsize       length,
             gboolean   *empty)
{
  sqlite3_vfs *vfs = sqlite3_vfs_find (NULL);
  g_autofree char *full = NULL;
  g_autofree sqlite3_file *file = NULL;
  sqlite3_int64 size = 0;
  int flags = 0;
  gboolean ok = FALSE;
  GStatBuf st;

  *empty = FALSE;
  if (g_stat (path, &st) != 0)
    {
      *empty = errno == ENOENT;
      return FALSE;
    }
  full = g_malloc0 (vfs->mxPathname + 1);
  file = g_malloc0 (vfs->szOsFile);
  if (vfs->xFullPathname (vfs, path, vfs->mxPathname + 1, full) != SQLITE_OK ||
      vfs->xOpen (vfs, full, file, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READONLY,
                  &flags) != SQLITE_OK)
    {
      if (file->pMethods != NULL)
        file->pMethods->xClose (file);
      return FALSE;
    }
  if (file->pMethods->xFileSize (file, &size) == SQLITE_OK)
    {
      *empty = size == 0;
      ok = size >= (sqlite3_int64) length &&
           file->pMethods->xRead (file, header, (int) length, 0) == SQLITE_OK;
    }
  file->pMethods->xClose (file);
  return ok;
}

gboolean
_bhxh_crypt_file_looks_encrypted (const char *path)
{
  guint8 header[HEADER_BYTES];
  gboolean empty;

  return read_header (path, header, sizeof header, &empty) &&
         memcmp (header, "SQLite format 3", 16) == 0 &&
         header[20] == BHXH_CRYPT_RESERVE;
}

gboolean
bhxh_crypt_file_is_encrypted (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return _bhxh_crypt_file_looks_encrypted (path);
}

gboolean
_bhxh_crypt_check_file_with_key (const BhxhCryptKey  *key,
                                 const char          *path,
                                 GError             **error)
{
  g_autofree guint8 *page = g_malloc (MAX_PAGE);
  CryptFile f = { .key = key, .kind = KIND_MAIN, .role = file_role (KIND_MAIN, path) };
  gboolean empty;
  int p;

  g_return_val_if_fail (path != NULL, FALSE);

  if (key == NULL)
    {
      if (!_bhxh_crypt_file_looks_encrypted (path))
        return TRUE;
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                   _("The database %s is encrypted: its key is needed "
                     "(a key file named in BHXH_DESK_KEY_FILE)"), path);
      return FALSE;
    }
  if (!read_header (path, page, HEADER_BYTES, &empty))
    {
      if (empty)
        return TRUE;
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT,
                   _("The database file %s is damaged or is not a bhxh-desk database"), path);
      return FALSE;
    }
  p = (page[16] << 8) | page[17];
  p = p == 1 ? MAX_PAGE : p;
  if (memcmp (page, "SQLite format 3", 16) != 0 || !is_page_size (p))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT,
                   _("The database file %s is damaged or is not a bhxh-desk database"), path);
      return FALSE;
    }
  if (page[20] != BHXH_CRYPT_RESERVE)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                   _("The database %s is not encrypted, but a database key is configured"),
                   path);
      return FALSE;
    }
  {
    gboolean full = read_header (path, page, p, &empty);

    if (!full || !open_page (&f, page, p, HEADER_BYTES, 1))
      {
        g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                     _("The database key does not open %s: wrong key, or the file "
                       "was altered"), path);
        return FALSE;
      }
  }
  return TRUE;
}

gboolean
_bhxh_crypt_check_file (sqlite3     *db,
                        const char  *path,
                        GError     **error)
{
  return _bhxh_crypt_check_file_with_key (key_of (db), path, error);
}

/* Encrypting a database kept in clear so far. */

static gboolean
sync_path (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok = fd >= 0 && fsync (fd) == 0;

  if (fd >= 0)
    close (fd);
  return ok;
}

static void
remove_side_files (const char *path)
{
  const char *suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (path, suffixes[i], NULL);

      g_unlink (side);
    }
}

/* VACUUM INTO a new file through @key's VFS, reading @path through
 * @from's (%NULL: in clear), then rename it over. */
static gboolean
reencrypt_file (const char          *path,
                const BhxhCryptKey  *from,
                const BhxhCryptKey  *key,
                GError             **error)
{
  g_autofree char *tmp = g_strconcat (path, ".encrypting", NULL);
  g_autofree char *escaped = g_uri_escape_string (tmp, "/", FALSE);
  g_autofree char *uri = g_strdup_printf ("file:%s?vfs=%s", escaped, key->name);
  g_autofree char *dir = g_path_get_dirname (path);
  int reserve = BHXH_CRYPT_RESERVE;
  sqlite3 *db = NULL;
  char *sql;
  int rc;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  /* Done already (a run cut short and started again): nothing to do. */
  if (_bhxh_crypt_file_looks_encrypted (path) &&
      _bhxh_crypt_check_file_with_key (key, path, NULL))
    return TRUE;
  if (!_bhxh_crypt_check_file_with_key (from, path, error))
    return FALSE;

  g_unlink (tmp);
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI,
                        from != NULL ? from->name : NULL);
  /* Out of WAL mode first: the old WAL must not outlive the old file. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    {
      /* The copy reserves the bytes for nonce and tag in every page. */
      sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
      sql = sqlite3_mprintf ("VACUUM INTO %Q", uri);
      rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
      sqlite3_free (sql);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                   _("Cannot encrypt %s: %s"), path, sqlite3_errmsg (db));
      sqlite3_close (db);
      g_unlink (tmp);
      return FALSE;
    }
  sqlite3_close (db);

  if (!sync_path (tmp) || !_bhxh_crypt_check_file_with_key (key, tmp, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                     _("Cannot encrypt %s: the new file cannot be written"), path);
      g_unlink (tmp);
      return FALSE;
    }
  remove_side_files (path);
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                   _("Cannot encrypt %s: %s"), path, g_strerror (saved));
      g_unlink (tmp);
      return FALSE;
    }
  sync_path (dir);
  return TRUE;
}

/**
 * bhxh_crypt_encrypt_database:
 * @path: a store's database file, kept in clear so far
 * @key: the key to encrypt it with
 * @error: return location for a #BhxhStoreError
 *
 * Rewrites the database and its registry mirror encrypted with @key, each
 * through a new file renamed over the old one. No other process may have
 * the store open. Files already encrypted with @key are left alone, so a
 * run cut short can be run again.
 *
 * Returns: %TRUE when both files are encrypted
 */
gboolean
bhxh_crypt_encrypt_database (const char          *path,
                             const BhxhCryptKey  *key,
                             GError             **error)
{
  g_autofree char *mirror = NULL;

  g_return_val_if_fail (path != NULL && key != NULL, FALSE);

  mirror = g_strconcat (path, "-mirror", NULL);
  return reencrypt_file (mirror, NULL, key, error) && reencrypt_file (path, NULL, key, error);
}

/**
 * bhxh_crypt_rekey_database:
 * @path: a store's database file, encrypted with @old_key
 * @old_key: its key
 * @new_key: the key to encrypt it with from now on
 * @error: return location for a #BhxhStoreError
 *
 * Like bhxh_crypt_encrypt_database(), from one key to another (when a key
 * file may have leaked). Files already under @new_key are left alone.
 *
 * Returns: %TRUE when both files are under @new_key
 */
gboolean
bhxh_crypt_rekey_database (const char          *path,
                           const BhxhCryptKey  *old_key,
                           const BhxhCryptKey  *new_key,
                           GError             **error)
{
  g_autofree char *mirror = NULL;

  g_return_val_if_fail (path != NULL && old_key != NULL && new_key != NULL, FALSE);

  mirror = g_strconcat (path, "-mirror", NULL);
  if (!reencrypt_file (mirror, old_key, new_key, error) ||
      !reencrypt_file (path, old_key, new_key, error))
    return FALSE;
  /* The audit chain's key follows the store key; run again after a crash,
   * this step finds what is left to do. */
  {
    g_autoptr(BhxhStore) store = bhxh_store_open_with_key (path, new_key, error);

    return store != NULL && _bhxh_store_audit_rekey (store, old_key->audit_key, error);
  }
}
