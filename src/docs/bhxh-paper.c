/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <qrencode.h>

#include "core/bhxh-clock.h"
#include "bhxh-paper-private.h"

G_DEFINE_QUARK (bhxh-paper-error-quark, bhxh_paper_error)

/**
 * bhxh_paper_find_font:
 * @file_name: e.g. "NotoSans-Regular.ttf"
 *
 * Looks in $BHXH_DESK_FONTDIR, then in the fonts-noto-core folders.
 *
 * Returns: (transfer full): the first existing path, or the expected one
 */
char *
bhxh_paper_find_font (const char *file_name)
{
  const char *dirs[] = {
    g_getenv ("BHXH_DESK_FONTDIR"),
    SOURCE_FONTDIR,
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto",
    "/usr/local/share/fonts",
  };

  if (dirs[0] != NULL && *dirs[0] != '\0')
    return g_build_filename (dirs[0], file_name, NULL);
  for (guint i = 1; i < G_N_ELEMENTS (dirs); i++)
    {
      char *path = g_build_filename (dirs[i], file_name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return path;
      g_free (path);
    }
  return g_build_filename (SOURCE_FONTDIR, file_name, NULL);
}

static void
clear_section (gpointer data)
{
  PaperSection *section = data;

  g_free (section->footer);
}

BhxhPaper *
bhxh_paper_new (GError **error)
{
  g_autoptr(BhxhPaper) self = g_new0 (BhxhPaper, 1);
  g_autofree char *regular = bhxh_paper_find_font ("NotoSans-Regular.ttf");
  g_autofree char *bold = bhxh_paper_find_font ("NotoSans-Bold.ttf");

  self->sections = g_array_new (FALSE, TRUE, sizeof (PaperSection));
  g_array_set_clear_func (self->sections, clear_section);
  if (!bhxh_pdf_init (&self->pdf, regular, bold, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
bhxh_paper_free (BhxhPaper *self)
{
  if (self == NULL)
    return;
  bhxh_pdf_clear (&self->pdf);
  g_clear_pointer (&self->sections, g_array_unref);
  g_free (self);
}

guint
bhxh_paper_get_n_pages (BhxhPaper *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->pdf.pages->len;
}

/* Margins of Vietnamese administrative papers (Nghị định 30/2020/NĐ-CP):
 * top and bottom 20 mm, left 30 mm, right 15 mm; landscape reports keep
 * the binding edge on the left too. */
void
_bhxh_paper_begin (BhxhPaper  *self,
                   gboolean    landscape,
                   gboolean    always_number,
                   const char *footer)
{
  PaperSection section = { self->pdf.pages->len, always_number, FALSE, 0, 0,
                           bhxh_pdf_nfc (footer) };

  self->pdf.margin[0] = (landscape ? 20 : 30) * BHXH_PDF_MM;
  self->pdf.margin[1] = 15 * BHXH_PDF_MM;
  self->pdf.margin[2] = (landscape ? 15 : 20) * BHXH_PDF_MM;
  self->pdf.margin[3] = (landscape ? 15 : 20) * BHXH_PDF_MM;
  self->pdf.on_new_page = NULL;
  section.margin_left = self->pdf.margin[0];
  section.margin_right = self->pdf.margin[1];
  g_array_append_val (self->sections, section);
  bhxh_pdf_add_page (&self->pdf, landscape);
}

gboolean
_bhxh_paper_check (BhxhPaper  *self,
                   GError    **error)
{
  if (self->pdf.status == 0)
    return TRUE;
  g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_PDF,
               _("The PDF could not be built (libharu error 0x%04X, detail %u)"),
               (guint) self->pdf.status, (guint) self->pdf.status_detail);
  return FALSE;
}

static void
stamp_section (BhxhPaper    *self,
               PaperSection *section,
               guint         end)
{
  BhxhPdf *pdf = &self->pdf;
  guint total = end - section->first_page;

  for (guint i = section->first_page; i < end; i++)
    {
      HPDF_Page page = g_ptr_array_index (pdf->pages, i);
      double width = HPDF_Page_GetWidth (page);
      double y = 9 * BHXH_PDF_MM;
      HPDF_Page saved = pdf->page;

      pdf->page = page;
      HPDF_Page_SetGrayFill (page, 0.35);
      if (section->footer != NULL && *section->footer != '\0')
        bhxh_pdf_text (pdf, BHXH_PDF_REGULAR, 8, section->margin_left, y, section->footer);
      if (total > 1 || section->always_number)
        {
          g_autofree char *number = g_strdup_printf ("Trang %u/%u", i - section->first_page + 1,
                                                     total);

          bhxh_pdf_text_in (pdf, BHXH_PDF_REGULAR, 8, 0, width - section->margin_right, y,
                            BHXH_PDF_RIGHT, number);
        }
      HPDF_Page_SetGrayFill (page, 0.0);
      pdf->page = saved;
    }
  section->stamped = TRUE;
}

static void
stamp_pages (BhxhPaper *self)
{
  for (guint s = 0; s < self->sections->len; s++)
    {
      PaperSection *section = &g_array_index (self->sections, PaperSection, s);
      guint end = s + 1 < self->sections->len
                  ? g_array_index (self->sections, PaperSection, s + 1).first_page
                  : self->pdf.pages->len;

      if (!section->stamped)
        stamp_section (self, section, end);
    }
}

GBytes *
bhxh_paper_to_bytes (BhxhPaper  *self,
                     GError    **error)
{
  HPDF_UINT32 size;
  guint8 *data;
  HPDF_UINT32 len;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->pdf.pages->len == 0)
    {
      g_set_error_literal (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_BAD_INPUT,
                           _("There is nothing to print"));
      return NULL;
    }
  stamp_pages (self);
  HPDF_SetInfoAttr (self->pdf.doc, HPDF_INFO_CREATOR, "bhxh-desk " PACKAGE_VERSION);
  if (HPDF_SaveToStream (self->pdf.doc) != HPDF_OK || !_bhxh_paper_check (self, error))
    {
      if (error != NULL && *error == NULL)
        _bhxh_paper_check (self, error);
      return NULL;
    }
  size = HPDF_GetStreamSize (self->pdf.doc);
  data = g_malloc (size);
  len = size;
  HPDF_ResetStream (self->pdf.doc);
  if (HPDF_ReadFromStream (self->pdf.doc, data, &len) > HPDF_STREAM_EOF || len != size)
    {
      g_free (data);
      g_set_error_literal (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_PDF,
                           _("The PDF could not be read back from memory"));
      return NULL;
    }

  return g_bytes_new_take (data, size);
}

/* Written to a temporary file and renamed: never a half-written PDF. */
gboolean
bhxh_paper_save (BhxhPaper   *self,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = bhxh_paper_to_bytes (self, error);
  if (bytes == NULL)
    return FALSE;
  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                            &local))
    {
      g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_WRITE,
                   _("Cannot write %s: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

static void
centered_lines (BhxhPaper   *self,
                BhxhPdfFont  font,
                double       size,
                double       x0,
                double       x1,
                double      *y,
                const char  *text)
{
  g_autofree char *nfc = bhxh_pdf_nfc (text);
  g_autoptr(GPtrArray) lines = bhxh_pdf_wrap (&self->pdf, font, size, nfc, x1 - x0);
  double leading = 1.3 * size;

  for (guint i = 0; i < lines->len; i++)
    {
      bhxh_pdf_text_in (&self->pdf, font, size, x0, x1,
                        bhxh_pdf_baseline (*y, size, leading), BHXH_PDF_CENTER,
                        g_ptr_array_index (lines, i));
      *y -= leading;
    }
}

static void
underline_last (BhxhPaper   *self,
                BhxhPdfFont  font,
                double       size,
                double       x0,
                double       x1,
                double       y,
                const char  *text,
                double       fraction)
{
  double w = MIN (bhxh_pdf_text_width (&self->pdf, font, size, text), x1 - x0) * fraction;
  double mid = (x0 + x1) / 2.0;

  bhxh_pdf_hline (&self->pdf, mid - w / 2.0, mid + w / 2.0, y, 0.6);
}

/* Returns the y below the heading. */
double
_bhxh_paper_national_heading (BhxhPaper *self,
                              double     x0,
                              double     x1,
                              double     top)
{
  const char *motto = "Độc lập - Tự do - Hạnh phúc";
  double y = top;

  centered_lines (self, BHXH_PDF_BOLD, 11.5, x0, x1, &y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  centered_lines (self, BHXH_PDF_BOLD, 12, x0, x1, &y, motto);
  underline_last (self, BHXH_PDF_BOLD, 12, x0, x1, y - 1.5, motto, 1.0);
  return y - 6.0;
}

const char *
_bhxh_paper_office_name (const BhxhPaperContext *context)
{
  if (context != NULL && context->office != NULL && context->office->name != NULL)
    return context->office->name;
  return "Bảo hiểm xã hội Việt Nam";
}

/* The issuing body in the top left corner: its parent above, in capitals. */
double
_bhxh_paper_office_heading (BhxhPaper              *self,
                            const BhxhPaperContext *context,
                            double                  x0,
                            double                  x1,
                            double                  top)
{
  const char *parent = "BẢO HIỂM XÃ HỘI VIỆT NAM";
  g_autofree char *parent_up = NULL, *office_up = NULL;
  double y = top;

  if (context != NULL && context->parent_office != NULL && context->parent_office->name != NULL)
    parent = context->parent_office->name;
  parent_up = g_utf8_strup (parent, -1);
  office_up = g_utf8_strup (_bhxh_paper_office_name (context), -1);

  if (context != NULL && context->office != NULL)
    centered_lines (self, BHXH_PDF_REGULAR, 11, x0, x1, &y, parent_up);
  centered_lines (self, BHXH_PDF_BOLD, 11, x0, x1, &y, office_up);
  bhxh_pdf_hline (&self->pdf, (x0 + x1) / 2.0 - 30, (x0 + x1) / 2.0 + 30, y - 3.0, 0.6);
  return y - 6.0;
}

/* "BHXH Tp. Hà Nội" → "Hà Nội": the place a paper is dated at. */
char *
_bhxh_paper_place (const BhxhPaperContext *context)
{
  static const char * const prefixes[] = {
    "BHXH ", "Bảo hiểm xã hội ", "cơ sở ", "Tp. ", "TP. ", "TP ", "Thành phố ", "thành phố ",
    "Tỉnh ", "tỉnh ", "Quận ", "Huyện ", "Thị xã ", "Thành phố ",
  };
  const BhxhOffice *office = NULL;
  const char *name;
  gboolean stripped = TRUE;

  if (context == NULL)
    return NULL;
  if (context->place != NULL)
    return bhxh_pdf_nfc (context->place);
  office = context->parent_office != NULL ? context->parent_office : context->office;
  if (office == NULL || office->name == NULL)
    return NULL;

  name = office->name;
  while (stripped)
    {
      stripped = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
        if (g_str_has_prefix (name, prefixes[i]) && strlen (name) > strlen (prefixes[i]))
          {
            name += strlen (prefixes[i]);
            stripped = TRUE;
          }
    }
  return bhxh_pdf_nfc (name);
}

/* "ngày 01 tháng 12 năm 2026", with dots for the unknown parts. */
char *
_bhxh_paper_date_words (const BhxhDate *date)
{
  g_autofree char *d = NULL, *m = NULL, *y = NULL;

  if (date != NULL && date->year != 0)
    y = g_strdup_printf ("%04u", date->year);
  if (date != NULL && date->month != 0)
    m = g_strdup_printf ("%02u", date->month);
  if (date != NULL && date->day != 0)
    d = g_strdup_printf ("%02u", date->day);

  return g_strdup_printf ("ngày %s tháng %s năm %s", d ? d : "...", m ? m : "...",
                          y ? y : "...");
}

char *
_bhxh_paper_place_date (const BhxhPaperContext *context,
                        GDateTime              *when)
{
  g_autofree char *place = _bhxh_paper_place (context);
  BhxhDate date = when != NULL ? bhxh_date_from_gdate_time (when) : BHXH_DATE_NONE;
  g_autofree char *words = _bhxh_paper_date_words (&date);

  return g_strdup_printf ("%s, %s", place != NULL ? place : PAPER_DOTS, words);
}

/* "08:15 ngày 20/11/2026" */
char *
_bhxh_paper_time (GDateTime *when)
{
  if (when == NULL)
    return g_strdup (PAPER_DOTS);
  return g_date_time_format (when, "%H:%M ngày %d/%m/%Y");
}

GDateTime *
_bhxh_paper_now (const BhxhPaperContext *context)
{
  if (context != NULL && context->printed_at != NULL)
    return g_date_time_ref (context->printed_at);
  return bhxh_clock_now ();
}

/* A signature block in a column; the signer writes above the printed name. */
void
_bhxh_paper_signature (BhxhPaper  *self,
                       double      x0,
                       double      x1,
                       double      top,
                       const char *title,
                       const char *name)
{
  double y = top;

  centered_lines (self, BHXH_PDF_BOLD, PAPER_SIZE, x0, x1, &y, title);
  centered_lines (self, BHXH_PDF_REGULAR, 10, x0, x1, &y, "(Ký, ghi rõ họ tên)");
  y -= 56;
  if (name != NULL && *name != '\0')
    centered_lines (self, BHXH_PDF_BOLD, PAPER_SIZE, x0, x1, &y, name);
}

/* "Label: value", the value in bold; an empty value leaves a dotted line. */
void
_bhxh_paper_field (BhxhPaper  *self,
                   double      indent,
                   const char *label,
                   const char *value)
{
  BhxhPdfPara para = { PAPER_SIZE, 0, BHXH_PDF_LEFT, indent, 0, 0 };
  gboolean empty = value == NULL || *value == '\0';
  g_autofree char *head = g_strconcat (label, empty ? ":" : ": ", NULL);
  BhxhPdfRun runs[] = { { BHXH_PDF_REGULAR, head }, { BHXH_PDF_BOLD, value } };
  double end;

  end = bhxh_pdf_paragraph (&self->pdf, &para, runs, empty ? 1 : 2);
  if (empty)
    bhxh_pdf_dots (&self->pdf, PAPER_SIZE, end + 3, self->pdf.right, self->pdf.last_baseline);
}

const char *
_bhxh_paper_kind_words (BhxhDeclarationKind kind)
{
  switch (kind)
    {
    case BHXH_KIND_REGISTER:
      return "Đăng ký sử dụng phương thức giao dịch điện tử";
    case BHXH_KIND_ADJUST:
      return "Điều chỉnh thông tin giao dịch điện tử";
    case BHXH_KIND_STOP:
      return "Ngừng sử dụng phương thức giao dịch điện tử";
    default:
      return "";
    }
}

const char *
_bhxh_paper_outcome_words (BhxhOutcome outcome)
{
  switch (outcome)
    {
    case BHXH_OUTCOME_APPROVE:
      return "Chấp thuận";
    case BHXH_OUTCOME_REJECT:
      return "Không chấp thuận";
    case BHXH_OUTCOME_ESCALATE:
      return "Chuyển lãnh đạo xem xét";
    default:
      return "";
    }
}

const char *
_bhxh_paper_kind_short (BhxhDeclarationKind kind)
{
  switch (kind)
    {
    case BHXH_KIND_REGISTER:
      return "Đăng ký";
    case BHXH_KIND_ADJUST:
      return "Điều chỉnh";
    case BHXH_KIND_STOP:
      return "Ngừng";
    default:
      return "";
    }
}

/* What a decision is (BhxhDecisionKind), as the office says it. */
const char *
_bhxh_paper_decision_words (const BhxhDecision *decision)
{
  switch (bhxh_decision_get_kind (decision))
    {
    case BHXH_DECISION_APPROVED:
      return "Chấp thuận";
    case BHXH_DECISION_APPROVED_OVERRIDE:
      return "Chấp thuận vượt cảnh báo";
    case BHXH_DECISION_APPROVED_COUNTERSIGNED:
      return "Lãnh đạo chấp thuận hồ sơ được chuyển";
    case BHXH_DECISION_APPROVED_WITHOUT_DOCUMENT:
      return "Chấp thuận không kiểm tra giấy tờ tùy thân";
    case BHXH_DECISION_REJECTED:
      return "Không chấp thuận";
    case BHXH_DECISION_ESCALATED:
      return "Chuyển lãnh đạo xem xét";
    case BHXH_DECISION_N_KINDS:
    default:
      return "";
    }
}

const char *
_bhxh_paper_evidence_words (BhxhEvidence evidence)
{
  switch (evidence)
    {
    case BHXH_EVIDENCE_NONE:
      return "Không kiểm tra giấy tờ tùy thân";
    case BHXH_EVIDENCE_POST_COPY:
      return "Bản sao gửi qua bưu điện";
    case BHXH_EVIDENCE_BIRTH_CERTIFICATE:
      return "Giấy khai sinh";
    case BHXH_EVIDENCE_CARD_QR:
      return "Mã QR trên thẻ căn cước (chưa xác thực chip)";
    case BHXH_EVIDENCE_CHIP_VERIFIED:
      return "Chip thẻ căn cước (đã xác thực)";
    case BHXH_EVIDENCE_UNKNOWN:
    default:
      return "Không rõ";
    }
}

const char *
_bhxh_paper_outbox_words (BhxhOutboxState state)
{
  switch (state)
    {
    case BHXH_OUTBOX_PENDING:
      return "Chưa gửi lên Cổng";
    case BHXH_OUTBOX_SENDING:
      return "Đang gửi lên Cổng";
    case BHXH_OUTBOX_ACKNOWLEDGED:
      return "Đã gửi lên Cổng";
    case BHXH_OUTBOX_REFUSED:
      return "Cổng từ chối";
    case BHXH_OUTBOX_CONFLICT:
      return "Xung đột với Cổng";
    default:
      return "";
    }
}

const char *
_bhxh_paper_reason_label (GPtrArray  *reason_codes,
                          const char *code)
{
  for (guint i = 0; reason_codes != NULL && i < reason_codes->len; i++)
    {
      const BhxhReasonCode *rc = g_ptr_array_index (reason_codes, i);

      if (g_strcmp0 (rc->code, code) == 0 && rc->label != NULL)
        return rc->label;
    }
  return code;
}

/* A decision's reasons as their labels, "; " between. */
void
_bhxh_paper_append_reasons (GString            *out,
                            const BhxhDecision *decision,
                            GPtrArray          *reason_codes)
{
  for (guint r = 0; decision->reason_codes != NULL && decision->reason_codes[r] != NULL; r++)
    g_string_append_printf (out, "%s%s", r > 0 ? "; " : "",
                            _bhxh_paper_reason_label (reason_codes, decision->reason_codes[r]));
}

/* Vector modules, so the code stays sharp at any printer resolution. */
void
_bhxh_paper_qr (BhxhPaper  *self,
                const char *text,
                double      x,
                double      y_top,
                double      size)
{
  QRcode *qr = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  HPDF_Page page = self->pdf.page;
  double module;

  if (qr == NULL)
    {
      self->pdf.status = self->pdf.status != 0 ? self->pdf.status : HPDF_FAILD_TO_ALLOC_MEM;
      return;
    }
  /* Four modules of quiet zone on every side. */
  module = size / (qr->width + 8);
  for (int row = 0; row < qr->width; row++)
    for (int col = 0; col < qr->width; col++)
      {
        int start = col;

        while (col < qr->width && (qr->data[row * qr->width + col] & 1))
          col++;
        if (col > start)
          HPDF_Page_Rectangle (page, x + (start + 4) * module,
                               y_top - (row + 5) * module, (col - start) * module, module);
      }
  HPDF_Page_Fill (page);
  QRcode_free (qr);
}

/* Office heading on the left, national heading on the right, then the
 * place and date under the latter; leaves the cursor below both. */
void
_bhxh_paper_letterhead (BhxhPaper              *self,
                        const BhxhPaperContext *context,
                        GDateTime              *when,
                        const char             *number)
{
  BhxhPdf *pdf = &self->pdf;
  double split = pdf->left + 0.42 * (pdf->right - pdf->left);
  double y_left, y_right;
  g_autofree char *place_date = _bhxh_paper_place_date (context, when);

  y_left = _bhxh_paper_office_heading (self, context, pdf->left - 10, split, pdf->top);
  y_right = _bhxh_paper_national_heading (self, split + 5, pdf->right, pdf->top);
  if (number != NULL)
    {
      y_left -= 4;
      bhxh_pdf_text_in (pdf, BHXH_PDF_REGULAR, 10.5, pdf->left - 10, split,
                        bhxh_pdf_baseline (y_left, 10.5, 14), BHXH_PDF_CENTER, number);
      y_left -= 14;
    }
  y_right -= 6;
  bhxh_pdf_text_in (pdf, BHXH_PDF_REGULAR, PAPER_SIZE, split + 5, pdf->right,
                    bhxh_pdf_baseline (y_right, PAPER_SIZE, 15), BHXH_PDF_CENTER, place_date);
  y_right -= 15;
  pdf->y = MIN (y_left, y_right) - 14;
}

/* A centred bold title and an optional subtitle. */
void
_bhxh_paper_title (BhxhPaper  *self,
                   const char *title,
                   const char *subtitle)
{
  BhxhPdfPara t = { 15, 0, BHXH_PDF_CENTER, 0, 0, 0 };
  BhxhPdfPara s = { 12, 0, BHXH_PDF_CENTER, 20, 0, 20 };
  BhxhPdfRun rt = { BHXH_PDF_BOLD, title };
  BhxhPdfRun rs = { BHXH_PDF_BOLD, subtitle };

  bhxh_pdf_paragraph (&self->pdf, &t, &rt, 1);
  if (subtitle != NULL)
    bhxh_pdf_paragraph (&self->pdf, &s, &rs, 1);
  bhxh_pdf_skip (&self->pdf, 10);
}

void
_bhxh_paper_text (BhxhPaper    *self,
                  BhxhPdfFont   font,
                  BhxhPdfAlign  align,
                  double        indent,
                  const char   *text)
{
  BhxhPdfPara para = { PAPER_SIZE, 0, align, indent, 0, 0 };
  BhxhPdfRun run = { font, text };

  bhxh_pdf_paragraph (&self->pdf, &para, &run, 1);
}

/* Two signature blocks side by side (either may be NULL), kept on one page. */
void
_bhxh_paper_signatures (BhxhPaper  *self,
                        const char *left_title,
                        const char *left_name,
                        const char *right_title,
                        const char *right_name)
{
  BhxhPdf *pdf = &self->pdf;
  double mid = (pdf->left + pdf->right) / 2.0;
  /* Room to sign; a printed name below it takes one more line. */
  double height = left_name != NULL || right_name != NULL ? 108 : 92;

  bhxh_pdf_skip (pdf, 8);
  bhxh_pdf_ensure (pdf, height);
  if (left_title != NULL)
    _bhxh_paper_signature (self, pdf->left, mid - 10, pdf->y, left_title, left_name);
  if (right_title != NULL)
    _bhxh_paper_signature (self, mid + 10, pdf->right, pdf->y, right_title, right_name);
  pdf->y -= height;
}
