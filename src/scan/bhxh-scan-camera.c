/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#ifdef BHXH_SCAN_HAVE_CAMERA
# include <gst/gst.h>
# include <gst/app/gstappsink.h>
# include <gst/video/video.h>
#endif

#include "bhxh-scan-camera.h"
#include "bhxh-scan-error.h"

/* Webcam → GRAY8 frames through GStreamer. The appsink keeps only the
 * newest frame (max-buffers=1, drop=true); its callback runs on the
 * streaming thread and hands at most max-decode-rate frames a second to
 * ONE worker thread, dropping frames while the worker is busy, so neither
 * the UI nor the camera ever waits for zbar. Signals are emitted on the
 * thread-default main context of the caller of start():
 *   ::frame   (BhxhScanFrame *) — preview, at most ~15 a second
 *   ::decoded (BhxhScanResult *) — a code; the same code again only after
 *              repeat-interval ms, so one card shown is one event
 *   ::error   (GError *) — the camera failed while running; it is stopped
 *   ::stopped () — the source ended (a file source at its end) */

#define PREVIEW_INTERVAL_US (G_USEC_PER_SEC / 15)

struct _BhxhScanCamera
{
  GObject           parent_instance;
  char             *device;
  char             *source;
  double            max_decode_rate;
  guint             repeat_interval_ms;
  GMainContext     *context;
#ifdef BHXH_SCAN_HAVE_CAMERA
  GstElement       *pipeline;
  GSource          *bus_watch;
#endif
  GThreadPool      *worker;
  BhxhScanDecoder  *decoder;       /* used by the worker thread only */
  gint              busy;          /* atomic: a frame is being decoded */
  gint64            last_decode_us;
  gint64            last_preview_us;
  GBytes           *last_payload;  /* main context only */
  gint64            last_payload_us;
  guint             decode_count;  /* atomic */
  guint             generation;    /* bumps on stop: late results are dropped */
};

G_DEFINE_FINAL_TYPE (BhxhScanCamera, bhxh_scan_camera, G_TYPE_OBJECT)

enum { FRAME, DECODED, ERROR, STOPPED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
bhxh_scan_camera_dispose (GObject *object)
{
  bhxh_scan_camera_stop (BHXH_SCAN_CAMERA (object));
  G_OBJECT_CLASS (bhxh_scan_camera_parent_class)->dispose (object);
}

static void
bhxh_scan_camera_finalize (GObject *object)
{
  BhxhScanCamera *self = BHXH_SCAN_CAMERA (object);

  g_free (self->device);
  g_free (self->source);
  g_clear_pointer (&self->last_payload, g_bytes_unref);
  g_clear_pointer (&self->decoder, bhxh_scan_decoder_free);
  G_OBJECT_CLASS (bhxh_scan_camera_parent_class)->finalize (object);
}

static void
bhxh_scan_camera_class_init (BhxhScanCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = bhxh_scan_camera_dispose;
  object_class->finalize = bhxh_scan_camera_finalize;

  signals[FRAME] = g_signal_new ("frame", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, BHXH_TYPE_SCAN_FRAME);
  signals[DECODED] = g_signal_new ("decoded", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, BHXH_TYPE_SCAN_RESULT);
  signals[ERROR] = g_signal_new ("error", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[STOPPED] = g_signal_new ("stopped", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
bhxh_scan_camera_init (BhxhScanCamera *self)
{
  self->max_decode_rate = 10.0;
  self->repeat_interval_ms = 2000;
}

BhxhScanCamera *
bhxh_scan_camera_new (void)
{
  return g_object_new (BHXH_TYPE_SCAN_CAMERA, NULL);
}

gboolean
bhxh_scan_camera_is_supported (void)
{
#ifdef BHXH_SCAN_HAVE_CAMERA
  return TRUE;
#else
  return FALSE;
#endif
}

/* The V4L2 capture devices present now, e.g. "/dev/video0". */
GStrv
bhxh_scan_camera_list_devices (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GDir) dir = g_dir_open ("/dev", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "video"))
      {
        g_autofree char *path = g_build_filename ("/dev", name, NULL);

        g_strv_builder_add (builder, path);
      }
  return g_strv_builder_end (builder);
}

const char *
bhxh_scan_camera_get_device (BhxhScanCamera *self)
{
  g_return_val_if_fail (BHXH_IS_SCAN_CAMERA (self), NULL);

  return self->device;
}

/* NULL: the first V4L2 device; "/dev/videoN": that one; "pipewire": the
 * PipeWire camera portal; "auto": GStreamer's autovideosrc. */
void
bhxh_scan_camera_set_device (BhxhScanCamera *self,
                             const char     *device)
{
  g_return_if_fail (BHXH_IS_SCAN_CAMERA (self));

  g_free (self->device);
  self->device = g_strdup (device);
}

/* A gst-launch source description that replaces the device, such as
 * "multifilesrc location=f%03d.png caps=image/png,framerate=10/1 ! pngdec". */
void
bhxh_scan_camera_set_source (BhxhScanCamera *self,
                             const char     *description)
{
  g_return_if_fail (BHXH_IS_SCAN_CAMERA (self));

  g_free (self->source);
  self->source = g_strdup (description);
}

void
bhxh_scan_camera_set_max_decode_rate (BhxhScanCamera *self,
                                      double          per_second)
{
  g_return_if_fail (BHXH_IS_SCAN_CAMERA (self));
  g_return_if_fail (per_second > 0);

  self->max_decode_rate = per_second;
}

void
bhxh_scan_camera_set_repeat_interval (BhxhScanCamera *self,
                                      guint           msec)
{
  g_return_if_fail (BHXH_IS_SCAN_CAMERA (self));

  self->repeat_interval_ms = msec;
}

/* How many frames the worker has decoded since start: for the tests. */
guint
bhxh_scan_camera_get_decode_count (BhxhScanCamera *self)
{
  g_return_val_if_fail (BHXH_IS_SCAN_CAMERA (self), 0);

  return (guint) g_atomic_int_get (&self->decode_count);
}

gboolean
bhxh_scan_camera_is_running (BhxhScanCamera *self)
{
  g_return_val_if_fail (BHXH_IS_SCAN_CAMERA (self), FALSE);

#ifdef BHXH_SCAN_HAVE_CAMERA
  return self->pipeline != NULL;
#else
  return FALSE;
#endif
}

#ifdef BHXH_SCAN_HAVE_CAMERA

/* What the worker or the streaming thread hands to the main context. */
typedef struct
{
  BhxhScanCamera *camera;
  guint           generation;
  guint           signal;
  gpointer        payload;       /* a frame or a result */
  GDestroyNotify  payload_free;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_object_unref (delivery->camera);
  if (delivery->payload_free)
    delivery->payload_free (delivery->payload);
  g_free (delivery);
}

static gboolean
is_repeat (BhxhScanCamera *self,
           BhxhScanResult *result)
{
  gint64 now = g_get_monotonic_time ();
  gboolean repeat = self->last_payload != NULL
                    && g_bytes_equal (self->last_payload, result->bytes)
                    && now - self->last_payload_us < (gint64) self->repeat_interval_ms * 1000;

  if (!repeat || self->last_payload == NULL || !g_bytes_equal (self->last_payload, result->bytes))
    {
      g_clear_pointer (&self->last_payload, g_bytes_unref);
      self->last_payload = g_bytes_ref (result->bytes);
    }
  /* A code held in view stays one event: its time refreshes while seen. */
  self->last_payload_us = now;
  return repeat;
}

static gboolean
deliver_cb (gpointer data)
{
  Delivery *delivery = data;
  BhxhScanCamera *self = delivery->camera;

  if (delivery->generation != self->generation)
    return G_SOURCE_REMOVE;
  if (delivery->signal == DECODED && is_repeat (self, delivery->payload))
    return G_SOURCE_REMOVE;
  g_signal_emit (self, signals[delivery->signal], 0, delivery->payload);
  return G_SOURCE_REMOVE;
}

/* Always through an idle source, even from the main thread, so that
 * deliveries keep their order: the last codes before ::stopped. */
static void
deliver_on (GMainContext   *context,
            BhxhScanCamera *self,
            guint           generation,
            guint           signal,
            gpointer        payload,
            GDestroyNotify  payload_free)
{
  Delivery *delivery = g_new0 (Delivery, 1);
  GSource *source = g_idle_source_new ();

  delivery->camera = g_object_ref (self);
  delivery->generation = generation;
  delivery->signal = signal;
  delivery->payload = payload;
  delivery->payload_free = payload_free;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, delivery, delivery_free);
  g_source_set_static_name (source, "[bhxh-scan-camera] deliver");
  g_source_attach (source, context);
  g_source_unref (source);
}

static void
deliver (BhxhScanCamera *self,
         guint           generation,
         guint           signal,
         gpointer        payload,
         GDestroyNotify  payload_free)
{
  deliver_on (self->context, self, generation, signal, payload, payload_free);
}

static void stop_pipeline (BhxhScanCamera *self);

typedef struct
{
  BhxhScanFrame *frame;
  guint          generation;
} Job;

static void
worker_cb (gpointer data,
           gpointer user_data)
{
  Job *job = data;
  BhxhScanCamera *self = user_data;
  g_autoptr(GPtrArray) results = NULL;

  results = bhxh_scan_decoder_decode (self->decoder, job->frame, NULL);
  g_atomic_int_inc (&self->decode_count);
  for (guint i = 0; results != NULL && i < results->len; i++)
    deliver (self, job->generation, DECODED,
             bhxh_scan_result_copy (g_ptr_array_index (results, i)),
             (GDestroyNotify) bhxh_scan_result_free);
  bhxh_scan_frame_free (job->frame);
  g_free (job);
  g_atomic_int_set (&self->busy, 0);
}

static BhxhScanFrame *
frame_from_sample (GstSample *sample)
{
  GstVideoInfo info;
  GstMapInfo map;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  BhxhScanFrame *frame;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return NULL;
  frame = bhxh_scan_frame_new_from_grey (map.data, GST_VIDEO_INFO_WIDTH (&info),
                                         GST_VIDEO_INFO_HEIGHT (&info),
                                         GST_VIDEO_INFO_PLANE_STRIDE (&info, 0));
  gst_buffer_unmap (buffer, &map);
  return frame;
}

/* Streaming thread: never blocks, drops what it cannot use now. */
static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    user_data)
{
  BhxhScanCamera *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  gint64 now = g_get_monotonic_time ();
  gboolean want_preview = now - self->last_preview_us >= PREVIEW_INTERVAL_US;
  gboolean want_decode = now - self->last_decode_us >= G_USEC_PER_SEC / self->max_decode_rate
                         && g_atomic_int_get (&self->busy) == 0;
  BhxhScanFrame *frame;
  guint generation = self->generation;

  if (sample == NULL || (!want_preview && !want_decode))
    return GST_FLOW_OK;
  frame = frame_from_sample (sample);
  if (frame == NULL)
    return GST_FLOW_OK;

  if (want_decode)
    {
      Job *job = g_new0 (Job, 1);

      job->frame = want_preview ? bhxh_scan_frame_copy (frame) : frame;
      job->generation = generation;
      self->last_decode_us = now;
      g_atomic_int_set (&self->busy, 1);
      g_thread_pool_push (self->worker, job, NULL);
    }
  if (want_preview)
    {
      self->last_preview_us = now;
      deliver (self, generation, FRAME, frame, (GDestroyNotify) bhxh_scan_frame_free);
    }
  return GST_FLOW_OK;
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  BhxhScanCamera *self = user_data;
  g_autoptr(GError) gst_error = NULL;
  g_autoptr(GError) error = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &gst_error, NULL);
      error = g_error_new (BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_CAMERA,
                           _("The camera stopped: %s"), gst_error->message);
      g_object_ref (self);
      bhxh_scan_camera_stop (self);
      g_signal_emit (self, signals[ERROR], 0, error);
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_EOS:
      {
        g_autoptr(GMainContext) context = g_main_context_ref (self->context);

        /* Codes from the last frames are still queued: ::stopped after them. */
        g_object_ref (self);
        stop_pipeline (self);
        deliver_on (context, self, self->generation, STOPPED, NULL, NULL);
        g_object_unref (self);
        return G_SOURCE_REMOVE;
      }
    default:
      return G_SOURCE_CONTINUE;
    }
}

static char *
source_description (BhxhScanCamera  *self,
                    GError         **error)
{
  g_auto(GStrv) devices = NULL;

  if (self->source != NULL)
    return g_strdup (self->source);
  if (g_strcmp0 (self->device, "pipewire") == 0)
    return g_strdup ("pipewiresrc");
  if (g_strcmp0 (self->device, "auto") == 0)
    return g_strdup ("autovideosrc");
  if (self->device != NULL)
    {
      g_autofree char *quoted = g_shell_quote (self->device);

      if (!g_file_test (self->device, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA,
                       _("The camera %s is not connected"), self->device);
          return NULL;
        }
      return g_strdup_printf ("v4l2src device=%s", quoted);
    }

  /* Not autovideosrc: with no camera it falls back to a test pattern, and
   * the clerk must be told there is no camera instead. */
  devices = bhxh_scan_camera_list_devices ();
  if (devices[0] == NULL)
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA,
                   _("No camera found: connect a webcam, or use a handheld scanner"));
      return NULL;
    }
  return g_strdup_printf ("v4l2src device=%s", devices[0]);
}

static GstElement *
build_pipeline (BhxhScanCamera  *self,
                GError         **error)
{
  g_autofree char *source = source_description (self, error);
  g_autofree char *description = NULL;
  g_autoptr(GError) parse_error = NULL;
  GstElement *pipeline;

  if (source == NULL)
    return NULL;
  description = g_strdup_printf ("%s ! videoconvert ! video/x-raw,format=GRAY8 ! "
                                 "appsink name=sink max-buffers=1 drop=true sync=false", source);
  pipeline = gst_parse_launch (description, &parse_error);
  if (pipeline == NULL || parse_error != NULL)
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA,
                   _("The camera cannot be used: %s"),
                   parse_error ? parse_error->message : description);
      if (pipeline)
        gst_object_unref (pipeline);
      return NULL;
    }
  return pipeline;
}

/* Waits for the device to open: a missing or busy camera fails here,
 * with the reason GStreamer gives. */
static gboolean
wait_until_playing (GstElement  *pipeline,
                    GError     **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  GstStateChangeReturn ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) gst_error = NULL;

  if (ret != GST_STATE_CHANGE_FAILURE)
    ret = gst_element_get_state (pipeline, NULL, NULL, 5 * GST_SECOND);
  if (ret != GST_STATE_CHANGE_FAILURE)
    return TRUE;

  message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (message != NULL)
    gst_message_parse_error (message, &gst_error, NULL);
  g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA,
               _("The camera cannot be opened: %s"),
               gst_error ? gst_error->message : _("unknown error"));
  return FALSE;
}

gboolean
bhxh_scan_camera_start (BhxhScanCamera  *self,
                        GError         **error)
{
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };
  GstElement *pipeline;

  g_return_val_if_fail (BHXH_IS_SCAN_CAMERA (self), FALSE);

  bhxh_scan_camera_stop (self);
  if (!gst_init_check (NULL, NULL, error))
    return FALSE;
  if ((pipeline = build_pipeline (self, error)) == NULL)
    return FALSE;

  if (self->decoder == NULL)
    {
      self->decoder = bhxh_scan_decoder_new (BHXH_SCAN_ENGINE_AUTO, NULL);
      bhxh_scan_decoder_set_effort (self->decoder, BHXH_SCAN_EFFORT_QUICK);
    }
  self->worker = g_thread_pool_new (worker_cb, self, 1, FALSE, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->pipeline = pipeline;
  self->last_decode_us = self->last_preview_us = 0;
  g_atomic_int_set (&self->decode_count, 0);
  g_atomic_int_set (&self->busy, 0);

  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  if (!wait_until_playing (pipeline, error))
    {
      bhxh_scan_camera_stop (self);
      return FALSE;
    }
  bus = gst_element_get_bus (pipeline);
  self->bus_watch = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_watch, G_SOURCE_FUNC (bus_cb), self, NULL);
  g_source_attach (self->bus_watch, self->context);
  return TRUE;
}

static void
stop_pipeline (BhxhScanCamera *self)
{
  if (self->pipeline == NULL)
    return;
  /* NULL state joins the streaming thread; then the worker is drained. */
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->bus_watch)
    {
      g_source_destroy (self->bus_watch);
      g_clear_pointer (&self->bus_watch, g_source_unref);
    }
  g_clear_pointer (&self->pipeline, gst_object_unref);
  g_thread_pool_free (g_steal_pointer (&self->worker), FALSE, TRUE);
  g_clear_pointer (&self->context, g_main_context_unref);
}

/* Stops at once: codes still queued for the main context are dropped. */
void
bhxh_scan_camera_stop (BhxhScanCamera *self)
{
  g_return_if_fail (BHXH_IS_SCAN_CAMERA (self));

  if (self->pipeline == NULL)
    return;
  stop_pipeline (self);
  self->generation++;
}

#else /* !BHXH_SCAN_HAVE_CAMERA */

gboolean
bhxh_scan_camera_start (BhxhScanCamera  *self,
                        GError         **error)
{
  g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_UNSUPPORTED,
               _("This build has no camera support: use a handheld scanner"));
  return FALSE;
}

void
bhxh_scan_camera_stop (BhxhScanCamera *self)
{
}

#endif
