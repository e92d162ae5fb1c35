/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  BHXH_CHART_COLUMNS,   /* categories along the bottom (hours) */
  BHXH_CHART_BARS,      /* categories down the side (reasons, clerks) */
} BhxhChartStyle;

#define BHXH_TYPE_CHART (bhxh_chart_get_type ())
G_DECLARE_FINAL_TYPE (BhxhChart, bhxh_chart, BHXH, CHART, GtkWidget)

GtkWidget *bhxh_chart_new        (BhxhChartStyle      style,
                                  const char         *title);
/* Stacked series: @values holds n_categories × n_series numbers, row by
 * row (category 0: series 0, 1, …). @series_names label the legend. */
void       bhxh_chart_set_data   (BhxhChart          *self,
                                  const char * const *categories,
                                  const char * const *series_names,
                                  const double       *values);
void       bhxh_chart_set_first_color (BhxhChart     *self,
                                       guint          index);
guint      bhxh_chart_get_n_categories (BhxhChart    *self);
double     bhxh_chart_get_total  (BhxhChart          *self);
/* The chart as words, also its accessible description. */
const char *bhxh_chart_get_summary (BhxhChart        *self);

G_END_DECLS
