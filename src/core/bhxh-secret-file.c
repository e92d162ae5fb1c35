/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bhxh-error.h"
#include "bhxh-secret-file.h"

typedef struct
{
  char  *data;
  gsize  size;     /* allocated */
} Secret;

static void
secret_free (gpointer user_data)
{
  Secret *secret = user_data;

  /* Volatile, so the compiler does not drop the wipe before the free. */
  for (volatile char *p = secret->data; p < secret->data + secret->size; p++)
    *p = 0;
  g_free (secret->data);
  g_free (secret);
}

static gboolean
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
               _("Cannot read %s: %s"), path, g_strerror (saved));
  return FALSE;
}

/* Reads all of @fd into @secret (at most the limit). */
static gboolean
read_all (int          fd,
          const char  *path,
          Secret      *secret,
          gsize       *length,
          GError     **error)
{
  gsize used = 0;

  secret->size = BHXH_SECRET_FILE_MAX_BYTES + 1;
  secret->data = g_malloc0 (secret->size);
  for (;;)
    {
      gssize n = read (fd, secret->data + used, secret->size - used);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, path, errno);
      if (n == 0)
        break;
      used += (gsize) n;
      if (used >= secret->size - 1)
        {
          g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                       _("%s is too big to hold a token or a key"), path);
          return FALSE;
        }
    }
  /* The newline an editor adds is not part of the secret. */
  while (used > 0 && g_ascii_isspace (secret->data[used - 1]))
    secret->data[--used] = '\0';
  *length = used;
  return TRUE;
}

GBytes *
bhxh_secret_file_read (const char  *path,
                       GError     **error)
{
  Secret *secret = g_new0 (Secret, 1);
  struct stat st;
  gsize length = 0;
  gboolean ok;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_free (secret);
      set_errno_error (error, path, saved);
      return NULL;
    }
  /* The mode of the file actually opened: no race with a rename. */
  if (S_ISREG (st.st_mode) && (st.st_mode & 077) != 0)
    {
      close (fd);
      g_free (secret);
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_FILE_MODE,
                   _("%s is open to other users (mode %03o): a token or key file must be "
                     "readable by its owner only. Fix it with: chmod 600 %s"),
                   path, (guint) (st.st_mode & 0777), path);
      return NULL;
    }
  ok = read_all (fd, path, secret, &length, error);
  close (fd);
  if (!ok)
    {
      secret_free (secret);
      return NULL;
    }
  return g_bytes_new_with_free_func (secret->data, length, secret_free, secret);
}

GBytes *
bhxh_secret_bytes_new (gconstpointer data,
                       gsize         length)
{
  Secret *secret = g_new0 (Secret, 1);

  secret->size = length + 1;
  secret->data = g_malloc0 (secret->size);
  if (length > 0)
    memcpy (secret->data, data, length);
  return g_bytes_new_with_free_func (secret->data, length, secret_free, secret);
}
