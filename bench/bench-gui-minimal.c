/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The references of bench-gui-startup.sh: the smallest application window,
 * printing the monotonic time of its first painted frame.
 *   bench-gui-minimal        a GtkApplication and a GtkApplicationWindow
 *   bench-gui-minimal adw    an AdwApplication and an AdwApplicationWindow
 *                            with a header bar: what bhxh-desk is built
 *                            on (libadwaita and its style sheet loaded) */
#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock  *clock,
                GtkApplication *app)
{
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, app);
  g_application_quit (G_APPLICATION (app));
}

static void
map_cb (GtkWidget      *window,
        GtkApplication *app)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), app);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window;

  if (ADW_IS_APPLICATION (app))
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *label = gtk_label_new ("Hello");

      window = adw_application_window_new (app);
      gtk_widget_set_vexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      gtk_box_append (GTK_BOX (box), label);
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
    }
  else
    {
      window = gtk_application_window_new (app);
      gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello"));
    }
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;

  if (argc > 1 && g_str_equal (argv[1], "adw"))
    app = GTK_APPLICATION (adw_application_new ("vn.bhxh.Desk.BenchMinimal",
                                                G_APPLICATION_NON_UNIQUE));
  else
    app = gtk_application_new ("vn.bhxh.Desk.BenchMinimal", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
