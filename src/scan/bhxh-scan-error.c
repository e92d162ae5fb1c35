/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bhxh-scan-error.h"

G_DEFINE_QUARK (bhxh-scan-error-quark, bhxh_scan_error)
