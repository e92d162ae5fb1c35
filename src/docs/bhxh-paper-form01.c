/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bhxh-paper-private.h"

/* Tờ khai mẫu 01 (5236/VBHN-BLĐTBXH), worded exactly as /work/shared/FORM01.md.
 * The template's wording is a legal text: it is printed verbatim, never
 * translated. Only the section matching the declaration is filled. */

#define INDENT (6 * BHXH_PDF_MM)
#define BLANK "..........................."

static const BhxhPdfPara body = { PAPER_SIZE, 0, BHXH_PDF_JUSTIFY, 0, 0, 0 };

static void
runs (BhxhPaper        *self,
      double            indent,
      const BhxhPdfRun *r,
      guint             n)
{
  BhxhPdfPara para = body;

  para.indent = indent;
  para.align = BHXH_PDF_LEFT;
  bhxh_pdf_paragraph (&self->pdf, &para, r, n);
}

static void
text (BhxhPaper   *self,
      double       indent,
      BhxhPdfFont  font,
      const char  *line)
{
  BhxhPdfRun r = { font, line };

  runs (self, indent, &r, 1);
}

static void
justified (BhxhPaper  *self,
           const char *paragraph)
{
  BhxhPdfRun r = { BHXH_PDF_REGULAR, paragraph };

  bhxh_pdf_paragraph (&self->pdf, &body, &r, 1);
}

/* "Từ ngày … tháng … năm … đến ngày … tháng … năm …" */
static char *
validity (const BhxhDeclaration *d,
          gboolean               filled)
{
  g_autofree char *from = _bhxh_paper_date_words (filled ? &d->cert_valid_from : NULL);
  g_autofree char *to = _bhxh_paper_date_words (filled ? &d->cert_valid_to : NULL);

  return g_strdup_printf ("Từ %s đến %s", from, to);
}

static const char *
value_if (gboolean    filled,
          const char *value)
{
  return filled ? value : NULL;
}

/* A field that the official form marks (*) at the right edge. */
static void
starred_field (BhxhPaper  *self,
               const char *label,
               const char *value)
{
  BhxhPdf *pdf = &self->pdf;
  double saved = pdf->right;

  pdf->right -= 6 * BHXH_PDF_MM;
  _bhxh_paper_field (self, 0, label, value);
  pdf->right = saved;
  bhxh_pdf_text_in (pdf, BHXH_PDF_REGULAR, PAPER_SIZE, pdf->left, pdf->right,
                    pdf->last_baseline, BHXH_PDF_RIGHT, "(*)");
}

static void
validity_field (BhxhPaper             *self,
                double                 indent,
                const BhxhDeclaration *d,
                gboolean               filled,
                gboolean               starred)
{
  gboolean known = filled && bhxh_date_is_set (&d->cert_valid_from);
  g_autofree char *dates = validity (d, known);
  BhxhPdfRun r[] = {
    { BHXH_PDF_REGULAR, "Thời hạn sử dụng chứng thư số: " },
    { known ? BHXH_PDF_BOLD : BHXH_PDF_REGULAR, dates },
  };
  BhxhPdf *pdf = &self->pdf;
  double saved = pdf->right;

  if (starred)
    pdf->right -= 6 * BHXH_PDF_MM;
  runs (self, indent, r, G_N_ELEMENTS (r));
  pdf->right = saved;
  if (starred)
    bhxh_pdf_text_in (pdf, BHXH_PDF_REGULAR, PAPER_SIZE, pdf->left, pdf->right,
                      pdf->last_baseline, BHXH_PDF_RIGHT, "(*)");
}

static void
top_block (BhxhPaper              *self,
           const BhxhPaperContext *context,
           const BhxhDeclaration  *d)
{
  BhxhPdf *pdf = &self->pdf;
  double photo_w = 30 * BHXH_PDF_MM, photo_h = 40 * BHXH_PDF_MM;
  double col0 = pdf->left + photo_w + 8 * BHXH_PDF_MM, y;
  g_autofree char *place_date = _bhxh_paper_place_date (context, d->submitted_at);

  bhxh_pdf_rect (pdf, pdf->left, pdf->top - photo_h, photo_w, photo_h, 0.7, -1.0);
  bhxh_pdf_text_in (pdf, BHXH_PDF_REGULAR, 10, pdf->left, pdf->left + photo_w,
                    pdf->top - photo_h / 2.0 - 3.0, BHXH_PDF_CENTER, "Ảnh cá nhân");

  bhxh_pdf_text_in (pdf, BHXH_PDF_BOLD, PAPER_SIZE, col0, pdf->right,
                    pdf->top - PAPER_SIZE, BHXH_PDF_RIGHT, "Mẫu số 01");
  y = _bhxh_paper_national_heading (self, col0, pdf->right, pdf->top - 2.2 * PAPER_SIZE);
  y -= 10;
  {
    g_autoptr(GPtrArray) lines = bhxh_pdf_wrap (pdf, BHXH_PDF_REGULAR, PAPER_SIZE, place_date,
                                                pdf->right - col0);

    for (guint i = 0; i < lines->len; i++, y -= 1.35 * PAPER_SIZE)
      bhxh_pdf_text_in (pdf, BHXH_PDF_REGULAR, PAPER_SIZE, col0, pdf->right,
                        bhxh_pdf_baseline (y, PAPER_SIZE, 1.35 * PAPER_SIZE), BHXH_PDF_CENTER,
                        g_ptr_array_index (lines, i));
  }
  pdf->y = MIN (y, pdf->top - photo_h) - 12;
}

static void
title_block (BhxhPaper *self)
{
  BhxhPdfPara title = { 15, 0, BHXH_PDF_CENTER, 0, 0, 0 };
  BhxhPdfPara sub = { 12, 0, BHXH_PDF_CENTER, 0, 0, 0 };
  BhxhPdfRun t = { BHXH_PDF_BOLD, "TỜ KHAI" };
  BhxhPdfRun s = { BHXH_PDF_BOLD,
                   "Đăng ký sử dụng, điều chỉnh thông tin và ngừng sử dụng phương thức giao "
                   "dịch điện tử trong lĩnh vực bảo hiểm xã hội" };
  BhxhPdfRun k = { BHXH_PDF_REGULAR, "Kính gửi: Bảo hiểm xã hội Việt Nam." };

  bhxh_pdf_paragraph (&self->pdf, &title, &t, 1);
  bhxh_pdf_paragraph (&self->pdf, &sub, &s, 1);
  bhxh_pdf_skip (&self->pdf, 6);
  sub.size = PAPER_SIZE + 0.5;
  bhxh_pdf_paragraph (&self->pdf, &sub, &k, 1);
  bhxh_pdf_skip (&self->pdf, 6);
}

static void
fields_block (BhxhPaper             *self,
              const BhxhDeclaration *d)
{
  gboolean has_cert = d->cert_number != NULL && *d->cert_number != '\0';

  _bhxh_paper_field (self, 0, "Tên cơ quan/tổ chức/cá nhân", d->full_name);
  _bhxh_paper_field (self, 0, "Mã số bảo hiểm xã hội", d->bhxh_code);
  _bhxh_paper_field (self, 0, "Số CMND/HC/CC", d->id_number);
  if (d->guardian_bhxh_code != NULL || d->guardian_id_number != NULL)
    {
      _bhxh_paper_field (self, 0, "Mã số bảo hiểm xã hội người giám hộ", d->guardian_bhxh_code);
      _bhxh_paper_field (self, 0, "Số CMND/HC/CC của người giám hộ", d->guardian_id_number);
    }
  _bhxh_paper_field (self, 0, "Địa chỉ liên hệ", d->address);
  starred_field (self, "Số chứng thư số của cơ quan, tổ chức, cá nhân", d->cert_number);
  starred_field (self, "Tên tổ chức chứng thực chữ ký số", d->cert_issuer);
  validity_field (self, 0, d, has_cert, TRUE);
  justified (self, "Cá nhân tôi không có chứng thư số (không điền nội dung tại mục (*)), đề "
                   "nghị cơ quan Bảo hiểm xã hội cấp mã xác thực giao dịch điện tử theo địa chỉ "
                   "thư điện tử hoặc số điện thoại di động dưới đây:");
  _bhxh_paper_field (self, 0, "Người liên hệ", d->contact_person);
  _bhxh_paper_field (self, 0, "Địa chỉ thư điện tử", d->email);
  _bhxh_paper_field (self, 0, "Điện thoại di động", d->phone);
  bhxh_pdf_skip (&self->pdf, 4);
  justified (self, "Theo Nghị định số 166/2016/NĐ-CP ngày 24 tháng 12 năm 2016 của Chính phủ, "
                   "cơ quan/tổ chức/cá nhân tôi có đủ các điều kiện sử dụng phương thức giao "
                   "dịch điện tử. Cơ quan/tổ chức/cá nhân tôi đăng ký, điều chỉnh thông tin và "
                   "ngừng sử dụng phương thức giao dịch điện tử trong lĩnh vực bảo hiểm xã hội "
                   "với cơ quan Bảo hiểm xã hội như sau:");
}

static void
channel_line (BhxhPaper  *self,
              const char *label,
              gboolean    checked)
{
  BhxhPdfRun r = { BHXH_PDF_REGULAR, label };
  BhxhPdfPara para = body;
  double end;

  para.indent = INDENT;
  para.align = BHXH_PDF_LEFT;
  para.right_indent = 8 * BHXH_PDF_MM;
  end = bhxh_pdf_paragraph (&self->pdf, &para, &r, 1);
  bhxh_pdf_checkbox (&self->pdf, end + 6, self->pdf.last_baseline, PAPER_SIZE, checked);
}

static void
register_section (BhxhPaper             *self,
                  const BhxhDeclaration *d)
{
  gboolean on = d->kind == BHXH_KIND_REGISTER;
  g_autofree char *from = _bhxh_paper_date_words (on ? &d->start_date : NULL);
  gboolean ivan = on && g_strcmp0 (d->channel, "ivan") == 0;
  const char *ivan_name = ivan && d->ivan_name != NULL ? d->ivan_name : BLANK;
  BhxhPdfRun start[] = {
    { BHXH_PDF_REGULAR, "- Đăng ký sử dụng phương thức giao dịch điện tử trong lĩnh vực Bảo "
                        "hiểm xã hội từ " },
    { on ? BHXH_PDF_BOLD : BHXH_PDF_REGULAR, from },
  };
  BhxhPdfRun name[] = {
    { BHXH_PDF_REGULAR, "Tên Tổ chức I-VAN: " },
    { ivan ? BHXH_PDF_BOLD : BHXH_PDF_REGULAR, ivan_name },
    { BHXH_PDF_REGULAR, " (trong trường hợp giao dịch qua tổ chức I-VAN)." },
  };

  text (self, 0, BHXH_PDF_BOLD, "1. Đăng ký sử dụng:");
  runs (self, 0, start, G_N_ELEMENTS (start));
  text (self, 0, BHXH_PDF_REGULAR, "- Đăng ký giao dịch tại:");
  channel_line (self, "+ Cổng thông tin điện tử của Bảo hiểm xã hội Việt Nam",
                on && g_strcmp0 (d->channel, "portal") == 0);
  channel_line (self, "+ Tổ chức I-VAN", ivan);
  runs (self, INDENT, name, G_N_ELEMENTS (name));
}

static void
adjust_section (BhxhPaper             *self,
                const BhxhDeclaration *d)
{
  gboolean on = d->kind == BHXH_KIND_ADJUST;
  gboolean cert = on && d->cert_number != NULL;

  text (self, 0, BHXH_PDF_BOLD, "2. Điều chỉnh thông tin:");
  _bhxh_paper_field (self, 0, "- Số chứng thư số của cơ quan, tổ chức, cá nhân",
                     value_if (on, d->cert_number));
  _bhxh_paper_field (self, INDENT / 2, "Tên tổ chức chứng thực chữ ký số",
                     value_if (on, d->cert_issuer));
  validity_field (self, INDENT / 2, d, cert, FALSE);
  _bhxh_paper_field (self, 0, "- Địa chỉ thư điện tử", value_if (on, d->email));
  _bhxh_paper_field (self, 0, "- Số điện thoại di động", value_if (on, d->phone));
  text (self, 0, BHXH_PDF_REGULAR, "(Chỉ ghi những nội dung có thay đổi, bổ sung)");
}

static void
stop_section (BhxhPaper             *self,
              const BhxhDeclaration *d)
{
  gboolean on = d->kind == BHXH_KIND_STOP;
  g_autofree char *from = _bhxh_paper_date_words (on ? &d->start_date : NULL);
  BhxhPdfRun start[] = {
    { BHXH_PDF_REGULAR, "- Ngừng giao dịch điện tử trong lĩnh vực bảo hiểm xã hội từ " },
    { on ? BHXH_PDF_BOLD : BHXH_PDF_REGULAR, from },
  };

  text (self, 0, BHXH_PDF_BOLD, "3. Ngừng sử dụng phương thức giao dịch:");
  runs (self, 0, start, G_N_ELEMENTS (start));
  _bhxh_paper_field (self, 0, "- Lý do ngừng", value_if (on, d->stop_reason));
}

static const char *
handin_words (const char *handin)
{
  if (g_strcmp0 (handin, "post") == 0)
    return "Tại nhà thông qua dịch vụ bưu chính công ích";
  if (g_strcmp0 (handin, "office") == 0)
    return "Tại nơi tiếp nhận hồ sơ theo quy định của Bảo hiểm Xã hội Việt Nam";
  return NULL;
}

/* What the portal adds to the paper form, in small print below it. */
static void
portal_note (BhxhPaper              *self,
             const BhxhPaperContext *context,
             const BhxhDeclaration  *d)
{
  BhxhPdfPara para = { 8.5, 0, BHXH_PDF_LEFT, 0, 0, 0 };
  g_autoptr(GString) note = g_string_new ("Thông tin từ Cổng Dịch vụ công — Mã tờ khai: ");
  const char *handin = handin_words (d->handin);
  BhxhPdfRun r;

  g_string_append (note, d->id);
  if (context != NULL && context->office != NULL)
    {
      g_string_append (note, "; Cơ quan BHXH tiếp nhận: ");
      if (context->parent_office != NULL)
        g_string_append_printf (note, "%s » ", context->parent_office->name);
      g_string_append (note, context->office->name);
    }
  if (handin != NULL)
    g_string_append_printf (note, "; Hình thức nộp hồ sơ: %s", handin);
  if (d->employer != NULL)
    g_string_append_printf (note, "; Đơn vị nộp hộ: %s", d->employer);
  g_string_append_c (note, '.');

  r.font = BHXH_PDF_REGULAR;
  r.text = note->str;
  bhxh_pdf_ensure (&self->pdf, 30);
  bhxh_pdf_skip (&self->pdf, 10);
  bhxh_pdf_hline (&self->pdf, self->pdf.left, self->pdf.left + 50 * BHXH_PDF_MM, self->pdf.y, 0.4);
  bhxh_pdf_skip (&self->pdf, 3);
  HPDF_Page_SetGrayFill (self->pdf.page, 0.3);
  bhxh_pdf_paragraph (&self->pdf, &para, &r, 1);
  HPDF_Page_SetGrayFill (self->pdf.page, 0.0);
}

gboolean
bhxh_paper_add_form01 (BhxhPaper              *self,
                       const BhxhPaperContext *context,
                       const BhxhDeclaration  *declaration,
                       GError                **error)
{
  BhxhPdf *pdf;
  g_autofree char *footer = NULL;
  double sig_height = 120;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (declaration != NULL && declaration->id != NULL, FALSE);

  pdf = &self->pdf;
  footer = g_strdup_printf ("Tờ khai mẫu 01 — %s", declaration->id);
  _bhxh_paper_begin (self, FALSE, FALSE, footer);
  top_block (self, context, declaration);
  title_block (self);
  fields_block (self, declaration);
  register_section (self, declaration);
  adjust_section (self, declaration);
  stop_section (self, declaration);
  bhxh_pdf_skip (pdf, 4);
  justified (self, "Cơ quan/tổ chức/cá nhân tôi cam kết hoàn toàn chịu trách nhiệm trước pháp "
                   "luật về tính chính xác, trung thực của nội dung nêu trên và thực hiện giao "
                   "dịch điện tử trong lĩnh vực bảo hiểm xã hội theo đúng quy định của pháp "
                   "luật./.");
  bhxh_pdf_skip (pdf, 8);
  bhxh_pdf_ensure (pdf, sig_height);
  {
    g_autofree char *name = bhxh_pdf_nfc (declaration->full_name);

    _bhxh_paper_signature (self, (pdf->left + pdf->right) / 2.0 - 30, pdf->right, pdf->y,
                           "CHỮ KÝ SỐ CỦA CƠ QUAN, TỔ CHỨC, CÁ NHÂN", name);
  }
  pdf->y -= sig_height;
  portal_note (self, context, declaration);

  return _bhxh_paper_check (self, error);
}
