/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bhxh-document.h"

G_BEGIN_DECLS

BhxhDocument *bhxh_scan_birth_certificate_from_payload (const char  *data,
                                                        gssize       len,
                                                        GError     **error);

G_END_DECLS
