/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "core/bhxh-text.h"
#include "docs/bhxh-papers.h"
#include "core/bhxh-clock.h"
#include "store/bhxh-store.h"
#include "../store/store-fixtures.h"

/* Real PDFs, read back with poppler-utils (pdftotext, pdffonts, pdftoppm),
 * qpdf and zbarimg. Only synthetic people. */

static char *tmpdir;

#define ID_AN "001090012345"
#define NAME_AN "Nguyễn Văn An"
/* The same name in NFD, as some inputs deliver it. */
#define NAME_AN_NFD "Nguye\xCC\x82\xCC\x83n Va\xCC\x86n An"

static BhxhOffice root_office = { "001", NULL, "BHXH Tp. Hà Nội" };
static BhxhOffice district_office = { "00106", "001", "BHXH Quận Đống Đa" };
static BhxhReasonCode reason_name = { "name-mismatch", "Họ và tên không khớp với giấy tờ tùy thân" };
static BhxhReasonCode reason_doc = { "document-unreadable",
                                     "Giấy tờ tùy thân không đọc được hoặc không hợp lệ" };

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = -1;
  GSpawnFlags flags = G_SPAWN_SEARCH_PATH;

  /* Tool chatter must not reach the TAP stream. */
  if (out == NULL)
    flags |= G_SPAWN_STDOUT_TO_DEV_NULL;
  if (err == NULL)
    flags |= G_SPAWN_STDERR_TO_DEV_NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, flags, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gboolean
have_tools (void)
{
  const char *tools[] = { "pdftotext", "pdffonts", "pdftoppm", "qpdf", "zbarimg" };

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_test_skip_printf ("%s is not installed", tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* pdftotext, then NFC and every run of white space (NBSP too) as one space. */
static char *
pdf_text (const char *pdf,
          int         page)
{
  g_autofree char *first = g_strdup_printf ("%d", page > 0 ? page : 1);
  g_autofree char *last = g_strdup_printf ("%d", page > 0 ? page : 100000);
  const char *argv[] = { "pdftotext", "-q", "-f", first, "-l", last, pdf, "-", NULL };
  g_autofree char *out = NULL, *nfc = NULL;

  g_assert_cmpint (run (argv, &out, NULL), ==, 0);
  g_assert_true (g_utf8_validate (out, -1, NULL));
  nfc = g_utf8_normalize (out, -1, G_NORMALIZE_NFC);
  return bhxh_text_collapse (nfc);
}

#define assert_has(text, needle) \
  G_STMT_START { \
    if (strstr ((text), (needle)) == NULL) \
      g_error ("'%s' not found in the PDF text: %s", (needle), (text)); \
  } G_STMT_END

/* qpdf --check is clean and every font is embedded: Noto Sans, both weights. */
static void
check_pdf (const char *pdf)
{
  const char *qpdf[] = { "qpdf", "--check", pdf, NULL };
  const char *fonts[] = { "pdffonts", pdf, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_fonts = 0;

  g_assert_cmpint (run (qpdf, NULL, NULL), ==, 0);
  g_assert_cmpint (run (fonts, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "NotoSans-Regular"));
  g_assert_nonnull (strstr (out, "NotoSans-Bold"));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      for (guint c = 0; cols[c] != NULL; c++)
        if (*cols[c] != '\0')
          g_ptr_array_add (words, cols[c]);
      if (words->len < 5)
        continue;
      /* name type encoding emb sub uni num gen */
      g_assert_cmpstr (g_ptr_array_index (words, words->len - 5), ==, "yes");
      n_fonts++;
    }
  g_assert_cmpuint (n_fonts, >=, 2);
}

/* Every word lies inside the page's side margins and above the bottom edge. */
static void
check_inside_margins (const char *pdf,
                      double      left,
                      double      right)
{
  g_autofree char *html = tmp_path ("bbox.html");
  const char *argv[] = { "pdftotext", "-q", "-bbox", pdf, html, NULL };
  g_autofree char *text = NULL;
  g_autoptr(GRegex) page_re = g_regex_new ("<page width=\"([0-9.]+)\" height=\"([0-9.]+)\"",
                                           0, 0, NULL);
  g_autoptr(GRegex) word_re = g_regex_new ("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" "
                                           "xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  double width, height;
  guint n = 0;

  g_assert_cmpint (run (argv, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (html, &text, NULL, NULL));
  g_assert_true (g_regex_match (page_re, text, 0, &m));
  {
    g_autofree char *w = g_match_info_fetch (m, 1), *h = g_match_info_fetch (m, 2);

    width = g_ascii_strtod (w, NULL);
    height = g_ascii_strtod (h, NULL);
  }
  g_clear_pointer (&m, g_match_info_free);

  g_regex_match (word_re, text, 0, &m);
  for (; g_match_info_matches (m); g_match_info_next (m, NULL), n++)
    {
      g_autofree char *x0 = g_match_info_fetch (m, 1), *x1 = g_match_info_fetch (m, 3);
      g_autofree char *y1 = g_match_info_fetch (m, 4);

      g_assert_cmpfloat (g_ascii_strtod (x0, NULL), >=, left - 1.0);
      g_assert_cmpfloat (g_ascii_strtod (x1, NULL), <=, width - right + 1.0);
      g_assert_cmpfloat (g_ascii_strtod (y1, NULL), <=, height);
    }
  g_assert_cmpuint (n, >, 50);
}

static BhxhDeclaration
make_declaration (void)
{
  BhxhDeclaration d = { 0, };

  d.id = (char *) "TK01-00106-000001";
  d.kind = BHXH_KIND_REGISTER;
  d.office_code = (char *) "00106";
  d.submitted_at = g_date_time_new_from_iso8601 ("2026-11-20T08:15:00+07:00", NULL);
  d.full_name = (char *) NAME_AN_NFD;
  d.bhxh_code = (char *) "0112345678";
  d.id_number = (char *) ID_AN;
  d.sex = BHXH_SEX_MALE;
  d.address = (char *) "Số 12 ngõ 34 Thái Hà, Trung Liệt, Đống Đa, Hà Nội";
  d.contact_person = (char *) NAME_AN;
  d.email = (char *) "an.nguyen@example.vn";
  d.phone = (char *) "0912345678";
  d.start_date = (BhxhDate) { 2026, 12, 1 };
  d.channel = (char *) "portal";
  d.handin = (char *) "office";
  return d;
}

static const BhxhPaperContext context = { &district_office, &root_office, NULL, NULL };

static void
test_form01 (void)
{
  g_autoptr(BhxhPaper) paper = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = tmp_path ("form01.pdf");
  g_autofree char *text = NULL, *page2 = NULL;
  BhxhDeclaration d = make_declaration ();
  /* The template's wording (FORM01.md), line by line as it must appear. */
  const char *wording[] = {
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Hà Nội, ngày 20 tháng 11 năm 2026", "Mẫu số 01", "Ảnh cá nhân", "TỜ KHAI",
    "Đăng ký sử dụng, điều chỉnh thông tin và ngừng sử dụng phương thức giao dịch điện tử "
    "trong lĩnh vực bảo hiểm xã hội",
    "Kính gửi: Bảo hiểm xã hội Việt Nam.",
    "Tên cơ quan/tổ chức/cá nhân: " NAME_AN,
    "Mã số bảo hiểm xã hội: 0112345678",
    "Số CMND/HC/CC: " ID_AN,
    "Địa chỉ liên hệ: Số 12 ngõ 34 Thái Hà, Trung Liệt, Đống Đa, Hà Nội",
    "Số chứng thư số của cơ quan, tổ chức, cá nhân:",
    "Tên tổ chức chứng thực chữ ký số:",
    "Thời hạn sử dụng chứng thư số: Từ ngày ... tháng ... năm ... đến ngày ... tháng ... năm ...",
    "Cá nhân tôi không có chứng thư số (không điền nội dung tại mục (*)), đề nghị cơ quan Bảo "
    "hiểm xã hội cấp mã xác thực giao dịch điện tử theo địa chỉ thư điện tử hoặc số điện thoại "
    "di động dưới đây:",
    "Người liên hệ: " NAME_AN, "Địa chỉ thư điện tử: an.nguyen@example.vn",
    "Điện thoại di động: 0912345678",
    "Theo Nghị định số 166/2016/NĐ-CP ngày 24 tháng 12 năm 2016 của Chính phủ, cơ quan/tổ "
    "chức/cá nhân tôi có đủ các điều kiện sử dụng phương thức giao dịch điện tử.",
    "1. Đăng ký sử dụng:",
    "- Đăng ký sử dụng phương thức giao dịch điện tử trong lĩnh vực Bảo hiểm xã hội từ ngày "
    "01 tháng 12 năm 2026",
    "- Đăng ký giao dịch tại:", "+ Cổng thông tin điện tử của Bảo hiểm xã hội Việt Nam",
    "+ Tổ chức I-VAN", "(trong trường hợp giao dịch qua tổ chức I-VAN).",
    "2. Điều chỉnh thông tin:", "- Địa chỉ thư điện tử:", "- Số điện thoại di động:",
    "(Chỉ ghi những nội dung có thay đổi, bổ sung)",
    "3. Ngừng sử dụng phương thức giao dịch:",
    "- Ngừng giao dịch điện tử trong lĩnh vực bảo hiểm xã hội từ ngày ... tháng ... năm ...",
    "- Lý do ngừng:",
    "Cơ quan/tổ chức/cá nhân tôi cam kết hoàn toàn chịu trách nhiệm trước pháp luật về tính "
    "chính xác, trung thực của nội dung nêu trên và thực hiện giao dịch điện tử trong lĩnh vực "
    "bảo hiểm xã hội theo đúng quy định của pháp luật./.",
    "CHỮ KÝ SỐ CỦA CƠ QUAN, TỔ CHỨC, CÁ NHÂN", "(Ký, ghi rõ họ tên)",
    "Cơ quan BHXH tiếp nhận: BHXH Tp. Hà Nội » BHXH Quận Đống Đa",
    "Tại nơi tiếp nhận hồ sơ theo quy định của Bảo hiểm Xã hội Việt Nam",
  };

  if (!have_tools ())
    return;
  paper = bhxh_paper_new (&error);
  g_assert_no_error (error);
  g_assert_true (bhxh_paper_add_form01 (paper, &context, &d, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bhxh_paper_get_n_pages (paper), ==, 2);
  g_assert_true (bhxh_paper_save (paper, pdf, &error));
  g_assert_no_error (error);

  check_pdf (pdf);
  check_inside_margins (pdf, 30 * 72 / 25.4, 15 * 72 / 25.4);
  text = pdf_text (pdf, 0);
  for (guint i = 0; i < G_N_ELEMENTS (wording); i++)
    assert_has (text, wording[i]);
  /* NFD input comes out NFC; the form carries the full ID number. */
  g_assert_null (strstr (text, "Nguye\xCC\x82"));
  page2 = pdf_text (pdf, 2);
  assert_has (page2, "Trang 2/2");
  assert_has (page2, NAME_AN);
  g_date_time_unref (d.submitted_at);
}

static void
test_form01_kinds (void)
{
  g_autoptr(BhxhPaper) paper = bhxh_paper_new (NULL);
  g_autofree char *pdf = tmp_path ("form01-kinds.pdf");
  g_autofree char *text = NULL;
  BhxhDeclaration adjust = make_declaration (), stop = make_declaration ();
  g_autoptr(GError) error = NULL;

  if (!have_tools ())
    return;
  adjust.kind = BHXH_KIND_ADJUST;
  adjust.cert_number = (char *) "540101010F2A9B7C";
  adjust.cert_issuer = (char *) "VNPT-CA";
  adjust.cert_valid_from = (BhxhDate) { 2025, 1, 15 };
  adjust.cert_valid_to = (BhxhDate) { 2028, 1, 14 };
  stop.kind = BHXH_KIND_STOP;
  stop.start_date = (BhxhDate) { 2027, 1, 1 };
  stop.stop_reason = (char *) "Chuyển sang giao dịch qua tổ chức I-VAN của đơn vị";
  g_assert_true (bhxh_paper_add_form01 (paper, &context, &adjust, &error));
  g_assert_true (bhxh_paper_add_form01 (paper, &context, &stop, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_paper_save (paper, pdf, &error));
  check_pdf (pdf);

  text = pdf_text (pdf, 0);
  assert_has (text, "Tên tổ chức chứng thực chữ ký số: VNPT-CA");
  assert_has (text, "Từ ngày 15 tháng 01 năm 2025 đến ngày 14 tháng 01 năm 2028");
  assert_has (text, "- Ngừng giao dịch điện tử trong lĩnh vực bảo hiểm xã hội từ ngày 01 tháng "
                    "01 năm 2027");
  assert_has (text, "- Lý do ngừng: Chuyển sang giao dịch qua tổ chức I-VAN của đơn vị");
  /* Each form is numbered on its own. */
  g_assert_cmpuint (bhxh_paper_get_n_pages (paper), ==, 4);
  assert_has (text, "Trang 1/2");
  g_assert_null (strstr (text, "Trang 3/4"));
  g_date_time_unref (adjust.submitted_at);
  g_date_time_unref (stop.submitted_at);
}

/* Long Vietnamese text wraps by words; a word longer than a line is cut. */
static void
test_wrapping (void)
{
  g_autoptr(BhxhPaper) paper = bhxh_paper_new (NULL);
  g_autofree char *pdf = tmp_path ("long.pdf");
  g_autoptr(GString) address = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BhxhDeclaration d = make_declaration ();

  if (!have_tools ())
    return;
  for (guint i = 0; i < 80; i++)
    g_string_append_printf (address, "Thôn Phước Lộc Thượng %u, xã Phước Kiển, ", i);
  g_string_append (address, "Nhà Bè");
  d.address = address->str;
  d.full_name = (char *) "Tôn Nữ Thị Phương Thảo Nguyễn Hoàng Bảo Ngọc Khuê";
  d.email = (char *) "rat-dai-khong-co-khoang-trang-nao-ca-ten-hop-thu-dien-tu-cua-nguoi-"
                     "khai-bao-o-phuong-tan-thuan-dong-quan-7@mot-ten-mien-cung-rat-dai.example.vn";
  g_assert_true (bhxh_paper_add_form01 (paper, &context, &d, &error));
  g_assert_true (bhxh_paper_save (paper, pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bhxh_paper_get_n_pages (paper), >=, 3);
  check_pdf (pdf);
  check_inside_margins (pdf, 30 * 72 / 25.4, 15 * 72 / 25.4);
  text = pdf_text (pdf, 0);
  assert_has (text, "Thôn Phước Lộc Thượng 79, xã Phước Kiển, Nhà Bè");
  assert_has (text, "Tôn Nữ Thị Phương Thảo Nguyễn Hoàng Bảo Ngọc Khuê");
  g_date_time_unref (d.submitted_at);
}

static BhxhDecision
make_decision (BhxhOutcome  outcome,
               char       **codes)
{
  BhxhDecision decision = { 0, };

  decision.uuid = (char *) "7d8f5a8e-0000-4000-8000-000000000001";
  decision.declaration_id = (char *) "TK01-00106-000001";
  decision.outcome = outcome;
  decision.clerk = (char *) "lan.nt";
  decision.decided_at = g_date_time_new_from_iso8601 ("2026-11-23T09:41:00+07:00", NULL);
  decision.reason_codes = codes;
  return decision;
}

static void
test_receipt (void)
{
  g_autoptr(BhxhPaper) paper = bhxh_paper_new (NULL);
  g_autofree char *pdf = tmp_path ("receipt.pdf");
  g_autofree char *prefix = tmp_path ("receipt");
  g_autofree char *png = tmp_path ("receipt-1.png");
  g_autofree char *text = NULL, *qr = NULL;
  g_autoptr(GError) error = NULL;
  BhxhDeclaration d = make_declaration ();
  BhxhDecision decision = make_decision (BHXH_OUTCOME_APPROVE, NULL);
  const char *render[] = { "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", pdf, prefix,
                           NULL };
  const char *zbar[] = { "zbarimg", "--raw", "-q", "-Sbinary", "--nodbus", png, NULL };

  if (!have_tools ())
    return;
  g_assert_true (bhxh_paper_add_receipt (paper, &context, &d, &decision, NULL, &error));
  g_assert_true (bhxh_paper_save (paper, pdf, &error));
  g_assert_no_error (error);
  check_pdf (pdf);
  check_inside_margins (pdf, 30 * 72 / 25.4 - 10, 15 * 72 / 25.4);

  text = pdf_text (pdf, 0);
  assert_has (text, "GIẤY BIÊN NHẬN");
  assert_has (text, "Mã tờ khai: TK01-00106-000001");
  assert_has (text, "Thời điểm tiếp nhận: 09:41 ngày 23/11/2026");
  assert_has (text, "Cơ quan tiếp nhận: BHXH Quận Đống Đa");
  assert_has (text, "Cán bộ tiếp nhận: lan.nt");
  assert_has (text, "Kết quả: Chấp thuận");
  assert_has (text, "trong vòng 15 phút");
  /* Masked: the receipt does not need the full ID number. */
  assert_has (text, "Số CMND/HC/CC: 001******345");
  g_assert_null (strstr (text, ID_AN));

  /* The QR code scans back to the declaration id. */
  g_assert_cmpint (run (render, NULL, NULL), ==, 0);
  g_assert_cmpint (run (zbar, &qr, NULL), ==, 0);
  g_assert_cmpstr (g_strstrip (qr), ==, "TK01-00106-000001");
  g_date_time_unref (d.submitted_at);
  g_date_time_unref (decision.decided_at);
}

static void
test_rejection (void)
{
  g_autoptr(BhxhPaper) paper = bhxh_paper_new (NULL);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  g_autofree char *pdf = tmp_path ("rejection.pdf");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char *codes[] = { (char *) "name-mismatch", (char *) "document-unreadable",
                    (char *) "some-new-code", NULL };
  BhxhDeclaration d = make_declaration ();
  BhxhDecision decision = make_decision (BHXH_OUTCOME_REJECT, codes);
  BhxhDecision approved = make_decision (BHXH_OUTCOME_APPROVE, NULL);

  if (!have_tools ())
    return;
  g_ptr_array_add (reasons, &reason_name);
  g_ptr_array_add (reasons, &reason_doc);
  decision.note = (char *) "Ảnh mặt sau thẻ bị lóa, không đọc được ngày cấp.";

  /* No notice for an approved declaration, and nothing added to the PDF. */
  g_assert_false (bhxh_paper_add_rejection (paper, &context, &d, &approved, reasons, &error));
  g_assert_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_NOT_APPLICABLE);
  g_clear_error (&error);
  g_assert_cmpuint (bhxh_paper_get_n_pages (paper), ==, 0);

  g_assert_true (bhxh_paper_add_rejection (paper, &context, &d, &decision, reasons, &error));
  g_assert_true (bhxh_paper_save (paper, pdf, &error));
  g_assert_no_error (error);
  check_pdf (pdf);
  check_inside_margins (pdf, 30 * 72 / 25.4 - 10, 15 * 72 / 25.4);

  text = pdf_text (pdf, 0);
  assert_has (text, "THÔNG BÁO");
  assert_has (text, "Kính gửi: Ông " NAME_AN);
  assert_has (text, "1. Họ và tên không khớp với giấy tờ tùy thân");
  assert_has (text, "2. Giấy tờ tùy thân không đọc được hoặc không hợp lệ");
  assert_has (text, "3. some-new-code");
  assert_has (text, bhxh_paper_reason_advice ("name-mismatch"));
  assert_has (text, bhxh_paper_reason_advice ("document-unreadable"));
  assert_has (text, "Ghi chú của cán bộ tiếp nhận: Ảnh mặt sau thẻ bị lóa");
  assert_has (text, "001******345");
  g_assert_null (strstr (text, ID_AN));
  g_assert_cmpstr (bhxh_paper_reason_advice ("not-in-registry"), !=,
                   bhxh_paper_reason_advice ("some-new-code"));
  g_date_time_unref (d.submitted_at);
  g_date_time_unref (decision.decided_at);
  g_date_time_unref (approved.decided_at);
}

static void
test_daily_report (void)
{
  const guint n = 150;
  g_autoptr(BhxhPaper) paper = bhxh_paper_new (NULL);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  g_autofree char *pdf = tmp_path ("report.pdf");
  g_autofree char *text = NULL;
  g_autofree BhxhReportRow *rows = g_new0 (BhxhReportRow, n);
  g_autofree BhxhDecision *decisions = g_new0 (BhxhDecision, n);
  g_autofree BhxhDeclaration *declarations = g_new0 (BhxhDeclaration, n);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  char *codes[] = { (char *) "name-mismatch", NULL };
  BhxhDate day = { 2026, 11, 23 };
  guint pages;
  g_autofree char *last = NULL;

  if (!have_tools ())
    return;
  g_ptr_array_add (reasons, &reason_name);
  for (guint i = 0; i < n; i++)
    {
      char *id = g_strdup_printf ("TK01-00106-%06u", i);

      g_ptr_array_add (owned, id);
      declarations[i] = make_declaration ();
      g_date_time_unref (declarations[i].submitted_at);
      declarations[i].submitted_at = NULL;
      declarations[i].id = id;
      declarations[i].full_name = (char *) (i % 2 ? "Trần Thị Bích Ngọc" : NAME_AN);
      decisions[i] = make_decision (i % 5 == 0 ? BHXH_OUTCOME_REJECT : BHXH_OUTCOME_APPROVE,
                                    i % 5 == 0 ? codes : NULL);
      decisions[i].declaration_id = id;
      decisions[i].clerk = (char *) (i % 3 ? "lan.nt" : "minh.pq");
      rows[i].decision = &decisions[i];
      rows[i].declaration = &declarations[i];
    }
  g_assert_true (bhxh_paper_add_daily_report (paper, &context, &day, rows, n, reasons, &error));
  g_assert_true (bhxh_paper_save (paper, pdf, &error));
  g_assert_no_error (error);
  check_pdf (pdf);
  check_inside_margins (pdf, 20 * 72 / 25.4 - 10, 15 * 72 / 25.4);

  pages = bhxh_paper_get_n_pages (paper);
  g_assert_cmpuint (pages, >=, 4);
  text = pdf_text (pdf, 1);
  assert_has (text, "BÁO CÁO KẾT QUẢ TIẾP NHẬN TỜ KHAI MẪU 01");
  assert_has (text, "Ngày 23/11/2026");
  assert_has (text, "Họ và tên không khớp với giấy tờ tùy thân");
  assert_has (text, "minh.pq");
  /* Summary: 150 decisions, 120 approved, 30 rejected. */
  assert_has (text, "150 120 30");
  /* The list's header on every page after the first, and page numbers. */
  for (guint p = 2; p <= pages; p++)
    {
      g_autofree char *page = pdf_text (pdf, p);
      g_autofree char *number = g_strdup_printf ("Trang %u/%u", p, pages);

      assert_has (page, "STT Giờ");
      assert_has (page, "Mã tờ khai");
      assert_has (page, "Họ và tên");
      assert_has (page, "Kết quả");
      assert_has (page, "Lý do, ghi chú");
      assert_has (page, number);
      assert_has (page, "001******345");
      g_assert_null (strstr (page, ID_AN));
    }
  last = pdf_text (pdf, pages);
  assert_has (last, "TK01-00106-000149");
  assert_has (last, "LÃNH ĐẠO ĐƠN VỊ");

  for (guint i = 0; i < n; i++)
    g_date_time_unref (decisions[i].decided_at);
}

/* The report's lists are Vietnamese lists: the people decided by given
 * name, then family and middle names, in the Vietnamese alphabet (Phạm
 * before Phan); the clerks by their names the same way. */
static void
test_daily_report_order (void)
{
  const char *names[] = { "Trần Văn Bình", "Phan Thị Ánh", "Phạm Thị Ánh", "Lê Văn An" };
  const char *clerks[] = { "Trần Văn Hùng", "Nguyễn Thị Lan", "Lê Thị Thủy", "Phạm Minh Quang" };
  const guint n = G_N_ELEMENTS (names);
  g_autoptr(BhxhPaper) paper = bhxh_paper_new (NULL);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  g_autofree char *pdf = tmp_path ("report-order.pdf");
  g_autofree char *text = NULL;
  BhxhReportRow rows[G_N_ELEMENTS (names)];
  BhxhDecision decisions[G_N_ELEMENTS (names)];
  BhxhDeclaration declarations[G_N_ELEMENTS (names)];
  g_autoptr(GError) error = NULL;
  BhxhDate day = { 2026, 11, 23 };
  const char *list;

  if (!have_tools ())
    return;
  for (guint i = 0; i < n; i++)
    {
      declarations[i] = make_declaration ();
      declarations[i].full_name = (char *) names[i];
      decisions[i] = make_decision (BHXH_OUTCOME_APPROVE, NULL);
      decisions[i].clerk_name = (char *) clerks[i];
      rows[i].decision = &decisions[i];
      rows[i].declaration = &declarations[i];
    }
  g_assert_true (bhxh_paper_add_daily_report (paper, &context, &day, rows, n, reasons, &error));
  g_assert_true (bhxh_paper_save (paper, pdf, &error));
  g_assert_no_error (error);
  text = pdf_text (pdf, 0);
  list = strstr (text, "IV. DANH SÁCH");
  g_assert_nonnull (list);
  g_assert_true (strstr (list, "Lê Văn An") < strstr (list, "Phạm Thị Ánh"));
  g_assert_true (strstr (list, "Phạm Thị Ánh") < strstr (list, "Phan Thị Ánh"));
  g_assert_true (strstr (list, "Phan Thị Ánh") < strstr (list, "Trần Văn Bình"));
  g_assert_true (strstr (text, "Trần Văn Hùng") < strstr (text, "Nguyễn Thị Lan"));
  g_assert_true (strstr (text, "Nguyễn Thị Lan") < strstr (text, "Phạm Minh Quang"));
  g_assert_true (strstr (text, "Phạm Minh Quang") < strstr (text, "Lê Thị Thủy"));
  for (guint i = 0; i < n; i++)
    {
      g_date_time_unref (declarations[i].submitted_at);
      g_date_time_unref (decisions[i].decided_at);
    }
}

static void
test_font_missing (void)
{
  g_autoptr(GError) error = NULL;
  BhxhPaper *paper;

  g_setenv ("BHXH_DESK_FONTDIR", "/nonexistent/fonts", TRUE);
  paper = bhxh_paper_new (&error);
  g_unsetenv ("BHXH_DESK_FONTDIR");
  g_assert_null (paper);
  g_assert_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_FONT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/fonts/NotoSans-Regular.ttf"));
}

/* The whole path: a real store, 'bhxh-deskctl print', the files it writes. */
#define DECLARATIONS_JSON \
  "{\"format\": \"bhxh-declarations/1\", \"declarations\": [" \
  "{\"id\": \"TK01-00106-000001\", \"kind\": \"register\", \"office_code\": \"00106\", " \
  "\"submitted_at\": \"2026-11-20T08:15:00+07:00\", " \
  "\"confirmed_at\": \"2026-11-20T08:20:00+07:00\", \"full_name\": \"Nguyễn Văn An\", " \
  "\"bhxh_code\": \"0112345678\", \"id_number\": \"001090012345\", " \
  "\"birth_date\": \"1990-03-15\", \"sex\": \"male\", \"address\": \"Đống Đa, Hà Nội\", " \
  "\"start_date\": \"2026-12-01\", \"channel\": \"portal\", \"handin\": \"office\"}," \
  "{\"id\": \"TK01-00106-000002\", \"kind\": \"stop\", \"office_code\": \"00106\", " \
  "\"submitted_at\": \"2026-11-21T10:00:00+07:00\", " \
  "\"confirmed_at\": \"2026-11-21T10:05:00+07:00\", \"full_name\": \"Trần Thị Bích Ngọc\", " \
  "\"bhxh_code\": \"7912345678\", \"id_number\": \"079305001234\", " \
  "\"birth_date\": \"2005-11-02\", \"sex\": \"female\", \"address\": \"Nhà Bè\", " \
  "\"start_date\": \"2027-01-01\", \"stop_reason\": \"Không còn nhu cầu\", " \
  "\"handin\": \"post\"}]}"

static BhxhStore *
make_store (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offices = g_ptr_array_new ();
  g_autoptr(JsonNode) root = json_from_string (DECLARATIONS_JSON, &error);
  g_autoptr(BhxhStore) store = bhxh_store_open (db, &error);
  const char *reject_codes[] = { "name-mismatch", NULL };
  BhxhDecisionRequest reject = { "TK01-00106-000001", BHXH_OUTCOME_REJECT, "lan.nt",
                                 reject_codes, "Sai dấu ở tên đệm", FALSE, NULL };
  static const char card_payload[] =
    "079305001234||Trần Thị Bích Ngọc|02112005|Nữ|Nhà Bè|01012021";
  g_autoptr(BhxhDocument) card = bhxh_document_parse_scan (card_payload, strlen (card_payload),
                                                           NULL);
  BhxhDecisionRequest approve = { "TK01-00106-000002", BHXH_OUTCOME_APPROVE, "minh.pq",
                                  NULL, "Đã đối chiếu bản gốc", TRUE, card };
  g_autofree char *mirror = NULL;
  BhxhDecision *decision;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (card);
  g_ptr_array_add (offices, &root_office);
  g_ptr_array_add (offices, &district_office);
  g_assert_true (bhxh_store_replace_offices (store, offices, &error));
  g_assert_true (bhxh_store_import_declarations_json (store, root, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  /* Approvals need a mirror (the safety stops): the fixture's registry. */
  mirror = g_strconcat (db, ".csv", NULL);
  g_assert_true (g_file_set_contents (mirror, FIXTURE_MIRROR_CSV, -1, &error));
  g_assert_true (bhxh_store_import_mirror (store, mirror, BHXH_MIRROR_FORMAT_CSV, "m1", NULL,
                                           NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_unlink (mirror);
  /* Only a supervisor approves over a blocking check. */
  g_assert_true (bhxh_store_add_user (store, "minh.pq", "Phạm Quang Minh", "supervisor", &error));
  g_assert_true (bhxh_store_add_user (store, "lan.nt", "Nguyễn Thị Lan", "clerk", &error));
  decision = bhxh_store_decide (store, &reject, &error);
  g_assert_no_error (error);
  bhxh_decision_free (decision);
  decision = bhxh_store_decide (store, &approve, &error);
  g_assert_no_error (error);
  bhxh_decision_free (decision);
  return g_steal_pointer (&store);
}

static void
assert_print (const char *db,
              const char *kind,
              const char *key,
              const char *name,
              guint       pages,
              const char *needle)
{
  const char *deskctl = g_getenv ("BHXH_DESKCTL");
  g_autofree char *pdf = tmp_path (name);
  gboolean report = g_str_equal (kind, "daily-report");
  const char *argv[] = { deskctl, "print", kind, db, report ? "--date" : key,
                         report ? key : "--output", report ? "--output" : pdf,
                         report ? pdf : NULL, NULL };
  g_autofree char *out = NULL, *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_cmpint (run (argv, &out, NULL), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_nonnull (node);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "output"), ==, pdf);
  check_pdf (pdf);
  text = pdf_text (pdf, 0);
  assert_has (text, needle);
  if (pages > 0)
    g_assert_cmpint (json_object_get_int_member (object, "pages"), ==, pages);
  else
    {
      /* The report says how many pages it has: it must agree. */
      gint64 n = json_object_get_int_member (object, "pages");
      g_autofree char *last = g_strdup_printf ("Trang %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                               n, n);

      g_assert_cmpint (n, >=, 1);
      assert_has (text, last);
    }
}

static void
assert_print_fails (const char *db,
                    const char *kind,
                    const char *key,
                    const char *message)
{
  const char *deskctl = g_getenv ("BHXH_DESKCTL");
  g_autofree char *pdf = tmp_path ("must-not-exist.pdf");
  const char *argv[] = { deskctl, "print", kind, db, key, "--output", pdf, NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (run (argv, NULL, &err), ==, 1);
  g_assert_true (g_str_has_prefix (err, "error: "));
  g_assert_nonnull (strstr (err, message));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

static void
test_cli (void)
{
  g_autofree char *db = tmp_path ("desk.db");
  g_autoptr(BhxhStore) store = NULL;
  g_autofree char *today = NULL;
  BhxhDate day = bhxh_clock_today ();
  const char *deskctl = g_getenv ("BHXH_DESKCTL");
  const char *usage[] = { deskctl, "print", "poster", db, "x", "--output", "x.pdf", NULL };

  if (!have_tools ())
    return;
  if (deskctl == NULL)
    {
      g_test_skip ("BHXH_DESKCTL is not set");
      return;
    }
  store = make_store (db);
  today = bhxh_date_to_iso (&day);  /* the office's day, as the decisions have it */

  assert_print (db, "form01", "TK01-00106-000001", "cli-form01.pdf", 2,
                "Hà Nội, ngày 20 tháng 11 năm 2026");
  assert_print (db, "receipt", "TK01-00106-000001", "cli-receipt.pdf", 1,
                "Kết quả: Không chấp thuận");
  assert_print (db, "rejection", "TK01-00106-000001", "cli-rejection.pdf", 1,
                "Ghi chú của cán bộ tiếp nhận: Sai dấu ở tên đệm");
  /* People's names on citizens' papers, never logins. */
  assert_print (db, "receipt", "TK01-00106-000002", "cli-receipt2.pdf", 1,
                "Cán bộ tiếp nhận: Phạm Quang Minh");
  /* How the identity was checked: the QR only, not the chip. */
  assert_print (db, "receipt", "TK01-00106-000002", "cli-receipt2b.pdf", 1,
                "Giấy tờ đối chiếu: Mã QR trên thẻ căn cước (chưa xác thực chip)");
  assert_print (db, "receipt", "TK01-00106-000001", "cli-receipt3.pdf", 1,
                "Cán bộ tiếp nhận: Nguyễn Thị Lan");
  assert_print (db, "daily-report", today, "cli-report.pdf", 0, "BHXH QUẬN ĐỐNG ĐA");
  assert_print (db, "daily-report", "2020-01-01", "cli-empty.pdf", 0,
                "Trong ngày chưa có quyết định nào.");

  /* Decided at a counter of another office (its enrolment): the receipt
   * names the office that received the citizen, not the one chosen
   * online. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (bhxh_store_set_portal (store, "https://portal.example.vn", "001", "t",
                                          &error));
    g_assert_no_error (error);
  }
  assert_print (db, "receipt", "TK01-00106-000002", "cli-receipt4.pdf", 1,
                "Cơ quan tiếp nhận: BHXH Tp. Hà Nội");

  assert_print_fails (db, "receipt", "TK01-99999-999999", "TK01-99999-999999");
  assert_print_fails (db, "rejection", "TK01-00106-000002", "not rejected");
  g_assert_cmpint (run (usage, NULL, NULL), ==, 2);
}

/* Exports: `bhxh-deskctl export decisions` as CSV and as an Excel workbook,
 * read back (the workbook with python3's zipfile: its XML parts). */
static char *
xlsx_parts (const char *xlsx)
{
  const char *argv[] = {
    "python3", "-c",
    "import sys, zipfile\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "for n in ('xl/sharedStrings.xml', 'xl/styles.xml', 'xl/worksheets/sheet1.xml',\n"
    "          'xl/workbook.xml'):\n"
    "    sys.stdout.write(z.read(n).decode('utf-8'))\n",
    xlsx, NULL
  };
  char *out = NULL;

  g_assert_cmpint (run (argv, &out, NULL), ==, 0);
  return out;
}

static void
test_export (void)
{
  g_autofree char *db = tmp_path ("export.db");
  g_autofree char *csv_path = tmp_path ("quyet-dinh.csv");
  g_autofree char *xlsx_path = tmp_path ("quyet-dinh.XLSX");
  g_autofree char *wrong = tmp_path ("quyet-dinh.ods");
  g_autofree char *bad = tmp_path ("bad-date.csv");
  g_autofree char *csv = NULL, *out = NULL, *err = NULL, *parts = NULL, *today = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) lines = NULL;
  BhxhDate day = bhxh_clock_today ();
  const char *deskctl = g_getenv ("BHXH_DESKCTL");
  gsize before_size = 0, after_size = 0;

  if (deskctl == NULL)
    {
      g_test_skip ("BHXH_DESKCTL is not set");
      return;
    }
  store = make_store (db);
  g_clear_object (&store);
  today = bhxh_date_to_iso (&day);

  {
    const char *argv[] = { deskctl, "export", "decisions", db, "--date", today,
                           "--output", csv_path, NULL };

    g_assert_cmpint (run (argv, &out, NULL), ==, 0);
    node = json_from_string (out, NULL);
    g_assert_nonnull (node);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "format"), ==,
                     "csv");
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "decisions"), ==,
                     2);
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  /* UTF-8 with the BOM Excel needs, Vietnamese headers, CRLF. */
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFSTT,Mã tờ khai,Họ và tên,Ngày sinh,"
                                        "Số định danh cá nhân,"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, two rows, the last CRLF */
  /* A Vietnamese list: An before Ngọc (given names), Vietnamese values,
   * dd/mm/yyyy dates, Vietnam time, masked ID numbers, names not logins. */
  g_assert_true (g_str_has_prefix (lines[1], "1,TK01-00106-000001,Nguyễn Văn An,15/03/1990,"));
  g_assert_true (g_str_has_prefix (lines[2], "2,TK01-00106-000002,Trần Thị Bích Ngọc,"
                                             "02/11/2005,"));
  assert_has (lines[1], ",Đăng ký,Không chấp thuận,Không chấp thuận,");
  assert_has (lines[1], "Họ và tên không khớp với giấy tờ tùy thân,Sai dấu ở tên đệm,");
  assert_has (lines[1], ",Nguyễn Thị Lan,");
  assert_has (lines[2], ",Ngừng,Chấp thuận,Chấp thuận vượt cảnh báo,");
  assert_has (lines[2], ",Mã QR trên thẻ căn cước (chưa xác thực chip),Phạm Quang Minh,");
  assert_has (lines[2], ",Chưa gửi lên Cổng,");
  g_assert_null (strstr (csv, "001090012345"));   /* masked, as on the daily report */
  g_assert_null (strstr (csv, "lan.nt"));
  {
    g_autofree char *display = bhxh_date_to_display (&day);
    g_autofree char *pattern = g_strdup_printf (",%s,[0-2][0-9]:[0-5][0-9]:[0-5][0-9],%s"
                                                "T[0-9:]{8}\\+07:00,", display, today);

    g_assert_true (g_regex_match_simple (pattern, lines[1], 0, 0));
    g_assert_true (g_regex_match_simple (pattern, lines[2], 0, 0));
  }
  g_assert_null (strstr (csv, "Z,"));

  /* The workbook: by the extension, in any case. */
  {
    const char *argv[] = { deskctl, "export", "decisions", db, "--date", today,
                           "--output", xlsx_path, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run (argv, &out, NULL), ==, 0);
    assert_has (out, "\"xlsx\"");
  }
  parts = xlsx_parts (xlsx_path);
  assert_has (parts, "Họ và tên");
  assert_has (parts, "Trần Thị Bích Ngọc");
  assert_has (parts, "Không chấp thuận");
  assert_has (parts, "dd/mm/yyyy");       /* real dates, shown the Vietnamese way */
  assert_has (parts, "<pane ");           /* the header row stays in view */
  assert_has (parts, "<autoFilter ");
  assert_has (parts, "<col ");            /* column widths */
  g_assert_null (strstr (parts, "001090012345"));

  /* Bad input changes nothing; no output ever overwrites the store. */
  g_assert_true (g_file_get_contents (db, &before, &before_size, NULL));
  {
    const char *on_store[] = { deskctl, "export", "decisions", db, "--date", today,
                               "--output", db, "--force", NULL };
    const char *exists[] = { deskctl, "export", "decisions", db, "--date", today,
                             "--output", csv_path, NULL };
    const char *bad_date[] = { deskctl, "export", "decisions", db, "--date", "2026-13-45",
                               "--output", bad, NULL };
    const char *bad_kind[] = { deskctl, "export", "decisions", db, "--date", today,
                               "--output", wrong, NULL };
    const char *no_date[] = { deskctl, "export", "decisions", db, "--output", csv_path, NULL };

    g_assert_cmpint (run (on_store, NULL, &err), ==, 2);   /* the store is not .csv/.xlsx */
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (exists, NULL, &err), ==, 1);
    assert_has (err, "--force");
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (bad_kind, NULL, &err), ==, 2);
    assert_has (err, ".csv");
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (no_date, NULL, NULL), ==, 2);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (bad_date, NULL, &err), ==, 1);
    assert_has (err, "YYYY-MM-DD");
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);
  }
  {
    /* A store named like an export is still the store. */
    g_autofree char *csv_db = tmp_path ("store.csv");
    const char *argv[] = { deskctl, "export", "decisions", csv_db, "--date", today,
                           "--output", csv_db, "--force", NULL };

    g_clear_object (&store);
    store = make_store (csv_db);
    g_clear_object (&store);
    g_assert_cmpint (run (argv, NULL, &err), ==, 1);
    assert_has (err, "database");
    g_assert_true (g_file_test (csv_db, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);
  }
  g_assert_true (g_file_get_contents (db, &after, &after_size, NULL));
  g_assert_cmpmem (before, before_size, after, after_size);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* The fixtures' declarations were confirmed on 2026-11-20 and 21. */
  g_assert_true (bhxh_clock_pin_text ("2026-11-23", NULL));
  tmpdir = g_dir_make_tmp ("bhxh-papers-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/papers/form01", test_form01);
  g_test_add_func ("/papers/form01-kinds", test_form01_kinds);
  g_test_add_func ("/papers/wrapping", test_wrapping);
  g_test_add_func ("/papers/receipt", test_receipt);
  g_test_add_func ("/papers/rejection", test_rejection);
  g_test_add_func ("/papers/daily-report", test_daily_report);
  g_test_add_func ("/papers/daily-report-order", test_daily_report_order);
  g_test_add_func ("/papers/font-missing", test_font_missing);
  g_test_add_func ("/papers/cli", test_cli);
  g_test_add_func ("/papers/export", test_export);
  ret = g_test_run ();

  if (g_getenv ("BHXH_KEEP_PAPERS") == NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (tmpdir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (tmpdir);
    }
  else
    g_printerr ("# papers kept in %s\n", tmpdir);
  g_free (tmpdir);
  return ret;
}
