/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: renders a barcode with zxing-cpp's writer, for the formats
 * no command-line tool here can make (Code 128, PDF417, DataMatrix). */
#include <cstring>
#include <glib.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include "scan-test-writer.h"

extern "C" guint8 *
scan_test_render (const char *format,
                  const char *utf8,
                  int         width,
                  int         height,
                  int        *out_width,
                  int        *out_height)
{
  using namespace ZXing;

  try
    {
      MultiFormatWriter writer (BarcodeFormatFromString (format));
      BitMatrix bits;
      Matrix<guint8> matrix;
      guint8 *grey;

      writer.setEncoding (CharacterSet::UTF8).setMargin (10);
      bits = writer.encode (std::string (utf8), width, height);
      matrix = ToMatrix<guint8> (bits);
      grey = (guint8 *) g_malloc ((gsize) matrix.width () * matrix.height ());
      std::memcpy (grey, matrix.data (), (gsize) matrix.width () * matrix.height ());
      *out_width = matrix.width ();
      *out_height = matrix.height ();
      return grey;
    }
  catch (...)
    {
      return nullptr;
    }
}
