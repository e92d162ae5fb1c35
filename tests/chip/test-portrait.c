/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chip's portrait decoded: chip-mkcard's drawn face as DG2 in JPEG 2000
 * (a JP2 file, and its raw codestream) and in JPEG, checked by size and a
 * few pixels; truncated, mutated and garbage images fail cleanly. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "chip/bhxh-chip-private.h"
#include "chip/bhxh-portrait.h"
#include "demo/bhxh-demo-portrait.h"
#include "chip-fixtures.h"

static char *tmp_dir;

static GBytes *
card_portrait (const char  *variant,
               const char **type)
{
  g_autofree char *dir = chip_fixture_card (tmp_dir, variant);
  g_autoptr(GBytes) dg2 = chip_fixture_file (dir, "dg2.bin");
  g_autoptr(GError) error = NULL;
  GBytes *image;

  image = _bhxh_chip_parse_dg2 (dg2, type, &error);
  g_assert_no_error (error);
  return image;
}

/* The drawn face: background, skin, hair and shirt, away from the edges
 * lossy coding blurs, as the demo's drawing of the card's person has them. */
static void
assert_face (GBytes *image)
{
  static const guint points[][2] = { { 10, 10 }, { 120, 150 }, { 120, 60 }, { 30, 300 } };
  g_autofree guint8 *drawn = bhxh_demo_portrait_draw ("079188004321", BHXH_SEX_FEMALE,
                                                      "Phạm Thị Thu Hà");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhPortrait) p = bhxh_portrait_decode (image, &error);
  const guint8 *pixels;

  g_assert_no_error (error);
  g_assert_cmpuint (p->width, ==, 240);
  g_assert_cmpuint (p->height, ==, 320);
  g_assert_cmpuint (p->rowstride, ==, 240 * 3);
  g_assert_cmpuint (g_bytes_get_size (p->pixels), ==, 240 * 320 * 3);
  pixels = g_bytes_get_data (p->pixels, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    for (guint c = 0; c < 3; c++)
      {
        gsize at = (points[i][1] * 240 + points[i][0]) * 3 + c;

        g_assert_cmpint (ABS (pixels[at] - drawn[at]), <=, 16);
      }
  /* Not one flat colour: the background and the shirt differ. */
  g_assert_cmpint (memcmp (drawn + (10 * 240 + 10) * 3, drawn + (300 * 240 + 30) * 3, 3), !=, 0);
}

static gboolean
openjp2_loaded (void)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, "libopenjp2") != NULL;
}

/* libopenjp2 is opened by the first JPEG 2000 image, not before: the
 * window starts without it. A JPEG does not need it. */
static void
test_lazy (void)
{
  const char *type = NULL;
  g_autoptr(GBytes) jpeg = card_portrait ("jpeg-portrait", &type);
  g_autoptr(GBytes) jp2 = card_portrait ("genuine", &type);
  g_autoptr(BhxhPortrait) a = NULL;
  g_autoptr(BhxhPortrait) b = NULL;

  g_assert_false (openjp2_loaded ());
  a = bhxh_portrait_decode (jpeg, NULL);
  g_assert_nonnull (a);
  g_assert_false (openjp2_loaded ());
  b = bhxh_portrait_decode (jp2, NULL);
  g_assert_nonnull (b);
  g_assert_true (openjp2_loaded ());
}

static void
test_jp2 (void)
{
  const char *type = NULL;
  g_autoptr(GBytes) image = card_portrait ("genuine", &type);

  g_assert_cmpstr (type, ==, "image/jp2");
  g_assert_cmpstr (bhxh_portrait_sniff (image), ==, "image/jp2");
  assert_face (image);
}

/* The JP2 file's contiguous codestream box ("jp2c"): a raw J2K image. */
static void
test_j2k (void)
{
  const char *type = NULL;
  g_autoptr(GBytes) jp2 = card_portrait ("genuine", &type);
  g_autoptr(GBytes) j2k = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (jp2, &size);
  const guint8 *box = memmem (data, size, "jp2c", 4);

  g_assert_nonnull (box);
  j2k = g_bytes_new_from_bytes (jp2, box + 4 - data, size - (box + 4 - data));
  g_assert_cmpstr (bhxh_portrait_sniff (j2k), ==, "image/j2k");
  assert_face (j2k);
}

static void
test_jpeg (void)
{
  const char *type = NULL;
  g_autoptr(GBytes) image = card_portrait ("jpeg-portrait", &type);

  g_assert_cmpstr (type, ==, "image/jpeg");
  assert_face (image);
}

static void
decode_async_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BhxhPortrait **out = user_data;

  *out = bhxh_portrait_decode_finish (result, NULL);
}

static void
test_async (void)
{
  const char *type = NULL;
  g_autoptr(GBytes) image = card_portrait ("genuine", &type);
  g_autoptr(BhxhPortrait) p = NULL;

  bhxh_portrait_decode_async (image, NULL, decode_async_cb, &p);
  while (p == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (p->width, ==, 240);
}

/* Every cut of the image fails, with the chip's format error, or (cut
 * within trailing bytes) decodes whole: never a crash, never a leak. */
static void
check_truncated (GBytes *image)
{
  gsize size = g_bytes_get_size (image);

  for (gsize len = 0; len < size; len += len < 64 ? 1 : 97)
    {
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (image, 0, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhPortrait) p = bhxh_portrait_decode (cut, &error);

      if (p == NULL)
        g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT);
      else
        g_assert_cmpuint (p->width, ==, 240);
    }
  {
    g_autoptr(GBytes) half = g_bytes_new_from_bytes (image, 0, size / 2);
    g_autoptr(GError) error = NULL;

    g_assert_null (bhxh_portrait_decode (half, &error));
    g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT);
  }
}

static void
test_truncated (void)
{
  const char *type = NULL;
  g_autoptr(GBytes) jp2 = card_portrait ("genuine", &type);
  g_autoptr(GBytes) jpeg = card_portrait ("jpeg-portrait", &type);

  check_truncated (jp2);
  check_truncated (jpeg);
}

/* Bytes changed at random after the signature: decoded or refused. */
static void
check_mutated (GBytes *image,
               guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);

  for (guint round = 0; round < 40; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhPortrait) p = NULL;

      for (guint i = 0; i < 1 + round % 8; i++)
        copy[g_rand_int_range (rand, 8, MIN (size, 400))] = g_rand_int_range (rand, 0, 256);
      bytes = g_bytes_new (copy, size);
      p = bhxh_portrait_decode (bytes, &error);
      g_assert_true ((p == NULL) != (error == NULL));
      if (p != NULL)
        g_assert_cmpuint (g_bytes_get_size (p->pixels), ==, p->rowstride * p->height);
    }
}

static void
test_garbage (void)
{
  static const char *heads[] = { "\xff\xd8\xff", "\x00\x00\x00\x0cjP  ", "\xff\x4f\xff\x51",
                                 "GIF89a", "" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const char *type = NULL;
  g_autoptr(GBytes) jp2 = card_portrait ("genuine", &type);
  g_autoptr(GBytes) jpeg = card_portrait ("jpeg-portrait", &type);

  for (guint h = 0; h < G_N_ELEMENTS (heads); h++)
    for (guint round = 0; round < 20; round++)
      {
        gsize head = h == 1 ? 8 : strlen (heads[h]);
        gsize size = head + g_rand_int_range (rand, 0, 2000);
        g_autofree guint8 *data = g_malloc (size);
        g_autoptr(GBytes) bytes = NULL;
        g_autoptr(GError) error = NULL;

        memcpy (data, heads[h], head);
        for (gsize i = head; i < size; i++)
          data[i] = g_rand_int_range (rand, 0, 256);
        bytes = g_bytes_new_take (g_steal_pointer (&data), size);
        g_assert_null (bhxh_portrait_decode (bytes, &error));
        g_assert_nonnull (error);
      }
  check_mutated (jp2, 11);
  check_mutated (jpeg, 12);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("bhxh-portrait-XXXXXX", NULL);
  /* First: nothing has decoded a JPEG 2000 image yet. */
  g_test_add_func ("/chip/portrait/lazy", test_lazy);
  g_test_add_func ("/chip/portrait/jp2", test_jp2);
  g_test_add_func ("/chip/portrait/j2k", test_j2k);
  g_test_add_func ("/chip/portrait/jpeg", test_jpeg);
  g_test_add_func ("/chip/portrait/async", test_async);
  g_test_add_func ("/chip/portrait/truncated", test_truncated);
  g_test_add_func ("/chip/portrait/garbage", test_garbage);
  status = g_test_run ();
  chip_fixture_rmtree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
