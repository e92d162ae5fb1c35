/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "bhxh-scan-locate.h"

/* A 2-D code is a patch where light and dark alternate often in BOTH
 * directions; paper, skin and table do not, and the edge of a card or a
 * line of print alternates in one direction at most. Transitions are
 * counted on a half-resolution copy (which halves sensor noise) with a
 * dead band of about 1.5 sigma of the frame's noise, so noise alone does
 * not count. The pass costs a few ms on a 1080p frame. */
#define CELL 16
#define HALF_CELL (CELL / 2)

static int
compare_region (gconstpointer a,
                gconstpointer b)
{
  const BhxhScanRegion *ra = a;
  const BhxhScanRegion *rb = b;

  return (ra->score < rb->score) - (ra->score > rb->score);
}

static BhxhScanFrame *
half_size (const BhxhScanFrame *frame)
{
  BhxhScanFrame *half = bhxh_scan_frame_new (frame->width / 2, frame->height / 2);

  for (int y = 0; y < half->height; y++)
    {
      const guint8 *r0 = frame->data + (gsize) 2 * y * frame->stride;
      const guint8 *r1 = r0 + frame->stride;
      guint8 *out = half->data + (gsize) y * half->width;

      for (int x = 0; x < half->width; x++)
        out[x] = (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) / 4;
    }
  return half;
}

/* Median absolute difference of horizontal neighbours on a sparse grid:
 * about sigma for Gaussian noise, and blind to the frame's content. */
static int
noise_level (const BhxhScanFrame *half)
{
  guint histogram[256] = { 0 };
  guint total = 0;
  guint seen = 0;
  int level;

  for (int y = 0; y < half->height; y += 3)
    for (int x = 0; x + 1 < half->width; x += 3)
      {
        const guint8 *p = half->data + (gsize) y * half->width + x;

        histogram[abs (p[0] - p[1])]++;
        total++;
      }
  for (level = 0; level < 255 && (seen += histogram[level]) < total / 2; level++)
    ;
  return level;
}

/* Counts light↔dark changes along a line of the cell, ignoring values
 * inside the dead band around the cell's mean. */
static guint
count_transitions (const guint8 *p,
                   int           step,
                   int           mean,
                   int           band)
{
  int state = 0;
  guint transitions = 0;

  for (int i = 0; i < HALF_CELL; i++, p += step)
    {
      int next = *p > mean + band ? 1 : *p < mean - band ? -1 : 0;

      if (next != 0 && state != 0 && next != state)
        transitions++;
      if (next != 0)
        state = next;
    }
  return transitions;
}

static void
score_cells (const BhxhScanFrame *half,
             int                  cols,
             int                  rows,
             guint               *scores)
{
  int band = MAX (4, noise_level (half) * 3 / 2);

  for (int cy = 0; cy < rows; cy++)
    for (int cx = 0; cx < cols; cx++)
      {
        const guint8 *origin = half->data + (gsize) cy * HALF_CELL * half->width + cx * HALF_CELL;
        guint sum = 0;
        guint h = 0;
        guint v = 0;
        int mean;

        for (int y = 0; y < HALF_CELL; y++)
          for (int x = 0; x < HALF_CELL; x++)
            sum += origin[y * half->width + x];
        mean = sum / (HALF_CELL * HALF_CELL);
        for (int i = 0; i < HALF_CELL; i++)
          {
            h += count_transitions (origin + i * half->width, 1, mean, band);
            v += count_transitions (origin + i, half->width, mean, band);
          }
        scores[cy * cols + cx] = MIN (h, v);
      }
}

/* Flood fill over cells above the threshold; returns the bounding box. */
static BhxhScanRegion
grow_region (guint *scores,
             int    cols,
             int    rows,
             int    start,
             guint  threshold,
             GArray *stack)
{
  BhxhScanRegion region = { G_MAXINT, G_MAXINT, 0, 0, 0 };
  int x1 = 0;
  int y1 = 0;

  g_array_set_size (stack, 0);
  g_array_append_val (stack, start);
  scores[start] = 0;
  while (stack->len > 0)
    {
      int cell = g_array_index (stack, int, stack->len - 1);
      int cx = cell % cols;
      int cy = cell / cols;
      const int neighbours[4][2] = { { -1, 0 }, { 1, 0 }, { 0, -1 }, { 0, 1 } };

      g_array_set_size (stack, stack->len - 1);
      region.x = MIN (region.x, cx);
      region.y = MIN (region.y, cy);
      x1 = MAX (x1, cx);
      y1 = MAX (y1, cy);
      region.score += 1;
      for (int i = 0; i < 4; i++)
        {
          int nx = cx + neighbours[i][0];
          int ny = cy + neighbours[i][1];
          int next = ny * cols + nx;

          if (nx < 0 || ny < 0 || nx >= cols || ny >= rows || scores[next] < threshold)
            continue;
          scores[next] = 0;
          g_array_append_val (stack, next);
        }
    }
  region.width = x1 - region.x + 1;
  region.height = y1 - region.y + 1;
  return region;
}

static int
compare_uint (const void *a,
              const void *b)
{
  guint ua = *(const guint *) a;
  guint ub = *(const guint *) b;

  return (ua > ub) - (ua < ub);
}

/* Sums each cell's 3×3 neighbourhood: one faint code cell is noise, a
 * block of them is a code. Returns the threshold for the sums: a code
 * cell changes about once per line both ways (9 cells × 3 or more),
 * and well above what this frame's typical cell does. */
static guint
smooth_scores (guint *scores,
               int    cols,
               int    rows)
{
  g_autofree guint *raw = g_memdup2 (scores, sizeof (guint) * cols * rows);
  g_autofree guint *sorted = NULL;

  for (int cy = 0; cy < rows; cy++)
    for (int cx = 0; cx < cols; cx++)
      {
        guint sum = 0;

        for (int y = MAX (0, cy - 1); y <= MIN (rows - 1, cy + 1); y++)
          for (int x = MAX (0, cx - 1); x <= MIN (cols - 1, cx + 1); x++)
            sum += raw[y * cols + x];
        scores[cy * cols + cx] = sum;
      }

  sorted = g_memdup2 (scores, sizeof (guint) * cols * rows);
  qsort (sorted, (gsize) cols * rows, sizeof (guint), compare_uint);
  return MAX (27u, 3 * sorted[cols * rows / 2]);
}

GArray *
_bhxh_scan_locate (const BhxhScanFrame *frame,
                   guint                max_regions)
{
  int cols = frame->width / CELL;
  int rows = frame->height / CELL;
  g_autofree guint *scores = NULL;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (int));
  GArray *regions = g_array_new (FALSE, FALSE, sizeof (BhxhScanRegion));
  g_autoptr(BhxhScanFrame) half = NULL;
  guint threshold;

  if (cols < 3 || rows < 3)
    return regions;

  half = half_size (frame);
  scores = g_new0 (guint, (gsize) cols * rows);
  score_cells (half, cols, rows, scores);
  threshold = smooth_scores (scores, cols, rows);

  for (int i = 0; i < cols * rows; i++)
    {
      BhxhScanRegion region;

      if (scores[i] < threshold || scores[i] == 0)
        continue;
      region = grow_region (scores, cols, rows, i, threshold, stack);
      /* A code covers at least 2×2 cells and fills a fair part of its box. */
      if (region.width < 2 || region.height < 2
          || region.score < 0.3 * region.width * region.height)
        continue;
      region.x *= CELL;
      region.y *= CELL;
      region.width *= CELL;
      region.height *= CELL;
      g_array_append_val (regions, region);
    }

  g_array_sort (regions, compare_region);
  if (regions->len > max_regions)
    g_array_set_size (regions, max_regions);
  return regions;
}
