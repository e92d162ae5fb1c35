/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void bhxh_toast_show_now (AdwToastOverlay *overlay,
                          AdwToast        *toast);
void bhxh_toast_dismiss  (AdwToast        *toast);

G_END_DECLS
