/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every program's message set-up, in one place: the user's locale; when
 * LANGUAGE is not set, @default_language (the counter's "vi"; %NULL: none);
 * a LANGUAGE in force even in the plain C locale (gettext ignores it there,
 * C.UTF-8 honours it) — so the app's private bhxh-deskd, which inherits the
 * app's LANGUAGE, answers in the app's language; the catalogue from
 * $BHXH_DESK_LOCALEDIR (the build tree) or the installed one. */
void bhxh_i18n_init (const char *default_language);

G_END_DECLS
