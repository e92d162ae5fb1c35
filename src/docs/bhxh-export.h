/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "store/bhxh-store.h"

G_BEGIN_DECLS

/**
 * BhxhExportFormat:
 * @BHXH_EXPORT_CSV: RFC 4180 CSV in UTF-8 with a byte-order mark (Excel on
 *   Windows reads the names right), CRLF line ends
 * @BHXH_EXPORT_XLSX: an Excel workbook (libxlsxwriter): a header row,
 *   column widths, real dates
 *
 * The day's decisions as a Vietnamese office reads them: Vietnamese
 * headers and values, times in Vietnam time (+07:00), dates dd/mm/yyyy.
 * The columns are a contract (docs/papers.md).
 */
typedef enum
{
  BHXH_EXPORT_CSV,
  BHXH_EXPORT_XLSX,
} BhxhExportFormat;

const char *bhxh_export_format_to_string     (BhxhExportFormat   format);
gboolean    bhxh_export_format_parse         (const char        *text,
                                              BhxhExportFormat  *out);
gboolean    bhxh_export_format_for_path      (const char        *path,
                                              BhxhExportFormat  *out);
GBytes     *bhxh_export_decisions_from_store (BhxhStore         *store,
                                              const char        *date,
                                              BhxhExportFormat   format,
                                              guint             *n_rows,
                                              GError           **error);
gboolean    bhxh_export_decisions_to_file    (BhxhStore         *store,
                                              const char        *date,
                                              const char        *output,
                                              guint             *n_rows,
                                              GError           **error);

G_END_DECLS
