/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "scan/bhxh-scan-camera.h"

G_BEGIN_DECLS

#define BHXH_TYPE_CAMERA_VIEW (bhxh_camera_view_get_type ())

G_DECLARE_FINAL_TYPE (BhxhCameraView, bhxh_camera_view, BHXH, CAMERA_VIEW, GtkWidget)

/* The live preview of a BhxhScanCamera, or a status page saying why
 * there is none. Connect to the camera's ::decoded for the codes. */
GtkWidget      *bhxh_camera_view_new        (void);
BhxhScanCamera *bhxh_camera_view_get_camera (BhxhCameraView *self);
void            bhxh_camera_view_set_camera (BhxhCameraView *self,
                                             BhxhScanCamera *camera);
gboolean        bhxh_camera_view_start      (BhxhCameraView *self);
void            bhxh_camera_view_stop       (BhxhCameraView *self);
gboolean        bhxh_camera_view_get_running (BhxhCameraView *self);

G_END_DECLS
