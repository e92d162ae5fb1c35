/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bhxh-keyburst.h"
#include "bhxh-scan-mangle.h"

/* A handheld scanner in keyboard mode types a whole code in a burst —
 * 2–20 ms between keys — and ends it with Enter. A person types 80–300 ms
 * apart, and never 30 characters under 30 ms each. So: a key that comes
 * later than max_gap after the previous one starts a new burst, and Enter
 * completes a burst only if it is long enough and fast on average. The
 * clerk never has to click into a field first. */

#define DEFAULT_MAX_GAP_US   60000
#define MAX_MEAN_GAP_US      35000
#define DEFAULT_MIN_LENGTH   6

struct _BhxhKeyburst
{
  GString *text;
  guint    n_chars;
  guint    n_keys;       /* key presses in the burst: characters and Alt digits */
  GString *alt_digits;   /* Alt+numpad: the decimal code typed so far */
  gint64   first_us;
  gint64   last_us;
  gint64   max_gap_us;
  guint    min_length;
  char    *payload;
};

BhxhKeyburst *
bhxh_keyburst_new (void)
{
  BhxhKeyburst *self = g_new0 (BhxhKeyburst, 1);

  self->text = g_string_new (NULL);
  self->alt_digits = g_string_new (NULL);
  self->max_gap_us = DEFAULT_MAX_GAP_US;
  self->min_length = DEFAULT_MIN_LENGTH;
  return self;
}

void
bhxh_keyburst_free (BhxhKeyburst *self)
{
  if (self == NULL)
    return;
  g_string_free (self->text, TRUE);
  g_string_free (self->alt_digits, TRUE);
  g_free (self->payload);
  g_free (self);
}

void
bhxh_keyburst_set_max_gap (BhxhKeyburst *self,
                           gint64        max_gap_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_gap_us > 0);

  self->max_gap_us = max_gap_us;
}

void
bhxh_keyburst_set_min_length (BhxhKeyburst *self,
                              guint         min_length)
{
  g_return_if_fail (self != NULL);

  self->min_length = MAX (1, min_length);
}

void
bhxh_keyburst_reset (BhxhKeyburst *self)
{
  g_return_if_fail (self != NULL);

  g_string_truncate (self->text, 0);
  g_string_truncate (self->alt_digits, 0);
  self->n_chars = 0;
  self->n_keys = 0;
}

guint
bhxh_keyburst_get_length (BhxhKeyburst *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_chars;
}

static gboolean
is_enter (gunichar ch,
          guint    keyval)
{
  return ch == '\r' || ch == '\n'
         || keyval == BHXH_KEYBURST_KEY_RETURN
         || keyval == BHXH_KEYBURST_KEY_KP_ENTER
         || keyval == BHXH_KEYBURST_KEY_ISO_ENTER;
}

static gboolean
looks_like_scanner (BhxhKeyburst *self)
{
  gint64 mean_gap;

  /* Per key press: an Alt+numpad scanner presses several per character. */
  if (self->n_chars < 2 || self->n_keys < 2)
    return FALSE;
  mean_gap = (self->last_us - self->first_us) / (self->n_keys - 1);
  return mean_gap <= MAX_MEAN_GAP_US;
}

static BhxhKeyburstState
finish (BhxhKeyburst *self,
        gint64        time_us)
{
  gboolean complete = self->n_chars >= self->min_length
                      && time_us - self->last_us <= self->max_gap_us
                      && looks_like_scanner (self);

  if (complete)
    {
      g_free (self->payload);
      self->payload = g_strndup (self->text->str, self->text->len);
    }
  bhxh_keyburst_reset (self);
  return complete ? BHXH_KEYBURST_COMPLETE : BHXH_KEYBURST_IGNORED;
}

/**
 * bhxh_keyburst_feed:
 * @ch: the character the key typed, or 0
 * @keyval: the key's keysym, or 0
 * @time_us: when it was pressed, in µs on any monotonic clock
 *
 * Feeds one key press. Keys that type nothing (Shift, which scanners use
 * for capitals) are ignored without breaking the burst; Escape drops it.
 */
BhxhKeyburstState
bhxh_keyburst_feed (BhxhKeyburst *self,
                    gunichar      ch,
                    guint         keyval,
                    gint64        time_us)
{
  g_return_val_if_fail (self != NULL, BHXH_KEYBURST_IGNORED);

  if (is_enter (ch, keyval))
    return self->n_chars > 0 ? finish (self, time_us) : BHXH_KEYBURST_IGNORED;
  if (keyval == BHXH_KEYBURST_KEY_ESCAPE)
    {
      bhxh_keyburst_reset (self);
      return BHXH_KEYBURST_IGNORED;
    }
  if (ch == 0 || !g_unichar_validate (ch) || (g_unichar_iscntrl (ch) && ch != '\t'))
    return self->n_chars > 0 ? BHXH_KEYBURST_PENDING : BHXH_KEYBURST_IGNORED;

  if (self->n_keys > 0 && time_us - self->last_us > self->max_gap_us)
    bhxh_keyburst_reset (self);
  if (self->n_keys == 0)
    self->first_us = time_us;
  g_string_append_unichar (self->text, ch);
  self->n_chars++;
  self->n_keys++;
  self->last_us = time_us;

  /* Two keys are not yet a burst: a person's first key passes through. */
  return self->n_chars >= 3 && looks_like_scanner (self)
         ? BHXH_KEYBURST_PENDING : BHXH_KEYBURST_IGNORED;
}

/**
 * bhxh_keyburst_flush:
 * @time_us: now, on the clock of the key presses
 *
 * For scanners that end a code with Tab instead of Enter: once the burst
 * has been quiet for longer than max_gap and its last key was a Tab, it
 * completes (without the Tab). A Tab followed by more keys stays part of
 * the code. Call it from a timer after each PENDING key.
 */
BhxhKeyburstState
bhxh_keyburst_flush (BhxhKeyburst *self,
                     gint64        time_us)
{
  g_return_val_if_fail (self != NULL, BHXH_KEYBURST_IGNORED);

  if (self->n_chars == 0 || time_us - self->last_us <= self->max_gap_us ||
      self->text->len == 0 || self->text->str[self->text->len - 1] != '\t')
    return BHXH_KEYBURST_IGNORED;
  g_string_truncate (self->text, self->text->len - 1);
  self->n_chars--;
  /* As if Enter had come right after the last character. */
  return finish (self, self->last_us);
}

/**
 * bhxh_keyburst_feed_alt_digit:
 * @digit: 0–9, a numpad key pressed while Alt is held
 *
 * Scanners in "Alt+numpad" mode type each character as Alt held down and
 * its decimal code on the numpad; the character is typed when Alt is
 * released (bhxh_keyburst_feed_alt_release()).
 */
void
bhxh_keyburst_feed_alt_digit (BhxhKeyburst *self,
                              guint         digit,
                              gint64        time_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (digit <= 9);

  if (self->n_keys > 0 && time_us - self->last_us > self->max_gap_us)
    {
      g_autoptr(GString) code = g_string_new (self->alt_digits->str);

      bhxh_keyburst_reset (self);
      g_string_assign (self->alt_digits, code->str);
    }
  if (self->n_keys == 0)
    self->first_us = time_us;
  self->n_keys++;
  self->last_us = time_us;
  if (self->alt_digits->len < 8)
    g_string_append_c (self->alt_digits, (char) ('0' + digit));
}

/**
 * bhxh_keyburst_alt_code_to_unichar:
 * @digits: the decimal code as typed
 *
 * The rule of Alt codes: with a leading 0 and up to 255, Windows-1252;
 * above 255, the Unicode code point (what scanners send for Vietnamese);
 * 1–255 without a leading 0 is the DOS code page, whose ASCII half is the
 * same and whose other half no scanner sends for this card: refused.
 *
 * Returns: the character, or 0
 */
gunichar
bhxh_keyburst_alt_code_to_unichar (const char *digits)
{
  guint64 code;

  if (digits == NULL || *digits == '\0' ||
      !g_ascii_string_to_unsigned (digits, 10, 1, 0x10FFFF, &code, NULL))
    return 0;
  if (code > 255)
    return g_unichar_validate ((gunichar) code) ? (gunichar) code : 0;
  if (digits[0] != '0' && code >= 128)
    return 0;
  return bhxh_scan_cp1252_char ((guint8) code);
}

/**
 * bhxh_keyburst_feed_alt_release:
 *
 * Alt was released: the code typed since it went down becomes one
 * character of the burst (fed as bhxh_keyburst_feed() would).
 */
BhxhKeyburstState
bhxh_keyburst_feed_alt_release (BhxhKeyburst *self,
                                gint64        time_us)
{
  gunichar ch;

  g_return_val_if_fail (self != NULL, BHXH_KEYBURST_IGNORED);

  if (self->alt_digits->len == 0)
    return BHXH_KEYBURST_IGNORED;
  ch = bhxh_keyburst_alt_code_to_unichar (self->alt_digits->str);
  g_string_truncate (self->alt_digits, 0);
  if (ch == 0)
    return self->n_chars > 0 ? BHXH_KEYBURST_PENDING : BHXH_KEYBURST_IGNORED;
  /* The release is no key of its own: the character counts at the last
   * digit's time. */
  self->n_keys--;
  return bhxh_keyburst_feed (self, ch, 0, MAX (time_us, self->last_us));
}

/* The payload of the last COMPLETE burst, once; NULL otherwise. */
char *
bhxh_keyburst_take_payload (BhxhKeyburst *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_steal_pointer (&self->payload);
}
