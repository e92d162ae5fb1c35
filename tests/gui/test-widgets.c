/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Widget tests on a real display (Xvfb): real widgets, a real sqlite store
 * in a temporary folder, no mocks. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-collate.h"
#include "../store/store-documents.h"
#include "core/bhxh-error.h"
#include "core/bhxh-verdict.h"
#include "demo/bhxh-demo.h"
#include "demo/bhxh-demo-portrait.h"

#include "bhxh-birth-certificate-dialog.h"
#include "bhxh-cell-text.h"
#include "bhxh-chart.h"
#include "bhxh-compare-page.h"
#include "bhxh-decide-dialog.h"
#include "bhxh-preferences-window.h"
#include "bhxh-queue-page.h"
#include "bhxh-array-model.h"
#include "bhxh-scan-listener.h"
#include "bhxh-setup-page.h"
#include "bhxh-sign-in-page.h"
#include "bhxh-slot-model.h"
#include "bhxh-supervisor-page.h"
#include "bhxh-text-diff.h"
#include "bhxh-toast.h"
#include "service/bhxh-counter.h"

#define AN "001090012345|123456789|Nguyễn Văn An|15031990|Nam|Số 12 Thái Hà, Hà Nội|20042021"

static const BhxhDate today = { 2026, 11, 23 };

static BhxhDeclaration *
declaration_new (guint       i,
                 const char *name)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+07:00");
  BhxhDeclaration *d = bhxh_declaration_new ();

  d->id = g_strdup_printf ("TK01-00106-%06u", i);
  d->kind = i % 7 == 0 ? BHXH_KIND_STOP : BHXH_KIND_REGISTER;
  d->status = i % 5 == 0 ? BHXH_STATUS_APPROVED : BHXH_STATUS_PENDING;
  d->office_code = g_strdup ("00106");
  d->submitted_at = g_date_time_new (tz, 2026, 11, 13 + i % 10, 8, 0, 0);
  d->confirmed_at = g_date_time_new (tz, 2026, 11, 13 + i % 10, 8, 5, 0);
  d->full_name = g_strdup (name);
  d->bhxh_code = g_strdup_printf ("01%08u", i);
  d->id_number = g_strdup_printf ("0010900%05u", i);
  d->birth_date = (BhxhDate) { i % 11 == 0 ? 2012 : 1990, 3, 15 };
  d->sex = BHXH_SEX_MALE;
  return d;
}

static GtkWidget *
show_in_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  return window;
}

static void
test_diff_marks_diacritics (void)
{
  guint n = 99;
  g_autofree char *markup = bhxh_text_diff_markup ("Nguyễn Văn An", "Nguyen Van An", TRUE, &n);
  g_autofree char *same = NULL;
  g_autofree char *escaped = NULL;

  g_assert_cmpuint (n, ==, 2);
  g_assert_true (g_str_has_prefix (markup, "Nguy<span"));
  g_assert_nonnull (strstr (markup, "underline=\"double\">e</span>"));
  g_assert_nonnull (strstr (markup, "underline=\"double\">a</span>"));
  g_assert_true (pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL));

  /* Case alone is no difference for names. */
  same = bhxh_text_diff_markup ("NGUYỄN VĂN AN", "Nguyễn Văn An", TRUE, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpstr (same, ==, "Nguyễn Văn An");

  escaped = bhxh_text_diff_markup ("a", "a<b", FALSE, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_nonnull (strstr (escaped, "&lt;b"));
}

static GPtrArray *
make_objects (guint n)
{
  static const char *names[] = { "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Đức",
                                 "Phạm Thị Thuỷ", "Đặng Văn Đông" };
  GPtrArray *objects = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (objects,
                     bhxh_declaration_object_new (declaration_new (i, names[i % 5]), &today));
  return objects;
}

/* Among declarations as urgent as each other, the queue is a Vietnamese
 * list: by given name, then family and middle names, Phạm before Phan. */
static void
test_queue_order (void)
{
  const char *names[] = { "Phan Văn Ánh", "Trần Thị Hằng", "Nguyễn Văn Thắng", "Phạm Văn Ánh",
                          "Ngô Thị Hằng", "Lê Văn An" };
  const char *expected[] = { "Lê Văn An", "Phạm Văn Ánh", "Phan Văn Ánh", "Ngô Thị Hằng",
                             "Trần Thị Hằng", "Nguyễn Văn Thắng" };
  g_autoptr(GPtrArray) declarations = g_ptr_array_new ();
  g_autoptr(GPtrArray) objects = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      /* The same day for all (i * 10: the same i % 10), all open. */
      BhxhDeclaration *d = declaration_new (i * 10 + 1, names[i]);

      g_ptr_array_add (declarations, d);
    }
  objects = bhxh_queue_make_objects (g_steal_pointer (&declarations), NULL, &today);
  for (guint i = 0; i < objects->len; i++)
    g_assert_cmpstr (bhxh_declaration_object_get_declaration (
                       g_ptr_array_index (objects, i))->full_name, ==, expected[i]);
}

static void
test_queue_filters (void)
{
  BhxhQueuePage *page = g_object_ref_sink (g_object_new (BHXH_TYPE_QUEUE_PAGE, NULL));
  GtkWidget *window = show_in_window (GTK_WIDGET (page));
  g_autoptr(GPtrArray) objects = make_objects (1000);
  GListModel *model = bhxh_queue_page_get_model (page);

  bhxh_queue_page_set_declarations (page, objects);
  g_assert_cmpuint (bhxh_queue_page_get_n_total (page), ==, 1000);
  /* The default filter shows open declarations only: every fifth is decided. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 800);

  /* Without diacritics, đ typed as d, any case. */
  bhxh_queue_page_set_search (page, "dang van");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 200);
  bhxh_queue_page_set_search (page, "dang van dong");     /* narrower: same 200 */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 200);
  bhxh_queue_page_set_search (page, "Lê Hoàng");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 200);
  bhxh_queue_page_set_search (page, "le hoang duc");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 200);
  bhxh_queue_page_set_search (page, "THUY");             /* Thuỷ, tone on the y */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 200);
  /* The start of words only: "uy" is inside Nguyễn and Thuỷ, starts none. */
  bhxh_queue_page_set_search (page, "uy");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  bhxh_queue_page_set_search (page, "ngoc");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 200);
  bhxh_queue_page_set_search (page, "gọc");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  /* An approved "Nguyễn Văn An" is not in the open queue. */
  bhxh_queue_page_set_search (page, "nguyen van an");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  /* By mã số BHXH and by ID number. */
  bhxh_queue_page_set_search (page, "0100000123");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  bhxh_queue_page_set_search (page, "001090000456");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  bhxh_queue_page_set_search (page, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 800);

  g_assert_nonnull (bhxh_queue_page_lookup (page, "TK01-00106-000007"));
  g_assert_null (bhxh_queue_page_lookup (page, "nope"));
  gtk_test_widget_wait_for_draw (window);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_pointer (&objects, g_ptr_array_unref);
  g_assert_finalize_object (page);
}

static BhxhCheck *
check_for (const char  *declared_name,
           BhxhDocument **document_out)
{
  g_autoptr(BhxhDeclaration) d = declaration_new (1, declared_name);
  g_autoptr(BhxhPerson) p = bhxh_person_new ();
  BhxhDocument *document = bhxh_document_parse_cccd (AN, -1, NULL);
  BhxhCheckInput input = { 0 };
  BhxhCheck *check;

  g_free (d->id_number);
  d->id_number = g_strdup ("001090012345");
  g_free (d->bhxh_code);
  d->bhxh_code = g_strdup ("0112345678");
  d->address = g_strdup ("Số 12 Thái Hà, Hà Nội");
  p->bhxh_code = g_strdup ("0112345678");
  p->id_number = g_strdup ("001090012345");
  p->full_name = g_strdup ("Nguyễn Văn An");
  p->birth_date = (BhxhDate) { 1990, 3, 15 };
  p->sex = BHXH_SEX_MALE;
  p->address = g_strdup ("Số 12 Thái Hà, Hà Nội");
  input.declaration = d;
  input.person = p;
  input.document = document;
  input.today = today;
  check = bhxh_check_run (&input);
  *document_out = document;
  return check;
}

static GtkWidget *
find_label_with_markup (GtkWidget  *widget,
                        const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_markup (GTK_LABEL (widget)) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), needle) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_markup (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A label on show (it and all its parents visible) that holds @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static void
test_compare_verdicts (void)
{
  BhxhComparePage *page = g_object_ref_sink (g_object_new (BHXH_TYPE_COMPARE_PAGE, NULL));
  GtkWidget *window = show_in_window (GTK_WIDGET (page));
  g_autoptr(BhxhDocument) document = NULL;
  g_autoptr(BhxhCheck) clean = check_for ("Nguyễn Văn An", &document);
  g_autoptr(BhxhDocument) document2 = NULL;
  g_autoptr(BhxhCheck) marks = check_for ("Nguyen Van An", &document2);
  g_autoptr(BhxhDeclarationObject) object =
    bhxh_declaration_object_new (declaration_new (1, "Nguyễn Văn An"), &today);
  g_autoptr(BhxhDeclarationObject) object2 =
    bhxh_declaration_object_new (declaration_new (2, "Nguyen Van An"), &today);

  g_assert_cmpint (clean->verdict, ==, BHXH_VERDICT_CAN_APPROVE);
  bhxh_compare_page_show_check (page, object, document, clean);
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpstr (bhxh_compare_page_get_verdict_text (page), ==, "Can be approved");
  g_assert_null (find_label_with_markup (GTK_WIDGET (page), "underline=\"double\""));

  /* A diacritics difference is its own level, and the marks are shown. */
  g_assert_cmpint (marks->verdict, !=, BHXH_VERDICT_CAN_APPROVE);
  bhxh_compare_page_show_check (page, object2, document2, marks);
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpstr (bhxh_compare_page_get_verdict_text (page), !=, "Can be approved");
  g_assert_nonnull (find_label_with_markup (GTK_WIDGET (page), ">ễ</span>"));
  g_assert_true (bhxh_compare_page_get_object (page) == object2);
  g_assert_nonnull (bhxh_compare_page_get_check (page));
  g_assert_cmpuint (marks->reasons->len, >, 0);
  for (guint i = 0; i < marks->reasons->len; i++)
    g_assert_true (shows_text (GTK_WIDGET (page),
                               ((const BhxhReason *) marks->reasons->pdata[i])->message));

  /* The page's widgets are kept from one check to the next: nothing of the
   * citizen before stays on show (reasons, marks, values). */
  bhxh_compare_page_show_check (page, object, document, clean);
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpstr (bhxh_compare_page_get_verdict_text (page), ==, "Can be approved");
  g_assert_cmpuint (clean->reasons->len, <, marks->reasons->len);
  for (guint i = 0; i < marks->reasons->len; i++)
    {
      const char *message = ((const BhxhReason *) marks->reasons->pdata[i])->message;
      gboolean also_clean = FALSE;

      for (guint k = 0; k < clean->reasons->len; k++)
        also_clean |= g_str_equal (((const BhxhReason *) clean->reasons->pdata[k])->message,
                                   message);
      g_assert_true (shows_text (GTK_WIDGET (page), message) == also_clean);
    }
  g_assert_null (find_label_with_markup (GTK_WIDGET (page), ">ễ</span>"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Nguyễn Văn An"));
  g_assert_false (shows_text (GTK_WIDGET (page), "Nguyen Van An"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

/* The queue's cells: one line of the font whatever the text, the width
 * left to the column; the text is the accessible label. */
static void
test_cell_text (void)
{
  GtkWidget *cell = g_object_ref_sink (bhxh_cell_text_new ());
  GtkWidget *window = show_in_window (cell);
  int empty_min, empty_nat, min, nat;

  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &empty_min, &empty_nat, NULL, NULL);
  g_assert_cmpint (empty_min, >, 0);
  bhxh_cell_text_set_text (BHXH_CELL_TEXT (cell),
                           "Nguyễn Thị Ngọc Thủy · under 18, a name far longer than its column");
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, empty_min);
  g_assert_cmpint (nat, ==, empty_nat);
  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (nat, ==, 0);
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpstr (bhxh_cell_text_get_text (BHXH_CELL_TEXT (cell)), ==,
                   "Nguyễn Thị Ngọc Thủy · under 18, a name far longer than its column");
  bhxh_cell_text_set_text (BHXH_CELL_TEXT (cell), NULL);
  g_assert_null (bhxh_cell_text_get_text (BHXH_CELL_TEXT (cell)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (cell);
}

/* What the declaration was compared with: the QR alone is said to be
 * unauthenticated; a chip whose signed data checked out, verified. */
static void
test_compare_chip (void)
{
  BhxhComparePage *page = g_object_ref_sink (g_object_new (BHXH_TYPE_COMPARE_PAGE, NULL));
  GtkWidget *window = show_in_window (GTK_WIDGET (page));
  g_autoptr(BhxhDocument) qr = NULL;
  g_autoptr(BhxhCheck) check = check_for ("Nguyễn Văn An", &qr);
  g_autoptr(BhxhDocument) chip = bhxh_document_copy (qr);
  g_autoptr(BhxhDeclarationObject) object =
    bhxh_declaration_object_new (declaration_new (1, "Nguyễn Văn An"), &today);

  bhxh_compare_page_show_check (page, object, qr, check);
  gtk_test_widget_wait_for_draw (window);
  g_assert_true (g_str_has_prefix (bhxh_compare_page_get_document_hint (page),
                                   "QR only (not authenticated)"));

  chip->kind = BHXH_DOCUMENT_CCCD_CHIP;
  chip->chip.passive = BHXH_AUTH_VALID;
  chip->chip.chip = BHXH_AUTH_ABSENT;
  chip->qr = bhxh_document_copy (qr);
  bhxh_compare_page_show_check (page, object, chip, check);
  gtk_test_widget_wait_for_draw (window);
  g_assert_true (g_str_has_prefix (bhxh_compare_page_get_document_hint (page), "Chip verified"));

  chip->chip.passive = BHXH_AUTH_UNTRUSTED;
  bhxh_compare_page_show_check (page, object, chip, check);
  gtk_test_widget_wait_for_draw (window);
  g_assert_true (g_str_has_prefix (bhxh_compare_page_get_document_hint (page),
                                   "Chip read but not authenticated"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

static void
test_chart (void)
{
  GtkWidget *chart = g_object_ref_sink (bhxh_chart_new (BHXH_CHART_BARS, "Per clerk"));
  GtkWidget *window = show_in_window (chart);
  const char *clerks[] = { "hung.tran", "lan.nguyen", NULL };
  const char *series[] = { "Approved", "Rejected", NULL };
  const double values[] = { 12, 3, 7, 1 };

  bhxh_chart_set_data (BHXH_CHART (chart), clerks, series, values);
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpuint (bhxh_chart_get_n_categories (BHXH_CHART (chart)), ==, 2);
  g_assert_cmpfloat (bhxh_chart_get_total (BHXH_CHART (chart)), ==, 23);
  g_assert_cmpstr (bhxh_chart_get_summary (BHXH_CHART (chart)), ==,
                   "hung.tran: Approved 12 Rejected 3; lan.nguyen: Approved 7 Rejected 1");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (chart);
}

static void
decided_cb (BhxhDecideDialog   *dialog,
            const char * const *codes,
            const char         *note,
            char              **result)
{
  g_autofree char *joined = g_strjoinv (",", (char **) codes);

  *result = g_strdup_printf ("%s|%s", joined, note);
}

static void
test_decide_dialog (void)
{
  g_autoptr(GPtrArray) reasons = NULL;
  BhxhReasonCode *a = g_new0 (BhxhReasonCode, 1);
  BhxhReasonCode *b = g_new0 (BhxhReasonCode, 1);
  BhxhDecideDialog *dialog;
  g_autofree char *result = NULL;

  reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_reason_code_free);
  a->code = g_strdup ("name-mismatch");
  a->label = g_strdup ("Họ và tên không khớp");
  b->code = g_strdup ("expired");
  b->label = g_strdup ("Quá hạn");
  g_ptr_array_add (reasons, a);
  g_ptr_array_add (reasons, b);

  dialog = bhxh_decide_dialog_new (NULL, BHXH_DECIDE_REJECT, "Nguyễn Văn An", reasons, NULL, FALSE);
  g_object_ref (dialog);
  g_signal_connect (dialog, "decided", G_CALLBACK (decided_cb), &result);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  /* A rejection without a reason is refused: the citizen must learn why. */
  g_assert_false (bhxh_decide_dialog_confirm (dialog));
  g_assert_null (result);
  bhxh_decide_dialog_set_selected (dialog, "expired", TRUE);
  bhxh_decide_dialog_set_note (dialog, "  quá 10 ngày  ");
  g_assert_true (bhxh_decide_dialog_confirm (dialog));
  g_assert_cmpstr (result, ==, "expired|quá 10 ngày");
  g_assert_finalize_object (dialog);

  /* The check's fine reasons tick the portal's broader codes. */
  {
    const char *from_check[] = { "name-diacritics", "id-warning-sex", NULL };

    g_clear_pointer (&result, g_free);
    dialog = bhxh_decide_dialog_new (NULL, BHXH_DECIDE_REJECT, "An", reasons, from_check, FALSE);
    g_object_ref (dialog);
    g_signal_connect (dialog, "decided", G_CALLBACK (decided_cb), &result);
    g_assert_true (bhxh_decide_dialog_confirm (dialog));
    g_assert_cmpstr (result, ==, "name-mismatch|");
    g_assert_finalize_object (dialog);
  }

  /* An override needs a note. */
  g_clear_pointer (&result, g_free);
  dialog = bhxh_decide_dialog_new (NULL, BHXH_DECIDE_OVERRIDE, "An", reasons, NULL, TRUE);
  g_object_ref (dialog);
  g_signal_connect (dialog, "decided", G_CALLBACK (decided_cb), &result);
  g_assert_false (bhxh_decide_dialog_confirm (dialog));
  bhxh_decide_dialog_set_note (dialog, "đã đối chiếu bản gốc");
  g_assert_true (bhxh_decide_dialog_confirm (dialog));
  g_assert_cmpstr (result, ==, "|đã đối chiếu bản gốc");
  g_assert_finalize_object (dialog);
}

static void
test_birth_certificate (void)
{
  BhxhBirthCertificateDialog *dialog;
  g_autoptr(BhxhDocument) start = bhxh_document_new (BHXH_DOCUMENT_BIRTH_CERTIFICATE);
  g_autoptr(BhxhDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  start->id_number = g_strdup ("001212012345");
  start->full_name = g_strdup ("Nguyễn Minh Khôi");
  start->birth_date = (BhxhDate) { 2012, 5, 1 };
  start->sex = BHXH_SEX_FEMALE;     /* the number says male: a warning */
  dialog = bhxh_birth_certificate_dialog_new (NULL, start);
  g_object_ref (dialog);
  document = bhxh_birth_certificate_dialog_build (dialog, &error);
  g_assert_no_error (error);
  g_assert_cmpint (document->kind, ==, BHXH_DOCUMENT_BIRTH_CERTIFICATE);
  g_assert_cmpstr (document->full_name, ==, "Nguyễn Minh Khôi");
  g_assert_cmpint (document->birth_date.year, ==, 2012);
  g_assert_true (document->warnings & BHXH_ID_WARNING_SEX_MISMATCH);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);

  g_clear_pointer (&start->id_number, g_free);
  start->id_number = g_strdup ("12345");
  dialog = bhxh_birth_certificate_dialog_new (NULL, start);
  g_object_ref (dialog);
  g_clear_pointer (&document, bhxh_document_free);
  document = bhxh_birth_certificate_dialog_build (dialog, &error);
  g_assert_null (document);
  g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_ID);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

static void
payload_cb (BhxhScanListener *listener,
            GBytes           *payload,
            char            **result)
{
  *result = g_strndup (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
}

static void
feed (BhxhScanListener *listener,
      const char       *text,
      gint64           *time_us,
      gint64            gap_us)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint keyval = gdk_unicode_to_keyval (g_utf8_get_char (p));

      *time_us += gap_us;
      bhxh_scan_listener_feed_key (listener, keyval, *time_us);
    }
  *time_us += gap_us;
  bhxh_scan_listener_feed_key (listener, GDK_KEY_Return, *time_us);
}

static void
problem_cb (BhxhScanListener *listener,
            const char       *message,
            const char       *text,
            char            **out)
{
  g_assert_nonnull (message);
  g_free (*out);
  *out = g_strdup (text);
}

static void
test_scan_listener (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("vn.bhxh.Desk");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *entry = gtk_entry_new ();
  BhxhScanListener *listener;
  g_autofree char *result = NULL;
  gint64 t = 1000000;

  gtk_window_set_child (GTK_WINDOW (window), entry);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (entry);
  listener = bhxh_scan_listener_new (window, settings);
  g_signal_connect (listener, "payload", G_CALLBACK (payload_cb), &result);

  /* Disabled (nobody signed in): nothing. */
  feed (listener, AN, &t, 8000);
  g_assert_null (result);

  bhxh_scan_listener_set_enabled (listener, TRUE);
  /* A person typing 150 ms apart is not a scanner. */
  feed (listener, "Nguyen", &t, 150000);
  g_assert_null (result);
  /* A scanner: 8 ms apart, ending in Enter. */
  feed (listener, AN, &t, 8000);
  g_assert_cmpstr (result, ==, AN);

  /* One that ends with Tab: the code arrives once the keys stop. */
  g_clear_pointer (&result, g_free);
  for (const char *p = AN; *p != '\0'; p = g_utf8_next_char (p))
    bhxh_scan_listener_feed_key (listener, gdk_unicode_to_keyval (g_utf8_get_char (p)),
                                 t += 8000);
  g_assert_true (bhxh_scan_listener_feed_key (listener, GDK_KEY_Tab, t += 8000));
  g_assert_null (result);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (result == NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpstr (result, ==, AN);

  /* Read as CP1252 (Latin-1) and undone exactly: the code as the card holds it. */
  g_clear_pointer (&result, g_free);
  {
    g_autofree char *latin1 = g_convert (AN, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);

    g_assert_nonnull (latin1);

    feed (listener, latin1, &t, 8000);
  }
  g_assert_cmpstr (result, ==, AN);

  /* Damaged beyond repair: the problem, with what was typed. */
  g_clear_pointer (&result, g_free);
  {
    g_autofree char *problem_text = NULL;

    g_signal_connect (listener, "problem", G_CALLBACK (problem_cb), &problem_text);
    feed (listener, "001090012345|123456789|Nguyen Van An|15031990|Nam|So 12 Thai Ha, Ha Noi|"
                    "20042021", &t, 8000);
    g_assert_null (result);
    g_assert_nonnull (problem_text);
    g_assert_true (g_str_has_prefix (problem_text, "001090012345|"));
    g_signal_handlers_disconnect_by_func (listener, problem_cb, &problem_text);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (listener);
}

static void remove_tree (const char *dir);

/* The real store in a temporary folder, filled by the demo, read by the
 * pages through a counter on its private bhxh-deskd, as the app does. */
static void
loaded_cb (BhxhQueuePage *page,
           const GError  *error,
           gboolean      *done)
{
  g_assert_no_error ((GError *) error);
  *done = TRUE;
}

static gpointer
fill_demo (BhxhStore     *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  if (!bhxh_demo_create (store, &today, BHXH_DEMO_MIN_PERSONS, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
fill_demo_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = bhxh_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (fill_demo (store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A counter on @path's own service, @login signed in (the demo has no
 * accounts: no password). */
static BhxhCounter *
counter_for (const char *path,
             const char *login)
{
  g_autoptr(GAsyncResult) started = NULL, signed_in = NULL;
  g_autoptr(GError) error = NULL;
  BhxhCounter *counter;

  bhxh_counter_new_private_async (path, FALSE, NULL, got_result, &started);
  counter = bhxh_counter_new_finish (await_result (&started), &error);
  g_assert_no_error (error);
  bhxh_counter_sign_in_async (counter, login, NULL, NULL, got_result, &signed_in);
  g_assert_true (bhxh_counter_sign_in_finish (counter, await_result (&signed_in), NULL, NULL,
                                              &error));
  g_assert_no_error (error);
  return counter;
}

/* An open declaration of the demo with a portrait photo (@with) or
 * without, through the counter. */
static BhxhDeclarationObject *
declaration_with_photo (BhxhCounter *counter,
                        gboolean     with)
{
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GError) error = NULL;

  bhxh_counter_list_queue_async (counter, NULL, NULL, got_result, &listed);
  queue = bhxh_counter_list_queue_finish (counter, await_result (&listed), NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < queue->len; i++)
    {
      BhxhDeclaration *d = g_ptr_array_index (queue, i);
      g_autoptr(GAsyncResult) fetched = NULL;
      g_autoptr(GBytes) image = NULL;

      bhxh_counter_get_declaration_portrait_async (counter, d->id, NULL, got_result, &fetched);
      image = bhxh_counter_get_declaration_portrait_finish (counter, await_result (&fetched),
                                                            &error);
      g_assert_no_error (error);
      if ((image != NULL) == with)
        return bhxh_declaration_object_new (bhxh_declaration_copy (d), &today);
    }
  g_assert_not_reached ();
}

static void
wait_for_portraits (BhxhComparePage *page,
                    GtkWidget       *window)
{
  BhxhPortraitPair *pair = bhxh_compare_page_get_portrait_pair (page);

  while (bhxh_portrait_pair_get_busy (pair))
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (window);
}

/* After a chip read with its portrait, the compare page shows the chip's
 * face beside the declaration's photo, or says the declaration has none;
 * after the QR alone, no pictures. */
static void
test_compare_portraits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "counter.sqlite", NULL);
  g_autoptr(BhxhCounter) counter = NULL;
  g_autoptr(BhxhDeclarationObject) with = NULL;
  g_autoptr(BhxhDeclarationObject) without = NULL;
  g_autoptr(BhxhDocument) qr = NULL;
  g_autoptr(BhxhCheck) check = check_for ("Nguyễn Văn An", &qr);
  g_autoptr(BhxhDocument) chip = bhxh_document_copy (qr);
  BhxhComparePage *page = g_object_ref_sink (g_object_new (BHXH_TYPE_COMPARE_PAGE, NULL));
  GtkWidget *window = show_in_window (GTK_WIDGET (page));
  BhxhPortraitPair *pair = bhxh_compare_page_get_portrait_pair (page);

  g_assert_no_error (error);
  fill_demo_store (path);
  counter = counter_for (path, "lan.nguyen");
  bhxh_compare_page_set_counter (page, counter);
  with = declaration_with_photo (counter, TRUE);
  without = declaration_with_photo (counter, FALSE);
  chip->kind = BHXH_DOCUMENT_CCCD_CHIP;
  chip->chip.passive = BHXH_AUTH_VALID;
  chip->chip.portrait = bhxh_demo_portrait_jpeg ("001090012345", BHXH_SEX_MALE,
                                                 "Nguyễn Văn An");

  bhxh_compare_page_show_check (page, with, chip, check);
  wait_for_portraits (page, window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pair)));
  g_assert_cmpuint (bhxh_portrait_pair_get_n_shown (pair), ==, 2);
  g_assert_cmpstr (bhxh_portrait_pair_get_caption (pair, TRUE), ==, "Photo on the chip");
  g_assert_cmpstr (bhxh_portrait_pair_get_caption (pair, FALSE), ==, "Photo on the declaration");
  /* Beside the verdict: both on the same rows of the page. */
  {
    graphene_rect_t verdict, pictures;

    g_assert_true (gtk_widget_compute_bounds (
      gtk_widget_get_parent (GTK_WIDGET (pair)), GTK_WIDGET (page), &verdict));
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (pair), GTK_WIDGET (page), &pictures));
    g_assert_cmpfloat (pictures.origin.y, >=, verdict.origin.y);
    g_assert_cmpfloat (pictures.origin.y + pictures.size.height, <=,
                       verdict.origin.y + verdict.size.height);
  }

  bhxh_compare_page_show_check (page, without, chip, check);
  wait_for_portraits (page, window);
  g_assert_cmpuint (bhxh_portrait_pair_get_n_shown (pair), ==, 1);
  g_assert_cmpstr (bhxh_portrait_pair_get_caption (pair, FALSE), ==,
                   "The declaration has no photo");

  bhxh_compare_page_show_check (page, with, qr, check);
  wait_for_portraits (page, window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pair)));
  g_assert_cmpuint (bhxh_portrait_pair_get_n_shown (pair), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
  g_clear_object (&counter);
  remove_tree (dir);
}

static void
test_queue_from_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "counter.sqlite", NULL);
  g_autoptr(BhxhCounter) counter = NULL;
  BhxhQueuePage *page = g_object_ref_sink (g_object_new (BHXH_TYPE_QUEUE_PAGE, NULL));
  GListModel *model = bhxh_queue_page_get_model (page);
  gboolean done = FALSE;

  g_assert_no_error (error);
  fill_demo_store (path);
  counter = counter_for (path, "lan.nguyen");
  bhxh_queue_page_set_counter (page, counter);
  g_signal_connect (page, "loaded", G_CALLBACK (loaded_cb), &done);
  bhxh_queue_page_load (page, "00106", &today);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* Đống Đa's open declarations, the most urgent first. */
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 5);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BhxhDeclarationObject) object = g_list_model_get_item (model, i);
      const BhxhDeclaration *d = bhxh_declaration_object_get_declaration (object);

      g_assert_true (g_str_has_prefix (d->office_code, "00106"));
      g_assert_true (bhxh_declaration_object_is_open (object));
      if (i > 0)
        {
          g_autoptr(BhxhDeclarationObject) prev = g_list_model_get_item (model, i - 1);

          g_assert_cmpint (bhxh_declaration_object_get_days_left (prev), <=,
                           bhxh_declaration_object_get_days_left (object));
        }
    }

  g_assert_finalize_object (page);
  g_clear_object (&counter);
  remove_tree (dir);
}

/* A day with three decisions, made through the store. */
static gpointer
decide_three (BhxhStore     *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  GPtrArray *ids = data;
  BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) reasons = bhxh_store_list_reason_codes (store, error);
  const BhxhOutcome outcomes[] = { BHXH_OUTCOME_APPROVE, BHXH_OUTCOME_REJECT,
                                   BHXH_OUTCOME_ESCALATE };

  if (reasons == NULL)
    return NULL;
  filter.status = BHXH_STATUS_PENDING;
  filter.office_code = "00106";
  open = bhxh_store_list_declarations (store, &filter, error);
  if (open == NULL)
    return NULL;
  /* Expired ones can only be rejected: decide three that are not. */
  for (guint k = 0; k < open->len; k++)
    {
      BhxhDeclaration *d = g_ptr_array_index (open, k);

      if (bhxh_declaration_days_left (d, &today) < 0)
        g_ptr_array_remove_index (open, k--);
    }
  g_assert_cmpuint (open->len, >=, 3);
  for (guint i = 0; i < 3; i++)
    {
      const BhxhDeclaration *d = g_ptr_array_index (open, i);
      const char *codes[] = { ((BhxhReasonCode *) g_ptr_array_index (reasons, 0))->code, NULL };
      /* The clerk scanned the person's card. */
      g_autoptr(BhxhDocument) card = fixture_document_from (d);
      BhxhDecisionRequest request = {
        .declaration_id = d->id,
        .outcome = outcomes[i],
        .clerk = "lan.nguyen",
        .reason_codes = outcomes[i] == BHXH_OUTCOME_REJECT ? codes : NULL,
        .note = "đã đối chiếu bản gốc",
        .override = outcomes[i] == BHXH_OUTCOME_APPROVE,
        .document = card,
      };
      g_autoptr(BhxhDecision) decision = bhxh_store_decide (store, &request, error);

      if (decision == NULL)
        return NULL;
      g_ptr_array_add (ids, g_strdup (d->id));
    }
  return ids;
}

static void
remove_tree (const char *dir)
{
  GDir *listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      if (g_file_test (file, G_FILE_TEST_IS_DIR) && !g_file_test (file, G_FILE_TEST_IS_SYMLINK))
        remove_tree (file);
      else
        g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_dir_close (listing);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The demo store, and three of its declarations decided (approve, reject,
 * escalate; their ids in @ids) through the library, as a counter did. */
static void
fill_and_decide_three (const char *path,
                       GPtrArray  *ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = NULL;

  fill_demo_store (path);
  store = bhxh_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decide_three (store, ids, NULL, &error));
  g_assert_no_error (error);
}

/* The "Họ và tên" column (the 3rd) of each CSV row, in the order of the
 * rows, sorts as a Vietnamese list. */
static void
assert_csv_names_sorted (const char *csv)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);
  g_autofree char *previous = NULL;

  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *p = lines[i];
      GString *field = g_string_new (NULL);

      /* Quoted fields come after the third only (notes): skip two commas. */
      for (guint commas = 0; commas < 2; p++)
        commas += *p == ',';
      while (*p != ',' && *p != '\0')
        g_string_append_c (field, *p++);
      if (previous != NULL)
        g_assert_cmpint (bhxh_collate_compare_names (previous, field->str), <=, 0);
      g_free (previous);
      previous = g_string_free (field, FALSE);
    }
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static int
export_page (BhxhSupervisorPage  *page,
             const char          *path,
             GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  bhxh_supervisor_page_export_async (page, file, export_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return bhxh_supervisor_page_export_finish (page, result, error);
}

static void
test_supervisor_day (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "counter.sqlite", NULL);
  g_autoptr(BhxhCounter) counter = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  BhxhSupervisorPage *page;
  GtkWidget *window;
  g_autofree char *csv = NULL, *xlsx = NULL, *csv_path = NULL, *xlsx_path = NULL;
  gsize xlsx_size = 0;
  gint64 deadline;

  g_assert_no_error (error);
  fill_and_decide_three (path, ids);
  counter = counter_for (path, "quang.pham");

  page = g_object_ref_sink (g_object_new (BHXH_TYPE_SUPERVISOR_PAGE, NULL));
  window = show_in_window (GTK_WIDGET (page));
  bhxh_supervisor_page_setup (page, counter, &today);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (bhxh_supervisor_page_get_n_decisions (page) < 3 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (window);

  g_assert_cmpuint (bhxh_supervisor_page_get_n_decisions (page), >=, 3);
  g_assert_cmpuint (bhxh_supervisor_page_get_n_escalations (page), >=, 1);
  /* Export writes what bhxh-deskd makes: the office's CSV and an Excel
   * workbook, by the file's extension. */
  csv_path = g_build_filename (dir, "quyet-dinh.csv", NULL);
  xlsx_path = g_build_filename (dir, "quyet-dinh.xlsx", NULL);
  g_assert_cmpint (export_page (page, csv_path, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (export_page (page, xlsx_path, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (export_page (page, dir, &error), ==, -1);   /* no .csv or .xlsx */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  g_assert_true (g_file_get_contents (xlsx_path, &xlsx, &xlsx_size, NULL));
  g_assert_cmpmem (xlsx, 2, "PK", 2);   /* a zip: the workbook */
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFSTT,Mã tờ khai,Họ và tên,Ngày sinh,"));
  for (guint i = 0; i < ids->len; i++)
    g_assert_nonnull (strstr (csv, g_ptr_array_index (ids, i)));
  g_assert_nonnull (strstr (csv, ",Chấp thuận,"));
  g_assert_nonnull (strstr (csv, ",Không chấp thuận,"));
  g_assert_nonnull (strstr (csv, ",Chuyển lãnh đạo xem xét,"));
  g_assert_nonnull (strstr (csv, "đã đối chiếu bản gốc"));
  g_assert_nonnull (strstr (csv, "+07:00,"));
  assert_csv_names_sorted (csv);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
  g_clear_object (&counter);
  remove_tree (dir);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *toplevel_of_type (GType type);

static gboolean
label_contains (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_contains (child, text))
      return TRUE;
  return FALSE;
}

/* The escalation's Reassign… lists the clerks; picking one hands the
 * declaration back to pending for them, and the queue shows it. */
static void
test_supervisor_reassign (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "counter.sqlite", NULL);
  g_autoptr(BhxhCounter) counter = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autofree char *assignee = NULL;
  const char *escalated;
  BhxhSupervisorPage *page;
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *window;
  GtkWidget *button;
  GtkWidget *first;
  GtkPopover *popover;
  guint n_clerks = 0, n_items = 0;
  gboolean found = FALSE;
  gint64 deadline;

  g_assert_no_error (error);
  fill_and_decide_three (path, ids);
  counter = counter_for (path, "quang.pham");
  escalated = g_ptr_array_index (ids, 2);

  page = g_object_ref_sink (g_object_new (BHXH_TYPE_SUPERVISOR_PAGE, NULL));
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (page));
  window = show_in_window (overlay);
  bhxh_supervisor_page_setup (page, counter, &today);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (bhxh_supervisor_page_get_n_decisions (page) < 3 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpuint (bhxh_supervisor_page_get_n_escalations (page), ==, 1);

  /* One item per clerk of the store, keyboard-reachable. */
  store = bhxh_store_open (path, &error);
  g_assert_no_error (error);
  users = bhxh_store_list_users (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < users->len; i++)
    n_clerks += g_str_equal (((BhxhUser *) g_ptr_array_index (users, i))->role, "clerk");
  g_assert_cmpuint (n_clerks, >=, 2);
  button = find_named (GTK_WIDGET (page), "reassign");
  g_assert_true (GTK_IS_MENU_BUTTON (button));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_get_focusable (button) ||
                 gtk_widget_get_focusable (gtk_widget_get_first_child (button)));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  for (GtkWidget *item = gtk_widget_get_first_child (gtk_popover_get_child (popover));
       item != NULL; item = gtk_widget_get_next_sibling (item))
    n_items++;
  g_assert_cmpuint (n_items, ==, n_clerks);
  first = gtk_widget_get_first_child (gtk_popover_get_child (popover));
  g_assert_cmpstr (g_object_get_data (G_OBJECT (first), "id"), ==, escalated);

  /* Picking a clerk asks first; confirmed: back to pending, assigned, off
   * the supervisor's list. */
  g_signal_emit_by_name (first, "clicked");
  {
    GtkWindow *confirm = toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);

    g_assert_nonnull (confirm);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)),
                              g_object_get_data (G_OBJECT (first), "name")));
    g_assert_cmpuint (bhxh_supervisor_page_get_n_escalations (page), ==, 1);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "reassign");
    gtk_window_destroy (confirm);
  }
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (bhxh_supervisor_page_get_n_escalations (page) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (bhxh_supervisor_page_get_n_escalations (page), ==, 0);
  /* …and the day's list says who handed it to whom. */
  {
    g_autofree char *expected = g_strdup_printf ("reassigned to %s",
                                                 (char *) g_object_get_data (G_OBJECT (first),
                                                                             "name"));

    deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while (!label_contains (GTK_WIDGET (page), expected) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (label_contains (GTK_WIDGET (page), expected));
  }
  assignee = bhxh_store_dup_assignee (store, escalated);
  g_assert_cmpstr (assignee, ==, g_object_get_data (G_OBJECT (first), "login"));

  /* The queue's row carries the assignee. */
  {
    g_autoptr(GAsyncResult) listed = NULL;
    g_autoptr(GHashTable) assignments = NULL;
    GPtrArray *declarations;

    bhxh_counter_list_queue_async (counter, NULL, NULL, got_result, &listed);
    declarations = bhxh_counter_list_queue_finish (counter, await_result (&listed),
                                                   &assignments, &error);
    g_assert_no_error (error);
    objects = bhxh_queue_make_objects (declarations, assignments, &today);
  }
  for (guint i = 0; i < objects->len; i++)
    {
      BhxhDeclarationObject *object = g_ptr_array_index (objects, i);
      const char *id = bhxh_declaration_object_get_id (object);

      if (g_str_equal (id, escalated))
        {
          found = TRUE;
          g_assert_cmpint (bhxh_declaration_object_get_status (object), ==,
                           BHXH_STATUS_PENDING);
          g_assert_cmpstr (bhxh_declaration_object_get_assignee (object), ==, assignee);
        }
      else
        g_assert_null (bhxh_declaration_object_get_assignee (object));
    }
  g_assert_true (found);

  g_clear_object (&store);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
  g_clear_object (&counter);
  remove_tree (dir);
}

static GtkWidget *
find_button_label (GtkWidget  *widget,
                   const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *
toplevel_of_type (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
opened_cb (BhxhSupervisorPage    *page,
           const char            *id,
           const char            *why,
           const BhxhDeclaration *declaration,
           GStrv                 *out)
{
  const char *both[] = { id, why, NULL };

  /* The declaration itself: an escalation of any office opens. */
  g_assert_nonnull (declaration);
  g_assert_cmpstr (declaration->id, ==, id);
  g_strfreev (*out);
  *out = g_strdupv ((char **) both);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Past a safety stop the supervisor's countersign is refused like any
 * approval: the page says so and the escalation stays. */
static void
test_supervisor_safety_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "counter.sqlite", NULL);
  g_autoptr(BhxhCounter) counter = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(BhxhDeclaration) after = NULL;
  const char *none[] = { NULL };
  g_auto(GStrv) opened = NULL;
  BhxhSupervisorPage *page;
  GtkWidget *window, *button, *check;
  GtkWindow *dialog, *refusal = NULL;
  gint64 deadline;

  g_assert_no_error (error);
  fill_and_decide_three (path, ids);
  counter = counter_for (path, "quang.pham");
  store = bhxh_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_store_set_meta (store, "safety.mirror_block_days", "0", &error));

  page = g_object_ref_sink (g_object_new (BHXH_TYPE_SUPERVISOR_PAGE, NULL));
  window = show_in_window (GTK_WIDGET (page));
  bhxh_supervisor_page_setup (page, counter, &today);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (bhxh_supervisor_page_get_n_escalations (page) < 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (bhxh_supervisor_page_get_n_escalations (page), ==, 1);

  /* Countersigning one opens it on the counter's page, with the clerk's
   * reason (the page asks the window to). */
  button = find_button_label (GTK_WIDGET (page), "_Open to Countersign");
  g_assert_nonnull (button);
  g_signal_connect (page, "open-declaration", G_CALLBACK (opened_cb), &opened);
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull (opened);
  g_assert_cmpstr (opened[0], ==, g_ptr_array_index (ids, 2));
  g_assert_nonnull (opened[1]);
  g_assert_nonnull (strstr (opened[1], "sent this declaration to a supervisor"));
  /* Ticked and approved in bulk: refused past the safety stop. */
  check = find_type (GTK_WIDGET (page), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "supervisor.approve-selected", NULL);
  dialog = toplevel_of_type (BHXH_TYPE_DECIDE_DIALOG);
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (dialog, "decided", none, "Đã xem bản gốc");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((refusal = toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG)) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (refusal);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (refusal)),
                            "mirror"));
  after = bhxh_store_get_declaration (store, g_ptr_array_index (ids, 2), &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->status, ==, BHXH_STATUS_ESCALATED);

  gtk_window_destroy (refusal);
  /* The page reloads the day after a bulk action: let that finish. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
  g_clear_object (&store);
  g_clear_object (&counter);
  remove_tree (dir);
}

static void
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
count_dismissed_cb (AdwToast *toast,
                    guint    *dismissed)
{
  (*dismissed)++;
}

/* A toast dismissed while it is still sliding in, right after another was
 * hidden (the undo toast when the clerk prints at once), crashed in
 * libadwaita 1.2's overlay (freed memory read by its show animation): run
 * with MALLOC_PERTURB_ set, as the suite is, this sequence dies with
 * adw_toast_dismiss() and lives with bhxh_toast_dismiss(). */
/* Widgets under @widget: action rows by title, spin buttons by rule key. */
static void
collect (GtkWidget *widget,
         GPtrArray *titles,
         GPtrArray *spins)
{
  if (ADW_IS_ACTION_ROW (widget))
    g_ptr_array_add (titles, (gpointer) adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (GTK_IS_SPIN_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "key") != NULL)
    g_ptr_array_add (spins, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, titles, spins);
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_title (GPtrArray  *titles,
           const char *title)
{
  for (guint i = 0; i < titles->len; i++)
    if (g_strcmp0 (g_ptr_array_index (titles, i), title) == 0)
      return TRUE;
  return FALSE;
}

/* The preferences show a supervisor the counter's people by name and its
 * rules from the service; a rule changed there is changed in the store
 * (retention was a GSettings key nothing read). */
static void
test_preferences_accounts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "counter.sqlite", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("vn.bhxh.Desk");
  g_autoptr(BhxhCounter) counter = NULL;
  g_autoptr(GAsyncResult) described = NULL;
  g_autoptr(BhxhCounterInfo) info = NULL;
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  GtkSpinButton *retention = NULL;
  BhxhPreferencesWindow *prefs;
  guint kept = 0;
  gint64 deadline;

  g_assert_no_error (error);
  fill_demo_store (path);
  counter = counter_for (path, "quang.pham");
  bhxh_counter_describe_async (counter, NULL, got_result, &described);
  info = bhxh_counter_describe_finish (counter, await_result (&described), &error);
  g_assert_no_error (error);

  prefs = bhxh_preferences_window_new (settings, counter);
  gtk_window_present (GTK_WINDOW (prefs));
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  do
    {
      g_main_context_iteration (NULL, TRUE);
      g_ptr_array_set_size (titles, 0);
      g_ptr_array_set_size (spins, 0);
      collect (GTK_WIDGET (prefs), titles, spins);
    }
  while (!has_title (titles, ((BhxhUser *) g_ptr_array_index (info->users, 0))->display_name) &&
         g_get_monotonic_time () < deadline);

  for (guint i = 0; i < info->users->len; i++)
    {
      const BhxhUser *user = g_ptr_array_index (info->users, i);

      g_assert_true (has_title (titles, user->display_name));
      g_assert_false (has_title (titles, user->login));
    }
  /* The chip's portrait is read unless the workstation says otherwise. */
  g_assert_true (has_title (titles, "Read the portrait from the chip"));
  g_assert_true (g_settings_get_boolean (settings, "chip-portrait"));
  g_assert_cmpuint (spins->len, ==, 4);
  for (guint i = 0; i < spins->len; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (g_ptr_array_index (spins, i)), "key"),
                   BHXH_META_RETENTION_DAYS) == 0)
      retention = g_ptr_array_index (spins, i);
  g_assert_nonnull (retention);
  /* The demo has no accounts: whoever is signed in may change the rules. */
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (retention)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (retention), ==, 30);
  gtk_spin_button_set_value (retention, 44);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (kept != 44 && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(BhxhCounterSettings) rules = NULL;

      g_usleep (100000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      bhxh_counter_get_settings_async (counter, NULL, got_result, &result);
      rules = bhxh_counter_get_settings_finish (counter, await_result (&result), &error);
      g_assert_no_error (error);
      kept = rules->retention_days;
    }
  g_assert_cmpuint (kept, ==, 44);

  /* Disabling a clerk who left: from their row, through the service. */
  {
    GtkWidget *button = find_button_with_label (GTK_WIDGET (prefs), "_Disable");
    g_autofree char *login = NULL;   /* the row goes when the list reloads */
    gboolean disabled = FALSE;

    g_assert_nonnull (button);
    login = g_strdup (g_object_get_data (G_OBJECT (button), "login"));
    g_assert_cmpstr (login, !=, "quang.pham");
    g_signal_emit_by_name (button, "clicked");   /* its page is not shown: not realized */
    deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while (!disabled && g_get_monotonic_time () < deadline)
      {
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GPtrArray) users = NULL;

        g_usleep (50000);
        while (g_main_context_iteration (NULL, FALSE))
          ;
        bhxh_counter_list_users_async (counter, NULL, got_result, &result);
        users = bhxh_counter_list_users_finish (counter, await_result (&result), &error);
        g_assert_no_error (error);
        for (guint i = 0; i < users->len; i++)
          {
            const BhxhUserStatus *u = g_ptr_array_index (users, i);

            if (g_str_equal (u->login, login))
              disabled = u->disabled;
          }
      }
    g_assert_true (disabled);
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_clear_object (&counter);
  remove_tree (dir);
}

/* A real office's first run, against the portal simulator on 127.0.0.1:
 * the admin (a typo in the repeated password is caught), the token file
 * (one others can read is refused, as the sync refuses it), the first
 * sync, the office the portal gave the workstation, then done with the
 * admin signed in and the store in accounts-required mode. */
static void
set_row_text (GtkWidget  *page,
              const char *title,
              const char *text)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  GtkWidget *row = NULL;
  GtkWidget *stack = gtk_widget_get_first_child (page);
  GtkWidget *step = gtk_stack_get_visible_child (GTK_STACK (stack));
  GPtrArray *queue = g_ptr_array_new ();

  g_ptr_array_add (queue, step);
  while (row == NULL && queue->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (queue, 0);

      if (ADW_IS_ENTRY_ROW (w) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), title) == 0)
        row = w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (queue, c);
    }
  g_ptr_array_unref (queue);
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
click_named (GtkWidget  *page,
             const char *name)
{
  GtkWidget *button = find_named (page, name);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
wait_for_step (BhxhSetupPage *page,
               const char    *step)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_strcmp0 (bhxh_setup_page_get_step (page), step) != 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (bhxh_setup_page_get_step (page), ==, step);
}

static gboolean
error_shown (GtkWidget  *widget,
             const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
      gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (error_shown (c, needle))
      return TRUE;
  return FALSE;
}

static void
wait_for_error (GtkWidget  *page,
                const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!error_shown (page, needle) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (error_shown (page, needle));
}

static void
setup_done_cb (BhxhSetupPage *page,
               const char    *login,
               const char    *name,
               const char    *role,
               char         **out)
{
  *out = g_strdup_printf ("%s|%s|%s", login, name, role);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;   /* wakes the waits below up to check */
}

static void
test_setup_first_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "counter.sqlite", NULL);
  g_autofree char *portal_db = g_build_filename (dir, "portal.db", NULL);
  g_autofree char *token = g_build_filename (dir, "workstation.token", NULL);
  g_autofree char *url = NULL, *line = NULL, *done = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("vn.bhxh.Desk");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GAsyncResult) started = NULL, described = NULL;
  g_autoptr(BhxhCounter) counter = NULL;
  g_autoptr(BhxhCounterInfo) info = NULL;
  BhxhSetupPage *page;
  GtkListBoxRow *row;
  GtkWidget *window;

  guint tick = g_timeout_add (50, tick_cb, NULL);

  g_assert_no_error (error);
  g_unsetenv ("http_proxy");
  g_unsetenv ("all_proxy");
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  sim = g_subprocess_launcher_spawn (launcher, &error, PORTAL_SIM_PATH, "--port=0", "--db",
                                     portal_db, "--token", "setup-token", "--office", "00106",
                                     "--demo-data", "1000", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  url = g_strdup (line + strlen ("listening on "));

  bhxh_counter_new_private_async (path, FALSE, NULL, got_result, &started);
  counter = bhxh_counter_new_finish (await_result (&started), &error);
  g_assert_no_error (error);
  g_settings_set_string (settings, "office", "");
  page = g_object_ref_sink (bhxh_setup_page_new (counter, settings));
  g_signal_connect (page, "done", G_CALLBACK (setup_done_cb), &done);
  window = show_in_window (GTK_WIDGET (page));
  g_assert_cmpstr (bhxh_setup_page_get_step (page), ==, "admin");

  /* 1. The admin: a mistyped second password is caught here. */
  set_row_text (GTK_WIDGET (page), "Full name", "Đỗ Thị Quản Trị");
  set_row_text (GTK_WIDGET (page), "Login", "quantri");
  set_row_text (GTK_WIDGET (page), "Password (at least 8 characters)", "mật-khẩu-quầy-1");
  set_row_text (GTK_WIDGET (page), "Password again", "mật-khẩu-quầy-2");
  click_named (GTK_WIDGET (page), "setup-admin");
  wait_for_error (GTK_WIDGET (page), "differ");
  set_row_text (GTK_WIDGET (page), "Password again", "mật-khẩu-quầy-1");
  click_named (GTK_WIDGET (page), "setup-admin");
  wait_for_step (page, "portal");

  /* 2. The portal: a token file others can read is refused. */
  g_assert_true (g_file_set_contents (token, "setup-token\n", -1, &error));
  g_assert_cmpint (g_chmod (token, 0644), ==, 0);
  set_row_text (GTK_WIDGET (page), "Portal address", url);
  bhxh_setup_page_set_token_file (page, token);
  click_named (GTK_WIDGET (page), "setup-connect");
  wait_for_error (GTK_WIDGET (page), "chmod 600");
  g_assert_cmpint (g_chmod (token, 0600), ==, 0);
  click_named (GTK_WIDGET (page), "setup-connect");

  /* 3, 4. The first sync, then the office the portal gave this desk. */
  wait_for_step (page, "office");
  row = gtk_list_box_get_selected_row (GTK_LIST_BOX (find_named (GTK_WIDGET (page),
                                                                 "setup-offices")));
  g_assert_nonnull (row);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "code"), ==, "00106");
  click_named (GTK_WIDGET (page), "setup-office");
  wait_for_step (page, "people");
  g_assert_cmpstr (g_settings_get_string (settings, "office"), ==, "00106");

  /* 5. Done: the admin is signed in; the store now needs accounts. */
  click_named (GTK_WIDGET (page), "setup-finish");
  g_assert_cmpstr (done, ==, "quantri|Đỗ Thị Quản Trị|admin");
  g_assert_cmpstr (bhxh_counter_get_role (counter), ==, "admin");
  bhxh_counter_describe_async (counter, NULL, got_result, &described);
  info = bhxh_counter_describe_finish (counter, await_result (&described), &error);
  g_assert_no_error (error);
  g_assert_true (info->accounts_required);
  g_assert_cmpuint (info->users->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
  g_clear_object (&counter);
  g_subprocess_force_exit (sim);
  g_subprocess_wait (sim, NULL, NULL);
  g_source_remove (tick);
  remove_tree (dir);
}

static void
test_toast_dismissed_while_shown (void)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *window;
  g_autoptr(AdwToast) first = adw_toast_new ("first");
  g_autoptr(AdwToast) second = adw_toast_new ("second");
  guint dismissed = 0;

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), gtk_label_new ("counter"));
  window = show_in_window (overlay);
  g_signal_connect (second, "dismissed", G_CALLBACK (count_dismissed_cb), &dismissed);

  bhxh_toast_show_now (ADW_TOAST_OVERLAY (overlay), g_object_ref (first));
  spin_for (100);
  bhxh_toast_dismiss (first);
  bhxh_toast_show_now (ADW_TOAST_OVERLAY (overlay), g_object_ref (second));
  spin_for (100);
  bhxh_toast_dismiss (second);
  g_assert_cmpuint (dismissed, ==, 0);
  spin_for (1500);
  g_assert_cmpuint (dismissed, ==, 1);

  /* Long shown: dismissed at once. */
  bhxh_toast_dismiss (second);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *calls)
{
  (*calls)++;
}

/* The queue's view for the column view: slots keep their place and follow
 * the items, the length changes at the end only. */
static void
test_slot_model (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BhxhArrayModel) source = bhxh_array_model_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(BhxhSlotModel) slots = bhxh_slot_model_new (G_LIST_MODEL (source));
  g_autoptr(BhxhSlot) first = NULL;
  g_autoptr(BhxhSlot) fourth = NULL;
  g_autoptr(BhxhSlot) again = NULL;
  GArray *indices;
  guint calls = 0;
  guint three[] = { 0, 2, 4 }, one[] = { 3 };

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);

      g_ptr_array_add (items, gtk_string_object_new (text));
    }
  indices = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < 5; i++)
    g_array_append_val (indices, i);
  bhxh_array_model_set_items (source, items, indices);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 5);
  g_signal_connect (slots, "items-changed", G_CALLBACK (count_changes_cb), &calls);
  first = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  fourth = g_list_model_get_item (G_LIST_MODEL (slots), 3);
  g_assert_true (bhxh_slot_get_item (fourth) == g_ptr_array_index (items, 3));

  indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (indices, three, 3);
  bhxh_array_model_set_items (source, items, indices);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 3);
  g_assert_cmpuint (calls, ==, 1);
  again = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  g_assert_true (again == first);
  g_clear_object (&again);
  again = g_list_model_get_item (G_LIST_MODEL (slots), 1);
  g_assert_true (bhxh_slot_get_item (again) == g_ptr_array_index (items, 2));
  g_clear_object (&again);

  /* Same length: no items-changed, the slots show the new items. */
  indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (indices, one, 1);
  g_array_append_vals (indices, one, 1);
  g_array_append_vals (indices, one, 1);
  bhxh_array_model_set_items (source, items, indices);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (bhxh_slot_get_item (first) == g_ptr_array_index (items, 3));

  /* A slot gone at the end and asked for again starts anew. */
  indices = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < 5; i++)
    g_array_append_val (indices, i);
  bhxh_array_model_set_items (source, items, indices);
  g_assert_cmpuint (calls, ==, 2);
  again = g_list_model_get_item (G_LIST_MODEL (slots), 3);
  g_assert_true (again != fourth);
  g_assert_true (bhxh_slot_get_item (again) == g_ptr_array_index (items, 3));
}

static BhxhUser *
user_new (const char *login,
          const char *display_name,
          const char *role)
{
  BhxhUser *user = g_new0 (BhxhUser, 1);

  user->login = g_strdup (login);
  user->display_name = g_strdup (display_name);
  user->role = g_strdup (role);
  return user;
}

/* People by their names and roles: a login only tells two namesakes apart. */
static void
test_sign_in_rows (void)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_user_free);
  GtkWidget *page = g_object_ref_sink (g_object_new (BHXH_TYPE_SIGN_IN_PAGE, NULL));
  GtkWidget *window = gtk_window_new ();
  GtkListBox *list = NULL;
  GtkWidget *child;
  const char *expected[][2] = {
    { "Trần Văn Hùng", "Clerk" },
    { "Nguyễn Thị Lan", "Clerk · lan.nguyen" },
    { "Nguyễn Thị Lan", "Supervisor · lan.nguyen2" },
  };
  guint n = 0;

  g_ptr_array_add (users, user_new ("hung.tran", "Trần Văn Hùng", "clerk"));
  g_ptr_array_add (users, user_new ("lan.nguyen", "Nguyễn Thị Lan", "clerk"));
  g_ptr_array_add (users, user_new ("lan.nguyen2", "Nguyễn Thị Lan", "supervisor"));
  gtk_window_set_child (GTK_WINDOW (window), page);
  bhxh_sign_in_page_set_users (BHXH_SIGN_IN_PAGE (page), users, NULL, FALSE);
  for (child = gtk_widget_get_first_child (page); child != NULL && list == NULL; )
    {
      if (GTK_IS_LIST_BOX (child))
        list = GTK_LIST_BOX (child);
      else if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != page && gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          child = child == page ? NULL : gtk_widget_get_next_sibling (child);
        }
    }
  g_assert_nonnull (list);
  for (child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child), n++)
    {
      g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), ==,
                       expected[n][0]);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child)), ==,
                       expected[n][1]);
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  bhxh_clock_pin_text ("2026-11-23", NULL);
  /* The service the pages talk to runs on the fixtures' day too. */
  g_setenv ("BHXH_DESK_TODAY", "2026-11-23", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/vn/bhxh/Desk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/gui/diff/diacritics", test_diff_marks_diacritics);
  g_test_add_func ("/gui/queue/slots", test_slot_model);
  g_test_add_func ("/gui/queue/cell-text", test_cell_text);
  g_test_add_func ("/gui/queue/filters", test_queue_filters);
  g_test_add_func ("/gui/queue/order", test_queue_order);
  g_test_add_func ("/gui/queue/store", test_queue_from_store);
  g_test_add_func ("/gui/compare/verdicts", test_compare_verdicts);
  g_test_add_func ("/gui/compare/chip", test_compare_chip);
  g_test_add_func ("/gui/compare/portraits", test_compare_portraits);
  g_test_add_func ("/gui/chart", test_chart);
  g_test_add_func ("/gui/toast/dismissed-while-shown", test_toast_dismissed_while_shown);
  g_test_add_func ("/gui/decide-dialog", test_decide_dialog);
  g_test_add_func ("/gui/birth-certificate", test_birth_certificate);
  g_test_add_func ("/gui/scan-listener", test_scan_listener);
  g_test_add_func ("/gui/supervisor/day", test_supervisor_day);
  g_test_add_func ("/gui/supervisor/reassign", test_supervisor_reassign);
  g_test_add_func ("/gui/supervisor/safety-stop", test_supervisor_safety_stop);
  g_test_add_func ("/gui/preferences/accounts", test_preferences_accounts);
  g_test_add_func ("/gui/setup/first-run", test_setup_first_run);
  g_test_add_func ("/gui/sign-in/rows", test_sign_in_rows);
  return g_test_run ();
}
