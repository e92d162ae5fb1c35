/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The face on the chip (DG2) as pixels: JPEG through libjpeg, JPEG 2000
 * (a JP2 file or a raw J2K codestream) through libopenjp2, which is opened
 * with GModule the first time a JPEG 2000 image is decoded, so that a
 * program that never shows a portrait never loads it. Non-GUI. */

#include <gio/gio.h>

G_BEGIN_DECLS

/* Decoded pixels: 8-bit RGB, rows of @rowstride bytes. */
typedef struct
{
  guint   width;
  guint   height;
  gsize   rowstride;
  GBytes *pixels;
} BhxhPortrait;

/* The largest side accepted: ICAO portraits are a few hundred pixels. */
#define BHXH_PORTRAIT_MAX_SIDE 4096

const char   *bhxh_portrait_sniff         (GBytes              *image);
BhxhPortrait *bhxh_portrait_decode        (GBytes              *image,
                                           GError             **error);
void          bhxh_portrait_decode_async  (GBytes              *image,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
BhxhPortrait *bhxh_portrait_decode_finish (GAsyncResult        *result,
                                           GError             **error);
void          bhxh_portrait_free          (BhxhPortrait        *portrait);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhPortrait, bhxh_portrait_free)

G_END_DECLS
