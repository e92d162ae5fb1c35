/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bhxh-keyburst.h"

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
  self->n_chars = 0;
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

  if (self->n_chars < 2)
    return FALSE;
  mean_gap = (self->last_us - self->first_us) / (self->n_chars - 1);
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

  if (self->n_chars > 0 && time_us - self->last_us > self->max_gap_us)
    bhxh_keyburst_reset (self);
  if (self->n_chars == 0)
    self->first_us = time_us;
  g_string_append_unichar (self->text, ch);
  self->n_chars++;
  self->last_us = time_us;

  /* Two keys are not yet a burst: a person's first key passes through. */
  return self->n_chars >= 3 && looks_like_scanner (self)
         ? BHXH_KEYBURST_PENDING : BHXH_KEYBURST_IGNORED;
}

/* The payload of the last COMPLETE burst, once; NULL otherwise. */
char *
bhxh_keyburst_take_payload (BhxhKeyburst *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_steal_pointer (&self->payload);
}
