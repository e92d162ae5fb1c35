/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BHXH_SCAN_ERROR (bhxh_scan_error_quark ())

/**
 * BhxhScanError:
 * @BHXH_SCAN_ERROR_NOT_FOUND: no code was found in the image
 * @BHXH_SCAN_ERROR_INVALID_UTF8: a code was read but its bytes are not UTF-8 text
 * @BHXH_SCAN_ERROR_IMAGE: the image file cannot be read
 * @BHXH_SCAN_ERROR_NO_CAMERA: there is no camera, or the chosen one is missing
 * @BHXH_SCAN_ERROR_CAMERA: the camera failed while running
 * @BHXH_SCAN_ERROR_SERIAL: the serial scanner cannot be opened or read
 * @BHXH_SCAN_ERROR_UNSUPPORTED: this build lacks the feature asked for
 * @BHXH_SCAN_ERROR_MANGLED: keyboard input looks rewritten by an input method
 *
 * Errors of the scanning layer. Messages are translated and fit to show
 * to the clerk.
 */
typedef enum
{
  BHXH_SCAN_ERROR_NOT_FOUND,
  BHXH_SCAN_ERROR_INVALID_UTF8,
  BHXH_SCAN_ERROR_IMAGE,
  BHXH_SCAN_ERROR_NO_CAMERA,
  BHXH_SCAN_ERROR_CAMERA,
  BHXH_SCAN_ERROR_SERIAL,
  BHXH_SCAN_ERROR_UNSUPPORTED,
  BHXH_SCAN_ERROR_MANGLED,
} BhxhScanError;

GQuark bhxh_scan_error_quark (void);

G_END_DECLS
