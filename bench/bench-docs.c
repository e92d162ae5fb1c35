/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <hpdf.h>

#include "docs/bhxh-papers.h"

/* Papers benchmark. Goals from issue #6: the daily report of 5,000
 * decisions in under 1 s; form 01 at 200 pages per second or more.
 * Reference in the same process: a bare libharu document with the same
 * number of pages, the same embedded fonts and one line of text per page,
 * so the ratio shows what the layout itself costs. Asserts nothing.
 *
 *   bench-docs [N_DECISIONS [N_FORMS]]     (defaults 5000 and 200) */

static BhxhOffice root_office = { (char *) "001", NULL, (char *) "BHXH Tp. Hà Nội" };
static BhxhOffice district_office = { (char *) "00106", (char *) "001",
                                      (char *) "BHXH Quận Đống Đa" };
static const BhxhPaperContext context = { &district_office, &root_office, NULL, NULL };

static const char *names[] = {
  "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Thủy", "Hoàng Đức Khải",
  "Vũ Ngọc Ánh", "Đặng Quốc Bảo", "Bùi Thị Hòa", "Tôn Nữ Thị Phương Thảo",
};

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
fill_declaration (BhxhDeclaration *d,
                  guint            i,
                  char            *id)
{
  d->id = id;
  d->kind = i % 3;
  d->office_code = (char *) "00106";
  d->full_name = (char *) names[i % G_N_ELEMENTS (names)];
  d->bhxh_code = (char *) "0112345678";
  d->id_number = (char *) "001090012345";
  d->address = (char *) "Số 12 ngõ 34 Thái Hà, Trung Liệt, Đống Đa, Hà Nội";
  d->contact_person = d->full_name;
  d->email = (char *) "an.nguyen@example.vn";
  d->phone = (char *) "0912345678";
  d->start_date = (BhxhDate) { 2026, 12, 1 };
  d->channel = (char *) "portal";
  d->handin = (char *) "office";
  d->stop_reason = (char *) "Không còn nhu cầu sử dụng";
}

/* The reference: libharu alone, same fonts, one short line per page. */
static double
bare_libharu (guint pages)
{
  g_autofree char *regular = bhxh_paper_find_font ("NotoSans-Regular.ttf");
  g_autofree char *bold = bhxh_paper_find_font ("NotoSans-Bold.ttf");
  double t0 = now ();
  HPDF_Doc doc = HPDF_New (NULL, NULL);
  HPDF_Font font;

  HPDF_SetCompressionMode (doc, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings (doc);
  HPDF_SetCurrentEncoder (doc, "UTF-8");
  font = HPDF_GetFont (doc, HPDF_LoadTTFontFromFile (doc, regular, HPDF_TRUE), "UTF-8");
  HPDF_GetFont (doc, HPDF_LoadTTFontFromFile (doc, bold, HPDF_TRUE), "UTF-8");
  for (guint i = 0; i < pages; i++)
    {
      HPDF_Page page = HPDF_AddPage (doc);

      HPDF_Page_SetSize (page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
      HPDF_Page_BeginText (page);
      HPDF_Page_SetFontAndSize (page, font, 11);
      HPDF_Page_TextOut (page, 85, 760, "Tờ khai mẫu 01 — Nguyễn Văn An");
      HPDF_Page_EndText (page);
    }
  HPDF_SaveToStream (doc);
  HPDF_Free (doc);
  return now () - t0;
}

static void
bench_report (guint n)
{
  g_autofree BhxhReportRow *rows = g_new0 (BhxhReportRow, n);
  g_autofree BhxhDecision *decisions = g_new0 (BhxhDecision, n);
  g_autofree BhxhDeclaration *declarations = g_new0 (BhxhDeclaration, n);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 ("2026-11-23T07:30:00+07:00", NULL);
  BhxhReasonCode reason = { (char *) "name-mismatch",
                            (char *) "Họ và tên không khớp với giấy tờ tùy thân" };
  char *codes[] = { (char *) "name-mismatch", NULL };
  const char *clerks[] = { "lan.nt", "minh.pq", "huong.dt", "truong.pb" };
  BhxhDate day = { 2026, 11, 23 };
  g_autoptr(BhxhPaper) paper = NULL;
  g_autoptr(GBytes) bytes = NULL;
  double t0, t_layout, t_total, ref;

  g_ptr_array_add (reasons, &reason);
  for (guint i = 0; i < n; i++)
    {
      char *id = g_strdup_printf ("TK01-00106-%06u", i);

      g_ptr_array_add (owned, id);
      fill_declaration (&declarations[i], i, id);
      decisions[i].declaration_id = id;
      decisions[i].outcome = i % 6 == 0 ? BHXH_OUTCOME_REJECT : BHXH_OUTCOME_APPROVE;
      decisions[i].reason_codes = i % 6 == 0 ? codes : NULL;
      decisions[i].clerk = (char *) clerks[i % G_N_ELEMENTS (clerks)];
      decisions[i].decided_at = g_date_time_add_seconds (start, i * 6.0);
      decisions[i].note = i % 17 == 0 ? (char *) "Đã đối chiếu bản gốc giấy khai sinh" : NULL;
      rows[i].decision = &decisions[i];
      rows[i].declaration = &declarations[i];
    }

  t0 = now ();
  paper = bhxh_paper_new (NULL);
  if (paper == NULL || !bhxh_paper_add_daily_report (paper, &context, &day, rows, n, reasons,
                                                     NULL))
    {
      fprintf (stderr, "bench-docs: the report failed (is fonts-noto-core installed?)\n");
      exit (1);
    }
  t_layout = now () - t0;
  bytes = bhxh_paper_to_bytes (paper, NULL);
  t_total = now () - t0;
  ref = bare_libharu (bhxh_paper_get_n_pages (paper));

  printf ("daily report, %u decisions: %u pages, %.0f KiB\n", n,
          bhxh_paper_get_n_pages (paper), g_bytes_get_size (bytes) / 1024.0);
  printf ("  layout %.3f s + save %.3f s = %.3f s (goal < 1 s)\n", t_layout, t_total - t_layout,
          t_total);
  printf ("  bare libharu, same pages: %.3f s; ratio %.1f×\n", ref, t_total / ref);
  for (guint i = 0; i < n; i++)
    g_date_time_unref (decisions[i].decided_at);
}

static void
bench_forms (guint n)
{
  g_autoptr(GDateTime) submitted = g_date_time_new_from_iso8601 ("2026-11-20T08:15:00+07:00",
                                                                 NULL);
  g_autoptr(BhxhPaper) batch = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint pages = 0;
  double t0, t_batch, t_single, ref;

  /* One PDF holding every form: printing an employer's batch. */
  t0 = now ();
  batch = bhxh_paper_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("TK01-00106-%06u", i);
      BhxhDeclaration d = { 0, };

      fill_declaration (&d, i, id);
      d.submitted_at = submitted;
      bhxh_paper_add_form01 (batch, &context, &d, NULL);
    }
  bytes = bhxh_paper_to_bytes (batch, NULL);
  t_batch = now () - t0;
  pages = bhxh_paper_get_n_pages (batch);

  /* One PDF per form, fonts loaded each time: what 'deskctl print' does. */
  t0 = now ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("TK01-00106-%06u", i);
      g_autoptr(BhxhPaper) single = bhxh_paper_new (NULL);
      g_autoptr(GBytes) one = NULL;
      BhxhDeclaration d = { 0, };

      fill_declaration (&d, i, id);
      d.submitted_at = submitted;
      bhxh_paper_add_form01 (single, &context, &d, NULL);
      one = bhxh_paper_to_bytes (single, NULL);
    }
  t_single = now () - t0;
  ref = bare_libharu (pages);

  printf ("form 01, %u forms (%u pages):\n", n, pages);
  printf ("  one batch PDF:   %.3f s, %.0f pages/s (goal >= 200)\n", t_batch, pages / t_batch);
  printf ("  one PDF a form:  %.3f s, %.0f pages/s, %.1f ms a form\n", t_single,
          pages / t_single, 1000 * t_single / n);
  printf ("  bare libharu, same pages in one PDF: %.3f s; batch ratio %.1f×\n", ref,
          t_batch / ref);
}

int
main (int   argc,
      char *argv[])
{
  guint n_decisions = argc > 1 ? (guint) atoi (argv[1]) : 5000;
  guint n_forms = argc > 2 ? (guint) atoi (argv[2]) : 200;

  bench_report (MAX (n_decisions, 1));
  bench_forms (MAX (n_forms, 1));
  return 0;
}
