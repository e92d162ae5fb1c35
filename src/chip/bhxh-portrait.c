/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <jpeglib.h>
#include <openjpeg.h>

#include "core/bhxh-module.h"
#include "bhxh-chip.h"
#include "bhxh-portrait.h"

/* A portrait's pixels from its JPEG or JPEG 2000 bytes. Both decoders are
 * strict: a truncated or damaged image is an error, never a half-grey
 * picture a clerk could take for a face. */

static const guint8 sig_jpeg[] = { 0xff, 0xd8, 0xff };
static const guint8 sig_jp2[] = { 0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20 };
static const guint8 sig_j2k[] = { 0xff, 0x4f, 0xff, 0x51 };

static gboolean
starts_with (GBytes       *bytes,
             const guint8 *sig,
             gsize         len)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return size >= len && memcmp (data, sig, len) == 0;
}

/**
 * bhxh_portrait_sniff:
 * @image: an image's bytes
 *
 * Returns: "image/jpeg", "image/jp2" (a JP2 file), "image/j2k" (a raw
 *   codestream), or %NULL for anything else
 */
const char *
bhxh_portrait_sniff (GBytes *image)
{
  g_return_val_if_fail (image != NULL, NULL);

  if (starts_with (image, sig_jpeg, sizeof sig_jpeg))
    return "image/jpeg";
  if (starts_with (image, sig_jp2, sizeof sig_jp2))
    return "image/jp2";
  if (starts_with (image, sig_j2k, sizeof sig_j2k))
    return "image/j2k";
  return NULL;
}

static BhxhPortrait *
damaged (GError    **error,
         const char *format)
{
  g_set_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT,
               _("The portrait (%s) is damaged or truncated"), format);
  return NULL;
}

static gboolean
size_ok (guint width,
         guint height)
{
  return width > 0 && height > 0 &&
         width <= BHXH_PORTRAIT_MAX_SIDE && height <= BHXH_PORTRAIT_MAX_SIDE;
}

/* ---- JPEG (libjpeg-turbo; GTK links it already) ---- */

typedef struct
{
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
} JpegError;

static void
jpeg_fail (j_common_ptr cinfo)
{
  longjmp (((JpegError *) cinfo->err)->jump, 1);
}

/* Warnings (a premature end, corrupt data) fail the decoding too. */
static void
jpeg_message (j_common_ptr cinfo,
              int          level)
{
  if (level < 0)
    longjmp (((JpegError *) cinfo->err)->jump, 1);
}

static BhxhPortrait *
decode_jpeg (GBytes  *image,
             GError **error)
{
  struct jpeg_decompress_struct cinfo;
  JpegError jerr;
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  guint8 *volatile pixels = NULL;
  BhxhPortrait *portrait;

  memset (&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error (&jerr.pub);
  jerr.pub.error_exit = jpeg_fail;
  jerr.pub.emit_message = jpeg_message;
  if (setjmp (jerr.jump))
    {
      jpeg_destroy_decompress (&cinfo);
      g_free (pixels);
      return damaged (error, "JPEG");
    }
  jpeg_create_decompress (&cinfo);
  jpeg_mem_src (&cinfo, data, size);
  jpeg_read_header (&cinfo, TRUE);
  if (!size_ok (cinfo.image_width, cinfo.image_height))
    longjmp (jerr.jump, 1);
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress (&cinfo);
  pixels = g_malloc ((gsize) cinfo.output_width * cinfo.output_height * 3);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW row = pixels + (gsize) cinfo.output_scanline * cinfo.output_width * 3;

      jpeg_read_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_decompress (&cinfo);
  portrait = g_new0 (BhxhPortrait, 1);
  portrait->width = cinfo.output_width;
  portrait->height = cinfo.output_height;
  portrait->rowstride = (gsize) portrait->width * 3;
  portrait->pixels = g_bytes_new_take (pixels, portrait->rowstride * portrait->height);
  jpeg_destroy_decompress (&cinfo);
  return portrait;
}

/* ---- JPEG 2000 (libopenjp2, opened when first needed) ---- */

typedef struct
{
  opj_codec_t  *(*create_decompress) (OPJ_CODEC_FORMAT);
  void          (*set_default_decoder_parameters) (opj_dparameters_t *);
  OPJ_BOOL      (*setup_decoder) (opj_codec_t *, opj_dparameters_t *);
  OPJ_BOOL      (*decoder_set_strict_mode) (opj_codec_t *, OPJ_BOOL);
  OPJ_BOOL      (*set_error_handler) (opj_codec_t *, opj_msg_callback, void *);
  OPJ_BOOL      (*set_warning_handler) (opj_codec_t *, opj_msg_callback, void *);
  OPJ_BOOL      (*set_info_handler) (opj_codec_t *, opj_msg_callback, void *);
  opj_stream_t *(*stream_create) (OPJ_SIZE_T, OPJ_BOOL);
  void          (*stream_set_read_function) (opj_stream_t *, opj_stream_read_fn);
  void          (*stream_set_skip_function) (opj_stream_t *, opj_stream_skip_fn);
  void          (*stream_set_seek_function) (opj_stream_t *, opj_stream_seek_fn);
  void          (*stream_set_user_data) (opj_stream_t *, void *, opj_stream_free_user_data_fn);
  void          (*stream_set_user_data_length) (opj_stream_t *, OPJ_UINT64);
  void          (*stream_destroy) (opj_stream_t *);
  OPJ_BOOL      (*read_header) (opj_stream_t *, opj_codec_t *, opj_image_t **);
  OPJ_BOOL      (*decode) (opj_codec_t *, opj_stream_t *, opj_image_t *);
  OPJ_BOOL      (*end_decompress) (opj_codec_t *, opj_stream_t *);
  void          (*destroy_codec) (opj_codec_t *);
  void          (*image_destroy) (opj_image_t *);
} Openjp2;

#define LOOKUP(name) { "opj_" #name, G_STRUCT_OFFSET (Openjp2, name) }

static const BhxhModuleSymbol opj_symbols[] = {
  LOOKUP (create_decompress), LOOKUP (set_default_decoder_parameters),
  LOOKUP (setup_decoder), LOOKUP (decoder_set_strict_mode), LOOKUP (set_error_handler),
  LOOKUP (set_warning_handler), LOOKUP (set_info_handler), LOOKUP (stream_create),
  LOOKUP (stream_set_read_function), LOOKUP (stream_set_skip_function),
  LOOKUP (stream_set_seek_function), LOOKUP (stream_set_user_data),
  LOOKUP (stream_set_user_data_length), LOOKUP (stream_destroy), LOOKUP (read_header),
  LOOKUP (decode), LOOKUP (end_decompress), LOOKUP (destroy_codec), LOOKUP (image_destroy),
};

static Openjp2 opj;
static char *opj_load_error;

static gpointer
opj_load (gpointer data)
{
  return bhxh_module_load (OPENJP2_SONAME, opj_symbols, G_N_ELEMENTS (opj_symbols), &opj,
                           &opj_load_error) ? &opj : NULL;
}

static const Openjp2 *
openjp2 (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  const Openjp2 *loaded = g_once (&once, opj_load, NULL);

  if (loaded == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("Cannot load the JPEG 2000 decoder: %s"), opj_load_error);
  return loaded;
}

/* The bytes as an openjpeg stream. */
typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         pos;
} MemStream;

static OPJ_SIZE_T
mem_read (void      *buffer,
          OPJ_SIZE_T n,
          void      *user_data)
{
  MemStream *m = user_data;
  gsize left = m->size - m->pos;

  if (left == 0)
    return (OPJ_SIZE_T) -1;
  n = MIN (n, left);
  memcpy (buffer, m->data + m->pos, n);
  m->pos += n;
  return n;
}

static OPJ_OFF_T
mem_skip (OPJ_OFF_T n,
          void     *user_data)
{
  MemStream *m = user_data;

  if (n < 0 ? (gsize) -n > m->pos : (gsize) n > m->size - m->pos)
    return -1;
  m->pos += n;
  return n;
}

static OPJ_BOOL
mem_seek (OPJ_OFF_T n,
          void     *user_data)
{
  MemStream *m = user_data;

  if (n < 0 || (guint64) n > m->size)
    return OPJ_FALSE;
  m->pos = n;
  return OPJ_TRUE;
}

/* openjpeg prints to stderr by default; its reasons end in one error. */
static void
opj_quiet (const char *message,
           void       *user_data)
{
}

static guint8
sample (const opj_image_comp_t *comp,
        guint                   x,
        guint                   y)
{
  guint cx = MIN (x / MAX (comp->dx, 1u), comp->w - 1);
  guint cy = MIN (y / MAX (comp->dy, 1u), comp->h - 1);
  int v = comp->data[(gsize) cy * comp->w + cx];

  if (comp->sgnd)
    v += 1 << (comp->prec - 1);
  if (comp->prec > 8)
    v >>= comp->prec - 8;
  else if (comp->prec < 8)
    v <<= 8 - comp->prec;
  return CLAMP (v, 0, 255);
}

static guint8
clamp_byte (double v)
{
  return v < 0 ? 0 : v > 255 ? 255 : (guint8) (v + 0.5);
}

/* Grey, RGB(A) or sYCC components of one size family, to RGB. */
static gboolean
image_to_rgb (const opj_image_t *image,
              BhxhPortrait      *portrait)
{
  guint w = image->x1 - image->x0, h = image->y1 - image->y0;
  guint8 *pixels;

  if (image->numcomps == 0 || !size_ok (w, h))
    return FALSE;
  for (guint c = 0; c < MIN (image->numcomps, 3u); c++)
    if (image->comps[c].data == NULL || image->comps[c].w == 0 || image->comps[c].h == 0 ||
        image->comps[c].prec == 0 || image->comps[c].prec > 16)
      return FALSE;
  pixels = g_malloc ((gsize) w * h * 3);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint8 *p = pixels + ((gsize) y * w + x) * 3;

        if (image->numcomps < 3)
          p[0] = p[1] = p[2] = sample (&image->comps[0], x, y);
        else if (image->color_space == OPJ_CLRSPC_SYCC)
          {
            double yy = sample (&image->comps[0], x, y);
            double cb = sample (&image->comps[1], x, y) - 128.0;
            double cr = sample (&image->comps[2], x, y) - 128.0;

            p[0] = clamp_byte (yy + 1.402 * cr);
            p[1] = clamp_byte (yy - 0.344136 * cb - 0.714136 * cr);
            p[2] = clamp_byte (yy + 1.772 * cb);
          }
        else
          for (guint c = 0; c < 3; c++)
            p[c] = sample (&image->comps[c], x, y);
      }
  portrait->width = w;
  portrait->height = h;
  portrait->rowstride = (gsize) w * 3;
  portrait->pixels = g_bytes_new_take (pixels, portrait->rowstride * h);
  return TRUE;
}

static BhxhPortrait *
decode_jpeg2000 (GBytes            *bytes,
                 OPJ_CODEC_FORMAT   format,
                 GError           **error)
{
  const Openjp2 *lib = openjp2 (error);
  MemStream mem = { 0 };
  opj_dparameters_t params;
  opj_codec_t *codec;
  opj_stream_t *stream;
  opj_image_t *image = NULL;
  g_autoptr(BhxhPortrait) portrait = g_new0 (BhxhPortrait, 1);
  gboolean ok;

  if (lib == NULL)
    return NULL;
  mem.data = g_bytes_get_data (bytes, &mem.size);
  codec = lib->create_decompress (format);
  lib->set_default_decoder_parameters (&params);
  lib->set_error_handler (codec, opj_quiet, NULL);
  lib->set_warning_handler (codec, opj_quiet, NULL);
  lib->set_info_handler (codec, opj_quiet, NULL);
  stream = lib->stream_create (MAX (mem.size, 1), OPJ_TRUE);
  lib->stream_set_user_data (stream, &mem, NULL);
  lib->stream_set_user_data_length (stream, mem.size);
  lib->stream_set_read_function (stream, mem_read);
  lib->stream_set_skip_function (stream, mem_skip);
  lib->stream_set_seek_function (stream, mem_seek);

  ok = lib->setup_decoder (codec, &params) &&
       lib->decoder_set_strict_mode (codec, OPJ_TRUE) &&
       lib->read_header (stream, codec, &image) &&
       /* Before decoding: a forged header must not make it allocate much. */
       image->numcomps >= 1 && image->numcomps <= 4 &&
       size_ok (image->x1 - image->x0, image->y1 - image->y0) &&
       lib->decode (codec, stream, image) &&
       lib->end_decompress (codec, stream) &&
       image_to_rgb (image, portrait);

  if (image != NULL)
    lib->image_destroy (image);
  lib->stream_destroy (stream);
  lib->destroy_codec (codec);
  if (!ok)
    return damaged (error, "JPEG 2000");
  return g_steal_pointer (&portrait);
}

/**
 * bhxh_portrait_decode:
 * @image: a JPEG, a JP2 file or a J2K codestream (DG2's image)
 *
 * Blocking: call it from a thread (bhxh_portrait_decode_async()).
 *
 * Returns: (transfer full): the pixels, or %NULL with a
 *   %BHXH_CHIP_ERROR_FORMAT (not an image of these kinds, truncated,
 *   damaged, too large) or %G_IO_ERROR_NOT_SUPPORTED (no libopenjp2)
 */
BhxhPortrait *
bhxh_portrait_decode (GBytes  *image,
                      GError **error)
{
  const char *type;

  g_return_val_if_fail (image != NULL, NULL);

  type = bhxh_portrait_sniff (image);
  if (g_strcmp0 (type, "image/jpeg") == 0)
    return decode_jpeg (image, error);
  if (g_strcmp0 (type, "image/jp2") == 0)
    return decode_jpeg2000 (image, OPJ_CODEC_JP2, error);
  if (g_strcmp0 (type, "image/j2k") == 0)
    return decode_jpeg2000 (image, OPJ_CODEC_J2K, error);
  g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT,
                       _("The portrait is neither a JPEG nor a JPEG 2000 image"));
  return NULL;
}

static void
decode_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  BhxhPortrait *portrait = bhxh_portrait_decode (task_data, &error);

  if (portrait == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, portrait, (GDestroyNotify) bhxh_portrait_free);
}

/**
 * bhxh_portrait_decode_async:
 *
 * bhxh_portrait_decode() in a thread, for the GUI.
 */
void
bhxh_portrait_decode_async (GBytes              *image,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (image != NULL);

  g_task_set_source_tag (task, bhxh_portrait_decode_async);
  g_task_set_task_data (task, g_bytes_ref (image), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, decode_thread);
}

BhxhPortrait *
bhxh_portrait_decode_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        bhxh_portrait_decode_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bhxh_portrait_free (BhxhPortrait *portrait)
{
  if (portrait == NULL)
    return;
  g_clear_pointer (&portrait->pixels, g_bytes_unref);
  g_free (portrait);
}
