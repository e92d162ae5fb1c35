/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Synthetic camera-like frames with a CCCD QR code, for the scan
 * benchmark: 720p or 1080p, rotated, in perspective, blurred, noisy,
 * low-contrast, 2–6 px per module, on a cluttered background. */

#include <glib.h>

#include "scan/bhxh-scan-frame.h"

typedef struct
{
  BhxhScanFrame *frame;
  char          *payload;
  double         module_px;
  gboolean       eight_bit;   /* pure 8-bit segment, else qrencode's mixed segments */
  char          *describe;
} BenchScanSample;

BenchScanSample *bench_scan_sample_new  (GRand           *rand,
                                         int              index);
void             bench_scan_sample_free (BenchScanSample *sample);
char            *bench_scan_payload_new (GRand           *rand);
