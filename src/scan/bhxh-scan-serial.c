/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <gio/gunixinputstream.h>

#include "bhxh-scan-error.h"
#include "bhxh-scan-serial.h"

/* A handheld scanner in serial mode (USB CDC, /dev/ttyACM*) sends the
 * code's raw bytes and a CR, LF or CRLF: no keyboard layout and no input
 * method in between, so Vietnamese arrives intact. The tty is put in raw
 * mode so the line discipline changes no byte. Reads are async on the
 * thread-default main context of the caller of open(); signals are
 * emitted there:
 *   ::payload (GBytes *bytes) — one frame, without its line end
 *   ::error   (GError *error) — the device failed or went away; it is closed */

#define READ_SIZE 4096
#define DEFAULT_MAX_LENGTH 8192

struct _BhxhScanSerial
{
  GObject        parent_instance;
  char          *path;
  GInputStream  *stream;
  GCancellable  *cancellable;
  GByteArray    *pending;
  gsize          max_length;
  gboolean       overlong;
};

G_DEFINE_FINAL_TYPE (BhxhScanSerial, bhxh_scan_serial, G_TYPE_OBJECT)

enum { PAYLOAD, ERROR, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
bhxh_scan_serial_dispose (GObject *object)
{
  bhxh_scan_serial_close (BHXH_SCAN_SERIAL (object));
  G_OBJECT_CLASS (bhxh_scan_serial_parent_class)->dispose (object);
}

static void
bhxh_scan_serial_finalize (GObject *object)
{
  BhxhScanSerial *self = BHXH_SCAN_SERIAL (object);

  g_free (self->path);
  g_byte_array_unref (self->pending);
  G_OBJECT_CLASS (bhxh_scan_serial_parent_class)->finalize (object);
}

static void
bhxh_scan_serial_class_init (BhxhScanSerialClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bhxh_scan_serial_dispose;
  object_class->finalize = bhxh_scan_serial_finalize;

  signals[PAYLOAD] = g_signal_new ("payload", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
bhxh_scan_serial_init (BhxhScanSerial *self)
{
  self->pending = g_byte_array_new ();
  self->max_length = DEFAULT_MAX_LENGTH;
}

BhxhScanSerial *
bhxh_scan_serial_new (void)
{
  return g_object_new (BHXH_TYPE_SCAN_SERIAL, NULL);
}

/* A frame longer than this is not a code: dropped up to the next line end. */
void
bhxh_scan_serial_set_max_length (BhxhScanSerial *self,
                                 gsize           max_length)
{
  g_return_if_fail (BHXH_IS_SCAN_SERIAL (self));

  self->max_length = MAX (1, max_length);
}

static gboolean
speed_from_baud (guint    baud,
                 speed_t *speed)
{
  static const struct { guint baud; speed_t speed; } speeds[] = {
    { 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
    { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 },
    { 230400, B230400 }, { 460800, B460800 }, { 921600, B921600 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i].baud == baud)
      {
        *speed = speeds[i].speed;
        return TRUE;
      }
  return FALSE;
}

static gboolean
set_raw_mode (int       fd,
              speed_t   speed,
              GError  **error)
{
  struct termios tio;

  if (tcgetattr (fd, &tio) != 0)
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL,
                   _("The scanner device is not a serial port: %s"), g_strerror (errno));
      return FALSE;
    }
  cfmakeraw (&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  cfsetispeed (&tio, speed);
  cfsetospeed (&tio, speed);
  if (tcsetattr (fd, TCSANOW, &tio) != 0)
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL,
                   _("Cannot set up the serial port: %s"), g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
emit_error (BhxhScanSerial *self,
            GError         *error)
{
  g_object_ref (self);
  bhxh_scan_serial_close (self);
  g_signal_emit (self, signals[ERROR], 0, error);
  g_object_unref (self);
}

static void
end_frame (BhxhScanSerial *self)
{
  g_autoptr(GBytes) bytes = NULL;

  if (self->overlong)
    {
      g_autoptr(GError) error = g_error_new (BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL,
                                             _("The scanner sent more than %u bytes without "
                                               "a line end; that code was dropped"),
                                             (guint) self->max_length);

      self->overlong = FALSE;
      g_byte_array_set_size (self->pending, 0);
      /* Not fatal: the next code can be read. */
      g_signal_emit (self, signals[ERROR], 0, error);
      return;
    }
  if (self->pending->len == 0)
    return;   /* the LF of a CRLF, or a blank line */
  bytes = g_bytes_new (self->pending->data, self->pending->len);
  g_byte_array_set_size (self->pending, 0);
  g_signal_emit (self, signals[PAYLOAD], 0, bytes);
}

static void
take_bytes (BhxhScanSerial *self,
            const guint8   *data,
            gsize           len)
{
  for (gsize i = 0; i < len && self->stream != NULL; i++)
    {
      if (data[i] == '\r' || data[i] == '\n')
        end_frame (self);
      else if (self->pending->len >= self->max_length)
        self->overlong = TRUE;
      else
        g_byte_array_append (self->pending, &data[i], 1);
    }
}

static void read_next (BhxhScanSerial *self);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(BhxhScanSerial) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len;

  g_weak_ref_clear (weak);
  g_free (weak);
  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (self == NULL)
    return;
  /* Closed, or closed and opened again, while this read was under way. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || G_INPUT_STREAM (source) != self->stream)
    return;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      g_autoptr(GError) lost = g_error_new (BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL,
                                            _("The scanner at %s went away: %s"), self->path,
                                            error ? error->message : _("end of input"));
      emit_error (self, lost);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  take_bytes (self, data, len);
  if (self->stream != NULL)
    read_next (self);
}

/* A weak reference: dropping the last reference closes the reader,
 * even with a read under way. */
static void
read_next (BhxhScanSerial *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  g_input_stream_read_bytes_async (self->stream, READ_SIZE, G_PRIORITY_DEFAULT,
                                   self->cancellable, read_cb, weak);
}

/**
 * bhxh_scan_serial_open:
 * @path: the device, such as "/dev/ttyACM0"
 * @baud: the line speed (USB CDC ignores it; a real UART needs it right)
 *
 * Opens the device and starts reading on the thread-default main context.
 */
gboolean
bhxh_scan_serial_open (BhxhScanSerial  *self,
                       const char      *path,
                       guint            baud,
                       GError         **error)
{
  speed_t speed;
  int fd;

  g_return_val_if_fail (BHXH_IS_SCAN_SERIAL (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bhxh_scan_serial_close (self);
  if (!speed_from_baud (baud, &speed))
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL,
                   _("Unsupported serial speed %u baud"), baud);
      return FALSE;
    }

  /* O_NOCTTY: a scanner must never become our controlling terminal. */
  fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_SERIAL,
                   _("Cannot open the scanner at %s: %s"), path, g_strerror (errno));
      return FALSE;
    }
  if (!set_raw_mode (fd, speed, error))
    {
      close (fd);
      return FALSE;
    }
  tcflush (fd, TCIFLUSH);

  g_free (self->path);
  self->path = g_strdup (path);
  self->stream = g_unix_input_stream_new (fd, TRUE);
  self->cancellable = g_cancellable_new ();
  self->overlong = FALSE;
  g_byte_array_set_size (self->pending, 0);
  read_next (self);
  return TRUE;
}

void
bhxh_scan_serial_close (BhxhScanSerial *self)
{
  g_return_if_fail (BHXH_IS_SCAN_SERIAL (self));

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->stream);
  g_byte_array_set_size (self->pending, 0);
}

gboolean
bhxh_scan_serial_is_open (BhxhScanSerial *self)
{
  g_return_val_if_fail (BHXH_IS_SCAN_SERIAL (self), FALSE);

  return self->stream != NULL;
}

const char *
bhxh_scan_serial_get_path (BhxhScanSerial *self)
{
  g_return_val_if_fail (BHXH_IS_SCAN_SERIAL (self), NULL);

  return self->path;
}
