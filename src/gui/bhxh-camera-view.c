/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include "scan/bhxh-scan-error.h"
#include "bhxh-camera-view.h"

/* Self-contained: no template, so it can be dropped into any page.
 * Frames arrive from the camera on the main context already throttled
 * (~15 a second); each becomes a GdkMemoryTexture shown by a GtkPicture.
 * GTK 4.8 has no 8-bit grey memory format, so grey is widened to RGB. */

struct _BhxhCameraView
{
  GtkWidget        parent_instance;
  GtkStack        *stack;
  GtkPicture      *picture;
  AdwStatusPage   *status;
  BhxhScanCamera  *camera;
  GSignalGroup    *camera_signals;
  gboolean         running;
};

G_DEFINE_FINAL_TYPE (BhxhCameraView, bhxh_camera_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CAMERA, PROP_RUNNING, N_PROPS };
static GParamSpec *properties[N_PROPS];

static GdkTexture *
texture_from_frame (const BhxhScanFrame *frame)
{
  gsize stride = (gsize) frame->width * 3;
  guint8 *rgb = g_malloc (stride * frame->height);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < frame->height; y++)
    {
      const guint8 *in = frame->data + (gsize) y * frame->stride;
      guint8 *out = rgb + y * stride;

      for (int x = 0; x < frame->width; x++, out += 3)
        out[0] = out[1] = out[2] = in[x];
    }
  bytes = g_bytes_new_take (rgb, stride * frame->height);
  return gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8, bytes, stride);
}

static void
set_running (BhxhCameraView *self,
             gboolean        running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
show_problem (BhxhCameraView *self,
              const GError   *error)
{
  gboolean no_camera = g_error_matches (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA)
                       || g_error_matches (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_UNSUPPORTED);

  adw_status_page_set_title (self->status,
                             no_camera ? _("No camera found") : _("The camera stopped"));
  adw_status_page_set_description (self->status, error->message);
  gtk_stack_set_visible_child_name (self->stack, "status");
  gtk_picture_set_paintable (self->picture, NULL);
  set_running (self, FALSE);
}

static void
frame_cb (BhxhCameraView      *self,
          const BhxhScanFrame *frame)
{
  g_autoptr(GdkTexture) texture = texture_from_frame (frame);

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->stack, "preview");
}

static void
camera_error_cb (BhxhCameraView *self,
                 const GError   *error)
{
  show_problem (self, error);
}

static void
camera_stopped_cb (BhxhCameraView *self)
{
  set_running (self, FALSE);
}

gboolean
bhxh_camera_view_start (BhxhCameraView *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BHXH_IS_CAMERA_VIEW (self), FALSE);

  if (self->camera == NULL)
    {
      g_set_error_literal (&error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_NO_CAMERA,
                           _("No camera is chosen in the preferences"));
      show_problem (self, error);
      return FALSE;
    }
  if (!bhxh_scan_camera_start (self->camera, &error))
    {
      show_problem (self, error);
      return FALSE;
    }
  adw_status_page_set_title (self->status, _("Starting the camera…"));
  adw_status_page_set_description (self->status, NULL);
  set_running (self, TRUE);
  return TRUE;
}

void
bhxh_camera_view_stop (BhxhCameraView *self)
{
  g_return_if_fail (BHXH_IS_CAMERA_VIEW (self));

  if (self->camera != NULL)
    bhxh_scan_camera_stop (self->camera);
  gtk_picture_set_paintable (self->picture, NULL);
  set_running (self, FALSE);
}

gboolean
bhxh_camera_view_get_running (BhxhCameraView *self)
{
  g_return_val_if_fail (BHXH_IS_CAMERA_VIEW (self), FALSE);

  return self->running;
}

BhxhScanCamera *
bhxh_camera_view_get_camera (BhxhCameraView *self)
{
  g_return_val_if_fail (BHXH_IS_CAMERA_VIEW (self), NULL);

  return self->camera;
}

void
bhxh_camera_view_set_camera (BhxhCameraView *self,
                             BhxhScanCamera *camera)
{
  g_return_if_fail (BHXH_IS_CAMERA_VIEW (self));
  g_return_if_fail (camera == NULL || BHXH_IS_SCAN_CAMERA (camera));

  if (self->camera == camera)
    return;
  if (self->camera != NULL && self->running)
    bhxh_camera_view_stop (self);
  g_set_object (&self->camera, camera);
  g_signal_group_set_target (self->camera_signals, camera);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
}

static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  bhxh_camera_view_start (BHXH_CAMERA_VIEW (widget));
}

static void
bhxh_camera_view_dispose (GObject *object)
{
  BhxhCameraView *self = BHXH_CAMERA_VIEW (object);

  if (self->camera != NULL && self->running)
    bhxh_scan_camera_stop (self->camera);
  g_clear_object (&self->camera_signals);
  g_clear_object (&self->camera);
  g_clear_pointer ((GtkWidget **) &self->stack, gtk_widget_unparent);
  G_OBJECT_CLASS (bhxh_camera_view_parent_class)->dispose (object);
}

static void
bhxh_camera_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BhxhCameraView *self = BHXH_CAMERA_VIEW (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      g_value_set_object (value, self->camera);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_camera_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BhxhCameraView *self = BHXH_CAMERA_VIEW (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      bhxh_camera_view_set_camera (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_camera_view_class_init (BhxhCameraViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_camera_view_dispose;
  object_class->get_property = bhxh_camera_view_get_property;
  object_class->set_property = bhxh_camera_view_set_property;

  properties[PROP_CAMERA] =
    g_param_spec_object ("camera", NULL, NULL, BHXH_TYPE_SCAN_CAMERA,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "camera-view.retry", NULL, retry_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "camera-view.retry", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "camera-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
build_status_page (BhxhCameraView *self)
{
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Try Again"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "camera-view.retry");
  gtk_widget_set_halign (retry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (retry, "pill");
  self->status = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->status, "camera-disabled-symbolic");
  adw_status_page_set_title (self->status, _("Camera is off"));
  adw_status_page_set_child (self->status, retry);
  return GTK_WIDGET (self->status);
}

static void
bhxh_camera_view_init (BhxhCameraView *self)
{
  self->stack = GTK_STACK (gtk_stack_new ());
  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Camera preview"), -1);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->picture), "preview");
  gtk_stack_add_named (self->stack, build_status_page (self), "status");
  gtk_stack_set_visible_child_name (self->stack, "status");
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));

  self->camera_signals = g_signal_group_new (BHXH_TYPE_SCAN_CAMERA);
  g_signal_group_connect_swapped (self->camera_signals, "frame", G_CALLBACK (frame_cb), self);
  g_signal_group_connect_swapped (self->camera_signals, "error",
                                  G_CALLBACK (camera_error_cb), self);
  g_signal_group_connect_swapped (self->camera_signals, "stopped",
                                  G_CALLBACK (camera_stopped_cb), self);
}

GtkWidget *
bhxh_camera_view_new (void)
{
  return g_object_new (BHXH_TYPE_CAMERA_VIEW, NULL);
}
