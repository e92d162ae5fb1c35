/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ways a keyboard-mode scanner's text arrives damaged. */
typedef enum
{
  BHXH_SCAN_MANGLE_NONE          = 0,
  BHXH_SCAN_MANGLE_TELEX         = 1 << 0,  /* "Nguyeenx": Telex keys left in the text */
  BHXH_SCAN_MANGLE_VNI           = 1 << 1,  /* "Nu74": VNI digit keys left in the text */
  BHXH_SCAN_MANGLE_NO_DIACRITICS = 1 << 2,  /* "Nguyen Van An|…|Nu|…": letters dropped */
  BHXH_SCAN_MANGLE_REPLACEMENT   = 1 << 3,  /* "Nguy?n": '?' or U+FFFD for what it could not type */
  BHXH_SCAN_MANGLE_MOJIBAKE      = 1 << 4,  /* "Nguyá»…n": UTF-8 read as Latin-1 */
} BhxhScanMangle;

BhxhScanMangle  bhxh_scan_detect_mangling (const char      *text,
                                           char           **repaired);
const char     *bhxh_scan_mangle_advice   (BhxhScanMangle   mangle);
gboolean        bhxh_scan_check_typed     (const char      *text,
                                           GError         **error);

gunichar        bhxh_scan_cp1252_char       (guint8          byte);

G_END_DECLS
