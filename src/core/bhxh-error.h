/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BHXH_CORE_ERROR (bhxh_core_error_quark ())

/**
 * BhxhCoreError:
 * @BHXH_CORE_ERROR_INVALID_UTF8: the input is not valid UTF-8
 * @BHXH_CORE_ERROR_NUL_BYTE: the input contains a NUL byte
 * @BHXH_CORE_ERROR_TOO_FEW_FIELDS: a payload has fewer fields than its layout needs
 * @BHXH_CORE_ERROR_BAD_ID: an identification number is malformed
 * @BHXH_CORE_ERROR_EMPTY_NAME: a required name is empty
 * @BHXH_CORE_ERROR_BAD_DATE: a date is malformed or impossible
 * @BHXH_CORE_ERROR_BAD_SEX: the sex field is neither male nor female
 * @BHXH_CORE_ERROR_BAD_VALUE: any other malformed value
 * @BHXH_CORE_ERROR_EMPTY: the input is empty
 * @BHXH_CORE_ERROR_FILE_MODE: a token or key file is open to other users
 *
 * Errors of the domain core. Every one is caused by input a person gave,
 * and its message is translated and fit to show to the clerk.
 */
typedef enum
{
  BHXH_CORE_ERROR_INVALID_UTF8,
  BHXH_CORE_ERROR_NUL_BYTE,
  BHXH_CORE_ERROR_TOO_FEW_FIELDS,
  BHXH_CORE_ERROR_BAD_ID,
  BHXH_CORE_ERROR_EMPTY_NAME,
  BHXH_CORE_ERROR_BAD_DATE,
  BHXH_CORE_ERROR_BAD_SEX,
  BHXH_CORE_ERROR_BAD_VALUE,
  BHXH_CORE_ERROR_EMPTY,
  BHXH_CORE_ERROR_FILE_MODE,
} BhxhCoreError;

GQuark bhxh_core_error_quark (void);

G_END_DECLS
