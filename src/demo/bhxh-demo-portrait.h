/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Synthetic portraits for the demo and the test card: a head and
 * shoulders drawn from a few shapes, never a real face. Two drawings of
 * one ID number look alike (the same colours and hair), so the photo on a
 * demo declaration and the face on the test card of that person match. */

#include <gio/gio.h>

#include "core/bhxh-id.h"

G_BEGIN_DECLS

#define BHXH_DEMO_PORTRAIT_WIDTH  240
#define BHXH_DEMO_PORTRAIT_HEIGHT 320

guint8 *bhxh_demo_portrait_draw (const char *id_number,
                                 BhxhSex     sex,
                                 const char *full_name);
GBytes *bhxh_demo_portrait_jpeg (const char *id_number,
                                 BhxhSex     sex,
                                 const char *full_name);

G_END_DECLS
