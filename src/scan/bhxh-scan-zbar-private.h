/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <zbar.h>

G_BEGIN_DECLS

/* zbar, loaded the first time a decoder needs it: zxing-cpp reads most
 * codes first, and zbar's 21 shared libraries (X11, D-Bus, V4L, …) cost
 * every process that links it ~1.5 ms of CPU at start-up. */
typedef struct
{
  zbar_image_scanner_t  *(*image_scanner_create)     (void);
  void                   (*image_scanner_destroy)    (zbar_image_scanner_t *scanner);
  int                    (*image_scanner_set_config) (zbar_image_scanner_t *scanner,
                                                      zbar_symbol_type_t    symbology,
                                                      zbar_config_t         config,
                                                      int                   value);
  int                    (*scan_image)               (zbar_image_scanner_t *scanner,
                                                      zbar_image_t         *image);
  zbar_image_t          *(*image_create)             (void);
  void                   (*image_destroy)            (zbar_image_t *image);
  void                   (*image_set_format)         (zbar_image_t *image,
                                                      unsigned long format);
  void                   (*image_set_size)           (zbar_image_t *image,
                                                      unsigned      width,
                                                      unsigned      height);
  void                   (*image_set_data)           (zbar_image_t             *image,
                                                      const void               *data,
                                                      unsigned long             data_byte_length,
                                                      zbar_image_cleanup_handler_t *handler);
  const zbar_symbol_t   *(*image_first_symbol)       (const zbar_image_t *image);
  const zbar_symbol_t   *(*symbol_next)              (const zbar_symbol_t *symbol);
  zbar_symbol_type_t     (*symbol_get_type)          (const zbar_symbol_t *symbol);
  const char            *(*symbol_get_data)          (const zbar_symbol_t *symbol);
  unsigned int           (*symbol_get_data_length)   (const zbar_symbol_t *symbol);
  unsigned               (*symbol_get_loc_size)      (const zbar_symbol_t *symbol);
  int                    (*symbol_get_loc_x)         (const zbar_symbol_t *symbol,
                                                      unsigned             index);
  int                    (*symbol_get_loc_y)         (const zbar_symbol_t *symbol,
                                                      unsigned             index);
} BhxhZbar;

/* Returns: (nullable): zbar's functions, or NULL with @error set */
const BhxhZbar *_bhxh_scan_zbar (GError **error);

G_END_DECLS
