/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chip's portrait beside the photo the citizen attached to the
 * declaration, the same size, for the clerk to look at both faces. The
 * chip's image is decoded in a thread (libopenjp2 is opened then, never at
 * the window's start); the declaration's photo comes from the service. */
#include "config.h"

#include "bhxh-gui-util.h"

#include <glib/gi18n-lib.h>

#include "chip/bhxh-portrait.h"

#include "bhxh-portrait-pair.h"

/* ICAO portraits are 3:4. */
#define PICTURE_WIDTH  108
#define PICTURE_HEIGHT 144

struct _BhxhPortraitPair
{
  GtkWidget     parent_instance;

  GtkStack     *chip_stack;
  GtkSpinner   *chip_spinner;
  GtkPicture   *chip_picture;
  GtkLabel     *chip_caption;
  GtkStack     *declaration_stack;
  GtkSpinner   *declaration_spinner;
  GtkPicture   *declaration_picture;
  GtkLabel     *declaration_caption;

  GCancellable *cancellable;
  char         *declaration_id;
  GBytes       *chip_portrait;
  guint         busy;            /* decodes and fetches under way */
};

G_DEFINE_FINAL_TYPE (BhxhPortraitPair, bhxh_portrait_pair, GTK_TYPE_WIDGET)

/* The result of one decode: which side it goes to. */
typedef struct
{
  BhxhPortraitPair *self;
  gboolean          chip;
} Side;

static void
side_free (Side *side)
{
  g_object_unref (side->self);
  g_free (side);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Side, side_free)

static Side *
side_new (BhxhPortraitPair *self,
          gboolean          chip)
{
  Side *side = g_new0 (Side, 1);

  side->self = g_object_ref (self);
  side->chip = chip;
  self->busy++;
  return side;
}

static void
show_none (BhxhPortraitPair *self,
           gboolean          chip,
           const char       *caption)
{
  gtk_stack_set_visible_child_name (chip ? self->chip_stack : self->declaration_stack, "none");
  gtk_label_set_text (chip ? self->chip_caption : self->declaration_caption, caption);
}

static void
show_texture (BhxhPortraitPair   *self,
              gboolean            chip,
              const BhxhPortrait *portrait)
{
  g_autoptr(GdkTexture) texture =
    gdk_memory_texture_new (portrait->width, portrait->height, GDK_MEMORY_R8G8B8,
                            portrait->pixels, portrait->rowstride);

  gtk_picture_set_paintable (chip ? self->chip_picture : self->declaration_picture,
                             GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (chip ? self->chip_stack : self->declaration_stack,
                                    "picture");
  gtk_label_set_text (chip ? self->chip_caption : self->declaration_caption,
                      chip ? _("Photo on the chip") : _("Photo on the declaration"));
}

static void
decoded_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Side) side = user_data;
  BhxhPortraitPair *self = side->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhPortrait) portrait = bhxh_portrait_decode_finish (result, &error);

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (portrait != NULL)
    show_texture (self, side->chip, portrait);
  else
    {
      g_debug ("portrait: %s", error->message);
      show_none (self, side->chip, side->chip ? _("The chip’s photo cannot be shown")
                                              : _("The declaration’s photo cannot be shown"));
    }
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Side) side = user_data;
  BhxhPortraitPair *self = side->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = NULL;

  image = bhxh_counter_get_declaration_portrait_finish (BHXH_COUNTER (source), result, &error);
  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  if (image == NULL)
    {
      if (error != NULL)
        g_debug ("portrait: %s", error->message);
      show_none (self, FALSE, error != NULL ? _("The declaration’s photo cannot be shown")
                                            : _("The declaration has no photo"));
      return;
    }
  bhxh_portrait_decode_async (image, self->cancellable, decoded_cb, side_new (self, FALSE));
}

static void
set_loading (BhxhPortraitPair *self)
{
  gtk_stack_set_visible_child_name (self->chip_stack, "loading");
  gtk_stack_set_visible_child_name (self->declaration_stack, "loading");
  gtk_label_set_text (self->chip_caption, _("Photo on the chip"));
  gtk_label_set_text (self->declaration_caption, _("Photo on the declaration"));
  gtk_picture_set_paintable (self->chip_picture, NULL);
  gtk_picture_set_paintable (self->declaration_picture, NULL);
}

/**
 * bhxh_portrait_pair_show:
 * @counter: (nullable): where the declaration's photo comes from
 * @chip_portrait: DG2's image; %NULL hides the pair
 *
 * Shows the two faces; the same declaration and image again change nothing
 * (no new layout while the clerk reads the verdict).
 */
void
bhxh_portrait_pair_show (BhxhPortraitPair *self,
                         BhxhCounter      *counter,
                         const char       *declaration_id,
                         GBytes           *chip_portrait)
{
  g_return_if_fail (BHXH_IS_PORTRAIT_PAIR (self));

  if (chip_portrait == NULL || declaration_id == NULL)
    {
      bhxh_portrait_pair_clear (self);
      return;
    }
  if (g_strcmp0 (self->declaration_id, declaration_id) == 0 && self->chip_portrait != NULL &&
      g_bytes_equal (self->chip_portrait, chip_portrait))
    return;
  bhxh_portrait_pair_clear (self);
  self->declaration_id = g_strdup (declaration_id);
  self->chip_portrait = g_bytes_ref (chip_portrait);
  self->cancellable = g_cancellable_new ();
  set_loading (self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  bhxh_portrait_decode_async (chip_portrait, self->cancellable, decoded_cb,
                              side_new (self, TRUE));
  if (counter == NULL)
    show_none (self, FALSE, _("The declaration has no photo"));
  else
    bhxh_counter_get_declaration_portrait_async (counter, declaration_id, self->cancellable,
                                                 fetched_cb, side_new (self, FALSE));
}

void
bhxh_portrait_pair_clear (BhxhPortraitPair *self)
{
  g_return_if_fail (BHXH_IS_PORTRAIT_PAIR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->declaration_id, g_free);
  g_clear_pointer (&self->chip_portrait, g_bytes_unref);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* For the tests: decodes or a fetch still under way. */
gboolean
bhxh_portrait_pair_get_busy (BhxhPortraitPair *self)
{
  g_return_val_if_fail (BHXH_IS_PORTRAIT_PAIR (self), FALSE);

  return self->busy > 0;
}

/* How many pictures are on show (0 to 2). */
guint
bhxh_portrait_pair_get_n_shown (BhxhPortraitPair *self)
{
  g_return_val_if_fail (BHXH_IS_PORTRAIT_PAIR (self), 0);

  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    return 0;
  return (gtk_picture_get_paintable (self->chip_picture) != NULL) +
         (gtk_picture_get_paintable (self->declaration_picture) != NULL);
}

const char *
bhxh_portrait_pair_get_caption (BhxhPortraitPair *self,
                                gboolean          chip)
{
  g_return_val_if_fail (BHXH_IS_PORTRAIT_PAIR (self), NULL);

  return gtk_label_get_text (chip ? self->chip_caption : self->declaration_caption);
}

static void
bhxh_portrait_pair_dispose (GObject *object)
{
  BhxhPortraitPair *self = (BhxhPortraitPair *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BHXH_TYPE_PORTRAIT_PAIR);
  _bhxh_widget_unparent_children (GTK_WIDGET (self));
  g_clear_pointer (&self->declaration_id, g_free);
  g_clear_pointer (&self->chip_portrait, g_bytes_unref);

  G_OBJECT_CLASS (bhxh_portrait_pair_parent_class)->dispose (object);
}

static void
bhxh_portrait_pair_class_init (BhxhPortraitPairClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_portrait_pair_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/bhxh/Desk/bhxh-portrait-pair.ui");
  gtk_widget_class_bind_template_child (widget_class, BhxhPortraitPair, chip_stack);
  gtk_widget_class_bind_template_child (widget_class, BhxhPortraitPair, chip_spinner);
  gtk_widget_class_bind_template_child (widget_class, BhxhPortraitPair, chip_picture);
  gtk_widget_class_bind_template_child (widget_class, BhxhPortraitPair, chip_caption);
  gtk_widget_class_bind_template_child (widget_class, BhxhPortraitPair, declaration_stack);
  gtk_widget_class_bind_template_child (widget_class, BhxhPortraitPair, declaration_spinner);
  gtk_widget_class_bind_template_child (widget_class, BhxhPortraitPair, declaration_picture);
  gtk_widget_class_bind_template_child (widget_class, BhxhPortraitPair, declaration_caption);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bhxh_portrait_pair_init (BhxhPortraitPair *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Two pictures of one size, whatever their pixels. */
  gtk_widget_set_size_request (GTK_WIDGET (self->chip_stack), PICTURE_WIDTH, PICTURE_HEIGHT);
  gtk_widget_set_size_request (GTK_WIDGET (self->declaration_stack), PICTURE_WIDTH,
                               PICTURE_HEIGHT);
  gtk_spinner_start (self->chip_spinner);
  gtk_spinner_start (self->declaration_spinner);
}
