/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bhxh-error.h"

G_DEFINE_QUARK (bhxh-core-error-quark, bhxh_core_error)
