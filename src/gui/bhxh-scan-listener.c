/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scanning always listens. The keyboard burst is recognised by src/scan's
 * detector from a capture-phase key controller, so the clerk never clicks
 * into a field first; a serial scanner is read by src/scan too. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "scan/bhxh-keyburst.h"
#include "scan/bhxh-scan-mangle.h"
#include "scan/bhxh-scan-serial.h"

#include "bhxh-scan-listener.h"

struct _BhxhScanListener
{
  GObject             parent_instance;

  GtkWidget          *window;      /* weak */
  GtkEventController *keys;
  GSettings          *settings;
  BhxhKeyburst       *keyburst;
  BhxhScanSerial     *serial;
  gboolean            enabled;
  guint               flush_id;    /* a burst ending in Tab completes when quiet */

  /* The first keys of a burst reach the focused field before the burst is
   * recognised: its text is put back when the burst completes. */
  GtkEditable        *burst_editable;
  char               *burst_text;
};

enum {
  PAYLOAD,
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhScanListener, bhxh_scan_listener, G_TYPE_OBJECT)

static void
forget_editable (BhxhScanListener *self)
{
  if (self->burst_editable != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->burst_editable),
                                  (gpointer *) &self->burst_editable);
  self->burst_editable = NULL;
  g_clear_pointer (&self->burst_text, g_free);
}

static void
remember_editable (BhxhScanListener *self)
{
  GtkWidget *focus = self->window != NULL ? gtk_root_get_focus (GTK_ROOT (self->window)) : NULL;

  forget_editable (self);
  while (focus != NULL && !GTK_IS_EDITABLE (focus))
    focus = gtk_widget_get_parent (focus);
  if (focus == NULL)
    return;
  /* The delegate of a GtkText inside a search entry is the entry itself. */
  self->burst_editable = GTK_EDITABLE (focus);
  self->burst_text = g_strdup (gtk_editable_get_text (self->burst_editable));
  g_object_add_weak_pointer (G_OBJECT (focus), (gpointer *) &self->burst_editable);
}

static void
restore_editable (BhxhScanListener *self)
{
  if (self->burst_editable != NULL && self->burst_text != NULL &&
      g_strcmp0 (gtk_editable_get_text (self->burst_editable), self->burst_text) != 0)
    gtk_editable_set_text (self->burst_editable, self->burst_text);
  forget_editable (self);
}

static void
emit_text (BhxhScanListener *self,
           char             *text)
{
  g_autoptr(GBytes) bytes = NULL;
  char *repaired = NULL;
  BhxhScanMangle mangle = bhxh_scan_detect_mangling (text, &repaired);

  /* Read as Latin-1: undone exactly, the code is as the card holds it. */
  if (repaired != NULL)
    {
      g_free (text);
      text = repaired;
    }
  else if (mangle != BHXH_SCAN_MANGLE_NONE)
    {
      g_signal_emit (self, signals[PROBLEM], 0, bhxh_scan_mangle_advice (mangle), text);
      g_free (text);
      return;
    }
  bytes = g_bytes_new_take (text, strlen (text));
  g_signal_emit (self, signals[PAYLOAD], 0, bytes);
}

static gboolean handle_state (BhxhScanListener  *self,
                              BhxhKeyburstState  state);

static gboolean
flush_cb (gpointer user_data)
{
  BhxhScanListener *self = user_data;

  self->flush_id = 0;
  /* No key since the timer started: the burst is quiet. */
  handle_state (self, bhxh_keyburst_flush (self->keyburst, G_MAXINT64));
  return G_SOURCE_REMOVE;
}

static gboolean
handle_state (BhxhScanListener  *self,
              BhxhKeyburstState  state)
{
  g_clear_handle_id (&self->flush_id, g_source_remove);
  switch (state)
    {
    case BHXH_KEYBURST_COMPLETE:
      restore_editable (self);
      emit_text (self, bhxh_keyburst_take_payload (self->keyburst));
      return TRUE;
    case BHXH_KEYBURST_PENDING:
      /* Scanners set to end with Tab send no Enter. */
      self->flush_id = g_timeout_add (90, flush_cb, self);
      return TRUE;
    case BHXH_KEYBURST_IGNORED:
    default:
      return FALSE;
    }
}

/* Alt+numpad scanners: each character is Alt held and its decimal code on
 * the numpad, typed when Alt goes up. */
gboolean
bhxh_scan_listener_feed_alt_digit (BhxhScanListener *self,
                                   guint             digit,
                                   gint64            time_us)
{
  g_return_val_if_fail (BHXH_IS_SCAN_LISTENER (self), FALSE);

  if (!self->enabled)
    return FALSE;
  g_clear_handle_id (&self->flush_id, g_source_remove);
  bhxh_keyburst_feed_alt_digit (self->keyburst, digit, time_us);
  return TRUE;
}

gboolean
bhxh_scan_listener_feed_alt_release (BhxhScanListener *self,
                                     gint64            time_us)
{
  g_return_val_if_fail (BHXH_IS_SCAN_LISTENER (self), FALSE);

  if (!self->enabled)
    return FALSE;
  return handle_state (self, bhxh_keyburst_feed_alt_release (self->keyburst, time_us));
}

gboolean
bhxh_scan_listener_feed_key (BhxhScanListener *self,
                             guint             keyval,
                             gint64            time_us)
{
  gunichar ch = gdk_keyval_to_unicode (keyval);
  BhxhKeyburstState state;

  g_return_val_if_fail (BHXH_IS_SCAN_LISTENER (self), FALSE);

  if (!self->enabled)
    return FALSE;
  state = bhxh_keyburst_feed (self->keyburst, ch, keyval, time_us);
  if (bhxh_keyburst_get_length (self->keyburst) == 1 && state == BHXH_KEYBURST_IGNORED)
    remember_editable (self);

  return handle_state (self, state);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        modifiers,
                BhxhScanListener      *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  guint32 time_ms = event != NULL ? gdk_event_get_time (event) : 0;
  gint64 time_us = time_ms != 0 ? (gint64) time_ms * 1000 : g_get_monotonic_time ();

  /* Alt and a numpad digit: an Alt+numpad scanner's code. */
  if ((modifiers & GDK_ALT_MASK) && !(modifiers & (GDK_CONTROL_MASK | GDK_SUPER_MASK)) &&
      keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    return bhxh_scan_listener_feed_alt_digit (self, keyval - GDK_KEY_KP_0, time_us);
  if (keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R)
    return FALSE;
  /* Shortcuts are a person's, never a scanner's. */
  if (modifiers & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    {
      bhxh_keyburst_reset (self->keyburst);
      return FALSE;
    }
  return bhxh_scan_listener_feed_key (self, keyval, time_us);
}

static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        modifiers,
                 BhxhScanListener      *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  guint32 time_ms = event != NULL ? gdk_event_get_time (event) : 0;

  if (keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R)
    bhxh_scan_listener_feed_alt_release (self, time_ms != 0 ? (gint64) time_ms * 1000
                                                            : g_get_monotonic_time ());
}

static void
serial_payload_cb (BhxhScanListener *self,
                   GBytes           *payload)
{
  if (self->enabled)
    g_signal_emit (self, signals[PAYLOAD], 0, payload);
}

static void
serial_error_cb (BhxhScanListener *self,
                 const GError     *error)
{
  g_signal_emit (self, signals[PROBLEM], 0, error->message, NULL);
}

static void
close_serial (BhxhScanListener *self)
{
  if (self->serial == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->serial, self);
  bhxh_scan_serial_close (self->serial);
  g_clear_object (&self->serial);
}

static void
apply_settings (BhxhScanListener *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "scanner-mode");
  g_autofree char *device = NULL;
  g_autoptr(GError) error = NULL;

  close_serial (self);
  /* A keyboard-mode scanner is always heard (any USB scanner can be one),
   * unless scanning is off; the serial port only when it is the mode. */
  gtk_event_controller_set_propagation_phase (self->keys,
                                              g_str_equal (mode, "off") ? GTK_PHASE_NONE
                                                                        : GTK_PHASE_CAPTURE);
  if (!self->enabled || !g_str_equal (mode, "serial"))
    return;

  device = g_settings_get_string (self->settings, "serial-device");
  self->serial = bhxh_scan_serial_new ();
  g_signal_connect_swapped (self->serial, "payload", G_CALLBACK (serial_payload_cb), self);
  g_signal_connect_swapped (self->serial, "error", G_CALLBACK (serial_error_cb), self);
  if (!bhxh_scan_serial_open (self->serial, device,
                              g_settings_get_uint (self->settings, "serial-baud"), &error))
    {
      g_autofree char *message = g_strdup_printf (_("The serial scanner cannot be opened: %s"),
                                                  error->message);

      close_serial (self);
      g_signal_emit (self, signals[PROBLEM], 0, message, NULL);
    }
}

static void
bhxh_scan_listener_dispose (GObject *object)
{
  BhxhScanListener *self = (BhxhScanListener *)object;

  close_serial (self);
  forget_editable (self);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->window != NULL)
    {
      gtk_widget_remove_controller (self->window, self->keys);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  g_clear_object (&self->keys);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bhxh_scan_listener_parent_class)->dispose (object);
}

static void
bhxh_scan_listener_finalize (GObject *object)
{
  BhxhScanListener *self = (BhxhScanListener *)object;

  g_clear_pointer (&self->keyburst, bhxh_keyburst_free);
  G_OBJECT_CLASS (bhxh_scan_listener_parent_class)->finalize (object);
}

static void
bhxh_scan_listener_class_init (BhxhScanListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bhxh_scan_listener_dispose;
  object_class->finalize = bhxh_scan_listener_finalize;

  signals[PAYLOAD] = g_signal_new ("payload", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  /* (message, text?): what went wrong, and what the scanner typed. */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
                                   G_TYPE_STRING);
}

static void
bhxh_scan_listener_init (BhxhScanListener *self)
{
  self->keyburst = bhxh_keyburst_new ();
}

BhxhScanListener *
bhxh_scan_listener_new (GtkWidget *window,
                        GSettings *settings)
{
  BhxhScanListener *self;

  g_return_val_if_fail (GTK_IS_WIDGET (window), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BHXH_TYPE_SCAN_LISTENER, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->settings = g_object_ref (settings);
  self->keys = g_object_ref (gtk_event_controller_key_new ());
  gtk_event_controller_set_name (self->keys, "bhxh-scan-keys");
  g_signal_connect (self->keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect (self->keys, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (window, self->keys);

  g_signal_connect_object (settings, "changed::scanner-mode", G_CALLBACK (apply_settings),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::serial-device", G_CALLBACK (apply_settings),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::serial-baud", G_CALLBACK (apply_settings),
                           self, G_CONNECT_SWAPPED);
  apply_settings (self);
  return self;
}

void
bhxh_scan_listener_set_enabled (BhxhScanListener *self,
                                gboolean          enabled)
{
  g_return_if_fail (BHXH_IS_SCAN_LISTENER (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  bhxh_keyburst_reset (self->keyburst);
  apply_settings (self);
}
