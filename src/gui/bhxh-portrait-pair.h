/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "service/bhxh-counter.h"

G_BEGIN_DECLS

#define BHXH_TYPE_PORTRAIT_PAIR (bhxh_portrait_pair_get_type ())

G_DECLARE_FINAL_TYPE (BhxhPortraitPair, bhxh_portrait_pair, BHXH, PORTRAIT_PAIR, GtkWidget)

void        bhxh_portrait_pair_show        (BhxhPortraitPair *self,
                                            BhxhCounter      *counter,
                                            const char       *declaration_id,
                                            GBytes           *chip_portrait);
void        bhxh_portrait_pair_clear       (BhxhPortraitPair *self);
gboolean    bhxh_portrait_pair_get_busy    (BhxhPortraitPair *self);
guint       bhxh_portrait_pair_get_n_shown (BhxhPortraitPair *self);
const char *bhxh_portrait_pair_get_caption (BhxhPortraitPair *self,
                                            gboolean          chip);

G_END_DECLS
