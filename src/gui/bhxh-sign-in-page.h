/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BHXH_TYPE_SIGN_IN_PAGE (bhxh_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (BhxhSignInPage, bhxh_sign_in_page, BHXH, SIGN_IN_PAGE, GtkWidget)

/* users: (element-type BhxhUser) */
void bhxh_sign_in_page_set_users (BhxhSignInPage *self,
                                  GPtrArray      *users,
                                  const char     *last_login,
                                  gboolean        demo);

G_END_DECLS
