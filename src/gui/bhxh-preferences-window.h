/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "service/bhxh-counter.h"

G_BEGIN_DECLS

#define BHXH_TYPE_PREFERENCES_WINDOW (bhxh_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (BhxhPreferencesWindow, bhxh_preferences_window,
                      BHXH, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @counter: (nullable): lists the offices for the office choice */
BhxhPreferencesWindow *bhxh_preferences_window_new (GSettings  *settings,
                                                    BhxhCounter*counter);

G_END_DECLS
