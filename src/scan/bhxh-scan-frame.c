/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "bhxh-scan-error.h"
#include "bhxh-scan-frame.h"

G_DEFINE_BOXED_TYPE (BhxhScanFrame, bhxh_scan_frame,
                     bhxh_scan_frame_copy, bhxh_scan_frame_free)

BhxhScanFrame *
bhxh_scan_frame_new (int width,
                     int height)
{
  BhxhScanFrame *self;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  self = g_new0 (BhxhScanFrame, 1);
  self->width = width;
  self->height = height;
  self->stride = width;
  self->data = g_malloc0 ((gsize) width * height);
  return self;
}

BhxhScanFrame *
bhxh_scan_frame_new_from_grey (const guint8 *data,
                               int           width,
                               int           height,
                               int           stride)
{
  BhxhScanFrame *self;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (stride >= width, NULL);

  self = bhxh_scan_frame_new (width, height);
  for (int y = 0; y < height; y++)
    memcpy (self->data + (gsize) y * width, data + (gsize) y * stride, width);
  return self;
}

/* Alpha is laid over white paper: a transparent PNG background is blank. */
BhxhScanFrame *
bhxh_scan_frame_new_from_rgb (const guint8 *data,
                              int           width,
                              int           height,
                              int           stride,
                              int           n_channels)
{
  BhxhScanFrame *self;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (n_channels == 3 || n_channels == 4, NULL);

  self = bhxh_scan_frame_new (width, height);
  for (int y = 0; y < height; y++)
    {
      const guint8 *p = data + (gsize) y * stride;
      guint8 *out = self->data + (gsize) y * width;

      for (int x = 0; x < width; x++, p += n_channels)
        {
          guint grey = (77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8;

          if (n_channels == 4)
            grey = (grey * p[3] + 255 * (255 - p[3])) / 255;
          out[x] = grey;
        }
    }
  return self;
}

BhxhScanFrame *
bhxh_scan_frame_load (const char  *path,
                      GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  pixbuf = gdk_pixbuf_new_from_file (path, &local_error);
  if (pixbuf == NULL)
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_IMAGE,
                   _("Cannot read the image “%s”: %s"), path, local_error->message);
      return NULL;
    }

  return bhxh_scan_frame_new_from_rgb (gdk_pixbuf_read_pixels (pixbuf),
                                       gdk_pixbuf_get_width (pixbuf),
                                       gdk_pixbuf_get_height (pixbuf),
                                       gdk_pixbuf_get_rowstride (pixbuf),
                                       gdk_pixbuf_get_n_channels (pixbuf));
}

BhxhScanFrame *
bhxh_scan_frame_copy (const BhxhScanFrame *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return bhxh_scan_frame_new_from_grey (self->data, self->width, self->height, self->stride);
}

void
bhxh_scan_frame_free (BhxhScanFrame *self)
{
  if (self == NULL)
    return;
  g_free (self->data);
  g_free (self);
}

BhxhScanFrame *
bhxh_scan_frame_crop (const BhxhScanFrame *self,
                      int                  x,
                      int                  y,
                      int                  width,
                      int                  height)
{
  int x1 = CLAMP (x + width, 0, self->width);
  int y1 = CLAMP (y + height, 0, self->height);

  x = CLAMP (x, 0, self->width - 1);
  y = CLAMP (y, 0, self->height - 1);
  if (x1 <= x || y1 <= y)
    return NULL;

  return bhxh_scan_frame_new_from_grey (self->data + (gsize) y * self->stride + x,
                                        x1 - x, y1 - y, self->stride);
}

/* Bilinear in 16.16 fixed point: upscaling is where small modules are won
 * back, and it runs on crops, so it has to be cheap. */
BhxhScanFrame *
bhxh_scan_frame_scale (const BhxhScanFrame *self,
                       double               factor)
{
  BhxhScanFrame *out;
  int width = MAX (1, (int) (self->width * factor));
  int height = MAX (1, (int) (self->height * factor));
  gint64 step = (gint64) (65536.0 / factor);

  out = bhxh_scan_frame_new (width, height);
  for (int y = 0; y < height; y++)
    {
      gint64 sy = MAX (0, (y * step) + step / 2 - 32768);
      int y0 = MIN ((int) (sy >> 16), self->height - 1);
      int y1 = MIN (y0 + 1, self->height - 1);
      guint fy = sy & 0xffff;
      const guint8 *r0 = self->data + (gsize) y0 * self->stride;
      const guint8 *r1 = self->data + (gsize) y1 * self->stride;
      guint8 *o = out->data + (gsize) y * width;

      for (int x = 0; x < width; x++)
        {
          gint64 sx = MAX (0, (x * step) + step / 2 - 32768);
          int x0 = MIN ((int) (sx >> 16), self->width - 1);
          int x1 = MIN (x0 + 1, self->width - 1);
          guint fx = sx & 0xffff;
          guint top = (r0[x0] * (65536 - fx) + r0[x1] * fx) >> 16;
          guint bottom = (r1[x0] * (65536 - fx) + r1[x1] * fx) >> 16;

          o[x] = (top * (65536 - fy) + bottom * fy) >> 16;
        }
    }
  return out;
}

/* Maps the 1st..99th percentile onto 0..255: lifts a grey-on-grey code. */
void
bhxh_scan_frame_stretch_contrast (BhxhScanFrame *self)
{
  guint histogram[256] = { 0 };
  guint8 lut[256];
  gsize total = (gsize) self->width * self->height;
  gsize seen = 0;
  int low = 0;
  int high = 255;

  for (int y = 0; y < self->height; y++)
    for (int x = 0; x < self->width; x++)
      histogram[self->data[(gsize) y * self->stride + x]]++;
  for (low = 0; low < 255 && (seen += histogram[low]) < total / 100; low++)
    ;
  seen = 0;
  for (high = 255; high > 0 && (seen += histogram[high]) < total / 100; high--)
    ;
  if (high - low < 8)
    return;

  for (int v = 0; v < 256; v++)
    lut[v] = CLAMP ((v - low) * 255 / (high - low), 0, 255);
  for (int y = 0; y < self->height; y++)
    for (int x = 0; x < self->width; x++)
      {
        guint8 *p = self->data + (gsize) y * self->stride + x;
        *p = lut[*p];
      }
}

/* Mean-of-window threshold from an integral image: each pixel against
 * its neighbourhood, so uneven light and a faint print both binarise. */
BhxhScanFrame *
bhxh_scan_frame_threshold (const BhxhScanFrame *self,
                           int                  window)
{
  int w = self->width;
  int h = self->height;
  int r = MAX (1, window / 2);
  g_autofree guint32 *integral = g_new0 (guint32, (gsize) (w + 1) * (h + 1));
  BhxhScanFrame *out = bhxh_scan_frame_new (w, h);

  for (int y = 0; y < h; y++)
    {
      guint32 row = 0;

      for (int x = 0; x < w; x++)
        {
          row += self->data[(gsize) y * self->stride + x];
          integral[(gsize) (y + 1) * (w + 1) + x + 1] =
            integral[(gsize) y * (w + 1) + x + 1] + row;
        }
    }

  for (int y = 0; y < h; y++)
    {
      int y0 = MAX (0, y - r);
      int y1 = MIN (h, y + r + 1);

      for (int x = 0; x < w; x++)
        {
          int x0 = MAX (0, x - r);
          int x1 = MIN (w, x + r + 1);
          guint32 sum = integral[(gsize) y1 * (w + 1) + x1] - integral[(gsize) y0 * (w + 1) + x1]
                        - integral[(gsize) y1 * (w + 1) + x0] + integral[(gsize) y0 * (w + 1) + x0];
          guint32 area = (guint32) (x1 - x0) * (y1 - y0);
          guint8 v = self->data[(gsize) y * self->stride + x];

          /* The small bias keeps flat paper white instead of speckled. */
          out->data[(gsize) y * w + x] = ((guint32) v * area + 3 * area < sum) ? 0 : 255;
        }
    }
  return out;
}

/* A 3×3 unsharp mask: restores some edge lost to focus blur. */
BhxhScanFrame *
bhxh_scan_frame_sharpen (const BhxhScanFrame *self)
{
  BhxhScanFrame *out = bhxh_scan_frame_copy (self);
  int w = self->width;

  for (int y = 1; y < self->height - 1; y++)
    {
      const guint8 *r0 = self->data + (gsize) (y - 1) * self->stride;
      const guint8 *r1 = self->data + (gsize) y * self->stride;
      const guint8 *r2 = self->data + (gsize) (y + 1) * self->stride;

      for (int x = 1; x < w - 1; x++)
        {
          int v = 5 * r1[x] - r0[x] - r2[x] - r1[x - 1] - r1[x + 1];

          out->data[(gsize) y * w + x] = CLAMP (v, 0, 255);
        }
    }
  return out;
}

/* A 3×3 mean: takes sensor noise down by a third before thresholding. */
BhxhScanFrame *
bhxh_scan_frame_smooth (const BhxhScanFrame *self)
{
  BhxhScanFrame *out = bhxh_scan_frame_copy (self);
  int w = self->width;

  for (int y = 1; y < self->height - 1; y++)
    {
      const guint8 *r0 = self->data + (gsize) (y - 1) * self->stride;
      const guint8 *r1 = self->data + (gsize) y * self->stride;
      const guint8 *r2 = self->data + (gsize) (y + 1) * self->stride;

      for (int x = 1; x < w - 1; x++)
        out->data[(gsize) y * w + x] = (r0[x - 1] + r0[x] + r0[x + 1] + r1[x - 1] + r1[x]
                                        + r1[x + 1] + r2[x - 1] + r2[x] + r2[x + 1]) / 9;
    }
  return out;
}
