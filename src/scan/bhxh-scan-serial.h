/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BHXH_SCAN_SERIAL_DEFAULT_PATH "/dev/ttyACM0"
#define BHXH_SCAN_SERIAL_DEFAULT_BAUD 9600

#define BHXH_TYPE_SCAN_SERIAL (bhxh_scan_serial_get_type ())

G_DECLARE_FINAL_TYPE (BhxhScanSerial, bhxh_scan_serial, BHXH, SCAN_SERIAL, GObject)

BhxhScanSerial *bhxh_scan_serial_new          (void);
gboolean        bhxh_scan_serial_open         (BhxhScanSerial  *self,
                                               const char      *path,
                                               guint            baud,
                                               GError         **error);
void            bhxh_scan_serial_close        (BhxhScanSerial  *self);
gboolean        bhxh_scan_serial_is_open      (BhxhScanSerial  *self);
const char     *bhxh_scan_serial_get_path     (BhxhScanSerial  *self);
void            bhxh_scan_serial_set_max_length (BhxhScanSerial *self,
                                               gsize            max_length);

G_END_DECLS
