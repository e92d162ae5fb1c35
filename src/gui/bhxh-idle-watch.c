/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The idle lock's clock. Input is noted as a time stamp only (a pointer
 * motion costs one clock read); a single timeout checks it when it could
 * have run out and re-arms itself for the rest. */
#include "config.h"

#include "bhxh-idle-watch.h"

struct _BhxhIdleWatch
{
  GObject    parent_instance;
  GtkWidget *widget;         /* (unowned): the watch is owned by it */
  guint      timeout;        /* seconds, 0: never */
  gint64     last_input;     /* monotonic µs */
  guint      source_id;
};

enum {
  PROP_0,
  PROP_TIMEOUT_SECONDS,
  N_PROPS
};

enum {
  IDLE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhIdleWatch, bhxh_idle_watch, G_TYPE_OBJECT)

static void arm (BhxhIdleWatch *self, gint64 delay_us);

static gboolean
check_cb (gpointer user_data)
{
  BhxhIdleWatch *self = user_data;
  gint64 deadline = self->last_input + (gint64) self->timeout * G_USEC_PER_SEC;
  gint64 now = g_get_monotonic_time ();

  self->source_id = 0;
  if (self->timeout == 0)
    return G_SOURCE_REMOVE;
  if (now >= deadline)
    {
      self->last_input = now;
      arm (self, (gint64) self->timeout * G_USEC_PER_SEC);
      g_signal_emit (self, signals[IDLE], 0);
    }
  else
    arm (self, deadline - now);
  return G_SOURCE_REMOVE;
}

static void
arm (BhxhIdleWatch *self,
     gint64         delay_us)
{
  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->timeout == 0)
    return;
  /* Rounded up to the next millisecond: never early. */
  self->source_id = g_timeout_add ((guint) MIN ((delay_us + 999) / 1000, G_MAXUINT),
                                   check_cb, self);
  g_source_set_name_by_id (self->source_id, "[bhxh-desk] idle lock");
}

void
bhxh_idle_watch_poke (BhxhIdleWatch *self)
{
  g_return_if_fail (BHXH_IS_IDLE_WATCH (self));

  self->last_input = g_get_monotonic_time ();
}

static void
input_cb (BhxhIdleWatch *self)
{
  bhxh_idle_watch_poke (self);
}

static gboolean
key_cb (BhxhIdleWatch *self)
{
  bhxh_idle_watch_poke (self);
  return GDK_EVENT_PROPAGATE;
}

static gboolean
scroll_cb (BhxhIdleWatch *self)
{
  bhxh_idle_watch_poke (self);
  return GDK_EVENT_PROPAGATE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           BhxhIdleWatch            *self)
{
  bhxh_idle_watch_poke (self);
}

void
bhxh_idle_watch_set_timeout (BhxhIdleWatch *self,
                             guint          seconds)
{
  g_return_if_fail (BHXH_IS_IDLE_WATCH (self));

  self->last_input = g_get_monotonic_time ();
  if (self->timeout != seconds)
    {
      self->timeout = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_SECONDS]);
    }
  arm (self, (gint64) seconds * G_USEC_PER_SEC);
}

guint
bhxh_idle_watch_get_timeout (BhxhIdleWatch *self)
{
  g_return_val_if_fail (BHXH_IS_IDLE_WATCH (self), 0);

  return self->timeout;
}

static void
bhxh_idle_watch_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BhxhIdleWatch *self = BHXH_IDLE_WATCH (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT_SECONDS:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_idle_watch_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BhxhIdleWatch *self = BHXH_IDLE_WATCH (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT_SECONDS:
      bhxh_idle_watch_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_idle_watch_finalize (GObject *object)
{
  BhxhIdleWatch *self = BHXH_IDLE_WATCH (object);

  g_clear_handle_id (&self->source_id, g_source_remove);
  G_OBJECT_CLASS (bhxh_idle_watch_parent_class)->finalize (object);
}

static void
bhxh_idle_watch_class_init (BhxhIdleWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bhxh_idle_watch_get_property;
  object_class->set_property = bhxh_idle_watch_set_property;
  object_class->finalize = bhxh_idle_watch_finalize;

  properties[PROP_TIMEOUT_SECONDS] =
    g_param_spec_uint ("timeout-seconds", NULL, NULL, 0, G_MAXUINT / 1000, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bhxh_idle_watch_init (BhxhIdleWatch *self)
{
  self->last_input = g_get_monotonic_time ();
}

/**
 * bhxh_idle_watch_new:
 * @widget: the window to watch (capture phase: every input, whichever
 *   child takes it); it holds the watch's controllers, not the watch
 *
 * Returns: (transfer full): a watch that never fires until a timeout is set
 */
BhxhIdleWatch *
bhxh_idle_watch_new (GtkWidget *widget)
{
  BhxhIdleWatch *self = g_object_new (BHXH_TYPE_IDLE_WATCH, NULL);
  GtkEventController *controller;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), self);

  self->widget = widget;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_cb), self, 0);
  gtk_widget_add_controller (widget, controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), 0);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "pressed", G_CALLBACK (input_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  return self;
}
