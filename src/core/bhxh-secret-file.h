/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most a secret file may hold: a token or a key is a line. */
#define BHXH_SECRET_FILE_MAX_BYTES (64 * 1024)

/* Reads a file holding a secret (a portal token, a database key). A
 * regular file that its group or others may use at all (mode & 077) is
 * refused, as ssh refuses such a private key: the error
 * (BHXH_CORE_ERROR_FILE_MODE) names the file and the fix ("chmod 600").
 * A pipe or a descriptor handed over by the caller is read as it is.
 *
 * Returns: (transfer full): the contents without their trailing white
 *   space (the newline an editor adds), followed by a NUL byte that is not
 *   counted in the size, in memory that is wiped when freed; %NULL
 *   with @error set (BHXH_CORE_ERROR or G_FILE_ERROR) */
GBytes *bhxh_secret_file_read (const char  *path,
                               GError     **error);
/* A copy of @data in memory that is wiped when the bytes are freed. */
GBytes *bhxh_secret_bytes_new (gconstpointer data,
                               gsize         length);

G_END_DECLS
