/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

#include "core/bhxh-text.h"
#include "bhxh-demo-portrait.h"

#define W BHXH_DEMO_PORTRAIT_WIDTH
#define H BHXH_DEMO_PORTRAIT_HEIGHT

typedef struct
{
  const guint8 *bg, *skin, *hair, *shirt;
  gboolean      long_hair;
  guint8        initials[2];   /* 'A'..'Z', or 0 */
} Look;

static const guint8 backgrounds[][3] = { { 0xc8, 0xd4, 0xe0 }, { 0xee, 0xee, 0xea },
                                         { 0xd6, 0xd6, 0xd6 } };
static const guint8 skins[][3] = { { 0xe0, 0xb0, 0x90 }, { 0xd2, 0xa0, 0x7c },
                                   { 0xbe, 0x8c, 0x68 }, { 0xea, 0xc0, 0xa0 } };
static const guint8 hairs[][3] = { { 0x30, 0x24, 0x20 }, { 0x1c, 0x18, 0x18 },
                                   { 0x48, 0x32, 0x24 } };
static const guint8 shirts[][3] = { { 0x28, 0x48, 0x90 }, { 0x88, 0x2c, 0x34 },
                                    { 0x2c, 0x6c, 0x4c }, { 0x50, 0x50, 0x58 },
                                    { 0x6c, 0x44, 0x8c } };
static const guint8 ink[3] = { 0xf8, 0xf8, 0xf8 };
static const guint8 dark[3] = { 0x30, 0x20, 0x20 };
static const guint8 lips[3] = { 0xa0, 0x50, 0x50 };

/* 5×7 capitals, one row a byte, bit 4 the leftmost column. */
static const guint8 font[26][7] = {
  { 0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11 }, { 0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e },
  { 0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e }, { 0x1e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1e },
  { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f }, { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10 },
  { 0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f }, { 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11 },
  { 0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e }, { 0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c },
  { 0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11 }, { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f },
  { 0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11 }, { 0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11 },
  { 0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e }, { 0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10 },
  { 0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d }, { 0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11 },
  { 0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e }, { 0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04 },
  { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e }, { 0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04 },
  { 0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a }, { 0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11 },
  { 0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04 }, { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f },
};

/* The family name's and the given name's first letters, folded. */
static void
set_initials (Look       *look,
              const char *full_name)
{
  g_autofree char *folded = full_name != NULL ? bhxh_text_fold (full_name) : NULL;
  g_auto(GStrv) words = folded != NULL ? g_strsplit (g_strstrip (folded), " ", -1) : NULL;
  guint n = words != NULL ? g_strv_length (words) : 0;
  const char *first = n > 0 ? words[0] : "", *last = n > 0 ? words[n - 1] : "";

  look->initials[0] = g_ascii_isalpha (first[0]) ? g_ascii_toupper (first[0]) : 0;
  look->initials[1] = n > 1 && g_ascii_isalpha (last[0]) ? g_ascii_toupper (last[0]) : 0;
}

static gboolean
in_ellipse (int x, int y, int cx, int cy, int rx, int ry)
{
  double dx = (double) (x - cx) / rx, dy = (double) (y - cy) / ry;

  return dx * dx + dy * dy <= 1.0;
}

static gboolean
in_glyph (guint8 letter, int x, int y, int left, int top)
{
  const int scale = 6;
  int col = (x - left) / scale, row = (y - top) / scale;

  return letter >= 'A' && letter <= 'Z' && x >= left && y >= top && col < 5 && row < 7 &&
         (font[letter - 'A'][row] & (0x10 >> col));
}

static const guint8 *
colour_at (const Look *look, int x, int y)
{
  if (in_glyph (look->initials[0], x, y, 76, 262) || in_glyph (look->initials[1], x, y, 134, 262))
    return ink;
  if (in_ellipse (x, y, 120, 330, 115, 85))
    return look->shirt;
  if (in_ellipse (x, y, 120, 120, 62, 82))
    {
      if (y < 80 || (y < 120 && (x < 68 || x > 172)))
        return look->hair;
      if (in_ellipse (x, y, 97, 118, 7, 5) || in_ellipse (x, y, 143, 118, 7, 5))
        return dark;
      if (in_ellipse (x, y, 120, 176, 14, 5))
        return lips;
      return look->skin;
    }
  if (x > 100 && x < 140 && y > 180 && y < 250)
    return look->skin;
  if (look->long_hair && in_ellipse (x, y, 120, 140, 80, 115))
    return look->hair;
  return look->bg;
}

/**
 * bhxh_demo_portrait_draw:
 * @id_number: chooses the colours (the same person, the same look)
 * @full_name: (nullable): its initials are written on the shirt
 *
 * Returns: (transfer full): %BHXH_DEMO_PORTRAIT_WIDTH × _HEIGHT pixels, RGB
 */
guint8 *
bhxh_demo_portrait_draw (const char *id_number,
                         BhxhSex     sex,
                         const char *full_name)
{
  guint h = g_str_hash (id_number != NULL ? id_number : "");
  Look look = {
    backgrounds[h % G_N_ELEMENTS (backgrounds)], skins[(h >> 4) % G_N_ELEMENTS (skins)],
    hairs[(h >> 8) % G_N_ELEMENTS (hairs)], shirts[(h >> 12) % G_N_ELEMENTS (shirts)],
    sex == BHXH_SEX_FEMALE, { 0, 0 },
  };
  guint8 *rgb = g_malloc (W * H * 3);

  set_initials (&look, full_name);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      memcpy (rgb + (y * W + x) * 3, colour_at (&look, x, y), 3);
  return rgb;
}

/**
 * bhxh_demo_portrait_jpeg:
 *
 * bhxh_demo_portrait_draw() as a JPEG (quality 85: about 8 kB).
 *
 * Returns: (transfer full): the JPEG file's bytes
 */
GBytes *
bhxh_demo_portrait_jpeg (const char *id_number,
                         BhxhSex     sex,
                         const char *full_name)
{
  g_autofree guint8 *rgb = bhxh_demo_portrait_draw (id_number, sex, full_name);
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *out = NULL;
  unsigned long len = 0;
  GBytes *jpeg;

  /* Writing to memory from our own pixels cannot fail but by lack of
   * memory, which libjpeg reports by exit like g_malloc() would abort. */
  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &out, &len);
  cinfo.image_width = W;
  cinfo.image_height = H;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 85, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < H)
    {
      JSAMPROW row = rgb + cinfo.next_scanline * W * 3;

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  jpeg = g_bytes_new (out, len);
  free (out);
  return jpeg;
}
