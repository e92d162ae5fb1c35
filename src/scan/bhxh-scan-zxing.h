/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private: the C face of the optional zxing-cpp shim. */

#include <glib.h>

#include "bhxh-scan-decoder.h"

G_BEGIN_DECLS

typedef void (*BhxhScanZxingFunc) (BhxhScanFormat  format,
                                   const guint8   *data,
                                   gsize           len,
                                   int             x,
                                   int             y,
                                   gpointer        user_data);

int _bhxh_scan_zxing_decode (const guint8      *grey,
                             int                width,
                             int                height,
                             int                stride,
                             gboolean           try_harder,
                             BhxhScanZxingFunc  func,
                             gpointer           user_data);

G_END_DECLS
