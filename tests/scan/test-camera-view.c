/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The camera view in a real window: live frames from a real GStreamer
 * pipeline become the preview; a missing camera becomes a status page. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "gui/bhxh-camera-view.h"

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for the camera view");
  return G_SOURCE_REMOVE;
}

static GtkStack *
view_stack (GtkWidget *view)
{
  return GTK_STACK (gtk_widget_get_first_child (view));
}

static void
test_preview (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = bhxh_camera_view_new ();
  g_autoptr(BhxhScanCamera) camera = bhxh_scan_camera_new ();
  GtkWidget *picture;
  GdkPaintable *paintable = NULL;
  guint timeout = g_timeout_add_seconds (20, timeout_cb, NULL);

  bhxh_scan_camera_set_source (camera, "videotestsrc num-buffers=20 is-live=true ! "
                               "video/x-raw,width=320,height=240,framerate=20/1");
  bhxh_camera_view_set_camera (BHXH_CAMERA_VIEW (view), camera);
  g_assert_true (bhxh_camera_view_get_camera (BHXH_CAMERA_VIEW (view)) == camera);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (bhxh_camera_view_start (BHXH_CAMERA_VIEW (view)));
  g_assert_true (bhxh_camera_view_get_running (BHXH_CAMERA_VIEW (view)));
  picture = gtk_stack_get_child_by_name (view_stack (view), "preview");
  while (paintable == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
    }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_stack (view)), ==, "preview");
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 320);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 240);

  /* The 20 buffers end: the view says it is no longer running. */
  while (bhxh_camera_view_get_running (BHXH_CAMERA_VIEW (view)))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_camera (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = bhxh_camera_view_new ();
  g_autoptr(BhxhScanCamera) camera = bhxh_scan_camera_new ();
  GtkWidget *status;

  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));

  /* None chosen at all. */
  g_assert_false (bhxh_camera_view_start (BHXH_CAMERA_VIEW (view)));

  bhxh_scan_camera_set_device (camera, "/dev/video-not-here");
  g_object_set (view, "camera", camera, NULL);
  g_assert_false (bhxh_camera_view_start (BHXH_CAMERA_VIEW (view)));
  g_assert_false (bhxh_camera_view_get_running (BHXH_CAMERA_VIEW (view)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_stack (view)), ==, "status");
  status = gtk_stack_get_child_by_name (view_stack (view), "status");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No camera found");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)),
                            "/dev/video-not-here"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/scan/camera-view/preview", test_preview);
  g_test_add_func ("/scan/camera-view/no-camera", test_no_camera);

  return g_test_run ();
}
