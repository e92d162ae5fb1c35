/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scan benchmark: detection rate (byte-exact) and ms per frame on
 * generated camera-like frames, for our pipeline and the references —
 * zbar as zbarimg runs it and zxing-cpp as ZXingReader runs it, both
 * in-process (decode call only), and with --tools the real zbarimg and
 * ZXingReader programs on the same frames saved as PNG. Asserts nothing.
 *
 *   bench-scan [--count 200] [--seed 1] [--tools] [--keep DIR] [--ours-only] */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <zbar.h>

#include "bench-scan-frames.h"
#include "scan/bhxh-scan-decoder.h"
#ifdef BHXH_SCAN_HAVE_ZXING
# include "scan/bhxh-scan-zxing.h"
#endif

typedef struct
{
  const char *name;
  GArray     *ms;        /* double per frame */
  int         found;
  int         by_size[5]; /* found per px/module bucket 2..6 */
} Contender;

enum { OURS, QUICK, OURS_ZBAR, ZBAR, ZXING, ZBARIMG, ZXINGREADER };

static int count = 200;
static int seed = 1;
static gboolean run_tools;
static gboolean ours_only;
static char *keep_dir;

static const GOptionEntry entries[] = {
  { "count", 0, 0, G_OPTION_ARG_INT, &count, "Number of frames", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed", "N" },
  { "tools", 0, 0, G_OPTION_ARG_NONE, &run_tools, "Also run zbarimg and ZXingReader", NULL },
  { "ours-only", 0, 0, G_OPTION_ARG_NONE, &ours_only, "Skip the references (for tuning)", NULL },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir, "Save the frames as PNG here", "DIR" },
  { NULL }
};

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
percentile (GArray *values,
            double  p)
{
  g_autoptr(GArray) sorted = g_array_copy (values);

  g_array_sort (sorted, compare_double);
  return g_array_index (sorted, double, (guint) MIN (sorted->len - 1, p * sorted->len));
}

static gboolean
results_match (GPtrArray  *results,
               const char *payload)
{
  for (guint i = 0; results && i < results->len; i++)
    {
      BhxhScanResult *r = g_ptr_array_index (results, i);
      gsize len;
      const char *data = g_bytes_get_data (r->bytes, &len);

      if (len == strlen (payload) && memcmp (data, payload, len) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
record (Contender             *c,
        const BenchScanSample *sample,
        double                 ms,
        gboolean               ok)
{
  g_array_append_val (c->ms, ms);
  if (ok)
    {
      c->found++;
      c->by_size[CLAMP ((int) sample->module_px - 2, 0, 4)]++;
    }
}

static gboolean
plain_zbar (zbar_image_scanner_t *scanner,
            const BhxhScanFrame  *frame,
            const char           *payload)
{
  zbar_image_t *image = zbar_image_create ();
  gboolean ok = FALSE;

  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, frame->width, frame->height);
  zbar_image_set_data (image, frame->data, (gsize) frame->width * frame->height, NULL);
  if (zbar_scan_image (scanner, image) > 0)
    for (const zbar_symbol_t *s = zbar_image_first_symbol (image); s; s = zbar_symbol_next (s))
      ok |= zbar_symbol_get_data_length (s) == strlen (payload)
            && memcmp (zbar_symbol_get_data (s), payload, strlen (payload)) == 0;
  zbar_image_destroy (image);
  return ok;
}

#ifdef BHXH_SCAN_HAVE_ZXING
typedef struct { const char *payload; gboolean ok; } ZxingMatch;

static void
zxing_match_cb (BhxhScanFormat format, const guint8 *data, gsize len,
                int x, int y, gpointer user_data)
{
  ZxingMatch *match = user_data;

  match->ok |= len == strlen (match->payload) && memcmp (data, match->payload, len) == 0;
}
#endif

static gboolean
run_tool (const char *const *argv,
          const char        *payload,
          double            *ms)
{
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  int status = 0;
  gsize len = strlen (payload);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, NULL);
  *ms = (g_get_monotonic_time () - start) / 1000.0;
  /* Either tool may end its output with a line feed. */
  return out != NULL && strncmp (out, payload, len) == 0
         && (out[len] == '\0' || (out[len] == '\n' && out[len + 1] == '\0'));
}

static void
save_png (const BhxhScanFrame *frame,
          const char          *path)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                                frame->width, frame->height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < frame->height; y++)
    for (int x = 0; x < frame->width; x++)
      memset (pixels + y * stride + 3 * x, frame->data[y * frame->stride + x], 3);
  gdk_pixbuf_save (pixbuf, path, "png", NULL, "compression", "1", NULL);
}

static void
print_row (const Contender *c,
           int              n,
           const Contender *reference)
{
  double median = percentile (c->ms, 0.5);

  printf ("%-28s %5.1f%%  %3d/%d  median %7.2f ms  p95 %7.2f ms",
          c->name, 100.0 * c->found / n, c->found, n, median, percentile (c->ms, 0.95));
  if (reference && reference->ms->len > 0)
    printf ("  (median ×%.2f of %s)", median / percentile (reference->ms, 0.5), reference->name);
  printf ("   by px/module 2-3:%d 3-4:%d 4-5:%d 5-6:%d\n",
          c->by_size[0], c->by_size[1], c->by_size[2], c->by_size[3] + c->by_size[4]);
}

/* zbar as zbarimg runs it, zxing-cpp as ZXingReader runs it. */
static void
run_references (zbar_image_scanner_t  *zbar,
                const BenchScanSample *sample,
                Contender             *c)
{
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok = plain_zbar (zbar, sample->frame, sample->payload);

  record (&c[ZBAR], sample, (g_get_monotonic_time () - t0) / 1000.0, ok);
#ifdef BHXH_SCAN_HAVE_ZXING
  {
    ZxingMatch match = { sample->payload, FALSE };

    t0 = g_get_monotonic_time ();
    _bhxh_scan_zxing_decode (sample->frame->data, sample->frame->width,
                             sample->frame->height, sample->frame->stride, TRUE,
                             zxing_match_cb, &match);
    record (&c[ZXING], sample, (g_get_monotonic_time () - t0) / 1000.0, match.ok);
  }
#endif
}

static void
save_and_run_tools (const char            *dir,
                    int                    index,
                    const BenchScanSample *sample,
                    Contender             *c,
                    gboolean               tools)
{
  g_autofree char *path = g_strdup_printf ("%s/frame-%03d.png", dir, index);
  double ms;
  gboolean ok;

  save_png (sample->frame, path);
  if (tools)
    {
      const char *zbarimg[] = {
        "zbarimg", "--raw", "-q", "--nodbus", "-Sbinary", path, NULL
      };
      const char *zxing[] = { "ZXingReader", "-bytes", path, NULL };

      ok = run_tool (zbarimg, sample->payload, &ms);
      record (&c[ZBARIMG], sample, ms, ok);
      ok = run_tool (zxing, sample->payload, &ms);
      record (&c[ZXINGREADER], sample, ms, ok);
    }
  if (!keep_dir)
    g_unlink (path);
}

static void
count_pass (GHashTable *passes,
            const char *pass)
{
  int n = GPOINTER_TO_INT (g_hash_table_lookup (passes, pass));

  g_hash_table_insert (passes, (gpointer) pass, GINT_TO_POINTER (n + 1));
}

static void
print_passes (const char *name,
              GHashTable *passes)
{
  GHashTableIter iter;
  gpointer key, value;

  printf ("%s: frames read per pass:", name);
  g_hash_table_iter_init (&iter, passes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    printf (" %s=%d", (const char *) key, GPOINTER_TO_INT (value));
  printf ("\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- scan benchmark");
  g_autoptr(GRand) rand = NULL;
  g_autoptr(BhxhScanDecoder) ours = bhxh_scan_decoder_new (BHXH_SCAN_ENGINE_AUTO, NULL);
  g_autoptr(BhxhScanDecoder) ours_quick = bhxh_scan_decoder_new (BHXH_SCAN_ENGINE_AUTO, NULL);
  g_autoptr(BhxhScanDecoder) ours_zbar = bhxh_scan_decoder_new (BHXH_SCAN_ENGINE_ZBAR, NULL);
  zbar_image_scanner_t *zbar = zbar_image_scanner_create ();
  g_autofree char *tmp = NULL;
  g_autoptr(GHashTable) passes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) zbar_passes = g_hash_table_new (g_str_hash, g_str_equal);
  Contender c[] = {
    { "ours (thorough, stills)" }, { "ours (quick, camera)" }, { "ours, zbar only" },
    { "zbar (as zbarimg)" }, { "zxing-cpp (as ZXingReader)" },
    { "zbarimg process" }, { "ZXingReader process" },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, NULL))
    return 2;
  rand = g_rand_new_with_seed (seed);
  for (guint i = 0; i < G_N_ELEMENTS (c); i++)
    c[i].ms = g_array_new (FALSE, FALSE, sizeof (double));
  bhxh_scan_decoder_set_effort (ours_quick, BHXH_SCAN_EFFORT_QUICK);
  zbar_image_scanner_set_config (zbar, 0, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (zbar, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  if (run_tools || keep_dir)
    {
      tmp = keep_dir ? g_strdup (keep_dir) : g_dir_make_tmp ("bench-scan-XXXXXX", NULL);
      g_mkdir_with_parents (tmp, 0700);
    }

  for (int i = 0; i < count; i++)
    {
      BenchScanSample *sample = bench_scan_sample_new (rand, i);
      gint64 t0;
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GPtrArray) quick = NULL;
      g_autoptr(GPtrArray) zbar_only = NULL;
      gboolean ok;

      t0 = g_get_monotonic_time ();
      results = bhxh_scan_decoder_decode (ours, sample->frame, NULL);
      record (&c[OURS], sample, (g_get_monotonic_time () - t0) / 1000.0,
              ok = results_match (results, sample->payload));
      if (ok)
        count_pass (passes, bhxh_scan_decoder_get_last_pass (ours));
      t0 = g_get_monotonic_time ();
      quick = bhxh_scan_decoder_decode (ours_quick, sample->frame, NULL);
      record (&c[QUICK], sample, (g_get_monotonic_time () - t0) / 1000.0,
              results_match (quick, sample->payload));
      t0 = g_get_monotonic_time ();
      zbar_only = bhxh_scan_decoder_decode (ours_zbar, sample->frame, NULL);
      record (&c[OURS_ZBAR], sample, (g_get_monotonic_time () - t0) / 1000.0,
              ok = results_match (zbar_only, sample->payload));
      if (ok)
        count_pass (zbar_passes, bhxh_scan_decoder_get_last_pass (ours_zbar));
      if (g_getenv ("BENCH_SCAN_VERBOSE"))
        printf ("%3d %-50s ours:%d zbar-only:%d\n", i, sample->describe,
                results_match (results, sample->payload),
                results_match (zbar_only, sample->payload));
      if (!ours_only)
        run_references (zbar, sample, c);
      if (tmp)
        save_and_run_tools (tmp, i, sample, c, run_tools && !ours_only);
      bench_scan_sample_free (sample);
    }

  printf ("%d frames (720p and 1080p alternating), seed %d, zxing-cpp %s\n", count, seed,
          bhxh_scan_have_zxing () ? "built in" : "not built");
  for (guint i = 0; i < G_N_ELEMENTS (c); i++)
    if (c[i].ms->len > 0)
      print_row (&c[i], count, i <= OURS_ZBAR ? &c[ZXING] : NULL);
  print_passes ("ours (thorough)", passes);
  print_passes ("ours, zbar only", zbar_passes);
  if (tmp && !keep_dir)
    g_rmdir (tmp);
  zbar_image_scanner_destroy (zbar);
  for (guint i = 0; i < G_N_ELEMENTS (c); i++)
    g_array_unref (c[i].ms);
  return 0;
}
