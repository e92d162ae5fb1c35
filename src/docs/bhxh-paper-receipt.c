/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-text.h"
#include "bhxh-paper-private.h"

/* Giấy biên nhận: what the citizen takes home after handing in form 01. */

#define QR_SIZE (34 * BHXH_PDF_MM)

static const char *
next_steps (const BhxhDecision *decision)
{
  if (decision == NULL)
    return "Cơ quan Bảo hiểm xã hội đối chiếu tờ khai với giấy tờ tùy thân và dữ liệu do cơ "
           "quan Bảo hiểm xã hội quản lý. Kết quả được thông báo qua thư điện tử và tin nhắn "
           "SMS. Tờ khai không được nộp hồ sơ trong vòng 10 ngày kể từ ngày xác nhận sẽ tự "
           "động bị hủy.";
  switch (decision->outcome)
    {
    case BHXH_OUTCOME_APPROVE:
      return "Tờ khai đã được chấp thuận. Tài khoản giao dịch điện tử của ông/bà được kích "
             "hoạt; Cổng Dịch vụ công của Bảo hiểm xã hội Việt Nam gửi thông báo qua thư điện "
             "tử và tin nhắn SMS trong vòng 15 phút (giao dịch trực tuyến) hoặc trong vòng "
             "03 ngày làm việc (nộp hồ sơ giấy).";
    case BHXH_OUTCOME_REJECT:
      return "Tờ khai chưa được chấp thuận. Lý do và cách khắc phục được ghi trong Thông báo "
             "không chấp thuận kèm theo; Cổng Dịch vụ công cũng gửi thông báo để ông/bà điều "
             "chỉnh tờ khai và xác nhận lại.";
    case BHXH_OUTCOME_ESCALATE:
    default:
      return "Hồ sơ đã được chuyển lãnh đạo cơ quan Bảo hiểm xã hội xem xét. Kết quả được "
             "thông báo qua thư điện tử và tin nhắn SMS; ông/bà không phải nộp lại hồ sơ.";
    }
}

static void
details (BhxhPaper              *self,
         const BhxhPaperContext *context,
         const BhxhDeclaration  *d,
         const BhxhDecision     *decision,
         const char             *clerk,
         GDateTime              *when)
{
  g_autofree char *masked = bhxh_text_mask_id (d->id_number);
  g_autofree char *time = _bhxh_paper_time (when);
  const char *result = decision != NULL ? _bhxh_paper_outcome_words (decision->outcome)
                                        : "Đang xử lý";

  _bhxh_paper_field (self, 0, "Mã tờ khai", d->id);
  _bhxh_paper_field (self, 0, "Họ và tên", d->full_name);
  _bhxh_paper_field (self, 0, "Số CMND/HC/CC", masked);
  _bhxh_paper_field (self, 0, "Mã số bảo hiểm xã hội", d->bhxh_code);
  _bhxh_paper_field (self, 0, "Nội dung", _bhxh_paper_kind_words (d->kind));
  _bhxh_paper_field (self, 0, "Thời điểm tiếp nhận", time);
  _bhxh_paper_field (self, 0, "Cơ quan tiếp nhận", _bhxh_paper_office_name (context));
  _bhxh_paper_field (self, 0, "Cán bộ tiếp nhận", clerk);
  /* How the person's identity was checked: the chip's signature is the
   * strongest evidence a counter has. */
  if (decision != NULL && decision->evidence != BHXH_EVIDENCE_UNKNOWN)
    _bhxh_paper_field (self, 0, "Giấy tờ đối chiếu", _bhxh_paper_evidence_words (decision->evidence));
  _bhxh_paper_field (self, 0, "Kết quả", result);
}

gboolean
bhxh_paper_add_receipt (BhxhPaper              *self,
                        const BhxhPaperContext *context,
                        const BhxhDeclaration  *declaration,
                        const BhxhDecision     *decision,
                        const char             *clerk,
                        GError                **error)
{
  BhxhPdf *pdf;
  g_autoptr(GDateTime) now = _bhxh_paper_now (context);
  GDateTime *when;
  g_autofree char *footer = NULL, *name = NULL;
  double top, saved_right, below;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (declaration != NULL && declaration->id != NULL, FALSE);

  pdf = &self->pdf;
  when = decision != NULL && decision->decided_at != NULL ? decision->decided_at : now;
  /* A person's name on a citizen's paper, never a login. */
  if (decision != NULL && decision->clerk != NULL)
    clerk = bhxh_decision_get_clerk_name (decision);
  footer = g_strdup_printf ("Giấy biên nhận — %s", declaration->id);
  _bhxh_paper_begin (self, FALSE, FALSE, footer);
  _bhxh_paper_letterhead (self, context, when, NULL);
  _bhxh_paper_title (self, "GIẤY BIÊN NHẬN",
                     "Tờ khai mẫu số 01 – Đăng ký sử dụng, điều chỉnh thông tin và ngừng sử "
                     "dụng phương thức giao dịch điện tử trong lĩnh vực bảo hiểm xã hội");

  /* The details to the left, the QR code of the declaration id to the right. */
  top = pdf->y;
  saved_right = pdf->right;
  pdf->right -= QR_SIZE + 4 * BHXH_PDF_MM;
  details (self, context, declaration, decision, clerk, when);
  pdf->right = saved_right;
  below = pdf->y;
  _bhxh_paper_qr (self, declaration->id, pdf->right - QR_SIZE, top + 2 * BHXH_PDF_MM, QR_SIZE);
  bhxh_pdf_text_in (pdf, BHXH_PDF_REGULAR, 9, pdf->right - QR_SIZE, pdf->right,
                    top - QR_SIZE + 4, BHXH_PDF_CENTER, "Mã tờ khai");
  pdf->y = MIN (below, top - QR_SIZE - 4) - 8;

  _bhxh_paper_text (self, BHXH_PDF_BOLD, BHXH_PDF_LEFT, 0, "Bước tiếp theo:");
  _bhxh_paper_text (self, BHXH_PDF_REGULAR, BHXH_PDF_JUSTIFY, 0, next_steps (decision));
  _bhxh_paper_text (self, BHXH_PDF_REGULAR, BHXH_PDF_JUSTIFY, 0,
                    "Khi cần tra cứu hoặc hỏi về hồ sơ, ông/bà cung cấp mã tờ khai hoặc đưa "
                    "mã QR trên giấy này cho cán bộ tiếp nhận.");
  name = bhxh_pdf_nfc (declaration->full_name);
  _bhxh_paper_signatures (self, "NGƯỜI NỘP HỒ SƠ", name, "CÁN BỘ TIẾP NHẬN", clerk);

  return _bhxh_paper_check (self, error);
}
