/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "service/bhxh-counter.h"

G_BEGIN_DECLS

#define BHXH_TYPE_SIGN_IN_PAGE (bhxh_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (BhxhSignInPage, bhxh_sign_in_page, BHXH, SIGN_IN_PAGE, GtkWidget)

/* users: (element-type BhxhUser) */
void bhxh_sign_in_page_set_users (BhxhSignInPage *self,
                                  GPtrArray      *users,
                                  const char     *last_login,
                                  gboolean        demo);

/* Set before the users: in that mode choosing a user asks for the password,
 * checked on the counter's service; "sign-in" follows a success only. */
void     bhxh_sign_in_page_set_counter            (BhxhSignInPage *self,
                                                  BhxhCounter    *counter);
void     bhxh_sign_in_page_set_accounts_required (BhxhSignInPage *self,
                                                  gboolean        required);
gboolean bhxh_sign_in_page_get_accounts_required (BhxhSignInPage *self);
void     bhxh_sign_in_page_reset                 (BhxhSignInPage *self,
                                                  const char     *login);

G_END_DECLS
