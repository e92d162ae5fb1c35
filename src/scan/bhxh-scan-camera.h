/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bhxh-scan-decoder.h"
#include "bhxh-scan-frame.h"

G_BEGIN_DECLS

#define BHXH_TYPE_SCAN_CAMERA (bhxh_scan_camera_get_type ())

G_DECLARE_FINAL_TYPE (BhxhScanCamera, bhxh_scan_camera, BHXH, SCAN_CAMERA, GObject)

BhxhScanCamera *bhxh_scan_camera_new              (void);
gboolean        bhxh_scan_camera_is_supported     (void);
GStrv           bhxh_scan_camera_list_devices     (void);
const char     *bhxh_scan_camera_get_device       (BhxhScanCamera  *self);
void            bhxh_scan_camera_set_device       (BhxhScanCamera  *self,
                                                   const char      *device);
void            bhxh_scan_camera_set_source       (BhxhScanCamera  *self,
                                                   const char      *description);
void            bhxh_scan_camera_set_max_decode_rate (BhxhScanCamera *self,
                                                   double           per_second);
void            bhxh_scan_camera_set_repeat_interval (BhxhScanCamera *self,
                                                   guint            msec);
gboolean        bhxh_scan_camera_start            (BhxhScanCamera  *self,
                                                   GError         **error);
void            bhxh_scan_camera_stop             (BhxhScanCamera  *self);
gboolean        bhxh_scan_camera_is_running       (BhxhScanCamera  *self);
guint           bhxh_scan_camera_get_decode_count (BhxhScanCamera  *self);

G_END_DECLS
