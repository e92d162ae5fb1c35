/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint8 *scan_test_render (const char *format,
                          const char *utf8,
                          int         width,
                          int         height,
                          int        *out_width,
                          int        *out_height);

G_END_DECLS
