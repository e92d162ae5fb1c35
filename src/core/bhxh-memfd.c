/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bhxh-memfd.h"

int
bhxh_memfd_new_from_data (const char   *name,
                          const guint8 *data,
                          gsize         length,
                          gboolean      seal)
{
  int fd = memfd_create (name, MFD_CLOEXEC | (seal ? MFD_ALLOW_SEALING : 0));
  gsize done = 0;

  while (fd >= 0 && done < length)
    {
      ssize_t n = write (fd, data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : EIO;

          close (fd);
          errno = saved;
          return -1;
        }
      done += (gsize) n;
    }
  if (fd >= 0 && ((seal && fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
                                  F_SEAL_WRITE | F_SEAL_SEAL) != 0) ||
                  lseek (fd, 0, SEEK_SET) != 0))
    {
      int saved = errno;

      close (fd);
      errno = saved;
      return -1;
    }
  return fd;
}

/**
 * bhxh_memfd_read_all:
 * @fd: (transfer full): a file passed back open (a paper, an export); closed
 *   here
 *
 * Reads @fd from where it stands to its end.
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set (a
 *   #GFileError)
 */
GBytes *
bhxh_memfd_read_all (int      fd,
                     GError **error)
{
  GByteArray *data = g_byte_array_new ();
  guint8 buffer[16384];

  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                               g_strerror (saved));
          close (fd);
          g_byte_array_unref (data);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (data, buffer, (guint) n);
    }
  close (fd);
  return g_byte_array_free_to_bytes (data);
}
