/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-text.h"
#include "bhxh-export.h"
#include "bhxh-paper-private.h"

/* The day's decisions for a spreadsheet: one row per decision, in the
 * daily report's order (a Vietnamese list of people, given name first).
 * Like the papers, every word is Vietnamese whatever the locale: the file
 * is the office's, and its columns are a contract (docs/papers.md). */

typedef enum
{
  CELL_TEXT,
  CELL_NUMBER,     /* the row's number */
  CELL_DATE,       /* dd/mm/yyyy; a real date in a workbook */
  CELL_TIME,       /* HH:MM:SS in Vietnam time; a real time in a workbook */
} CellType;

typedef struct
{
  const char *header;
  double      width;     /* in a workbook, in characters */
  CellType    type;
} Column;

enum
{
  COL_NUMBER, COL_DECLARATION, COL_NAME, COL_BIRTH, COL_ID_NUMBER, COL_OFFICE, COL_KIND,
  COL_OUTCOME, COL_DECISION, COL_REASONS, COL_NOTE, COL_EVIDENCE, COL_CLERK,
  COL_COUNTERSIGNED, COL_DAY, COL_TIME, COL_INSTANT, COL_SYNC, COL_PORTAL, COL_CODES,
  COL_UUID, N_COLUMNS
};

static const Column columns[N_COLUMNS] = {
  [COL_NUMBER]        = { "STT", 5, CELL_NUMBER },
  [COL_DECLARATION]   = { "Mã tờ khai", 20, CELL_TEXT },
  [COL_NAME]          = { "Họ và tên", 26, CELL_TEXT },
  [COL_BIRTH]         = { "Ngày sinh", 11, CELL_DATE },
  [COL_ID_NUMBER]     = { "Số định danh cá nhân", 15, CELL_TEXT },
  [COL_OFFICE]        = { "Mã cơ quan BHXH", 10, CELL_TEXT },
  [COL_KIND]          = { "Yêu cầu", 11, CELL_TEXT },
  [COL_OUTCOME]       = { "Kết quả", 16, CELL_TEXT },
  [COL_DECISION]      = { "Loại quyết định", 26, CELL_TEXT },
  [COL_REASONS]       = { "Lý do", 36, CELL_TEXT },
  [COL_NOTE]          = { "Ghi chú", 30, CELL_TEXT },
  [COL_EVIDENCE]      = { "Giấy tờ đối chiếu", 24, CELL_TEXT },
  [COL_CLERK]         = { "Cán bộ tiếp nhận", 22, CELL_TEXT },
  [COL_COUNTERSIGNED] = { "Lãnh đạo xác nhận", 22, CELL_TEXT },
  [COL_DAY]           = { "Ngày quyết định", 11, CELL_DATE },
  [COL_TIME]          = { "Giờ quyết định", 9, CELL_TIME },
  [COL_INSTANT]       = { "Thời điểm quyết định (ISO 8601, giờ Việt Nam)", 26, CELL_TEXT },
  [COL_SYNC]          = { "Trạng thái gửi Cổng", 18, CELL_TEXT },
  [COL_PORTAL]        = { "Phản hồi của Cổng", 24, CELL_TEXT },
  [COL_CODES]         = { "Mã lý do", 20, CELL_TEXT },
  [COL_UUID]          = { "Mã quyết định", 37, CELL_TEXT },
};

/* One row's cells as text (the CSV's), with what a workbook needs besides. */
typedef struct
{
  char      *text[N_COLUMNS];
  guint      number;
  BhxhDate   birth;
  GDateTime *decided_at;   /* in Vietnam time */
} Row;

static void
row_clear (Row *row)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    g_free (row->text[c]);
  g_clear_pointer (&row->decided_at, g_date_time_unref);
}

static void
row_fill (Row                 *row,
          guint                number,
          const BhxhReportRow *report_row,
          GPtrArray           *reasons)
{
  const BhxhDecision *d = report_row->decision;
  const BhxhDeclaration *decl = report_row->declaration;

  memset (row, 0, sizeof *row);
  row->number = number;
  row->text[COL_NUMBER] = g_strdup_printf ("%u", number);
  row->text[COL_DECLARATION] = g_strdup (d->declaration_id);
  row->text[COL_NAME] = g_strdup (decl != NULL ? decl->full_name : d->person_name);
  if (decl != NULL)
    {
      row->birth = decl->birth_date;
      row->text[COL_BIRTH] = bhxh_date_to_display (&decl->birth_date);
      /* As on the daily report: the file leaves the encrypted store. */
      row->text[COL_ID_NUMBER] = bhxh_text_mask_id (decl->id_number);
      row->text[COL_OFFICE] = g_strdup (decl->office_code);
      row->text[COL_KIND] = g_strdup (_bhxh_paper_kind_short (decl->kind));
    }
  row->text[COL_OUTCOME] = g_strdup (_bhxh_paper_outcome_words (d->outcome));
  row->text[COL_DECISION] = g_strdup (_bhxh_paper_decision_words (d));
  {
    GString *labels = g_string_new (NULL);

    _bhxh_paper_append_reasons (labels, d, reasons);
    row->text[COL_REASONS] = g_string_free (labels, FALSE);
  }
  row->text[COL_NOTE] = g_strdup (d->note);
  row->text[COL_EVIDENCE] = g_strdup (_bhxh_paper_evidence_words (d->evidence));
  row->text[COL_CLERK] = g_strdup (bhxh_decision_get_clerk_name (d));
  if (d->countersigned_by != NULL)
    row->text[COL_COUNTERSIGNED] = g_strdup (d->countersigned_by_name != NULL
                                             ? d->countersigned_by_name
                                             : d->countersigned_by);
  if (d->decided_at != NULL)
    {
      row->decided_at = bhxh_clock_to_office (d->decided_at);
      row->text[COL_DAY] = g_date_time_format (row->decided_at, "%d/%m/%Y");
      row->text[COL_TIME] = g_date_time_format (row->decided_at, "%H:%M:%S");
      row->text[COL_INSTANT] = bhxh_clock_format_iso (row->decided_at);
    }
  row->text[COL_SYNC] = g_strdup (_bhxh_paper_outbox_words (d->outbox_state));
  row->text[COL_PORTAL] = g_strdup (d->outbox_detail);
  row->text[COL_CODES] = d->reason_codes != NULL ? g_strjoinv (";", d->reason_codes) : NULL;
  row->text[COL_UUID] = g_strdup (d->uuid);
}

/* CSV */

static void
csv_field (GString    *out,
           const char *value)
{
  if (value == NULL)
    return;
  /* A cell starting like a formula is text, not a formula (CSV injection:
   * a note typed "=HYPERLINK(…)" must not run in the office's Excel). */
  if (strchr ("=+-@\t\r", value[0]) != NULL && value[0] != '\0')
    {
      g_autofree char *quoted = g_strconcat ("'", value, NULL);

      csv_field (out, quoted);
      return;
    }
  if (strpbrk (value, ",;\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, value);
}

static GBytes *
to_csv (Row   *rows,
        guint  n_rows)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");   /* the BOM Excel needs for UTF-8 */

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      csv_field (out, columns[c].header);
      g_string_append (out, c + 1 < N_COLUMNS ? "," : "\r\n");
    }
  for (guint i = 0; i < n_rows; i++)
    for (guint c = 0; c < N_COLUMNS; c++)
      {
        csv_field (out, rows[i].text[c]);
        g_string_append (out, c + 1 < N_COLUMNS ? "," : "\r\n");
      }
  return g_string_free_to_bytes (out);
}

/* Excel workbook */

static void
set_xlsx_error (GError     **error,
                lxw_error    status)
{
  g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_WRITE,
               _("Cannot build the Excel workbook: %s"), lxw_strerror (status));
}

static lxw_error
write_cell (lxw_worksheet *sheet,
            lxw_row_t      r,
            lxw_col_t      c,
            const Row     *row,
            lxw_format    *text_format,
            lxw_format    *date_format,
            lxw_format    *time_format)
{
  lxw_datetime when = { 0 };

  switch (columns[c].type)
    {
    case CELL_NUMBER:
      return worksheet_write_number (sheet, r, c, row->number, text_format);
    case CELL_DATE:
      if (c == COL_DAY && row->decided_at != NULL)
        {
          when.year = g_date_time_get_year (row->decided_at);
          when.month = g_date_time_get_month (row->decided_at);
          when.day = g_date_time_get_day_of_month (row->decided_at);
          return worksheet_write_datetime (sheet, r, c, &when, date_format);
        }
      if (c == COL_BIRTH && bhxh_date_is_full (&row->birth))
        {
          when.year = row->birth.year;
          when.month = row->birth.month;
          when.day = row->birth.day;
          return worksheet_write_datetime (sheet, r, c, &when, date_format);
        }
      break;   /* a partial birth date ("1950", "03/1950") stays text */
    case CELL_TIME:
      if (row->decided_at != NULL)
        {
          when.year = g_date_time_get_year (row->decided_at);
          when.month = g_date_time_get_month (row->decided_at);
          when.day = g_date_time_get_day_of_month (row->decided_at);
          when.hour = g_date_time_get_hour (row->decided_at);
          when.min = g_date_time_get_minute (row->decided_at);
          when.sec = g_date_time_get_second (row->decided_at);
          return worksheet_write_datetime (sheet, r, c, &when, time_format);
        }
      break;
    case CELL_TEXT:
    default:
      break;
    }
  if (row->text[c] == NULL || row->text[c][0] == '\0')
    return worksheet_write_blank (sheet, r, c, text_format);
  return worksheet_write_string (sheet, r, c, row->text[c], text_format);
}

static GBytes *
to_xlsx (Row             *rows,
         guint            n_rows,
         const BhxhDate  *day,
         GError         **error)
{
  g_autofree char *dir = NULL, *path = NULL, *title = NULL, *sheet_name = NULL;
  g_autofree char *contents = NULL;
  lxw_workbook_options options = { 0 };
  lxw_doc_properties properties = { 0 };
  lxw_workbook *book;
  lxw_worksheet *sheet;
  lxw_format *header, *text, *date, *time;
  lxw_error status = LXW_NO_ERROR;
  gsize size = 0;
  gboolean ok;

  /* libxlsxwriter writes a file: a private folder, read back, removed. */
  if ((dir = g_dir_make_tmp ("bhxh-export-XXXXXX", error)) == NULL)
    return NULL;
  path = g_build_filename (dir, "export.xlsx", NULL);
  options.tmpdir = dir;
  book = workbook_new_opt (path, &options);
  if (book == NULL)
    {
      g_rmdir (dir);
      set_xlsx_error (error, LXW_ERROR_CREATING_XLSX_FILE);
      return NULL;
    }
  title = g_strdup_printf ("Quyết định tiếp nhận tờ khai mẫu 01 ngày %02u/%02u/%04u",
                           day->day, day->month, day->year);
  properties.title = title;
  properties.company = (char *) "Bảo hiểm xã hội Việt Nam";
  properties.author = (char *) "bhxh-desk";
  workbook_set_properties (book, &properties);

  /* A sheet's name cannot hold "/". */
  sheet_name = g_strdup_printf ("Ngày %02u-%02u-%04u", day->day, day->month, day->year);
  sheet = workbook_add_worksheet (book, sheet_name);
  header = workbook_add_format (book);
  format_set_bold (header);
  format_set_text_wrap (header);
  format_set_align (header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_bg_color (header, 0xDDEBF7);
  format_set_border (header, LXW_BORDER_THIN);
  text = workbook_add_format (book);
  format_set_align (text, LXW_ALIGN_VERTICAL_TOP);
  format_set_text_wrap (text);
  date = workbook_add_format (book);
  format_set_align (date, LXW_ALIGN_VERTICAL_TOP);
  format_set_num_format (date, "dd/mm/yyyy");
  time = workbook_add_format (book);
  format_set_align (time, LXW_ALIGN_VERTICAL_TOP);
  format_set_num_format (time, "hh:mm:ss");

  for (lxw_col_t c = 0; c < N_COLUMNS && status == LXW_NO_ERROR; c++)
    {
      status = worksheet_set_column (sheet, c, c, columns[c].width, NULL);
      if (status == LXW_NO_ERROR)
        status = worksheet_write_string (sheet, 0, c, columns[c].header, header);
    }
  if (status == LXW_NO_ERROR)
    status = worksheet_set_row (sheet, 0, 32, NULL);
  worksheet_freeze_panes (sheet, 1, 0);
  for (guint i = 0; i < n_rows && status == LXW_NO_ERROR; i++)
    for (lxw_col_t c = 0; c < N_COLUMNS && status == LXW_NO_ERROR; c++)
      status = write_cell (sheet, i + 1, c, &rows[i], text, date, time);
  if (status == LXW_NO_ERROR)
    status = worksheet_autofilter (sheet, 0, 0, n_rows, N_COLUMNS - 1);

  /* Closing writes the file (and frees the workbook) whatever happened. */
  if (status == LXW_NO_ERROR)
    status = workbook_close (book);
  else
    workbook_close (book);
  ok = status == LXW_NO_ERROR && g_file_get_contents (path, &contents, &size, error);
  if (status != LXW_NO_ERROR)
    set_xlsx_error (error, status);
  g_unlink (path);
  g_rmdir (dir);
  if (!ok)
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), size);
}

/* Public. */

const char *
bhxh_export_format_to_string (BhxhExportFormat format)
{
  return format == BHXH_EXPORT_XLSX ? "xlsx" : "csv";
}

gboolean
bhxh_export_format_parse (const char       *text,
                          BhxhExportFormat *out)
{
  if (g_strcmp0 (text, "csv") == 0)
    *out = BHXH_EXPORT_CSV;
  else if (g_strcmp0 (text, "xlsx") == 0)
    *out = BHXH_EXPORT_XLSX;
  else
    return FALSE;
  return TRUE;
}

/* By the file's extension, in any case: FILE.csv or FILE.xlsx. */
gboolean
bhxh_export_format_for_path (const char       *path,
                             BhxhExportFormat *out)
{
  const char *dot = path != NULL ? strrchr (path, '.') : NULL;
  g_autofree char *ext = NULL;

  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  ext = g_ascii_strdown (dot + 1, -1);
  return bhxh_export_format_parse (ext, out);
}

/**
 * bhxh_export_decisions_from_store:
 * @store: an open store
 * @date: the office's day, YYYY-MM-DD
 * @format: CSV or Excel
 * @n_rows: (out) (optional): the number of decisions written
 * @error: return location for a #BhxhPaperError or #BhxhStoreError
 *
 * The day's decisions as a file's bytes. Audited as an export, like the
 * papers (bhxh-deskd hands the bytes back open).
 *
 * Returns: (transfer full): the file, or %NULL with @error set
 */
GBytes *
bhxh_export_decisions_from_store (BhxhStore         *store,
                                  const char        *date,
                                  BhxhExportFormat   format,
                                  guint             *n_rows,
                                  GError           **error)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autofree Row *rows = NULL;
  g_autofree char *kind = NULL;
  BhxhPaperDay day;
  GBytes *bytes;

  g_return_val_if_fail (BHXH_IS_STORE (store), NULL);

  if (!_bhxh_paper_day_load (&day, store, date, error))
    return NULL;
  sorted = _bhxh_paper_sorted_rows (day.rows, day.n_rows);
  rows = g_new0 (Row, MAX (day.n_rows, 1));
  for (guint i = 0; i < sorted->len; i++)
    row_fill (&rows[i], i + 1, g_ptr_array_index (sorted, i), day.reasons);

  if (format == BHXH_EXPORT_XLSX)
    bytes = to_xlsx (rows, day.n_rows, &day.day, error);
  else
    bytes = to_csv (rows, day.n_rows);

  for (guint i = 0; i < day.n_rows; i++)
    row_clear (&rows[i]);
  if (bytes != NULL && n_rows != NULL)
    *n_rows = day.n_rows;
  _bhxh_paper_day_clear (&day);
  if (bytes == NULL)
    return NULL;
  kind = g_strconcat ("decisions-", bhxh_export_format_to_string (format), NULL);
  bhxh_store_note_export (store, kind, date, NULL, NULL);
  return bytes;
}

/**
 * bhxh_export_decisions_to_file:
 * @output: FILE.csv or FILE.xlsx (the format follows the extension);
 *   written whole or not at all, never over the store's own files
 *
 * Returns: %TRUE when @output was written
 */
gboolean
bhxh_export_decisions_to_file (BhxhStore    *store,
                               const char   *date,
                               const char   *output,
                               guint        *n_rows,
                               GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;
  BhxhExportFormat format;

  g_return_val_if_fail (BHXH_IS_STORE (store), FALSE);
  g_return_val_if_fail (output != NULL, FALSE);

  if (!bhxh_export_format_for_path (output, &format))
    {
      g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_BAD_INPUT,
                   _("“%s”: name the file .csv or .xlsx"), output);
      return FALSE;
    }
  if (!bhxh_store_check_output (store, output, error))
    return FALSE;
  bytes = bhxh_export_decisions_from_store (store, date, format, n_rows, error);
  return bytes != NULL && _bhxh_paper_write_file (output, bytes, error);
}
