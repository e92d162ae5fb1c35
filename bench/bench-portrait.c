/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chip's portrait decoded: a JPEG 2000 portrait (chip-mkcard's
 * DIR/portrait.jp2, 240×320) against the same face as a JPEG, the
 * reference measured in the same run. Prints ms per image and the ratio.
 * usage: bench-portrait FILE.jp2 [N=200] */
#include "config.h"

#include <stdlib.h>

#include "chip/bhxh-portrait.h"
#include "demo/bhxh-demo-portrait.h"

static double
ms_per_image (GBytes *image,
              guint   n)
{
  gint64 start;

  /* Once before timing: libopenjp2 is opened by the first decode. */
  bhxh_portrait_free (bhxh_portrait_decode (image, NULL));
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BhxhPortrait) portrait = bhxh_portrait_decode (image, &error);

      if (portrait == NULL)
        g_error ("%s", error->message);
    }
  return (g_get_monotonic_time () - start) / 1000.0 / n;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GBytes) jpeg = bhxh_demo_portrait_jpeg ("079188004321", BHXH_SEX_FEMALE,
                                                    "Phạm Thị Thu Hà");
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) jp2 = NULL;
  g_autoptr(GError) error = NULL;
  guint n = argc > 2 ? (guint) atoi (argv[2]) : 200;
  double jp2_ms, jpeg_ms;

  if (argc < 2 || n == 0)
    {
      g_printerr ("usage: bench-portrait FILE.jp2 [N=200]\n");
      return 2;
    }
  if ((file = g_mapped_file_new (argv[1], FALSE, &error)) == NULL)
    g_error ("%s", error->message);
  jp2 = g_mapped_file_get_bytes (file);
  jp2_ms = ms_per_image (jp2, n);
  jpeg_ms = ms_per_image (jpeg, n);
  g_print ("jp2 %.2f ms/image (%zu bytes), jpeg %.2f ms/image (%zu bytes), ratio %.1f\n",
           jp2_ms, g_bytes_get_size (jp2), jpeg_ms, g_bytes_get_size (jpeg), jp2_ms / jpeg_ms);
  return 0;
}
