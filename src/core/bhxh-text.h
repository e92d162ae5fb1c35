/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *bhxh_text_from_bytes    (const char  *data,
                                   gssize       len,
                                   GError     **error);
char     *bhxh_text_normalize     (const char  *text);
char     *bhxh_text_collapse      (const char  *text);
char     *bhxh_text_equivalence_key (const char *text);
char     *bhxh_text_fold          (const char  *text);
gboolean  bhxh_text_is_blank      (const char  *text);
gboolean  bhxh_text_is_digits     (const char  *text,
                                   gsize        n_digits);
char     *bhxh_text_mask_id       (const char  *id_number);
char     *bhxh_text_find_digits   (const char  *text,
                                   gsize        n_digits);
gboolean  bhxh_text_has_word_prefix (const char *text,
                                     const char *prefix);

G_END_DECLS
