/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private: finds regions that look like a 2-D code, cheaply. */

#include <glib.h>

#include "bhxh-scan-frame.h"

G_BEGIN_DECLS

typedef struct
{
  int    x;
  int    y;
  int    width;
  int    height;
  double score;
} BhxhScanRegion;

GArray *_bhxh_scan_locate (const BhxhScanFrame *frame,
                           guint                max_regions);

G_END_DECLS
