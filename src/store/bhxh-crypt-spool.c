/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "bhxh-crypt.h"
#include "bhxh-store-private.h"

/* Spools (docs/encryption.md): where a download of the registry lands
 * before it is checked — a file enciphered as it is written, XChaCha20 by
 * offset under a random key and nonce held only in this process's memory.
 * No tag: what is read back is checked whole (its SHA-256, the portal's
 * signature) before it is used, and the file dies with the spool. sqlite
 * reads it through the "bhxh-spool" VFS: read-only, immutable, deciphered
 * page by page. So the registry is never on disk in clear, and a snapshot
 * of 5M persons does not have to fit in memory. */

#define SPOOL_VFS_NAME "bhxh-spool"
#define CHUNK (64 * 1024)

struct _BhxhSpool
{
  char    *path;
  int      fd;
  guint64  pos;     /* of the writer */
  guint8   key[crypto_stream_xchacha20_KEYBYTES];
  guint8   nonce[crypto_stream_xchacha20_NONCEBYTES];
};

static GMutex spools_lock;
static GHashTable *spools;   /* path → BhxhSpool, the live ones */

/* Enciphers or deciphers @buf, which stands at @offset of the file. */
static void
spool_xor (const BhxhSpool *self,
           guint8          *buf,
           gsize            len,
           guint64          offset)
{
  guint64 block = offset / 64;
  gsize skip = offset % 64;

  if (skip != 0 && len > 0)
    {
      guint8 stream[64] = { 0 };
      gsize n = MIN (64 - skip, len);

      crypto_stream_xchacha20_xor_ic (stream, stream, sizeof stream, self->nonce, block,
                                      self->key);
      for (gsize i = 0; i < n; i++)
        buf[i] ^= stream[skip + i];
      buf += n;
      len -= n;
      block++;
      sodium_memzero (stream, sizeof stream);
    }
  if (len > 0)
    crypto_stream_xchacha20_xor_ic (buf, buf, len, self->nonce, block, self->key);
}

/**
 * bhxh_spool_new:
 * @path: the file to write (made anew, mode 0600; removed with the spool)
 *
 * Returns: (transfer full): a spool, or %NULL with @error set
 */
BhxhSpool *
bhxh_spool_new (const char  *path,
                GError     **error)
{
  BhxhSpool *self;
  int fd;

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                           _("The cryptography library could not be initialised"));
      return NULL;
    }
  g_unlink (path);
  fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, BHXH_STORE_ERROR,
                   saved == ENOSPC ? BHXH_STORE_ERROR_FULL : BHXH_STORE_ERROR_IO,
                   _("Cannot write %s: %s"), path, g_strerror (saved));
      return NULL;
    }
  self = g_new0 (BhxhSpool, 1);
  self->path = g_strdup (path);
  self->fd = fd;
  randombytes_buf (self->key, sizeof self->key);
  randombytes_buf (self->nonce, sizeof self->nonce);
  g_mutex_lock (&spools_lock);
  if (spools == NULL)
    spools = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_replace (spools, self->path, self);
  g_mutex_unlock (&spools_lock);

  return self;
}

void
bhxh_spool_free (BhxhSpool *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&spools_lock);
  if (g_hash_table_lookup (spools, self->path) == self)
    g_hash_table_remove (spools, self->path);
  g_mutex_unlock (&spools_lock);
  close (self->fd);
  g_unlink (self->path);
  sodium_memzero (self->key, sizeof self->key);
  g_free (self->path);
  g_free (self);
}

const char *
bhxh_spool_get_path (BhxhSpool *self)
{
  return self->path;
}

guint64
bhxh_spool_get_size (BhxhSpool *self)
{
  struct stat st;

  return fstat (self->fd, &st) == 0 ? (guint64) st.st_size : 0;
}

/* Empties it, for a download that starts over. */
gboolean
bhxh_spool_truncate (BhxhSpool *self)
{
  return ftruncate (self->fd, 0) == 0;
}

/* The live spool at @path, if this process has one. */
BhxhSpool *
_bhxh_spool_lookup (const char *path)
{
  BhxhSpool *spool = NULL;

  g_mutex_lock (&spools_lock);
  if (spools != NULL)
    spool = g_hash_table_lookup (spools, path);
  g_mutex_unlock (&spools_lock);

  return spool;
}

/**
 * bhxh_spool_read:
 *
 * Reads and deciphers up to @len bytes at @offset.
 *
 * Returns: the number of bytes read (short at the end), or -1 (errno set)
 */
gssize
bhxh_spool_read (BhxhSpool *self,
                 guint64    offset,
                 void      *buf,
                 gsize      len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = pread (self->fd, (guint8 *) buf + done, len - done, offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += n;
    }
  spool_xor (self, buf, done, offset);

  return done;
}

/* The writer: a stdio stream that enciphers what it is given. */

static ssize_t
writer_write (void       *cookie,
              const char *buf,
              size_t      size)
{
  BhxhSpool *self = cookie;
  guint8 chunk[CHUNK];
  size_t done = 0;

  while (done < size)
    {
      size_t n = MIN (size - done, sizeof chunk);
      size_t written = 0;

      memcpy (chunk, buf + done, n);
      spool_xor (self, chunk, n, self->pos);
      while (written < n)
        {
          ssize_t w = pwrite (self->fd, chunk + written, n - written, self->pos + written);

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              sodium_memzero (chunk, sizeof chunk);
              return done > 0 ? (ssize_t) done : -1;
            }
          written += w;
        }
      self->pos += n;
      done += n;
    }
  sodium_memzero (chunk, sizeof chunk);

  return done;
}

static int
writer_seek (void    *cookie,
             off64_t *offset,
             int      whence)
{
  BhxhSpool *self = cookie;
  gint64 base = whence == SEEK_SET ? 0
              : whence == SEEK_CUR ? (gint64) self->pos
              : (gint64) bhxh_spool_get_size (self);

  if (base + *offset < 0)
    {
      errno = EINVAL;
      return -1;
    }
  self->pos = base + *offset;
  *offset = self->pos;

  return 0;
}

static int
writer_close (void *cookie)
{
  return 0;   /* the spool keeps its file */
}

/**
 * bhxh_spool_open_writer:
 *
 * Returns: (transfer full): a stream writing into the spool, enciphered,
 *   from its start (fseek() moves it: a download resumes at the end)
 */
FILE *
bhxh_spool_open_writer (BhxhSpool *self)
{
  cookie_io_functions_t functions = {
    .read = NULL, .write = writer_write, .seek = writer_seek, .close = writer_close,
  };

  self->pos = 0;
  return fopencookie (self, "w", functions);
}

/* The VFS: one main database, read only, immutable. */

typedef struct
{
  sqlite3_file  base;
  BhxhSpool    *spool;
} SpoolFile;

static int
spool_close (sqlite3_file *file)
{
  return SQLITE_OK;
}

static int
spool_read (sqlite3_file  *file,
            void          *buf,
            int            amount,
            sqlite3_int64  offset)
{
  SpoolFile *f = (SpoolFile *) file;
  gssize n = bhxh_spool_read (f->spool, offset, buf, amount);

  if (n < 0)
    return SQLITE_IOERR_READ;
  if (n < amount)
    {
      memset ((guint8 *) buf + n, 0, amount - n);
      return SQLITE_IOERR_SHORT_READ;
    }
  return SQLITE_OK;
}

static int
spool_write (sqlite3_file  *file,
             const void    *buf,
             int            amount,
             sqlite3_int64  offset)
{
  return SQLITE_READONLY;
}

static int
spool_truncate (sqlite3_file  *file,
                sqlite3_int64  size)
{
  return SQLITE_READONLY;
}

static int
spool_sync (sqlite3_file *file,
            int           flags)
{
  return SQLITE_OK;
}

static int
spool_file_size (sqlite3_file  *file,
                 sqlite3_int64 *size)
{
  *size = (sqlite3_int64) bhxh_spool_get_size (((SpoolFile *) file)->spool);
  return SQLITE_OK;
}

static int
spool_lock (sqlite3_file *file,
            int           level)
{
  return SQLITE_OK;
}

static int
spool_check_reserved_lock (sqlite3_file *file,
                           int          *out)
{
  *out = 0;
  return SQLITE_OK;
}

static int
spool_file_control (sqlite3_file *file,
                    int           op,
                    void         *arg)
{
  return SQLITE_NOTFOUND;
}

static int
spool_sector_size (sqlite3_file *file)
{
  return 4096;
}

static int
spool_device_characteristics (sqlite3_file *file)
{
  return SQLITE_IOCAP_IMMUTABLE;
}

static const sqlite3_io_methods spool_io = {
  1, spool_close, spool_read, spool_write, spool_truncate, spool_sync, spool_file_size,
  spool_lock, spool_lock, spool_check_reserved_lock, spool_file_control, spool_sector_size,
  spool_device_characteristics,
};

static int
spool_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *file,
            int           flags,
            int          *out_flags)
{
  SpoolFile *f = (SpoolFile *) file;
  BhxhSpool *spool = name != NULL ? _bhxh_spool_lookup (name) : NULL;

  f->base.pMethods = NULL;
  if (spool == NULL || !(flags & SQLITE_OPEN_MAIN_DB) || (flags & SQLITE_OPEN_READWRITE))
    return SQLITE_CANTOPEN;
  f->spool = spool;
  f->base.pMethods = &spool_io;
  if (out_flags != NULL)
    *out_flags = SQLITE_OPEN_READONLY;
  return SQLITE_OK;
}

static int
spool_delete (sqlite3_vfs *vfs,
              const char  *name,
              int          sync_dir)
{
  return SQLITE_IOERR_DELETE;
}

static int
spool_access (sqlite3_vfs *vfs,
              const char  *name,
              int          flags,
              int         *out)
{
  *out = 0;   /* no journal, no WAL: nothing beside a spool */
  return SQLITE_OK;
}

static int
spool_full_pathname (sqlite3_vfs *vfs,
                     const char  *name,
                     int          size,
                     char        *out)
{
  if ((int) strlen (name) >= size)
    return SQLITE_CANTOPEN;
  strcpy (out, name);
  return SQLITE_OK;
}

static int
spool_randomness (sqlite3_vfs *vfs,
                  int          size,
                  char        *out)
{
  sqlite3_vfs *base = vfs->pAppData;

  return base->xRandomness (base, size, out);
}

static int
spool_sleep (sqlite3_vfs *vfs,
             int          microseconds)
{
  sqlite3_vfs *base = vfs->pAppData;

  return base->xSleep (base, microseconds);
}

static int
spool_current_time (sqlite3_vfs *vfs,
                    double      *out)
{
  sqlite3_vfs *base = vfs->pAppData;

  return base->xCurrentTime (base, out);
}

static int
spool_last_error (sqlite3_vfs *vfs,
                  int          size,
                  char        *out)
{
  return 0;
}

static sqlite3_vfs spool_vfs = {
  1, sizeof (SpoolFile), 512, NULL, SPOOL_VFS_NAME, NULL,
  spool_open, spool_delete, spool_access, spool_full_pathname,
  NULL, NULL, NULL, NULL,
  spool_randomness, spool_sleep, spool_current_time, spool_last_error,
  NULL, NULL, NULL, NULL,
};

/* The URI sqlite opens a spool with (ATTACH). */
char *
_bhxh_spool_dup_uri (BhxhSpool *self)
{
  static gsize registered = 0;
  g_autofree char *escaped = g_uri_escape_string (self->path, "/", FALSE);

  if (g_once_init_enter (&registered))
    {
      spool_vfs.pAppData = sqlite3_vfs_find (NULL);
      spool_vfs.mxPathname = MAX (512, spool_vfs.mxPathname);
      sqlite3_vfs_register (&spool_vfs, 0);
      g_once_init_leave (&registered, 1);
    }
  return g_strdup_printf ("file:%s?vfs=" SPOOL_VFS_NAME "&immutable=1&mode=ro", escaped);
}
