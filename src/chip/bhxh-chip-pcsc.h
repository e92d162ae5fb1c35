/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bhxh-chip.h"

G_BEGIN_DECLS

/* A connection to a card on a PC/SC reader (bhxh-chip-pcsc.c). */
typedef struct _BhxhChipCard BhxhChipCard;

BhxhChipCard *_bhxh_chip_card_connect    (const char    *reader,
                                          guint          wait_ms,
                                          GError       **error);
const char   *_bhxh_chip_card_get_reader (BhxhChipCard  *card);
GBytes       *_bhxh_chip_card_transmit   (BhxhChipCard  *card,
                                          const guint8  *apdu,
                                          gsize          len,
                                          GError       **error);
void          _bhxh_chip_card_free       (BhxhChipCard  *card);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhChipCard, _bhxh_chip_card_free)

G_END_DECLS
