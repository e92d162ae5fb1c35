/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serial reader on a real pseudo-terminal pair: the test writes to
 * the master as a USB CDC scanner would, the reader opens the slave. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan/bhxh-scan-error.h"
#include "scan/bhxh-scan-serial.h"

typedef struct
{
  int              master;
  char            *slave;
  BhxhScanSerial  *serial;
  GPtrArray       *payloads;   /* GBytes */
  GPtrArray       *errors;     /* GError */
} Fixture;

static void
payload_cb (BhxhScanSerial *serial,
            GBytes         *bytes,
            Fixture        *fixture)
{
  g_ptr_array_add (fixture->payloads, g_bytes_ref (bytes));
}

static void
error_cb (BhxhScanSerial *serial,
          const GError   *error,
          Fixture        *fixture)
{
  g_ptr_array_add (fixture->errors, g_error_copy (error));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (fixture->master, >=, 0);
  g_assert_cmpint (grantpt (fixture->master), ==, 0);
  g_assert_cmpint (unlockpt (fixture->master), ==, 0);
  fixture->slave = g_strdup (ptsname (fixture->master));
  fixture->payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

  fixture->serial = bhxh_scan_serial_new ();
  g_signal_connect (fixture->serial, "payload", G_CALLBACK (payload_cb), fixture);
  g_signal_connect (fixture->serial, "error", G_CALLBACK (error_cb), fixture);
  g_assert_true (bhxh_scan_serial_open (fixture->serial, fixture->slave, 115200, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_scan_serial_is_open (fixture->serial));
  g_assert_cmpstr (bhxh_scan_serial_get_path (fixture->serial), ==, fixture->slave);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->serial);
  if (fixture->master >= 0)
    close (fixture->master);
  g_free (fixture->slave);
  g_ptr_array_unref (fixture->payloads);
  g_ptr_array_unref (fixture->errors);
}

static void
send (Fixture    *fixture,
      const void *data,
      gsize       len)
{
  g_assert_cmpint (write (fixture->master, data, len), ==, (gssize) len);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for the serial reader");
  return G_SOURCE_REMOVE;
}

static void
wait_for (Fixture *fixture,
          guint    n_payloads,
          guint    n_errors)
{
  guint timeout = g_timeout_add_seconds (5, timeout_cb, NULL);

  while (fixture->payloads->len < n_payloads || fixture->errors->len < n_errors)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
assert_payload (Fixture    *fixture,
                guint       index,
                const void *data,
                gsize       len)
{
  GBytes *bytes = g_ptr_array_index (fixture->payloads, index);

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, len);
}

static void
test_frames (Fixture       *fixture,
             gconstpointer  data)
{
  const char *cccd = "079305001234||Trần Thị Bích Ngọc|02112005|Nữ|Nhà Bè, Hồ Chí Minh|10082022";
  const guint8 binary[] = { 'A', 0xff, 0x00, 0x93, 'z' };
  g_autofree char *crlf = g_strconcat (cccd, "\r\n", NULL);

  /* Split mid-character: framing must not care where reads end. */
  send (fixture, crlf, 20);
  send (fixture, crlf + 20, strlen (crlf) - 20);
  send (fixture, "001090012345\n", 13);
  send (fixture, binary, sizeof binary);
  send (fixture, "\r", 1);
  wait_for (fixture, 3, 0);

  assert_payload (fixture, 0, cccd, strlen (cccd));
  assert_payload (fixture, 1, "001090012345", 12);
  /* Raw bytes, NUL and all: deciding what is text is the caller's job. */
  assert_payload (fixture, 2, binary, sizeof binary);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_overlong (Fixture       *fixture,
               gconstpointer  data)
{
  char junk[64];

  memset (junk, 'x', sizeof junk);
  bhxh_scan_serial_set_max_length (fixture->serial, 16);
  send (fixture, junk, sizeof junk);
  send (fixture, "\nok-123\n", 8);
  wait_for (fixture, 1, 1);

  g_assert_error ((GError *) g_ptr_array_index (fixture->errors, 0), BHXH_SCAN_ERROR,
                  BHXH_SCAN_ERROR_SERIAL);
  assert_payload (fixture, 0, "ok-123", 6);
  /* Still reading after a dropped frame. */
  g_assert_true (bhxh_scan_serial_is_open (fixture->serial));
}

static void
test_unplugged (Fixture       *fixture,
                gconstpointer  data)
{
  close (fixture->master);
  fixture->master = -1;
  wait_for (fixture, 0, 1);

  g_assert_error ((GError *) g_ptr_array_index (fixture->errors, 0), BHXH_SCAN_ERROR,
                  BHXH_SCAN_ERROR_SERIAL);
  g_assert_false (bhxh_scan_serial_is_open (fixture->serial));
}

static void
test_open_errors (void)
{
  g_autoptr(BhxhScanSerial) serial = bhxh_scan_serial_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (bhxh_scan_serial_open (serial, "/nonexistent/ttyACM9", 9600, &error));
  g_assert_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL);
  g_clear_error (&error);

  /* Not a terminal at all. */
  g_assert_false (bhxh_scan_serial_open (serial, "/dev/null", 9600, &error));
  g_assert_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL);
  g_clear_error (&error);

  g_assert_false (bhxh_scan_serial_open (serial, "/dev/null", 12345, &error));
  g_assert_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL);
  g_assert_false (bhxh_scan_serial_is_open (serial));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/scan/serial/frames", Fixture, NULL, fixture_set_up, test_frames,
              fixture_tear_down);
  g_test_add ("/scan/serial/overlong", Fixture, NULL, fixture_set_up, test_overlong,
              fixture_tear_down);
  g_test_add ("/scan/serial/unplugged", Fixture, NULL, fixture_set_up, test_unplugged,
              fixture_tear_down);
  g_test_add_func ("/scan/serial/open-errors", test_open_errors);

  return g_test_run ();
}
