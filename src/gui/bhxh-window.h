/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "service/bhxh-counter.h"
#include "bhxh-application.h"

G_BEGIN_DECLS

#define BHXH_TYPE_WINDOW (bhxh_window_get_type ())
G_DECLARE_FINAL_TYPE (BhxhWindow, bhxh_window, BHXH, WINDOW, AdwApplicationWindow)

BhxhWindow *bhxh_window_new            (BhxhApplication *application);
/* A scanned payload, from any input: the keyboard burst, the serial port,
 * the camera, or typed in. */
void        bhxh_window_handle_payload (BhxhWindow      *self,
                                        const char      *data,
                                        gssize           len);
void        bhxh_window_toast          (BhxhWindow      *self,
                                        const char      *message);
/* (nullable): the window's session with its service, once it answered. */
BhxhCounter *bhxh_window_get_counter   (BhxhWindow      *self);

G_END_DECLS
