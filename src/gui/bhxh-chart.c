/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stacked bar charts drawn natively with cairo in a GtkSnapshot. Colours
 * come with a legend and the numbers are written on the bars, and the
 * whole chart is also given to assistive technology as words. */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "bhxh-chart.h"

#define PAD 12.0
#define LEGEND_H 22.0

struct _BhxhChart
{
  GtkWidget       parent_instance;
  BhxhChartStyle  style;
  char           *title;
  GStrv           categories;
  GStrv           series;
  double         *values;
  char           *summary;
  guint           first_color;
};

G_DEFINE_FINAL_TYPE (BhxhChart, bhxh_chart, GTK_TYPE_WIDGET)

/* Approve, reject, escalate: GNOME palette green, red, yellow; still told
 * apart by the legend's words and the order within each bar. */
static const GdkRGBA palette[] = {
  { 0.149, 0.635, 0.412, 1.0 },
  { 0.753, 0.110, 0.157, 1.0 },
  { 0.898, 0.647, 0.039, 1.0 },
  { 0.208, 0.518, 0.894, 1.0 },
  { 0.569, 0.255, 0.675, 1.0 },
};

static const GdkRGBA *
series_color (BhxhChart *self,
              guint      series)
{
  return &palette[(series + self->first_color) % G_N_ELEMENTS (palette)];
}

static guint
n_categories (BhxhChart *self)
{
  return self->categories != NULL ? g_strv_length (self->categories) : 0;
}

static guint
n_series (BhxhChart *self)
{
  return self->series != NULL ? g_strv_length (self->series) : 0;
}

static double
category_total (BhxhChart *self,
                guint      category)
{
  double total = 0;

  for (guint s = 0; s < n_series (self); s++)
    total += self->values[category * n_series (self) + s];
  return total;
}

static PangoLayout *
layout_new (BhxhChart  *self,
            const char *text,
            gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static void
draw_text (BhxhChart     *self,
           cairo_t       *cr,
           const GdkRGBA *color,
           const char    *text,
           double         x,
           double         y,
           double         max_width,
           gboolean       bold)
{
  g_autoptr(PangoLayout) layout = layout_new (self, text, bold);

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static double
max_total (BhxhChart *self)
{
  double max = 0;

  for (guint c = 0; c < n_categories (self); c++)
    max = MAX (max, category_total (self, c));
  return max;
}

static void
draw_legend (BhxhChart     *self,
             cairo_t       *cr,
             const GdkRGBA *fg,
             double         y)
{
  double x = PAD;

  for (guint s = 0; s < n_series (self); s++)
    {
      g_autoptr(PangoLayout) layout = layout_new (self, self->series[s], FALSE);
      int w, h;

      gdk_cairo_set_source_rgba (cr, series_color (self, s));
      cairo_rectangle (cr, x, y + 4, 12, 12);
      cairo_fill (cr);
      pango_layout_get_pixel_size (layout, &w, &h);
      gdk_cairo_set_source_rgba (cr, fg);
      cairo_move_to (cr, x + 16, y + 2);
      pango_cairo_show_layout (cr, layout);
      x += 16 + w + 16;
    }
}

static void
draw_columns (BhxhChart     *self,
              cairo_t       *cr,
              const GdkRGBA *fg,
              double         x0,
              double         y0,
              double         width,
              double         height)
{
  guint n = n_categories (self);
  double max = MAX (max_total (self), 1);
  double slot = width / MAX (n, 1);
  double bar = MAX (2, slot * 0.7);
  double label_h = 18;
  double plot_h = height - label_h - 16;

  for (guint c = 0; c < n; c++)
    {
      double x = x0 + c * slot + (slot - bar) / 2;
      double y = y0 + 16 + plot_h;
      double total = category_total (self, c);

      for (guint s = 0; s < n_series (self); s++)
        {
          double v = self->values[c * n_series (self) + s];
          double h = plot_h * v / max;

          gdk_cairo_set_source_rgba (cr, series_color (self, s));
          cairo_rectangle (cr, x, y - h, bar, h);
          cairo_fill (cr);
          y -= h;
        }
      if (total > 0)
        {
          g_autofree char *text = g_strdup_printf ("%.0f", total);

          draw_text (self, cr, fg, text, x, y - 16, 0, FALSE);
        }
      draw_text (self, cr, fg, self->categories[c], x0 + c * slot, y0 + 16 + plot_h + 2, slot,
                 FALSE);
    }
}

static void
draw_bars (BhxhChart     *self,
           cairo_t       *cr,
           const GdkRGBA *fg,
           double         x0,
           double         y0,
           double         width,
           double         height)
{
  guint n = n_categories (self);
  double max = MAX (max_total (self), 1);
  double label_w = MIN (180, width * 0.4);
  double row = MIN (28, height / MAX (n, 1));
  double bar_h = row * 0.7;
  double plot_w = width - label_w - 40;

  for (guint c = 0; c < n; c++)
    {
      double y = y0 + c * row;
      double x = x0 + label_w;
      double total = category_total (self, c);
      g_autofree char *text = g_strdup_printf ("%.0f", total);

      draw_text (self, cr, fg, self->categories[c], x0, y + (row - 18) / 2, label_w - 8, FALSE);
      for (guint s = 0; s < n_series (self); s++)
        {
          double v = self->values[c * n_series (self) + s];
          double w = plot_w * v / max;

          gdk_cairo_set_source_rgba (cr, series_color (self, s));
          cairo_rectangle (cr, x, y + (row - bar_h) / 2, w, bar_h);
          cairo_fill (cr);
          x += w;
        }
      draw_text (self, cr, fg, text, x + 6, y + (row - 18) / 2, 0, FALSE);
    }
}

static void
bhxh_chart_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  BhxhChart *self = BHXH_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  draw_text (self, cr, &fg, self->title, PAD, PAD, width - 2 * PAD, TRUE);
  if (n_categories (self) == 0 || max_total (self) <= 0)
    {
      GdkRGBA dim = fg;

      dim.alpha = 0.55;
      draw_text (self, cr, &dim, _("Nothing yet today"), PAD, PAD + 30, width - 2 * PAD, FALSE);
    }
  else
    {
      double top = PAD + 26;
      double plot_h = height - top - LEGEND_H - 2 * PAD;

      if (self->style == BHXH_CHART_COLUMNS)
        draw_columns (self, cr, &fg, PAD, top, width - 2 * PAD, plot_h);
      else
        draw_bars (self, cr, &fg, PAD, top, width - 2 * PAD, plot_h);
      draw_legend (self, cr, &fg, height - PAD - LEGEND_H);
    }
  cairo_destroy (cr);
}

static void
bhxh_chart_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  BhxhChart *self = BHXH_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 240, *natural = 420;
  else if (self->style == BHXH_CHART_BARS)
    *minimum = *natural = (int) (2 * PAD + 26 + LEGEND_H + 28 * MAX (n_categories (self), 3));
  else
    *minimum = 200, *natural = 240;
}

static void
bhxh_chart_finalize (GObject *object)
{
  BhxhChart *self = (BhxhChart *)object;

  g_free (self->title);
  g_strfreev (self->categories);
  g_strfreev (self->series);
  g_free (self->values);
  g_free (self->summary);
  G_OBJECT_CLASS (bhxh_chart_parent_class)->finalize (object);
}

static void
bhxh_chart_class_init (BhxhChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bhxh_chart_finalize;
  widget_class->snapshot = bhxh_chart_snapshot;
  widget_class->measure = bhxh_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bhxh_chart_init (BhxhChart *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
}

GtkWidget *
bhxh_chart_new (BhxhChartStyle  style,
                const char     *title)
{
  BhxhChart *self = g_object_new (BHXH_TYPE_CHART, NULL);

  self->style = style;
  self->title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return GTK_WIDGET (self);
}

static void
update_summary (BhxhChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint c = 0; c < n_categories (self); c++)
    {
      if (category_total (self, c) <= 0)
        continue;
      g_string_append_printf (text, "%s%s:", text->len > 0 ? "; " : "", self->categories[c]);
      for (guint s = 0; s < n_series (self); s++)
        g_string_append_printf (text, " %s %.0f", self->series[s],
                                self->values[c * n_series (self) + s]);
    }
  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->summary, -1);
}

void
bhxh_chart_set_data (BhxhChart          *self,
                     const char * const *categories,
                     const char * const *series_names,
                     const double       *values)
{
  gsize n;

  g_return_if_fail (BHXH_IS_CHART (self));
  g_return_if_fail (categories != NULL && series_names != NULL);

  g_strfreev (self->categories);
  g_strfreev (self->series);
  self->categories = g_strdupv ((char **) categories);
  self->series = g_strdupv ((char **) series_names);
  n = n_categories (self) * n_series (self);
  g_free (self->values);
  self->values = g_memdup2 (values, MAX (n, 1) * sizeof (double));
  update_summary (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
bhxh_chart_get_n_categories (BhxhChart *self)
{
  g_return_val_if_fail (BHXH_IS_CHART (self), 0);
  return n_categories (self);
}

double
bhxh_chart_get_total (BhxhChart *self)
{
  double total = 0;

  g_return_val_if_fail (BHXH_IS_CHART (self), 0);
  for (guint c = 0; c < n_categories (self); c++)
    total += category_total (self, c);
  return total;
}

const char *
bhxh_chart_get_summary (BhxhChart *self)
{
  g_return_val_if_fail (BHXH_IS_CHART (self), NULL);
  return self->summary;
}

/* Which palette colour the first series takes (0 green, 1 red, 2 yellow):
 * a chart of rejections alone is drawn in the rejections' red. */
void
bhxh_chart_set_first_color (BhxhChart *self,
                            guint      index)
{
  g_return_if_fail (BHXH_IS_CHART (self));
  self->first_color = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
