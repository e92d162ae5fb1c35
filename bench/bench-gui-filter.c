/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Filter-keystroke latency of the queue over 100k declarations (goal
 * p95 < 16 ms at 10k, < 33 ms at 100k; to the painted frame < 50 ms): the
 * real queue page in a window on a display.
 * Reference in the same process: a bare strstr() loop over the same
 * search keys, the least any filter could cost.
 * usage: xvfb-run -a bench-gui-filter [N=100000] */
#include "config.h"

#include <adwaita.h>
#include <time.h>

#include "bhxh-queue-page.h"

static const char *families[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
                                  "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý" };
static const char *middles[] = { "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang",
                                 "Thu", "Hoài" };
static const char *givens[] = { "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương",
                                "Khoa", "Lan", "Linh", "Long", "Mai", "Nam", "Ngọc", "Phúc",
                                "Quân", "Sơn", "Tâm", "Thảo", "Thủy", "Thuỷ", "Trang", "Tú",
                                "Tuấn", "Vân", "Việt", "Yến", "Đông", "Hòa" };

static GPtrArray *
make_objects (guint n)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+07:00");
  BhxhDate today = { 2026, 11, 23 };
  GPtrArray *objects = g_ptr_array_new_with_free_func (g_object_unref);
  GRand *rand = g_rand_new_with_seed (20261123);

  for (guint i = 0; i < n; i++)
    {
      BhxhDeclaration *d = bhxh_declaration_new ();

      d->id = g_strdup_printf ("TK01-00106-%06u", i);
      d->kind = g_rand_int_range (rand, 0, 10) == 0 ? BHXH_KIND_STOP : BHXH_KIND_REGISTER;
      d->status = g_rand_int_range (rand, 0, 4) == 0 ? BHXH_STATUS_APPROVED : BHXH_STATUS_PENDING;
      d->office_code = g_strdup ("00106");
      d->confirmed_at = g_date_time_new (tz, 2026, 11, g_rand_int_range (rand, 13, 24), 8, 0, 0);
      d->full_name = g_strdup_printf ("%s %s %s",
                                      families[g_rand_int_range (rand, 0, G_N_ELEMENTS (families))],
                                      middles[g_rand_int_range (rand, 0, G_N_ELEMENTS (middles))],
                                      givens[g_rand_int_range (rand, 0, G_N_ELEMENTS (givens))]);
      d->bhxh_code = g_strdup_printf ("01%08u", g_rand_int_range (rand, 0, 99999999));
      d->id_number = g_strdup_printf ("0010%d%d%06u", g_rand_int_range (rand, 0, 4),
                                      g_rand_int_range (rand, 10, 99),
                                      g_rand_int_range (rand, 0, 999999));
      d->birth_date = (BhxhDate) { g_rand_int_range (rand, 1950, 2020), 1, 1 };
      g_ptr_array_add (objects, bhxh_declaration_object_new (d, &today));
    }
  g_rand_free (rand);
  return objects;
}

/* CPU time of this thread: on a machine shared with other builds the
 * wall-clock figures carry the time the scheduler gave to others. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms)
{
  g_array_sort (ms, compare_doubles);
  g_print ("%-44s median %6.2f ms  p95 %6.2f ms  max %6.2f ms  (%u keystrokes)\n", what,
           g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, (guint) (ms->len * 0.95)),
           g_array_index (ms, double, ms->len - 1), ms->len);
}

static gboolean painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  painted = TRUE;
}

/* The keystrokes of a clerk typing, correcting, and typing a number. */
static GPtrArray *
keystrokes (void)
{
  const char *typed[] = { "nguyen thi thuy", "0010", "tran van", "le" };
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);

  for (guint t = 0; t < G_N_ELEMENTS (typed); t++)
    {
      glong n = g_utf8_strlen (typed[t], -1);

      for (glong i = 1; i <= n; i++)
        g_ptr_array_add (queries, g_utf8_substring (typed[t], 0, i));
      for (glong i = n - 1; i >= 0; i--)
        g_ptr_array_add (queries, g_utf8_substring (typed[t], 0, i));
    }
  return queries;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GPtrArray) queries = keystrokes ();
  g_autoptr(GArray) filter_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) small_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWidget *window;
  BhxhQueuePage *page;
  GdkFrameClock *clock;
  gint64 t0;
  double filter_median, bare_median, goal;

  gtk_init ();
  adw_init ();
  t0 = g_get_monotonic_time ();
  objects = make_objects (n);
  g_print ("%u declarations built in %.0f ms (in the app: in the worker thread)\n", n,
           (g_get_monotonic_time () - t0) / 1000.0);

  page = g_object_new (BHXH_TYPE_QUEUE_PAGE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  t0 = g_get_monotonic_time ();
  bhxh_queue_page_set_declarations (page, objects);
  g_print ("loaded into the queue in %.0f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
  gtk_test_widget_wait_for_draw (window);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  for (guint q = 0; q < queries->len; q++)
    {
      const char *query = g_ptr_array_index (queries, q);
      double ms;

      gint64 c0 = thread_cpu_us ();

      t0 = g_get_monotonic_time ();
      bhxh_queue_page_set_search (page, query);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (filter_ms, ms);
      ms = (thread_cpu_us () - c0) / 1000.0;
      g_array_append_val (cpu_ms, ms);
      ms = g_array_index (filter_ms, double, filter_ms->len - 1);
      if (g_list_model_get_n_items (bhxh_queue_page_get_model (page)) <= 10000)
        g_array_append_val (small_ms, ms);

      /* Until the next frame with the new rows is painted: includes the wait
       * for the frame clock, so it is an upper bound of what a clerk sees. */
      painted = FALSE;
      gtk_widget_queue_draw (window);
      while (!painted)
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (frame_ms, ms);
    }

  /* The reference: the bare scan over the same keys, no model, no widgets. */
  for (guint q = 0; q < queries->len; q++)
    {
      g_autofree char *folded = bhxh_declaration_fold_query (g_ptr_array_index (queries, q));
      guint hits = 0;
      double ms;

      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < objects->len; i++)
        hits += strstr (bhxh_declaration_object_get_search_key (g_ptr_array_index (objects, i)),
                        folded) != NULL;
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (bare_ms, ms);
      (void) hits;
    }

  report ("queue filter (set_search, model updated)", filter_ms);
  report ("  of which leaving <= 10k rows shown", small_ms);
  report ("queue filter, CPU time of the UI thread", cpu_ms);
  report ("keystroke to painted frame (upper bound)", frame_ms);
  report ("reference: bare strstr over all keys", bare_ms);
  filter_median = g_array_index (filter_ms, double, filter_ms->len / 2);
  bare_median = g_array_index (bare_ms, double, bare_ms->len / 2);
  /* The goals of issue #17: a keystroke within one frame at 10k, two at
   * 100k; the painted frame within 50 ms. */
  goal = n <= 10000 ? 16 : 33;
  g_print ("ratio queue filter / bare scan: %.2f×; goal p95 < %.0f ms: wall %s, CPU %s; "
           "frame p95 < 50 ms: %s\n",
           filter_median / MAX (bare_median, 0.001), goal,
           g_array_index (filter_ms, double, (guint) (filter_ms->len * 0.95)) < goal ? "met"
                                                                                   : "NOT met",
           g_array_index (cpu_ms, double, (guint) (cpu_ms->len * 0.95)) < goal ? "met"
                                                                             : "NOT met",
           g_array_index (frame_ms, double, (guint) (frame_ms->len * 0.95)) < 50 ? "met"
                                                                               : "NOT met");
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
