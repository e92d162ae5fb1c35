/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The zxing-cpp engine, built only with -Dzxing=enabled (or auto and found).
 * Only raw bytes cross back to C: zxing's own charset guessing is never used. */
#include "config.h"

#include <ZXing/ReadBarcode.h>

#include "bhxh-scan-zxing.h"

static BhxhScanFormat
map_format (ZXing::BarcodeFormat format)
{
  using ZXing::BarcodeFormat;

  switch (format)
    {
    case BarcodeFormat::QRCode: return BHXH_SCAN_FORMAT_QRCODE;
    case BarcodeFormat::Code128: return BHXH_SCAN_FORMAT_CODE128;
    case BarcodeFormat::Code39: return BHXH_SCAN_FORMAT_CODE39;
    case BarcodeFormat::Code93: return BHXH_SCAN_FORMAT_CODE93;
    case BarcodeFormat::PDF417: return BHXH_SCAN_FORMAT_PDF417;
    case BarcodeFormat::DataMatrix: return BHXH_SCAN_FORMAT_DATAMATRIX;
    case BarcodeFormat::Aztec: return BHXH_SCAN_FORMAT_AZTEC;
    case BarcodeFormat::EAN13: return BHXH_SCAN_FORMAT_EAN13;
    case BarcodeFormat::EAN8: return BHXH_SCAN_FORMAT_EAN8;
    case BarcodeFormat::UPCA: return BHXH_SCAN_FORMAT_UPCA;
    case BarcodeFormat::UPCE: return BHXH_SCAN_FORMAT_UPCE;
    case BarcodeFormat::ITF: return BHXH_SCAN_FORMAT_I25;
    case BarcodeFormat::Codabar: return BHXH_SCAN_FORMAT_CODABAR;
    case BarcodeFormat::DataBar: return BHXH_SCAN_FORMAT_DATABAR;
    default: return BHXH_SCAN_FORMAT_UNKNOWN;
    }
}

extern "C" int
_bhxh_scan_zxing_decode (const guint8      *grey,
                         int                width,
                         int                height,
                         int                stride,
                         gboolean           try_harder,
                         BhxhScanZxingFunc  func,
                         gpointer           user_data)
{
  using namespace ZXing;
  int found = 0;

  try
    {
      ImageView view (grey, width, height, ImageFormat::Lum, stride);
      DecodeHints hints;

      hints.setFormats (BarcodeFormat::QRCode | BarcodeFormat::Code128 | BarcodeFormat::Code39
                        | BarcodeFormat::PDF417 | BarcodeFormat::DataMatrix
                        | BarcodeFormat::Aztec | BarcodeFormat::EAN13);
      hints.setTryHarder (try_harder);
      hints.setTryRotate (try_harder);
      hints.setTryDownscale (true);

      for (const Result &result : ReadBarcodes (view, hints))
        {
          const ByteArray &bytes = result.bytes ();
          PointI centre = Center (result.position ());

          if (!result.isValid ())
            continue;
          func (map_format (result.format ()), bytes.data (), bytes.size (),
                centre.x, centre.y, user_data);
          found++;
        }
    }
  catch (...)
    {
      /* zxing-cpp throws on allocation failure only; report nothing found. */
      return 0;
    }

  return found;
}
