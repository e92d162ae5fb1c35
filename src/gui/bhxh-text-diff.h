/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Marks the characters of @text that are not in a longest common
 * subsequence with @reference. Returns Pango markup (escaped text, each
 * differing run in a highlighted, underlined span) and stores the number of
 * differing characters of @text in @n_marked when not NULL. */
char *bhxh_text_diff_markup (const char *reference,
                             const char *text,
                             gboolean    ignore_case,
                             guint      *n_marked);

G_END_DECLS
