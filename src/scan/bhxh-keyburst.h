/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Keysyms the detector understands; the values are X11/GDK keysyms so a
 * GtkEventControllerKey can pass its keyval straight through. */
#define BHXH_KEYBURST_KEY_RETURN    0xff0d
#define BHXH_KEYBURST_KEY_KP_ENTER  0xff8d
#define BHXH_KEYBURST_KEY_ISO_ENTER 0xfe34
#define BHXH_KEYBURST_KEY_ESCAPE    0xff1b

typedef enum
{
  BHXH_KEYBURST_IGNORED,    /* a person typing, or a key of no interest: pass it on */
  BHXH_KEYBURST_PENDING,    /* part of what looks like a scanner burst */
  BHXH_KEYBURST_COMPLETE,   /* a burst ended in Enter: take the payload */
} BhxhKeyburstState;

typedef struct _BhxhKeyburst BhxhKeyburst;

BhxhKeyburst      *bhxh_keyburst_new            (void);
void               bhxh_keyburst_free           (BhxhKeyburst *self);
void               bhxh_keyburst_set_max_gap    (BhxhKeyburst *self,
                                                 gint64        max_gap_us);
void               bhxh_keyburst_set_min_length (BhxhKeyburst *self,
                                                 guint         min_length);
BhxhKeyburstState  bhxh_keyburst_feed           (BhxhKeyburst *self,
                                                 gunichar      ch,
                                                 guint         keyval,
                                                 gint64        time_us);
BhxhKeyburstState  bhxh_keyburst_flush          (BhxhKeyburst *self,
                                                 gint64        time_us);
void               bhxh_keyburst_feed_alt_digit (BhxhKeyburst *self,
                                                 guint         digit,
                                                 gint64        time_us);
BhxhKeyburstState  bhxh_keyburst_feed_alt_release (BhxhKeyburst *self,
                                                   gint64        time_us);
gunichar           bhxh_keyburst_alt_code_to_unichar (const char *digits);
char              *bhxh_keyburst_take_payload   (BhxhKeyburst *self);
guint              bhxh_keyburst_get_length     (BhxhKeyburst *self);
void               bhxh_keyburst_reset          (BhxhKeyburst *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhKeyburst, bhxh_keyburst_free)

G_END_DECLS
