/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include "bhxh-scan-decoder.h"
#include "bhxh-scan-error.h"
#include "bhxh-scan-locate.h"
#include "bhxh-scan-zbar-private.h"
#ifdef BHXH_SCAN_HAVE_ZXING
# include "bhxh-scan-zxing.h"
#endif

/* The pipeline, cheapest first; the first pass that reads anything wins:
 *  1. the whole frame as it is with zxing-cpp, when built (zbar alone
 *     reads the whole frame only after step 2: it is slow on it);
 *  2. locate code-like regions (bhxh-scan-locate.c), crop each with a
 *     margin, stretch its contrast and upscale it to ~480 px, which is
 *     ≥ 4 px a module for a CCCD code; both engines read each crop; then
 *     the crops smoothed, adaptively thresholded and (THOROUGH) sharpened;
 *  3. THOROUGH only: zxing-cpp's try-harder and zbar on the whole frame,
 *     and the whole frame at half and double scale.
 * Step 2 is what wins the small, faint and blurred codes back: both engines
 * lose codes under ~3 px per module, and zbar loses low-contrast ones.
 * docs/scanning.md has the figures from bench/bench-scan. */

#define TARGET_CROP_SIDE 480
#define MAX_REGIONS 3

struct _BhxhScanDecoder
{
  BhxhScanEngine          engine;
  BhxhScanEffort          effort;
  zbar_image_scanner_t   *zbar;
  const char             *last_pass;
};

G_DEFINE_BOXED_TYPE (BhxhScanResult, bhxh_scan_result,
                     bhxh_scan_result_copy, bhxh_scan_result_free)

static const char * const format_names[] = {
  [BHXH_SCAN_FORMAT_UNKNOWN] = "unknown",
  [BHXH_SCAN_FORMAT_QRCODE] = "qrcode",
  [BHXH_SCAN_FORMAT_CODE128] = "code128",
  [BHXH_SCAN_FORMAT_CODE39] = "code39",
  [BHXH_SCAN_FORMAT_CODE93] = "code93",
  [BHXH_SCAN_FORMAT_PDF417] = "pdf417",
  [BHXH_SCAN_FORMAT_DATAMATRIX] = "datamatrix",
  [BHXH_SCAN_FORMAT_AZTEC] = "aztec",
  [BHXH_SCAN_FORMAT_EAN13] = "ean13",
  [BHXH_SCAN_FORMAT_EAN8] = "ean8",
  [BHXH_SCAN_FORMAT_UPCA] = "upca",
  [BHXH_SCAN_FORMAT_UPCE] = "upce",
  [BHXH_SCAN_FORMAT_I25] = "i25",
  [BHXH_SCAN_FORMAT_CODABAR] = "codabar",
  [BHXH_SCAN_FORMAT_DATABAR] = "databar",
};

const char *
bhxh_scan_format_to_string (BhxhScanFormat format)
{
  if ((guint) format >= G_N_ELEMENTS (format_names))
    return format_names[BHXH_SCAN_FORMAT_UNKNOWN];
  return format_names[format];
}

gboolean
bhxh_scan_have_zxing (void)
{
#ifdef BHXH_SCAN_HAVE_ZXING
  return TRUE;
#else
  return FALSE;
#endif
}

/* Bytes are text only if they are valid UTF-8 without NUL; never a
 * charset guess (that is how zbar turns "Nữ" into "N盻ｯ"). */
char *
bhxh_scan_bytes_to_text (const guint8  *data,
                         gsize          len,
                         GError       **error)
{
  const char *end = NULL;

  if (!g_utf8_validate ((const char *) data, len, &end))
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_INVALID_UTF8,
                   _("The code was read but is not UTF-8 text (bad byte at offset %u); "
                     "it was not made for this application"),
                   (guint) (end - (const char *) data));
      return NULL;
    }
  return g_utf8_normalize ((const char *) data, len, G_NORMALIZE_NFC);
}

BhxhScanResult *
bhxh_scan_result_new (BhxhScanFormat  format,
                      const guint8   *data,
                      gsize           len)
{
  BhxhScanResult *self = g_new0 (BhxhScanResult, 1);

  self->format = format;
  self->bytes = g_bytes_new (data, len);
  self->text = bhxh_scan_bytes_to_text (data, len, &self->error);
  return self;
}

BhxhScanResult *
bhxh_scan_result_copy (const BhxhScanResult *self)
{
  BhxhScanResult *copy = g_new0 (BhxhScanResult, 1);

  copy->format = self->format;
  copy->bytes = g_bytes_ref (self->bytes);
  copy->text = g_strdup (self->text);
  copy->error = self->error ? g_error_copy (self->error) : NULL;
  copy->x = self->x;
  copy->y = self->y;
  return copy;
}

void
bhxh_scan_result_free (BhxhScanResult *self)
{
  if (self == NULL)
    return;
  g_bytes_unref (self->bytes);
  g_free (self->text);
  g_clear_error (&self->error);
  g_free (self);
}

static const zbar_symbol_type_t zbar_symbologies[] = {
  ZBAR_QRCODE, ZBAR_CODE128, ZBAR_CODE39, ZBAR_EAN13,
};

BhxhScanDecoder *
bhxh_scan_decoder_new (BhxhScanEngine   engine,
                       GError         **error)
{
  BhxhScanDecoder *self;

  if (engine == BHXH_SCAN_ENGINE_ZXING && !bhxh_scan_have_zxing ())
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_UNSUPPORTED,
                   _("This build has no zxing-cpp decoder"));
      return NULL;
    }

  self = g_new0 (BhxhScanDecoder, 1);
  self->engine = engine;
  self->effort = BHXH_SCAN_EFFORT_THOROUGH;
  self->last_pass = "none";
  /* zbar is loaded when first needed, unless it is the only engine. */
  if (engine == BHXH_SCAN_ENGINE_ZBAR && _bhxh_scan_zbar (error) == NULL)
    {
      g_free (self);
      return NULL;
    }
  return self;
}

/* The zbar scanner, made on first use: NULL if zbar cannot be loaded. */
static zbar_image_scanner_t *
ensure_zbar (BhxhScanDecoder *self)
{
  g_autoptr(GError) error = NULL;
  const BhxhZbar *z;

  if (self->zbar != NULL)
    return self->zbar;
  z = _bhxh_scan_zbar (&error);
  if (z == NULL)
    {
      g_debug ("%s", error->message);
      return NULL;
    }
  self->zbar = z->image_scanner_create ();
  /* Only what papers carry: each enabled 1-D decoder costs time on every
   * scan line, zbar's DataBar decoder asserts on noise, and its PDF417
   * decoder is unfinished (zxing-cpp reads PDF417 and DataMatrix). */
  z->image_scanner_set_config (self->zbar, 0, ZBAR_CFG_ENABLE, 0);
  for (guint i = 0; i < G_N_ELEMENTS (zbar_symbologies); i++)
    z->image_scanner_set_config (self->zbar, zbar_symbologies[i], ZBAR_CFG_ENABLE, 1);
  z->image_scanner_set_config (self->zbar, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  z->image_scanner_set_config (self->zbar, 0, ZBAR_CFG_POSITION, 1);
  return self->zbar;
}

void
bhxh_scan_decoder_free (BhxhScanDecoder *self)
{
  if (self == NULL)
    return;
  if (self->zbar != NULL)
    _bhxh_scan_zbar (NULL)->image_scanner_destroy (self->zbar);
  g_free (self);
}

void
bhxh_scan_decoder_set_effort (BhxhScanDecoder *self,
                              BhxhScanEffort   effort)
{
  g_return_if_fail (self != NULL);

  self->effort = effort;
}

/* Which pass read the last frame: for the benchmark and the debug log. */
const char *
bhxh_scan_decoder_get_last_pass (BhxhScanDecoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->last_pass;
}

/* Results found on a crop are mapped back to frame coordinates. */
typedef struct
{
  GPtrArray *results;
  double     scale;
  int        dx;
  int        dy;
} Collector;

static void
collect (Collector      *collector,
         BhxhScanFormat  format,
         const guint8   *data,
         gsize           len,
         int             x,
         int             y)
{
  BhxhScanResult *result;

  for (guint i = 0; i < collector->results->len; i++)
    {
      BhxhScanResult *seen = g_ptr_array_index (collector->results, i);

      if (seen->format == format && g_bytes_get_size (seen->bytes) == len
          && memcmp (g_bytes_get_data (seen->bytes, NULL), data, len) == 0)
        return;
    }

  result = bhxh_scan_result_new (format, data, len);
  result->x = collector->dx + (int) (x / collector->scale);
  result->y = collector->dy + (int) (y / collector->scale);
  g_ptr_array_add (collector->results, result);
}

static BhxhScanFormat
map_zbar_format (zbar_symbol_type_t type)
{
  switch ((int) type)
    {
    case ZBAR_QRCODE: return BHXH_SCAN_FORMAT_QRCODE;
    case ZBAR_CODE128: return BHXH_SCAN_FORMAT_CODE128;
    case ZBAR_CODE39: return BHXH_SCAN_FORMAT_CODE39;
    case ZBAR_CODE93: return BHXH_SCAN_FORMAT_CODE93;
    case ZBAR_PDF417: return BHXH_SCAN_FORMAT_PDF417;
    case ZBAR_EAN13: return BHXH_SCAN_FORMAT_EAN13;
    case ZBAR_EAN8: return BHXH_SCAN_FORMAT_EAN8;
    case ZBAR_UPCA: return BHXH_SCAN_FORMAT_UPCA;
    case ZBAR_UPCE: return BHXH_SCAN_FORMAT_UPCE;
    case ZBAR_I25: return BHXH_SCAN_FORMAT_I25;
    case ZBAR_CODABAR: return BHXH_SCAN_FORMAT_CODABAR;
    case ZBAR_DATABAR: return BHXH_SCAN_FORMAT_DATABAR;
    default: return BHXH_SCAN_FORMAT_UNKNOWN;
    }
}

static int
run_zbar (BhxhScanDecoder     *self,
          const BhxhScanFrame *frame,
          Collector           *collector)
{
  zbar_image_scanner_t *scanner = ensure_zbar (self);
  const BhxhZbar *z = _bhxh_scan_zbar (NULL);
  g_autoptr(BhxhScanFrame) packed = NULL;
  const zbar_symbol_t *symbol;
  zbar_image_t *image;
  int found = 0;

  if (scanner == NULL)
    return 0;
  image = z->image_create ();
  /* zbar wants rows without padding. */
  if (frame->stride != frame->width)
    frame = packed = bhxh_scan_frame_copy (frame);

  z->image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  z->image_set_size (image, frame->width, frame->height);
  z->image_set_data (image, frame->data, (unsigned long) frame->width * frame->height, NULL);
  if (z->scan_image (scanner, image) > 0)
    for (symbol = z->image_first_symbol (image); symbol;
         symbol = z->symbol_next (symbol))
      {
        unsigned n = z->symbol_get_loc_size (symbol);
        int x = 0;
        int y = 0;

        for (unsigned i = 0; i < n; i++)
          {
            x += z->symbol_get_loc_x (symbol, i);
            y += z->symbol_get_loc_y (symbol, i);
          }
        collect (collector, map_zbar_format (z->symbol_get_type (symbol)),
                 (const guint8 *) z->symbol_get_data (symbol),
                 z->symbol_get_data_length (symbol),
                 n ? x / (int) n : 0, n ? y / (int) n : 0);
        found++;
      }
  z->image_destroy (image);
  return found;
}

#ifdef BHXH_SCAN_HAVE_ZXING
static void
zxing_found_cb (BhxhScanFormat  format,
                const guint8   *data,
                gsize           len,
                int             x,
                int             y,
                gpointer        user_data)
{
  collect (user_data, format, data, len, x, y);
}
#endif

static int
run_zxing (BhxhScanDecoder     *self,
           const BhxhScanFrame *frame,
           Collector           *collector,
           gboolean             try_harder)
{
#ifdef BHXH_SCAN_HAVE_ZXING
  return _bhxh_scan_zxing_decode (frame->data, frame->width, frame->height, frame->stride,
                                  try_harder, zxing_found_cb, collector);
#else
  return 0;
#endif
}

static gboolean
uses_zxing (BhxhScanDecoder *self)
{
  return bhxh_scan_have_zxing () && self->engine != BHXH_SCAN_ENGINE_ZBAR;
}

static gboolean
uses_zbar (BhxhScanDecoder *self)
{
  return self->engine != BHXH_SCAN_ENGINE_ZXING;
}

/* Both engines, for the crops that are worth the time. */
static int
run_all (BhxhScanDecoder     *self,
         const BhxhScanFrame *frame,
         Collector           *collector)
{
  int found = 0;

  if (uses_zxing (self))
    found = run_zxing (self, frame, collector, self->effort == BHXH_SCAN_EFFORT_THOROUGH);
  if (found == 0 && uses_zbar (self))
    found = run_zbar (self, frame, collector);
  return found;
}

typedef BhxhScanFrame *(*Filter) (const BhxhScanFrame *frame);

/* The window is ~4 modules of a crop upscaled to TARGET_CROP_SIDE: one
 * of width / 12 (~9 modules) lost faint codes under uneven light;
 * width / 30 read 4–6 % more frames on two bench seeds. */
static BhxhScanFrame *
threshold_filter (const BhxhScanFrame *frame)
{
  g_autoptr(BhxhScanFrame) smooth = bhxh_scan_frame_smooth (frame);

  return bhxh_scan_frame_threshold (smooth, MAX (9, frame->width / 30));
}

/* A located region, cropped with a margin, contrast stretched and
 * upscaled towards TARGET_CROP_SIDE; its position maps results back. */
typedef struct
{
  BhxhScanFrame *scaled;
  double         scale;
  int            dx;
  int            dy;
} Crop;

static void
crop_clear (gpointer data)
{
  Crop *crop = data;

  g_clear_pointer (&crop->scaled, bhxh_scan_frame_free);
}

static gboolean
prepare_crop (const BhxhScanFrame  *frame,
              const BhxhScanRegion *region,
              Crop                 *out)
{
  int margin = MAX (region->width, region->height) / 4 + 16;
  int side = MAX (region->width, region->height) + 2 * margin;
  int cx = region->x + region->width / 2;
  int cy = region->y + region->height / 2;
  g_autoptr(BhxhScanFrame) crop = NULL;

  crop = bhxh_scan_frame_crop (frame, cx - side / 2, cy - side / 2, side, side);
  if (crop == NULL)
    return FALSE;
  out->scale = CLAMP ((double) TARGET_CROP_SIDE / side, 1.0, 4.0);
  out->dx = MAX (0, cx - side / 2);
  out->dy = MAX (0, cy - side / 2);
  bhxh_scan_frame_stretch_contrast (crop);
  out->scaled = out->scale > 1.05 ? bhxh_scan_frame_scale (crop, out->scale)
                                  : g_steal_pointer (&crop);
  if (out->scale <= 1.05)
    out->scale = 1.0;
  return TRUE;
}

static BhxhScanFrame *
identity_filter (const BhxhScanFrame *frame)
{
  return NULL;
}

/* Every region plainly first, then every region through each filter:
 * a filter on the wrong region costs more than the plain pass on the
 * right one. Filters in the order they paid off in bench-scan. QUICK
 * tries the two best filters on the best region only. */
static gboolean
decode_regions (BhxhScanDecoder     *self,
                const BhxhScanFrame *frame,
                GPtrArray           *results)
{
  const Filter filters[] = {
    identity_filter, bhxh_scan_frame_smooth, threshold_filter, bhxh_scan_frame_sharpen,
  };
  const char * const names[] = {
    "region", "region-smooth", "region-threshold", "region-sharpen",
  };
  gboolean quick = self->effort == BHXH_SCAN_EFFORT_QUICK;
  g_autoptr(GArray) regions = _bhxh_scan_locate (frame, MAX_REGIONS);
  g_autoptr(GArray) crops = g_array_new (FALSE, TRUE, sizeof (Crop));
  guint n_filters = quick ? 3 : G_N_ELEMENTS (filters);

  g_array_set_clear_func (crops, crop_clear);
  for (guint i = 0; i < regions->len; i++)
    {
      Crop crop = { NULL, 1.0, 0, 0 };

      if (prepare_crop (frame, &g_array_index (regions, BhxhScanRegion, i), &crop))
        g_array_append_val (crops, crop);
    }

  for (guint f = 0; f < n_filters; f++)
    for (guint i = 0; i < (quick && f > 0 ? MIN (1, crops->len) : crops->len); i++)
      {
        Crop *crop = &g_array_index (crops, Crop, i);
        Collector collector = { results, crop->scale, crop->dx, crop->dy };
        g_autoptr(BhxhScanFrame) filtered = filters[f] (crop->scaled);

        self->last_pass = names[f];
        if (run_all (self, filtered ? filtered : crop->scaled, &collector) > 0)
          return TRUE;
      }
  return FALSE;
}

static gboolean
decode_rescaled (BhxhScanDecoder     *self,
                 const BhxhScanFrame *frame,
                 GPtrArray           *results)
{
  const double scales[] = { 0.5, 2.0 };

  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      g_autoptr(BhxhScanFrame) scaled = NULL;
      Collector collector = { results, scales[i], 0, 0 };

      /* Doubling a large frame costs more than it could find. */
      if (scales[i] > 1 && (gsize) frame->width * frame->height > 1500 * 1500)
        continue;
      scaled = bhxh_scan_frame_scale (frame, scales[i]);
      self->last_pass = scales[i] < 1 ? "half" : "double";
      if (run_all (self, scaled, &collector) > 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
decode_thorough (BhxhScanDecoder     *self,
                 const BhxhScanFrame *frame,
                 GPtrArray           *results)
{
  Collector collector = { results, 1.0, 0, 0 };

  self->last_pass = "frame-harder";
  if (uses_zxing (self) && run_zxing (self, frame, &collector, TRUE) > 0)
    return TRUE;
  self->last_pass = "frame-zbar";
  if (uses_zxing (self) && uses_zbar (self) && run_zbar (self, frame, &collector) > 0)
    return TRUE;
  return decode_rescaled (self, frame, results);
}

/* zxing-cpp reads a whole frame in a few ms, so it goes first; zbar takes
 * 5–10× longer on a whole frame than on the few crops the locator finds,
 * so zbar alone looks at the crops first. */
static gboolean
decode_fast (BhxhScanDecoder     *self,
             const BhxhScanFrame *frame,
             GPtrArray           *results)
{
  Collector collector = { results, 1.0, 0, 0 };

  if (uses_zxing (self))
    {
      self->last_pass = "frame";
      return run_zxing (self, frame, &collector, FALSE) > 0
             || decode_regions (self, frame, results);
    }
  if (decode_regions (self, frame, results))
    return TRUE;
  self->last_pass = "frame";
  return run_zbar (self, frame, &collector) > 0;
}

GPtrArray *
bhxh_scan_decoder_decode (BhxhScanDecoder      *self,
                          const BhxhScanFrame  *frame,
                          GError              **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (
    (GDestroyNotify) bhxh_scan_result_free);

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (frame != NULL && frame->data != NULL, NULL);

  if (decode_fast (self, frame, results)
      || (self->effort == BHXH_SCAN_EFFORT_THOROUGH && decode_thorough (self, frame, results)))
    return g_steal_pointer (&results);

  self->last_pass = "none";
  g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NOT_FOUND,
               _("No code found in the image"));
  return NULL;
}
