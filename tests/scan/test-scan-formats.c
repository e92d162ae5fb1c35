/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The other codes papers may carry, rendered by zxing-cpp's writer and
 * read back by our pipeline: Code 128 by both engines, PDF417 and
 * DataMatrix by zxing-cpp (zbar has no decoder for them). */
#include "config.h"

#include <string.h>

#include "scan/bhxh-scan-decoder.h"
#include "scan-test-writer.h"

typedef struct
{
  const char     *writer_format;
  BhxhScanFormat  format;
  const char     *text;
  int             width;
  int             height;
  gboolean        zbar_reads;
} Case;

static const Case cases[] = {
  { "Code128", BHXH_SCAN_FORMAT_CODE128, "001090012345", 400, 120, TRUE },
  { "PDF417", BHXH_SCAN_FORMAT_PDF417,
    "079305001234||Trần Thị Bích Ngọc|02112005|Nữ|Nhà Bè, Hồ Chí Minh|10082022", 600, 240, FALSE },
  /* zxing-cpp 1.4 cannot write UTF-8 into a DataMatrix. */
  { "DataMatrix", BHXH_SCAN_FORMAT_DATAMATRIX, "001223004567|KS-2023-000123", 240, 240, FALSE },
};

/* Lays the code on a larger grey page, so the locator has work to do. */
static BhxhScanFrame *
render_on_page (const Case *c)
{
  int w = 0;
  int h = 0;
  g_autofree guint8 *code = scan_test_render (c->writer_format, c->text, c->width, c->height,
                                              &w, &h);
  BhxhScanFrame *page;

  g_assert_nonnull (code);
  page = bhxh_scan_frame_new (w + 300, h + 200);
  memset (page->data, 200, (gsize) page->width * page->height);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      page->data[(gsize) (y + 120) * page->width + x + 170] = code[y * w + x] ? 235 : 30;
  return page;
}

static void
test_format (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(BhxhScanFrame) page = render_on_page (c);
  const BhxhScanEngine engines[] = { BHXH_SCAN_ENGINE_AUTO, BHXH_SCAN_ENGINE_ZBAR };

  for (guint e = 0; e < G_N_ELEMENTS (engines); e++)
    {
      g_autoptr(BhxhScanDecoder) decoder = bhxh_scan_decoder_new (engines[e], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) results = bhxh_scan_decoder_decode (decoder, page, &error);
      BhxhScanResult *result;

      if (engines[e] == BHXH_SCAN_ENGINE_ZBAR && !c->zbar_reads)
        {
          g_assert_null (results);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (results->len, ==, 1);
      result = g_ptr_array_index (results, 0);
      g_assert_cmpstr (bhxh_scan_format_to_string (result->format), ==,
                       bhxh_scan_format_to_string (c->format));
      g_assert_cmpmem (g_bytes_get_data (result->bytes, NULL), g_bytes_get_size (result->bytes),
                       c->text, strlen (c->text));
      g_assert_cmpstr (result->text, ==, c->text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scan/formats/%s", cases[i].writer_format);

      g_test_add_data_func (path, &cases[i], test_format);
    }
  return g_test_run ();
}
