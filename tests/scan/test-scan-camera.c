/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The camera reader on real GStreamer pipelines: videotestsrc for the
 * throttle and the preview, multifilesrc over generated QR frames for
 * decoding, and a missing device for the "no camera" error. */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "scan/bhxh-scan-camera.h"
#include "scan/bhxh-scan-error.h"

static const char * const payloads[] = {
  "001090012345|123456789|Nguyễn Văn An|15031990|Nam|"
  "Số 12 ngõ 34 Thái Hà, Đống Đa, Hà Nội|20042021",
  "079305001234||Trần Thị Bích Ngọc|02112005|Nữ|"
  "Ấp Phước Lộc, Phước Kiển, Nhà Bè, Hồ Chí Minh|10082022",
};

typedef struct
{
  guint      frames;
  GPtrArray *decoded;   /* char * */
  gboolean   stopped;
  GError    *error;
  int        frame_width;
} Watch;

static void
frame_cb (BhxhScanCamera      *camera,
          const BhxhScanFrame *frame,
          Watch               *watch)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  watch->frames++;
  watch->frame_width = frame->width;
}

static void
decoded_cb (BhxhScanCamera       *camera,
            const BhxhScanResult *result,
            Watch                *watch)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_ptr_array_add (watch->decoded, g_strdup (result->text));
}

static void
stopped_cb (BhxhScanCamera *camera,
            Watch          *watch)
{
  watch->stopped = TRUE;
}

static void
error_cb (BhxhScanCamera *camera,
          const GError   *error,
          Watch          *watch)
{
  g_clear_error (&watch->error);
  watch->error = g_error_copy (error);
  watch->stopped = TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for the camera pipeline");
  return G_SOURCE_REMOVE;
}

static void
run_camera (BhxhScanCamera *camera,
            Watch          *watch)
{
  g_autoptr(GError) error = NULL;
  guint timeout;

  watch->decoded = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (camera, "frame", G_CALLBACK (frame_cb), watch);
  g_signal_connect (camera, "decoded", G_CALLBACK (decoded_cb), watch);
  g_signal_connect (camera, "stopped", G_CALLBACK (stopped_cb), watch);
  g_signal_connect (camera, "error", G_CALLBACK (error_cb), watch);

  g_assert_true (bhxh_scan_camera_start (camera, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_scan_camera_is_running (camera));
  timeout = g_timeout_add_seconds (20, timeout_cb, NULL);
  while (!watch->stopped)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_assert_false (bhxh_scan_camera_is_running (camera));
  g_assert_no_error (watch->error);
}

static void
test_videotestsrc (void)
{
  g_autoptr(BhxhScanCamera) camera = bhxh_scan_camera_new ();
  Watch watch = { 0 };
  gint64 start = g_get_monotonic_time ();
  double seconds;
  guint decodes;

  /* 30 live frames at 30/s: one second of video, no code in it. */
  bhxh_scan_camera_set_source (camera, "videotestsrc num-buffers=30 is-live=true "
                               "pattern=smpte ! video/x-raw,width=640,height=480,framerate=30/1");
  run_camera (camera, &watch);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  decodes = bhxh_scan_camera_get_decode_count (camera);

  g_assert_cmpuint (watch.frames, >=, 5);
  g_assert_cmpint (watch.frame_width, ==, 640);
  g_assert_cmpuint (watch.decoded->len, ==, 0);
  /* Decoded some frames, but no more than 10 a second. */
  g_assert_cmpuint (decodes, >=, 2);
  g_assert_cmpfloat (decodes, <=, 10 * seconds + 1);
  g_ptr_array_unref (watch.decoded);
  g_assert_finalize_object (g_steal_pointer (&camera));
}

static void
make_frame (const char *dir,
            int         index,
            const char *payload)
{
  g_autofree char *path = g_strdup_printf ("%s/f%03d.png", dir, index);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (payload != NULL)
    {
      g_autofree char *qr = g_strdup_printf ("%s/qr%03d.png", dir, index);

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "qrencode", "-o", qr,
                                  "-s", "4", payload, NULL);
      g_assert_no_error (error);
      g_subprocess_wait_check (process, NULL, &error);
      g_assert_no_error (error);
      g_clear_object (&process);
      process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "convert", qr,
                                  "-background", "gray70", "-gravity", "center",
                                  "-rotate", "12", "-extent", "640x480", "-type",
                                  "TrueColor", path, NULL);
    }
  else
    process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "convert", "-size",
                                "640x480", "xc:gray70", "-type", "TrueColor", path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_multifilesrc (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-scan-camera-XXXXXX", NULL);
  g_autoptr(BhxhScanCamera) camera = bhxh_scan_camera_new ();
  g_autofree char *source = NULL;
  Watch watch = { 0 };

  /* Blank, card A held for 4 frames, blank, card B for 4 frames, blank. */
  make_frame (dir, 0, NULL);
  for (int i = 1; i <= 4; i++)
    make_frame (dir, i, payloads[0]);
  make_frame (dir, 5, NULL);
  for (int i = 6; i <= 9; i++)
    make_frame (dir, i, payloads[1]);
  make_frame (dir, 10, NULL);

  /* identity sync=true plays the files in real time, as a camera would. */
  source = g_strdup_printf ("multifilesrc location=%s/f%%03d.png index=0 stop-index=10 "
                            "caps=image/png,framerate=8/1 ! pngdec ! identity sync=true",
                            dir);
  bhxh_scan_camera_set_source (camera, source);
  run_camera (camera, &watch);

  /* Each card once, though it stayed in view for several decodes. */
  g_assert_cmpuint (watch.decoded->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (watch.decoded, 0), ==, payloads[0]);
  g_assert_cmpstr (g_ptr_array_index (watch.decoded, 1), ==, payloads[1]);
  g_assert_cmpuint (bhxh_scan_camera_get_decode_count (camera), >=, 4);
  g_ptr_array_unref (watch.decoded);
  g_assert_finalize_object (g_steal_pointer (&camera));
  remove_dir (dir);
}

static void
test_no_camera (void)
{
  g_autoptr(BhxhScanCamera) camera = bhxh_scan_camera_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) devices = bhxh_scan_camera_list_devices ();

  bhxh_scan_camera_set_device (camera, "/dev/video-not-here");
  g_assert_false (bhxh_scan_camera_start (camera, &error));
  g_assert_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA);
  g_assert_false (bhxh_scan_camera_is_running (camera));
  g_clear_error (&error);

  /* The default device on a machine without any. */
  if (devices[0] == NULL)
    {
      bhxh_scan_camera_set_device (camera, NULL);
      g_assert_false (bhxh_scan_camera_start (camera, &error));
      g_assert_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA);
      g_clear_error (&error);
    }

  /* A pipeline that cannot start is the same error, with GStreamer's reason. */
  bhxh_scan_camera_set_source (camera, "no-such-element-here");
  g_assert_false (bhxh_scan_camera_start (camera, &error));
  g_assert_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!bhxh_scan_camera_is_supported ())
    {
      g_test_skip ("built without camera support");
      return g_test_run ();
    }
  g_test_add_func ("/scan/camera/videotestsrc", test_videotestsrc);
  g_test_add_func ("/scan/camera/multifilesrc", test_multifilesrc);
  g_test_add_func ("/scan/camera/no-camera", test_no_camera);

  return g_test_run ();
}
