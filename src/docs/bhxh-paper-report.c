/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "core/bhxh-collate.h"
#include "core/bhxh-text.h"
#include "bhxh-paper-private.h"

/* The supervisor's daily report: summary, by reason, by clerk, and the
 * day's decisions as a list laid out like Phụ lục 02 (landscape, the table
 * header repeated on every page, "Trang X/Y"). */

#define REPORT_SIZE 9.0
/* Place and date, then the two signature blocks (_bhxh_paper_signatures). */
#define SIGNATURES_HEIGHT (4 + 1.35 * PAPER_SIZE + 8 + 92)

typedef struct
{
  char  *name;
  guint  n[3];      /* by BhxhOutcome */
} ClerkCount;

typedef struct
{
  const char *code;
  guint       n;
} ReasonCount;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const BhxhReportRow *ra = *(const BhxhReportRow * const *) a;
  const BhxhReportRow *rb = *(const BhxhReportRow * const *) b;

  if (ra->decision->decided_at == NULL || rb->decision->decided_at == NULL)
    return (ra->decision->decided_at == NULL) - (rb->decision->decided_at == NULL);
  return g_date_time_compare (ra->decision->decided_at, rb->decision->decided_at);
}

static int
compare_reasons (gconstpointer a,
                 gconstpointer b)
{
  const ReasonCount *ra = a, *rb = b;

  if (ra->n != rb->n)
    return ra->n < rb->n ? 1 : -1;
  return g_strcmp0 (ra->code, rb->code);
}

/* Clerks as a Vietnamese list: given name first, in the Vietnamese alphabet. */
static int
compare_clerks (gconstpointer a,
                gconstpointer b)
{
  const ClerkCount *ca = a, *cb = b;

  return bhxh_collate_compare_names (ca->name, cb->name);
}

static const char *
row_person_name (gconstpointer item)
{
  const BhxhReportRow *row = item;

  return row->declaration != NULL ? row->declaration->full_name : row->decision->person_name;
}

/* A Vietnamese list of the people decided (given name first); one person's
 * decisions in the order of the day. The rows stay @rows'. */
GPtrArray *
_bhxh_paper_sorted_rows (const BhxhReportRow *rows,
                         guint                n_rows)
{
  GPtrArray *sorted = g_ptr_array_sized_new (n_rows);

  for (guint i = 0; i < n_rows; i++)
    g_ptr_array_add (sorted, (gpointer) &rows[i]);
  g_ptr_array_sort (sorted, compare_rows);
  bhxh_collate_sort_by_name (sorted, row_person_name);
  return sorted;
}

static void
clear_clerk (gpointer data)
{
  g_free (((ClerkCount *) data)->name);
}

static void
section_title (BhxhPaper  *self,
               const char *title)
{
  bhxh_pdf_skip (&self->pdf, 3);
  bhxh_pdf_ensure (&self->pdf, 60);
  _bhxh_paper_text (self, BHXH_PDF_BOLD, BHXH_PDF_LEFT, 0, title);
  bhxh_pdf_skip (&self->pdf, 2);
}

static void
summary (BhxhPaper            *self,
         const BhxhDaySummary *sum)
{
  BhxhPdfColumn cols[] = {
    { "Tổng số quyết định", 1, BHXH_PDF_CENTER },
    { "Chấp thuận", 1, BHXH_PDF_CENTER },
    { "Không chấp thuận", 1, BHXH_PDF_CENTER },
    { "Chuyển lãnh đạo", 1, BHXH_PDF_CENTER },
    { "Vượt cảnh báo", 1, BHXH_PDF_CENTER },
    { "Đã gửi lên Cổng", 1, BHXH_PDF_CENTER },
    { "Chưa gửi lên Cổng", 1, BHXH_PDF_CENTER },
    { "Cổng từ chối, xung đột", 1.1, BHXH_PDF_CENTER },
  };
  BhxhPdfTable table = { cols, G_N_ELEMENTS (cols), REPORT_SIZE, -1, NULL, NULL };
  guint n[8];
  char *cells[G_N_ELEMENTS (cols) + 1] = { NULL, };
  guint countersigned, without_document;

  n[0] = sum->total;
  n[1] = sum->by_outcome[BHXH_OUTCOME_APPROVE];
  n[2] = sum->by_outcome[BHXH_OUTCOME_REJECT];
  n[3] = sum->by_outcome[BHXH_OUTCOME_ESCALATE];
  n[4] = sum->by_kind[BHXH_DECISION_APPROVED_OVERRIDE];
  n[5] = sum->by_outbox[BHXH_OUTBOX_ACKNOWLEDGED];
  n[6] = sum->by_outbox[BHXH_OUTBOX_PENDING] + sum->by_outbox[BHXH_OUTBOX_SENDING];
  n[7] = sum->by_outbox[BHXH_OUTBOX_REFUSED] + sum->by_outbox[BHXH_OUTBOX_CONFLICT];
  countersigned = sum->by_kind[BHXH_DECISION_APPROVED_COUNTERSIGNED];
  without_document = sum->by_kind[BHXH_DECISION_APPROVED_WITHOUT_DOCUMENT];
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    cells[c] = g_strdup_printf ("%u", n[c]);

  section_title (self, "I. TỔNG HỢP");
  bhxh_pdf_table_begin (&self->pdf, &table);
  bhxh_pdf_table_row (&self->pdf, &table, (const char * const *) cells, 0.0);
  bhxh_pdf_table_end (&self->pdf, &table);
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    g_free (cells[c]);
  if (countersigned > 0 || without_document > 0)
    {
      g_autofree char *note = g_strdup_printf ("Trong số tờ khai được chấp thuận: %u do lãnh "
                                               "đạo chấp thuận khi được chuyển xem xét; %u "
                                               "chấp thuận không kiểm tra giấy tờ tùy thân.",
                                               countersigned, without_document);

      bhxh_pdf_skip (&self->pdf, 2);
      _bhxh_paper_text (self, BHXH_PDF_REGULAR, BHXH_PDF_LEFT, 0, note);
    }
}

static void
by_reason (BhxhPaper            *self,
           const BhxhDaySummary *sum,
           GPtrArray            *reason_codes)
{
  BhxhPdfColumn cols[] = {
    { "STT", 4, BHXH_PDF_CENTER },
    { "Lý do không chấp thuận", 46, BHXH_PDF_LEFT },
    { "Số lượt", 8, BHXH_PDF_CENTER },
    { "Tỷ lệ trên số tờ khai không chấp thuận", 42, BHXH_PDF_LEFT },
  };
  BhxhPdfTable table = { cols, G_N_ELEMENTS (cols), REPORT_SIZE, 3, NULL, NULL };
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (ReasonCount));
  GHashTableIter iter;
  gpointer key, value;
  guint rejected = sum->by_outcome[BHXH_OUTCOME_REJECT];

  g_hash_table_iter_init (&iter, sum->by_reason);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ReasonCount rc = { key, GPOINTER_TO_UINT (value) };

      g_array_append_val (list, rc);
    }
  g_array_sort (list, compare_reasons);

  section_title (self, "II. THEO LÝ DO KHÔNG CHẤP THUẬN");
  if (list->len == 0)
    {
      _bhxh_paper_text (self, BHXH_PDF_REGULAR, BHXH_PDF_LEFT, 0,
                        "Trong ngày không có tờ khai nào bị từ chối.");
      return;
    }
  bhxh_pdf_table_begin (&self->pdf, &table);
  for (guint i = 0; i < list->len; i++)
    {
      ReasonCount *rc = &g_array_index (list, ReasonCount, i);
      g_autofree char *stt = g_strdup_printf ("%u", i + 1);
      g_autofree char *n = g_strdup_printf ("%u", rc->n);
      g_autofree char *pct = g_strdup_printf ("%u%%", (rc->n * 100 + rejected / 2) / rejected);
      const char *cells[] = { stt, _bhxh_paper_reason_label (reason_codes, rc->code), n, pct };

      bhxh_pdf_table_row (&self->pdf, &table, cells, (double) rc->n / rejected);
    }
  bhxh_pdf_table_end (&self->pdf, &table);
}

static void
by_clerk (BhxhPaper           *self,
          const BhxhReportRow *rows,
          guint                n_rows)
{
  BhxhPdfColumn cols[] = {
    { "STT", 4, BHXH_PDF_CENTER },
    { "Cán bộ tiếp nhận", 24, BHXH_PDF_LEFT },
    { "Chấp thuận", 10, BHXH_PDF_CENTER },
    { "Không chấp thuận", 12, BHXH_PDF_CENTER },
    { "Chuyển lãnh đạo", 12, BHXH_PDF_CENTER },
    { "Tổng", 8, BHXH_PDF_CENTER },
    { "Tỷ lệ trên tổng số quyết định", 30, BHXH_PDF_LEFT },
  };
  BhxhPdfTable table = { cols, G_N_ELEMENTS (cols), REPORT_SIZE, 6, NULL, NULL };
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (ClerkCount));

  g_array_set_clear_func (list, clear_clerk);
  for (guint i = 0; i < n_rows; i++)
    {
      const BhxhDecision *d = rows[i].decision;
      const char *clerk = d->clerk != NULL ? bhxh_decision_get_clerk_name (d) : "";
      gpointer pos;

      if (!g_hash_table_lookup_extended (index, clerk, NULL, &pos))
        {
          ClerkCount cc = { g_strdup (clerk), { 0, 0, 0 } };

          pos = GUINT_TO_POINTER (list->len);
          g_array_append_val (list, cc);
          g_hash_table_insert (index, (gpointer) clerk, pos);
        }
      if (d->outcome <= BHXH_OUTCOME_ESCALATE)
        g_array_index (list, ClerkCount, GPOINTER_TO_UINT (pos)).n[d->outcome]++;
    }
  g_hash_table_remove_all (index);
  g_array_sort (list, compare_clerks);

  section_title (self, "III. THEO CÁN BỘ TIẾP NHẬN");
  if (list->len == 0)
    {
      _bhxh_paper_text (self, BHXH_PDF_REGULAR, BHXH_PDF_LEFT, 0,
                        "Trong ngày chưa có quyết định nào.");
      return;
    }
  bhxh_pdf_table_begin (&self->pdf, &table);
  for (guint i = 0; i < list->len; i++)
    {
      ClerkCount *cc = &g_array_index (list, ClerkCount, i);
      guint total = cc->n[0] + cc->n[1] + cc->n[2];
      char *cells[7];

      cells[0] = g_strdup_printf ("%u", i + 1);
      cells[1] = bhxh_pdf_nfc (cc->name);
      cells[2] = g_strdup_printf ("%u", cc->n[BHXH_OUTCOME_APPROVE]);
      cells[3] = g_strdup_printf ("%u", cc->n[BHXH_OUTCOME_REJECT]);
      cells[4] = g_strdup_printf ("%u", cc->n[BHXH_OUTCOME_ESCALATE]);
      cells[5] = g_strdup_printf ("%u", total);
      cells[6] = g_strdup_printf ("%u%%", (total * 100 + n_rows / 2) / n_rows);
      bhxh_pdf_table_row (&self->pdf, &table, (const char * const *) cells,
                          (double) total / n_rows);
      for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
        g_free (cells[c]);
    }
  bhxh_pdf_table_end (&self->pdf, &table);
}

static char *
remarks (const BhxhDecision *d,
         GPtrArray          *reason_codes)
{
  GString *s = g_string_new (NULL);

  _bhxh_paper_append_reasons (s, d, reason_codes);
  switch (bhxh_decision_get_kind (d))
    {
    case BHXH_DECISION_APPROVED_OVERRIDE:
    case BHXH_DECISION_APPROVED_COUNTERSIGNED:
    case BHXH_DECISION_APPROVED_WITHOUT_DOCUMENT:
      g_string_append_printf (s, "%s%s", s->len > 0 ? ". " : "", _bhxh_paper_decision_words (d));
      break;
    default:
      break;
    }
  if (d->countersigned_by != NULL)
    g_string_append_printf (s, " (xác nhận: %s)", d->countersigned_by_name != NULL
                                                   ? d->countersigned_by_name
                                                   : d->countersigned_by);
  if (d->evidence == BHXH_EVIDENCE_CHIP_VERIFIED)
    g_string_append_printf (s, "%sĐã xác thực chip thẻ căn cước", s->len > 0 ? ". " : "");
  if (d->evidence == BHXH_EVIDENCE_POST_COPY)
    g_string_append_printf (s, "%sĐối chiếu bản sao gửi qua bưu điện", s->len > 0 ? ". " : "");
  if (d->note != NULL && *d->note != '\0')
    g_string_append_printf (s, "%sGhi chú: %s", s->len > 0 ? ". " : "", d->note);
  return g_string_free (s, FALSE);
}

static void
decision_list (BhxhPaper           *self,
               const BhxhReportRow *rows,
               guint                n_rows,
               GPtrArray           *reason_codes)
{
  BhxhPdfColumn cols[] = {
    { "STT", 4, BHXH_PDF_CENTER },
    { "Giờ", 4.5, BHXH_PDF_CENTER },
    { "Mã tờ khai", 13.5, BHXH_PDF_LEFT },
    { "Họ và tên", 16, BHXH_PDF_LEFT },
    { "Số CMND/HC/CC", 10.5, BHXH_PDF_CENTER },
    { "Yêu cầu", 7, BHXH_PDF_LEFT },
    { "Kết quả", 12.5, BHXH_PDF_LEFT },
    { "Lý do, ghi chú", 23, BHXH_PDF_LEFT },
    { "Cán bộ", 9, BHXH_PDF_LEFT },
  };
  BhxhPdfTable table = { cols, G_N_ELEMENTS (cols), REPORT_SIZE, -1, NULL, NULL };
  g_autoptr(GPtrArray) sorted = _bhxh_paper_sorted_rows (rows, n_rows);

  section_title (self, "IV. DANH SÁCH QUYẾT ĐỊNH TRONG NGÀY");
  if (n_rows == 0)
    return;
  bhxh_pdf_table_begin (&self->pdf, &table);
  for (guint i = 0; i < n_rows; i++)
    {
      const BhxhReportRow *row = g_ptr_array_index (sorted, i);
      const BhxhDecision *d = row->decision;
      const BhxhDeclaration *decl = row->declaration;
      g_autofree char *stt = g_strdup_printf ("%u", i + 1);
      g_autofree char *time = d->decided_at != NULL ? g_date_time_format (d->decided_at, "%H:%M")
                                                    : g_strdup ("");
      g_autofree char *masked = decl != NULL ? bhxh_text_mask_id (decl->id_number) : NULL;
      g_autofree char *notes = remarks (d, reason_codes);
      const char *cells[] = {
        stt, time, d->declaration_id,
        decl != NULL ? decl->full_name : "",
        masked != NULL ? masked : "",
        decl != NULL ? _bhxh_paper_kind_short (decl->kind) : "",
        _bhxh_paper_outcome_words (d->outcome),
        notes,
        bhxh_decision_get_clerk_name (d),
      };

      /* Keep the signatures with the last rows rather than alone on a page. */
      if (i + 1 == n_rows)
        bhxh_pdf_ensure (&self->pdf, SIGNATURES_HEIGHT
                         + bhxh_pdf_table_row_height (&self->pdf, &table, cells));
      bhxh_pdf_table_row (&self->pdf, &table, cells, 0.0);
    }
  bhxh_pdf_table_end (&self->pdf, &table);
}

gboolean
bhxh_paper_add_daily_report (BhxhPaper              *self,
                             const BhxhPaperContext *context,
                             const BhxhDate         *day,
                             const BhxhReportRow    *rows,
                             guint                   n_rows,
                             GPtrArray              *reason_codes,
                             GError                **error)
{
  BhxhPdf *pdf;
  g_autoptr(GDateTime) now = _bhxh_paper_now (context);
  g_autofree char *footer = NULL, *subtitle = NULL, *printed = NULL;
  BhxhPdfPara para = { 12, 0, BHXH_PDF_CENTER, 0, 0, 0 };
  BhxhPdfRun runs[] = { { BHXH_PDF_BOLD, NULL }, { BHXH_PDF_REGULAR, NULL } };
  g_autoptr(GPtrArray) decisions = g_ptr_array_sized_new (n_rows);
  g_autoptr(BhxhDaySummary) sum = NULL;
  double y;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (day != NULL && bhxh_date_is_full (day), FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);

  pdf = &self->pdf;
  subtitle = g_strdup_printf ("Ngày %02u/%02u/%04u", day->day, day->month, day->year);
  footer = g_strdup_printf ("Báo cáo tiếp nhận tờ khai mẫu 01 — %s — %s", subtitle,
                            _bhxh_paper_office_name (context));
  printed = g_date_time_format (now, " (lập lúc %H:%M ngày %d/%m/%Y)");
  runs[0].text = subtitle;
  runs[1].text = printed;
  _bhxh_paper_begin (self, TRUE, TRUE, footer);
  y = _bhxh_paper_office_heading (self, context, pdf->left - 10, pdf->left + 95 * BHXH_PDF_MM,
                                  pdf->top);
  pdf->y = y - 2;
  bhxh_pdf_line (pdf, BHXH_PDF_BOLD, 15, BHXH_PDF_CENTER,
                 "BÁO CÁO KẾT QUẢ TIẾP NHẬN TỜ KHAI MẪU 01");
  bhxh_pdf_paragraph (pdf, &para, runs, G_N_ELEMENTS (runs));

  /* The same counts as the supervisor's page and the CSV, made once. */
  for (guint i = 0; i < n_rows; i++)
    g_ptr_array_add (decisions, (gpointer) rows[i].decision);
  sum = bhxh_day_summary_new (decisions);
  summary (self, sum);
  by_reason (self, sum, reason_codes);
  by_clerk (self, rows, n_rows);
  decision_list (self, rows, n_rows, reason_codes);

  /* The place and date over the signatures, kept on their page. */
  bhxh_pdf_skip (pdf, 4);
  bhxh_pdf_ensure (pdf, SIGNATURES_HEIGHT);
  {
    g_autofree char *place_date = _bhxh_paper_place_date (context, now);
    BhxhPdfPara right = { PAPER_SIZE, 0, BHXH_PDF_CENTER, (pdf->right - pdf->left) / 2 + 10, 0,
                          0 };
    BhxhPdfRun r = { BHXH_PDF_REGULAR, place_date };

    bhxh_pdf_paragraph (pdf, &right, &r, 1);
  }
  _bhxh_paper_signatures (self, "NGƯỜI LẬP BÁO CÁO", NULL, "LÃNH ĐẠO ĐƠN VỊ", NULL);

  return _bhxh_paper_check (self, error);
}
