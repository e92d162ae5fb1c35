/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* An 8-bit grey image, the only thing the decoders look at. */
typedef struct
{
  int     width;
  int     height;
  int     stride;
  guint8 *data;
} BhxhScanFrame;

#define BHXH_TYPE_SCAN_FRAME (bhxh_scan_frame_get_type ())

GType          bhxh_scan_frame_get_type  (void) G_GNUC_CONST;
BhxhScanFrame *bhxh_scan_frame_new       (int                   width,
                                          int                   height);
BhxhScanFrame *bhxh_scan_frame_new_from_grey (const guint8     *data,
                                          int                   width,
                                          int                   height,
                                          int                   stride);
BhxhScanFrame *bhxh_scan_frame_new_from_rgb (const guint8      *data,
                                          int                   width,
                                          int                   height,
                                          int                   stride,
                                          int                   n_channels);
BhxhScanFrame *bhxh_scan_frame_load      (const char           *path,
                                          GError              **error);
BhxhScanFrame *bhxh_scan_frame_copy      (const BhxhScanFrame  *self);
void           bhxh_scan_frame_free      (BhxhScanFrame        *self);
BhxhScanFrame *bhxh_scan_frame_crop      (const BhxhScanFrame  *self,
                                          int                   x,
                                          int                   y,
                                          int                   width,
                                          int                   height);
BhxhScanFrame *bhxh_scan_frame_scale     (const BhxhScanFrame  *self,
                                          double                factor);
void           bhxh_scan_frame_stretch_contrast (BhxhScanFrame *self);
BhxhScanFrame *bhxh_scan_frame_threshold (const BhxhScanFrame  *self,
                                          int                   window);
BhxhScanFrame *bhxh_scan_frame_sharpen   (const BhxhScanFrame  *self);
BhxhScanFrame *bhxh_scan_frame_smooth    (const BhxhScanFrame  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhScanFrame, bhxh_scan_frame_free)

G_END_DECLS
