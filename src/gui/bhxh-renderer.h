/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Which GSK renderer draws the windows. GTK 4.8 draws with OpenGL; on a
 * counter PC without a GPU driver (many office PCs, remote sessions) that
 * OpenGL is Mesa's software rasterizer (llvmpipe), which compiles shaders
 * on the CPU: the first frame took twice as long, and a verdict three times
 * as long, as with the cairo renderer. The OpenGL in use is noted after the
 * first frame (bhxh_renderer_note); from the next start on the same display
 * a software one means cairo. GSK_RENDERER set by the user always wins. */

/* Before GTK draws anything (main()). Returns the renderer chosen, or NULL
 * for GTK's own choice. */
const char *bhxh_renderer_choose     (void);

/* After @widget's first frame: what OpenGL it was drawn with, for the next
 * start. */
void        bhxh_renderer_note       (GtkWidget  *widget);

/* What bhxh_renderer_note() keeps: the OpenGL renderer seen on this display. */
void        bhxh_renderer_remember   (const char *gl_renderer);

/* For the about window's troubleshooting page: the renderer and why. */
char       *bhxh_renderer_describe   (void);

/* Tests: whether a GL_RENDERER string names a software rasterizer. */
gboolean    bhxh_renderer_is_software (const char *gl_renderer);

G_END_DECLS
