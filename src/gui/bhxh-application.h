/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>


G_BEGIN_DECLS

#define BHXH_TYPE_APPLICATION (bhxh_application_get_type ())
G_DECLARE_FINAL_TYPE (BhxhApplication, bhxh_application, BHXH, APPLICATION, AdwApplication)

BhxhApplication *bhxh_application_new            (void);
GSettings       *bhxh_application_get_settings   (BhxhApplication *self);
const char      *bhxh_application_get_database   (BhxhApplication *self);
gboolean         bhxh_application_get_is_demo    (BhxhApplication *self);
/* Through the system service (--system) instead of a private one. */
gboolean         bhxh_application_get_system     (BhxhApplication *self);

G_END_DECLS
