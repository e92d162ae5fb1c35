/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <epoxy/gl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bhxh-renderer.h"

#define GROUP "display"

/* What bhxh_renderer_choose() decided, for bhxh_renderer_describe();
 * noting happens only in a process that chose (the application, not the
 * widget tests). */
static gboolean choosing;
static char *chosen;
static char *chosen_because;
/* The OpenGL renderer this display is known to have: read once by
 * bhxh_renderer_choose(), kept up to date by bhxh_renderer_remember(). */
static char *seen;

static char *
cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "bhxh-desk", "renderer.ini", NULL);
}

static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/* Where the windows go: a software OpenGL on one display says nothing of
 * another (a remote session on a PC that has a GPU), nor of the same one
 * once a GPU driver is installed (its render node appears). */
static char *
display_key (void)
{
  const char *backend = g_getenv ("GDK_BACKEND");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  const char *x11 = g_getenv ("DISPLAY");

  return g_strdup_printf ("%s|%s|%s|%s", backend ? backend : "", wayland ? wayland : "",
                          x11 ? x11 : "", has_render_node () ? "render-node" : "no-render-node");
}

gboolean
bhxh_renderer_is_software (const char *gl_renderer)
{
  static const char * const software[] = {
    "llvmpipe", "softpipe", "swrast", "software rasterizer", "microsoft basic render",
  };
  g_autofree char *lower = gl_renderer != NULL ? g_ascii_strdown (gl_renderer, -1) : NULL;

  for (guint i = 0; lower != NULL && i < G_N_ELEMENTS (software); i++)
    if (strstr (lower, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The OpenGL renderer last seen on this display, or NULL. */
static char *
dup_seen (void)
{
  g_autoptr(GKeyFile) cache = g_key_file_new ();
  g_autofree char *path = cache_path ();
  g_autofree char *key = display_key ();
  g_autofree char *display = NULL;

  if (!g_key_file_load_from_file (cache, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  display = g_key_file_get_string (cache, GROUP, "display", NULL);
  if (g_strcmp0 (display, key) != 0)
    return NULL;
  return g_key_file_get_string (cache, GROUP, "gl-renderer", NULL);
}

const char *
bhxh_renderer_choose (void)
{
  choosing = TRUE;
  g_clear_pointer (&chosen, g_free);
  g_clear_pointer (&chosen_because, g_free);
  g_free (seen);
  seen = dup_seen ();
  if (g_getenv ("GSK_RENDERER") != NULL)
    {
      chosen = g_strdup (g_getenv ("GSK_RENDERER"));
      chosen_because = g_strdup ("GSK_RENDERER");
      return NULL;
    }
  if (!bhxh_renderer_is_software (seen))
    return NULL;
  /* Read by GSK when the first window is realized, and only then. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  chosen = g_strdup ("cairo");
  chosen_because = g_strdup (seen);
  return chosen;
}

static char *
dup_gl_renderer (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = gdk_display_create_gl_context (display, NULL);
  char *text = NULL;

  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return NULL;
  gdk_gl_context_make_current (context);
  text = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return text;
}

void
bhxh_renderer_remember (const char *gl_renderer)
{
  g_autoptr(GKeyFile) cache = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (gl_renderer != NULL);

  if (chosen == NULL)
    {
      g_free (chosen_because);
      chosen_because = g_strdup (gl_renderer);
    }
  if (g_strcmp0 (seen, gl_renderer) == 0)
    return;
  g_free (seen);
  seen = g_strdup (gl_renderer);
  cache = g_key_file_new ();
  key = display_key ();
  g_key_file_set_string (cache, GROUP, "display", key);
  g_key_file_set_string (cache, GROUP, "gl-renderer", gl_renderer);
  g_key_file_set_boolean (cache, GROUP, "software", bhxh_renderer_is_software (gl_renderer));
  path = cache_path ();
  dir = g_path_get_dirname (path);
  /* A cache: failing to write it only means deciding again next time. */
  if (g_mkdir_with_parents (dir, 0700) == 0)
    g_key_file_save_to_file (cache, path, NULL);
}

void
bhxh_renderer_note (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  g_autofree char *gl = NULL;

  /* Only an OpenGL renderer says what OpenGL this display has (GTK 4.8's
   * GskGLRenderer has no header one may include). */
  if (!choosing || renderer == NULL
      || (strstr (G_OBJECT_TYPE_NAME (renderer), "GLRenderer") == NULL
          && strstr (G_OBJECT_TYPE_NAME (renderer), "NglRenderer") == NULL))
    return;
  /* Known for this display already: no OpenGL context made at each start. */
  gl = seen != NULL ? g_strdup (seen) : dup_gl_renderer (gtk_widget_get_display (widget));
  if (gl != NULL)
    bhxh_renderer_remember (gl);
}

char *
bhxh_renderer_describe (void)
{
  if (chosen == NULL)
    return g_strdup_printf (_("Renderer: GTK’s choice (OpenGL: %s)"),
                            chosen_because ? chosen_because : _("not known yet"));
  if (g_strcmp0 (chosen_because, "GSK_RENDERER") == 0)
    return g_strdup_printf (_("Renderer: %s (set by GSK_RENDERER)"), chosen);
  return g_strdup_printf (_("Renderer: %s (the OpenGL here is drawn by the processor: %s)"),
                          chosen, chosen_because);
}
