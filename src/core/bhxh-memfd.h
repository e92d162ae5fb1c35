/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An anonymous file in memory holding @data, read from its start; sealed
 * against any change when @seal. Returns the descriptor (close-on-exec),
 * or -1 with errno set. Nothing touches the disk. */
int bhxh_memfd_new_from_data (const char   *name,
                              const guint8 *data,
                              gsize         length,
                              gboolean      seal);
GBytes *bhxh_memfd_read_all   (int           fd,
                               GError      **error);

G_END_DECLS
