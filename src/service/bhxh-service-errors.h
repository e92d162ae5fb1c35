/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The bus name, object path and interface of bhxh-deskd. */
#define BHXH_SERVICE_NAME "vn.bhxh.Desk1"
#define BHXH_SERVICE_PATH "/vn/bhxh/Desk1"

/* Maps BhxhStoreError and BhxhAuthError to D-Bus error names both ways;
 * the service and its clients call it once before the first call. */
void bhxh_service_errors_register (void);

G_END_DECLS
