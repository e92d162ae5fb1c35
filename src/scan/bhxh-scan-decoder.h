/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bhxh-scan-frame.h"

G_BEGIN_DECLS

typedef enum
{
  BHXH_SCAN_FORMAT_UNKNOWN,
  BHXH_SCAN_FORMAT_QRCODE,
  BHXH_SCAN_FORMAT_CODE128,
  BHXH_SCAN_FORMAT_CODE39,
  BHXH_SCAN_FORMAT_CODE93,
  BHXH_SCAN_FORMAT_PDF417,
  BHXH_SCAN_FORMAT_DATAMATRIX,
  BHXH_SCAN_FORMAT_AZTEC,
  BHXH_SCAN_FORMAT_EAN13,
  BHXH_SCAN_FORMAT_EAN8,
  BHXH_SCAN_FORMAT_UPCA,
  BHXH_SCAN_FORMAT_UPCE,
  BHXH_SCAN_FORMAT_I25,
  BHXH_SCAN_FORMAT_CODABAR,
  BHXH_SCAN_FORMAT_DATABAR,
} BhxhScanFormat;

/* Which decoding engine runs. AUTO is zxing-cpp first when this build has
 * it, then zbar; zbar alone otherwise. */
typedef enum
{
  BHXH_SCAN_ENGINE_AUTO,
  BHXH_SCAN_ENGINE_ZBAR,
  BHXH_SCAN_ENGINE_ZXING,
} BhxhScanEngine;

/* QUICK: the cheap passes only, for live video where the next frame comes
 * soon. THOROUGH: every pass, for a still image. */
typedef enum
{
  BHXH_SCAN_EFFORT_QUICK,
  BHXH_SCAN_EFFORT_THOROUGH,
} BhxhScanEffort;

typedef struct
{
  BhxhScanFormat  format;
  GBytes         *bytes;   /* the symbol's bytes, exactly */
  char           *text;    /* NFC text, or NULL when @bytes are not UTF-8 */
  GError         *error;   /* why @text is NULL */
  int             x;       /* centre of the symbol in the frame */
  int             y;
} BhxhScanResult;

#define BHXH_TYPE_SCAN_RESULT (bhxh_scan_result_get_type ())

GType           bhxh_scan_result_get_type   (void) G_GNUC_CONST;
BhxhScanResult *bhxh_scan_result_new        (BhxhScanFormat        format,
                                             const guint8         *data,
                                             gsize                 len);
BhxhScanResult *bhxh_scan_result_copy       (const BhxhScanResult *self);
void            bhxh_scan_result_free       (BhxhScanResult       *self);

const char     *bhxh_scan_format_to_string  (BhxhScanFormat        format);
char           *bhxh_scan_bytes_to_text     (const guint8         *data,
                                             gsize                 len,
                                             GError              **error);
gboolean        bhxh_scan_have_zxing        (void);

typedef struct _BhxhScanDecoder BhxhScanDecoder;

BhxhScanDecoder *bhxh_scan_decoder_new       (BhxhScanEngine        engine,
                                              GError              **error);
void             bhxh_scan_decoder_free      (BhxhScanDecoder      *self);
void             bhxh_scan_decoder_set_effort (BhxhScanDecoder     *self,
                                              BhxhScanEffort        effort);
GPtrArray       *bhxh_scan_decoder_decode    (BhxhScanDecoder      *self,
                                              const BhxhScanFrame  *frame,
                                              GError              **error);
const char      *bhxh_scan_decoder_get_last_pass (BhxhScanDecoder  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhScanResult, bhxh_scan_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhScanDecoder, bhxh_scan_decoder_free)

G_END_DECLS
