/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scan/bhxh-keyburst.h"

#define MS 1000

/* Types @text one character every @gap_us from @start, then Enter after
 * @gap_us more; returns the state after Enter. */
static BhxhKeyburstState
type_text (BhxhKeyburst *burst,
           const char   *text,
           gint64        start,
           gint64        gap_us,
           gint64       *end)
{
  gint64 t = start;

  for (const char *p = text; *p; p = g_utf8_next_char (p), t += gap_us)
    bhxh_keyburst_feed (burst, g_utf8_get_char (p), 0, t);
  if (end)
    *end = t;
  return bhxh_keyburst_feed (burst, 0, BHXH_KEYBURST_KEY_RETURN, t);
}

static void
test_scanner_burst (void)
{
  g_autoptr(BhxhKeyburst) burst = bhxh_keyburst_new ();
  const char *payload = "001090012345|123456789|Nguyễn Văn An|15031990|Nam|Hà Nội|20042021";
  g_autofree char *got = NULL;

  g_assert_cmpint (type_text (burst, payload, 1000 * MS, 8 * MS, NULL), ==,
                   BHXH_KEYBURST_COMPLETE);
  got = bhxh_keyburst_take_payload (burst);
  g_assert_cmpstr (got, ==, payload);
  /* Taken once. */
  g_assert_null (bhxh_keyburst_take_payload (burst));
}

static void
test_states_during_burst (void)
{
  g_autoptr(BhxhKeyburst) burst = bhxh_keyburst_new ();

  /* The first two keys pass through: they may be a person's. */
  g_assert_cmpint (bhxh_keyburst_feed (burst, '0', 0, 0), ==, BHXH_KEYBURST_IGNORED);
  g_assert_cmpint (bhxh_keyburst_feed (burst, '0', 0, 5 * MS), ==, BHXH_KEYBURST_IGNORED);
  g_assert_cmpint (bhxh_keyburst_feed (burst, '1', 0, 10 * MS), ==, BHXH_KEYBURST_PENDING);
  /* Shift (no character) does not break a burst. */
  g_assert_cmpint (bhxh_keyburst_feed (burst, 0, 0xffe1, 12 * MS), ==, BHXH_KEYBURST_PENDING);
  g_assert_cmpuint (bhxh_keyburst_get_length (burst), ==, 3);
  g_assert_cmpint (bhxh_keyburst_feed (burst, 0, BHXH_KEYBURST_KEY_ESCAPE, 14 * MS), ==,
                   BHXH_KEYBURST_IGNORED);
  g_assert_cmpuint (bhxh_keyburst_get_length (burst), ==, 0);
}

static void
test_human_typing (void)
{
  g_autoptr(BhxhKeyburst) burst = bhxh_keyburst_new ();

  /* 150 ms a key, as a person types a name into a field. */
  g_assert_cmpint (type_text (burst, "Nguyen Van An", 0, 150 * MS, NULL), ==,
                   BHXH_KEYBURST_IGNORED);
  g_assert_null (bhxh_keyburst_take_payload (burst));

  /* A fast typist: 45 ms a key on average is still a person. */
  g_assert_cmpint (type_text (burst, "0912345678", 10000 * MS, 45 * MS, NULL), ==,
                   BHXH_KEYBURST_IGNORED);
}

static void
test_human_then_scanner (void)
{
  g_autoptr(BhxhKeyburst) burst = bhxh_keyburst_new ();
  g_autofree char *got = NULL;
  gint64 end;

  /* A person types a few keys, pauses, and the scanner fires: the
   * person's keys are not part of the payload. */
  bhxh_keyburst_feed (burst, 'a', 0, 0);
  bhxh_keyburst_feed (burst, 'b', 0, 200 * MS);
  g_assert_cmpint (type_text (burst, "079305001234||Trần Thị Bích Ngọc|02112005|Nữ|x|1",
                              900 * MS, 5 * MS, &end), ==, BHXH_KEYBURST_COMPLETE);
  got = bhxh_keyburst_take_payload (burst);
  g_assert_true (g_str_has_prefix (got, "079305001234||"));
}

static void
test_short_and_slow_enter (void)
{
  g_autoptr(BhxhKeyburst) burst = bhxh_keyburst_new ();
  gint64 t = 0;

  /* Too short to be a code. */
  g_assert_cmpint (type_text (burst, "12", 0, 5 * MS, NULL), ==, BHXH_KEYBURST_IGNORED);

  /* A fast burst whose Enter comes a second later: a person pressed it. */
  for (const char *p = "001090012345"; *p; p++, t += 5 * MS)
    bhxh_keyburst_feed (burst, *p, 0, 5000 * MS + t);
  g_assert_cmpint (bhxh_keyburst_feed (burst, '\r', 0, 6100 * MS + t), ==,
                   BHXH_KEYBURST_IGNORED);

  /* Enter on its own is ignored. */
  g_assert_cmpint (bhxh_keyburst_feed (burst, 0, BHXH_KEYBURST_KEY_KP_ENTER, 9000 * MS), ==,
                   BHXH_KEYBURST_IGNORED);
}

static void
test_configurable (void)
{
  g_autoptr(BhxhKeyburst) burst = bhxh_keyburst_new ();

  /* A slow scanner: 50 ms a key is a gap too long by default… */
  bhxh_keyburst_set_max_gap (burst, 40 * MS);
  g_assert_cmpint (type_text (burst, "001090012345", 0, 50 * MS, NULL), ==,
                   BHXH_KEYBURST_IGNORED);
  /* …and a short code needs a smaller minimum length. */
  bhxh_keyburst_set_min_length (burst, 3);
  g_assert_cmpint (type_text (burst, "A12", 1000 * MS, 4 * MS, NULL), ==,
                   BHXH_KEYBURST_COMPLETE);
  g_free (bhxh_keyburst_take_payload (burst));
}

/* A scanner set to end codes with Tab: the burst completes once quiet; a
 * Tab inside a code stays in it. */
static void
test_tab_ending (void)
{
  g_autoptr(BhxhKeyburst) burst = bhxh_keyburst_new ();
  const char *payload = "001090012345|123456789|Nguyễn Văn An|15031990|Nam|Hà Nội|20042021";
  g_autofree char *got = NULL;
  gint64 t = 1000 * MS;

  for (const char *p = payload; *p; p = g_utf8_next_char (p), t += 8 * MS)
    bhxh_keyburst_feed (burst, g_utf8_get_char (p), 0, t);
  g_assert_cmpint (bhxh_keyburst_feed (burst, '\t', 0xff09, t), ==, BHXH_KEYBURST_PENDING);
  /* Not yet quiet. */
  g_assert_cmpint (bhxh_keyburst_flush (burst, t + 10 * MS), ==, BHXH_KEYBURST_IGNORED);
  g_assert_cmpint (bhxh_keyburst_flush (burst, t + 100 * MS), ==, BHXH_KEYBURST_COMPLETE);
  got = bhxh_keyburst_take_payload (burst);
  g_assert_cmpstr (got, ==, payload);

  /* Quiet without a Tab at the end: nothing (a person's pause, or Enter
   * still to come). */
  t += 1000 * MS;
  for (const char *p = "ABCDEFGH"; *p; p++, t += 8 * MS)
    bhxh_keyburst_feed (burst, (gunichar) *p, 0, t);
  g_assert_cmpint (bhxh_keyburst_flush (burst, t + 100 * MS), ==, BHXH_KEYBURST_IGNORED);
  /* A Tab in the middle of a code stays part of it. */
  bhxh_keyburst_reset (burst);
  t += 1000 * MS;
  for (const char *p = "ABC\tDEFGH"; *p; p++, t += 8 * MS)
    bhxh_keyburst_feed (burst, (gunichar) *p, 0, t);
  g_assert_cmpint (bhxh_keyburst_feed (burst, 0, BHXH_KEYBURST_KEY_RETURN, t), ==,
                   BHXH_KEYBURST_COMPLETE);
  g_clear_pointer (&got, g_free);
  got = bhxh_keyburst_take_payload (burst);
  g_assert_cmpstr (got, ==, "ABC\tDEFGH");
}

static void
type_alt (BhxhKeyburst *burst,
          const char   *text,
          gint64       *t)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      g_autofree char *code = g_strdup_printf ("%s%u", g_utf8_get_char (p) < 256 ? "0" : "",
                                               g_utf8_get_char (p));

      for (const char *d = code; *d; d++, *t += 4 * MS)
        bhxh_keyburst_feed_alt_digit (burst, (guint) (*d - '0'), *t);
      bhxh_keyburst_feed_alt_release (burst, *t);
      *t += 4 * MS;
    }
}

/* Alt+numpad scanners: decimal codes typed with Alt held, Vietnamese as
 * Unicode code points; the burst is recognised by its key presses. */
static void
test_alt_numpad (void)
{
  g_autoptr(BhxhKeyburst) burst = bhxh_keyburst_new ();
  const char *payload = "001090012345|123456789|Nguyễn Văn An|15031990|Nữ|Hà Nội|20042021";
  g_autofree char *got = NULL;
  gint64 t = 1000 * MS;

  g_assert_cmpuint (bhxh_keyburst_alt_code_to_unichar ("7901"), ==, 0x1EDD);   /* ờ */
  g_assert_cmpuint (bhxh_keyburst_alt_code_to_unichar ("0128"), ==, 0x20AC);   /* € in 1252 */
  g_assert_cmpuint (bhxh_keyburst_alt_code_to_unichar ("0233"), ==, 0xE9);
  g_assert_cmpuint (bhxh_keyburst_alt_code_to_unichar ("65"), ==, 'A');
  g_assert_cmpuint (bhxh_keyburst_alt_code_to_unichar ("130"), ==, 0);         /* DOS: refused */
  g_assert_cmpuint (bhxh_keyburst_alt_code_to_unichar ("55296"), ==, 0);       /* a surrogate */
  g_assert_cmpuint (bhxh_keyburst_alt_code_to_unichar (""), ==, 0);

  type_alt (burst, payload, &t);
  g_assert_cmpint (bhxh_keyburst_feed (burst, 0, BHXH_KEYBURST_KEY_RETURN, t), ==,
                   BHXH_KEYBURST_COMPLETE);
  got = bhxh_keyburst_take_payload (burst);
  g_assert_cmpstr (got, ==, payload);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scan/keyburst/scanner", test_scanner_burst);
  g_test_add_func ("/scan/keyburst/states", test_states_during_burst);
  g_test_add_func ("/scan/keyburst/human", test_human_typing);
  g_test_add_func ("/scan/keyburst/human-then-scanner", test_human_then_scanner);
  g_test_add_func ("/scan/keyburst/short-and-slow-enter", test_short_and_slow_enter);
  g_test_add_func ("/scan/keyburst/configurable", test_configurable);
  g_test_add_func ("/scan/keyburst/tab-ending", test_tab_ending);
  g_test_add_func ("/scan/keyburst/alt-numpad", test_alt_numpad);

  return g_test_run ();
}
