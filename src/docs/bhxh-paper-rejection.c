/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-text.h"
#include "bhxh-paper-private.h"

/* Thông báo không chấp thuận: the reasons in plain Vietnamese, and for each
 * one what the person does to put it right. Reason codes are data (the
 * store's list, labels included); the advice is chosen by the words a code
 * is made of, so a new code still gets sensible advice. */

typedef struct
{
  const char *keywords;   /* space-separated prefixes of a code's words */
  const char *advice;
} Advice;

static const Advice advice_table[] = {
  /* The store's reason codes (data/migrations), then words of other codes. */
  { "document-unreadable",
    "Mang theo thẻ Căn cước/CCCD còn hạn, không bong tróc, mã QR đọc được; nếu thẻ hỏng, "
    "làm thủ tục cấp đổi trước rồi nộp lại hồ sơ." },
  { "person-absent",
    "Ông/bà cần trực tiếp đến cơ quan Bảo hiểm xã hội nộp Tờ khai mẫu 01 đã ký và xuất trình "
    "thẻ Căn cước/CCCD trong vòng 10 ngày kể từ ngày xác nhận tờ khai." },
  { "incomplete-form",
    "Khai đầy đủ các mục còn thiếu trên Cổng Dịch vụ công, in Tờ khai mẫu 01, ký và ghi rõ họ "
    "tên rồi mang bản đã ký đến nộp." },
  { "wrong-office",
    "Chọn lại đúng cơ quan Bảo hiểm xã hội tiếp nhận trên Cổng Dịch vụ công (nơi ông/bà cư "
    "trú hoặc làm việc) rồi xác nhận lại tờ khai." },
  { "other",
    "Làm theo hướng dẫn trong ghi chú của cán bộ tiếp nhận dưới đây." },
  { "diacritic",
    "Sửa họ và tên trên tờ khai đúng từng dấu như trên thẻ Căn cước/CCCD." },
  { "birth-cert certificate-birth khai-sinh",
    "Tải lên bản chụp giấy khai sinh rõ nét, có thông tin trùng với tờ khai." },
  { "guardian parent",
    "Cha, mẹ hoặc người giám hộ cần có tài khoản giao dịch điện tử đã được duyệt; "
    "đăng ký cho người giám hộ trước rồi khai lại tờ khai cho con." },
  { "name",
    "Sửa họ, chữ đệm và tên trên tờ khai cho đúng như trên thẻ Căn cước/CCCD." },
  { "birth dob",
    "Sửa ngày, tháng, năm sinh trên tờ khai cho đúng như trên giấy tờ tùy thân; nếu dữ "
    "liệu bảo hiểm xã hội ghi sai, đề nghị cơ quan Bảo hiểm xã hội điều chỉnh trước." },
  { "sex gender",
    "Sửa giới tính trên tờ khai cho đúng như trên giấy tờ tùy thân." },
  { "mirror registry not-found unknown armed bhxh",
    "Mã số bảo hiểm xã hội không có trong dữ liệu do cơ quan Bảo hiểm xã hội quản lý: tra "
    "cứu lại mã số (10 số cuối trên thẻ bảo hiểm y tế). Người thuộc lực lượng vũ trang liên "
    "hệ Bảo hiểm xã hội Bộ Quốc phòng." },
  { "photo image scan portrait unreadable blurred",
    "Chụp lại ảnh chân dung và ảnh hai mặt thẻ Căn cước/CCCD rõ nét, không lóa, không bị "
    "che, rồi tải lên tờ khai." },
  { "expired expiry cancel late",
    "Tờ khai đã quá 10 ngày kể từ ngày xác nhận: lập và xác nhận tờ khai mới trên Cổng Dịch "
    "vụ công rồi đến nộp hồ sơ trong thời hạn." },
  { "duplicate account already open active",
    "Ông/bà đã có tài khoản hoặc một tờ khai khác đang chờ xử lý: dùng tài khoản hiện có "
    "hoặc chờ kết quả tờ khai trước; muốn thay đổi thông tin thì lập tờ khai điều chỉnh." },
  { "cert signature-digital ca",
    "Kiểm tra số chứng thư số, tên tổ chức chứng thực chữ ký số và thời hạn; chứng thư số "
    "phải còn hiệu lực." },
  { "sign signature form paper",
    "In Tờ khai mẫu 01 từ Cổng Dịch vụ công, ký, ghi rõ họ tên và mang bản đã ký đến nộp." },
  { "email phone contact mobile",
    "Khai đúng địa chỉ thư điện tử và số điện thoại di động đang dùng để nhận mã xác thực." },
  { "address",
    "Ghi đầy đủ địa chỉ liên hệ: số nhà, đường, xã/phường, tỉnh/thành phố." },
  { "id cccd cmnd passport document card number",
    "Kiểm tra số CMND/CCCD/số định danh cá nhân trên tờ khai: số phải đúng như trên giấy tờ "
    "xuất trình (số định danh có 12 chữ số)." },
};

static gboolean
code_has_word (char       **words,
               const char  *keyword)
{
  /* A keyword with a dash must appear as consecutive words. */
  g_auto(GStrv) parts = g_strsplit (keyword, "-", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint k = 0;

      while (k < n && words[i + k] != NULL && g_str_has_prefix (words[i + k], parts[k]))
        k++;
      if (k == n)
        return TRUE;
    }
  return FALSE;
}

/**
 * bhxh_paper_reason_advice:
 * @code: a reason code such as "name-mismatch"
 *
 * Returns: (transfer none): how the person corrects it, in Vietnamese
 */
const char *
bhxh_paper_reason_advice (const char *code)
{
  g_autofree char *lower = g_ascii_strdown (code != NULL ? code : "", -1);
  g_auto(GStrv) words = g_strsplit_set (lower, "-_. ", -1);

  for (guint i = 0; i < G_N_ELEMENTS (advice_table); i++)
    {
      g_auto(GStrv) keywords = g_strsplit (advice_table[i].keywords, " ", -1);

      for (guint k = 0; keywords[k] != NULL; k++)
        if (code_has_word (words, keywords[k]))
          return advice_table[i].advice;
    }
  return "Kiểm tra lại nội dung này trên tờ khai, sửa cho khớp với giấy tờ tùy thân rồi xác "
         "nhận lại tờ khai trên Cổng Dịch vụ công.";
}

static const char *
salutation (BhxhSex sex)
{
  return sex == BHXH_SEX_MALE ? "Ông" : sex == BHXH_SEX_FEMALE ? "Bà" : "Ông/Bà";
}

static void
intro (BhxhPaper              *self,
       const BhxhPaperContext *context,
       const BhxhDeclaration  *d)
{
  g_autofree char *submitted = d->submitted_at != NULL
                               ? g_date_time_format (d->submitted_at, "%d/%m/%Y")
                               : g_strdup (PAPER_DOTS);
  g_autofree char *kind = g_utf8_strdown (_bhxh_paper_kind_words (d->kind), -1);
  g_autofree char *body = NULL;
  g_autofree char *masked = bhxh_text_mask_id (d->id_number);
  BhxhPdfPara para = { PAPER_SIZE, 0, BHXH_PDF_LEFT, 0, 0, 0 };
  BhxhPdfRun to[] = { { BHXH_PDF_REGULAR, "Kính gửi: " }, { BHXH_PDF_BOLD, NULL } };
  g_autofree char *person = g_strdup_printf ("%s %s", salutation (d->sex),
                                             d->full_name != NULL ? d->full_name : "");

  to[1].text = person;
  bhxh_pdf_paragraph (&self->pdf, &para, to, G_N_ELEMENTS (to));
  _bhxh_paper_field (self, 20 * BHXH_PDF_MM, "Số CMND/HC/CC", masked);
  _bhxh_paper_field (self, 20 * BHXH_PDF_MM, "Mã tờ khai", d->id);
  bhxh_pdf_skip (&self->pdf, 6);

  body = g_strdup_printf ("%s đã tiếp nhận và kiểm tra Tờ khai mẫu 01 (%s) mã số %s do ông/bà "
                          "khai ngày %s. Đối chiếu với giấy tờ tùy thân và dữ liệu do cơ quan "
                          "Bảo hiểm xã hội quản lý, tờ khai chưa được chấp thuận vì các lý do "
                          "sau:",
                          _bhxh_paper_office_name (context), kind, d->id, submitted);
  _bhxh_paper_text (self, BHXH_PDF_REGULAR, BHXH_PDF_JUSTIFY, 0, body);
}

static void
reasons (BhxhPaper          *self,
         const BhxhDecision *decision,
         GPtrArray          *reason_codes)
{
  BhxhPdfPara head = { PAPER_SIZE, 0, BHXH_PDF_LEFT, 5 * BHXH_PDF_MM, -5 * BHXH_PDF_MM, 0 };
  BhxhPdfPara fix = { PAPER_SIZE, 0, BHXH_PDF_JUSTIFY, 5 * BHXH_PDF_MM, 0, 0 };
  guint n = decision->reason_codes != NULL ? g_strv_length (decision->reason_codes) : 0;

  for (guint i = 0; i < n; i++)
    {
      const char *code = decision->reason_codes[i];
      g_autofree char *number = g_strdup_printf ("%u. ", i + 1);
      BhxhPdfRun h[] = {
        { BHXH_PDF_BOLD, number },
        { BHXH_PDF_BOLD, _bhxh_paper_reason_label (reason_codes, code) },
      };
      BhxhPdfRun f[] = {
        { BHXH_PDF_REGULAR, "Cách khắc phục: " },
        { BHXH_PDF_REGULAR, bhxh_paper_reason_advice (code) },
      };

      bhxh_pdf_skip (&self->pdf, 3);
      bhxh_pdf_ensure (&self->pdf, 3 * 1.35 * PAPER_SIZE);
      bhxh_pdf_paragraph (&self->pdf, &head, h, G_N_ELEMENTS (h));
      bhxh_pdf_paragraph (&self->pdf, &fix, f, G_N_ELEMENTS (f));
    }
  if (decision->note != NULL && *decision->note != '\0')
    {
      BhxhPdfRun r[] = {
        { BHXH_PDF_REGULAR, "Ghi chú của cán bộ tiếp nhận: " },
        { BHXH_PDF_BOLD, decision->note },
      };

      bhxh_pdf_skip (&self->pdf, 3);
      fix.indent = 0;
      bhxh_pdf_paragraph (&self->pdf, &fix, r, G_N_ELEMENTS (r));
    }
}

gboolean
bhxh_paper_add_rejection (BhxhPaper              *self,
                          const BhxhPaperContext *context,
                          const BhxhDeclaration  *declaration,
                          const BhxhDecision     *decision,
                          GPtrArray              *reason_codes,
                          GError                **error)
{
  BhxhPdf *pdf;
  g_autofree char *footer = NULL, *closing = NULL, *clerk = NULL;
  g_autoptr(GDateTime) now = _bhxh_paper_now (context);

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (declaration != NULL && declaration->id != NULL, FALSE);

  if (decision == NULL || decision->outcome != BHXH_OUTCOME_REJECT)
    {
      g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_NOT_APPLICABLE,
                   _("Declaration %s was not rejected: there is no rejection notice to print"),
                   declaration->id);
      return FALSE;
    }

  pdf = &self->pdf;
  footer = g_strdup_printf ("Thông báo không chấp thuận — %s", declaration->id);
  _bhxh_paper_begin (self, FALSE, FALSE, footer);
  _bhxh_paper_letterhead (self, context,
                          decision->decided_at != NULL ? decision->decided_at : now,
                          "Số: ........../TB-BHXH");
  _bhxh_paper_title (self, "THÔNG BÁO",
                     "Về việc không chấp thuận Tờ khai đăng ký sử dụng, điều chỉnh thông tin "
                     "và ngừng sử dụng phương thức giao dịch điện tử (Mẫu số 01)");
  intro (self, context, declaration);
  reasons (self, decision, reason_codes);
  bhxh_pdf_skip (pdf, 4);
  closing = g_strdup_printf ("Ông/bà vui lòng điều chỉnh tờ khai trên Cổng Dịch vụ công của "
                             "Bảo hiểm xã hội Việt Nam rồi xác nhận lại, sau đó đến %s nộp "
                             "Tờ khai mẫu 01 đã ký, mang theo thẻ Căn cước/CCCD. Mọi vướng mắc "
                             "xin liên hệ %s để được hướng dẫn./.",
                             _bhxh_paper_office_name (context),
                             _bhxh_paper_office_name (context));
  _bhxh_paper_text (self, BHXH_PDF_REGULAR, BHXH_PDF_JUSTIFY, 0, closing);
  clerk = bhxh_pdf_nfc (bhxh_decision_get_clerk_name (decision));
  _bhxh_paper_signatures (self, NULL, NULL, "CÁN BỘ TIẾP NHẬN", clerk);

  return _bhxh_paper_check (self, error);
}
