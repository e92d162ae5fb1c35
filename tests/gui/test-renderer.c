/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "gui/bhxh-renderer.h"

/* The renderer the application chooses: OpenGL noted after a real window's
 * first frame, cairo from the next start when that OpenGL is software. */

static char *cache_home;

static char *
ini_path (void)
{
  return g_build_filename (cache_home, "bhxh-desk", "renderer.ini", NULL);
}

static void
test_software_names (void)
{
  g_assert_true (bhxh_renderer_is_software ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_true (bhxh_renderer_is_software ("softpipe"));
  g_assert_true (bhxh_renderer_is_software ("Software Rasterizer"));
  g_assert_true (bhxh_renderer_is_software ("D3D12 (Microsoft Basic Render Driver)"));
  g_assert_false (bhxh_renderer_is_software ("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
  g_assert_false (bhxh_renderer_is_software ("AMD Radeon Vega 8 Graphics (raven, LLVM 15.0.6)"));
  g_assert_false (bhxh_renderer_is_software ("SVGA3D; build: RELEASE;  LLVM;"));
  g_assert_false (bhxh_renderer_is_software (NULL));
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static void
test_note_and_choose (void)
{
  g_autofree char *path = ini_path ();
  g_autoptr(GKeyFile) ini = g_key_file_new ();
  g_autofree char *gl = NULL;
  g_autofree char *display = NULL;
  g_autofree char *about = NULL;
  GtkWidget *window;
  gboolean painted = FALSE;
  gboolean software;

  g_unsetenv ("GSK_RENDERER");
  /* Nothing seen yet: GTK's own choice, and nothing written. */
  g_assert_null (bhxh_renderer_choose ());
  g_assert_null (g_getenv ("GSK_RENDERER"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 200, 100);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  bhxh_renderer_note (window);
  /* Where GTK could not draw with OpenGL (no Mesa drivers), nothing is
   * noted: what a software OpenGL would have left is written here. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

      g_test_message ("drawn with %s: no OpenGL to note", G_OBJECT_TYPE_NAME (renderer));
      g_assert_null (strstr (G_OBJECT_TYPE_NAME (renderer), "GL"));
      bhxh_renderer_remember ("llvmpipe (LLVM 15.0.6, 256 bits)");
    }
  gtk_window_destroy (GTK_WINDOW (window));

  /* Under Xvfb GTK draws with OpenGL, and that OpenGL is software. */
  g_assert_true (g_key_file_load_from_file (ini, path, G_KEY_FILE_NONE, NULL));
  gl = g_key_file_get_string (ini, "display", "gl-renderer", NULL);
  g_assert_nonnull (gl);
  software = g_key_file_get_boolean (ini, "display", "software", NULL);
  g_assert_cmpint (software, ==, bhxh_renderer_is_software (gl));
  about = bhxh_renderer_describe ();
  g_assert_nonnull (strstr (about, gl));

  /* The next start on this display. */
  g_assert_cmpstr (bhxh_renderer_choose (), ==, software ? "cairo" : NULL);
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, software ? "cairo" : NULL);
  g_unsetenv ("GSK_RENDERER");

  /* Another display (a remote session): decided again there. */
  display = g_key_file_get_string (ini, "display", "display", NULL);
  g_key_file_set_string (ini, "display", "display", "wayland|wayland-9|:99|render-node");
  g_key_file_set_string (ini, "display", "gl-renderer", "llvmpipe (LLVM 15.0.6, 256 bits)");
  g_assert_true (g_key_file_save_to_file (ini, path, NULL));
  g_assert_null (bhxh_renderer_choose ());
  g_assert_null (g_getenv ("GSK_RENDERER"));

  /* This display, software: cairo — unless the user said otherwise. */
  g_key_file_set_string (ini, "display", "display", display);
  g_assert_true (g_key_file_save_to_file (ini, path, NULL));
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_assert_null (bhxh_renderer_choose ());
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
  g_unsetenv ("GSK_RENDERER");
  g_assert_cmpstr (bhxh_renderer_choose (), ==, "cairo");
  g_unsetenv ("GSK_RENDERER");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before anything asks GLib for the cache folder (it keeps the first). */
  cache_home = g_dir_make_tmp ("bhxh-renderer-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/renderer/software-names", test_software_names);
  g_test_add_func ("/renderer/note-and-choose", test_note_and_choose);
  status = g_test_run ();
  {
    g_autofree char *path = ini_path ();
    g_autofree char *dir = g_path_get_dirname (path);

    g_remove (path);
    g_rmdir (dir);
    g_rmdir (cache_home);
  }
  g_free (cache_home);
  return status;
}
