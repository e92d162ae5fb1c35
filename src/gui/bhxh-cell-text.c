/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One line of text in a list cell, ellipsized at the end: the queue's
 * cells. A GtkLabel lays its text out again to be measured whenever the
 * text changes, and a GtkInscription makes a Pango context for each cell
 * and measures the font for each; a list rebinds hundreds of cells per
 * keystroke and creates or drops as many when the count crosses the rows
 * GTK keeps. Here the height is one line of the list's font, measured
 * once per font for the whole list; a new text is only drawn again, and
 * the text is laid out only in cells that are drawn. */
#include "config.h"

#include "bhxh-cell-text.h"

struct _BhxhCellText
{
  GtkWidget    parent_instance;
  char        *text;
  PangoLayout *layout;      /* made when first drawn */
};

G_DEFINE_FINAL_TYPE (BhxhCellText, bhxh_cell_text, GTK_TYPE_WIDGET)

typedef struct
{
  guint hash;               /* of the font it was measured for */
  int   height;
  int   baseline;
} LineSize;

/* One line of the font of the list around @widget, kept on the list. */
static const LineSize *
line_size (GtkWidget *widget)
{
  GtkWidget *list = gtk_widget_get_ancestor (widget, GTK_TYPE_COLUMN_VIEW);
  PangoContext *context;
  LineSize *size;
  guint hash;

  if (list == NULL)
    list = widget;
  context = gtk_widget_get_pango_context (list);
  hash = pango_font_description_hash (pango_context_get_font_description (context));
  size = g_object_get_data (G_OBJECT (list), "bhxh-cell-line-size");
  if (size == NULL)
    {
      size = g_new0 (LineSize, 1);
      g_object_set_data_full (G_OBJECT (list), "bhxh-cell-line-size", size, g_free);
    }
  if (size->height == 0 || size->hash != hash)
    {
      PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);

      size->hash = hash;
      size->baseline = pango_font_metrics_get_ascent (metrics);
      size->height = size->baseline + pango_font_metrics_get_descent (metrics);
      pango_font_metrics_unref (metrics);
    }
  return size;
}

static void
bhxh_cell_text_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  const LineSize *size;

  /* The column gives the width. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    return;
  size = line_size (widget);
  *minimum = *natural = PANGO_PIXELS_CEIL (size->height);
  *minimum_baseline = *natural_baseline = PANGO_PIXELS_CEIL (size->baseline);
}

static void
bhxh_cell_text_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  BhxhCellText *self = BHXH_CELL_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoRectangle logical;

  if (self->text == NULL || self->text[0] == '\0')
    return;
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (widget, self->text);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
    }
  pango_layout_set_width (self->layout, width * PANGO_SCALE);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_snapshot_render_layout (snapshot, gtk_widget_get_style_context (widget),
                              0, MAX (0, (height - logical.height) / 2), self->layout);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_pop (snapshot);
}

/* A new font or colour: laid out again when next drawn. */
static void
bhxh_cell_text_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  BhxhCellText *self = BHXH_CELL_TEXT (widget);

  GTK_WIDGET_CLASS (bhxh_cell_text_parent_class)->css_changed (widget, change);
  g_clear_object (&self->layout);
  gtk_widget_queue_resize (widget);
}

static void
bhxh_cell_text_finalize (GObject *object)
{
  BhxhCellText *self = BHXH_CELL_TEXT (object);

  g_clear_object (&self->layout);
  g_free (self->text);
  G_OBJECT_CLASS (bhxh_cell_text_parent_class)->finalize (object);
}

static void
bhxh_cell_text_class_init (BhxhCellTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bhxh_cell_text_finalize;
  widget_class->measure = bhxh_cell_text_measure;
  widget_class->snapshot = bhxh_cell_text_snapshot;
  widget_class->css_changed = bhxh_cell_text_css_changed;
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
bhxh_cell_text_init (BhxhCellText *self)
{
}

GtkWidget *
bhxh_cell_text_new (void)
{
  return g_object_new (BHXH_TYPE_CELL_TEXT, NULL);
}

void
bhxh_cell_text_set_text (BhxhCellText *self,
                         const char   *text)
{
  g_return_if_fail (BHXH_IS_CELL_TEXT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text != NULL ? text : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : "", -1);
}

const char *
bhxh_cell_text_get_text (BhxhCellText *self)
{
  g_return_val_if_fail (BHXH_IS_CELL_TEXT (self), NULL);
  return self->text;
}
