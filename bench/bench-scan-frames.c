/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <qrencode.h>

#include "bench-scan-frames.h"

static const char * const family[] = {
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
};
static const char * const middle[] = { "Văn", "Thị", "Hữu", "Đức", "Ngọc", "Thị Bích", "Minh" };
static const char * const given[] = {
  "An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Khỏe", "Lộc", "Mỹ", "Nữ", "Phượng", "Quý",
  "Thủy", "Tuấn", "Xuân", "Yến", "Ánh", "Ngọc",
};
static const char * const places[] = {
  "Số 12 ngõ 34 Thái Hà, Trung Liệt, Đống Đa, Hà Nội",
  "Ấp Phước Lộc, Phước Kiển, Nhà Bè, Hồ Chí Minh",
  "Thôn Đông, Xã Phúc Hòa, Huyện Phúc Thọ, Hà Nội",
  "Tổ 5, Phường Hưng Dũng, Thành phố Vinh, Nghệ An",
  "Khối phố Mỹ Thị, Phường Mỹ Khê, Quận Ngũ Hành Sơn, Đà Nẵng",
};

#define PICK(rand, array) (array[g_rand_int_range (rand, 0, G_N_ELEMENTS (array))])

char *
bench_scan_payload_new (GRand *rand)
{
  gboolean female = g_rand_boolean (rand);
  int year = g_rand_int_range (rand, 1950, 2010);

  return g_strdup_printf ("%03d%d%02d%06d|%s|%s %s %s|%02d%02d%04d|%s|%s|%02d%02d%04d",
                          g_rand_int_range (rand, 1, 97), (year >= 2000 ? 2 : 0) + female,
                          year % 100, g_rand_int_range (rand, 0, 999999),
                          g_rand_boolean (rand) ? "" : "123456789",
                          PICK (rand, family), PICK (rand, middle), PICK (rand, given),
                          g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 1, 13), year,
                          female ? "Nữ" : "Nam", PICK (rand, places),
                          g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 1, 13),
                          g_rand_int_range (rand, 2021, 2025));
}

/* Paper on a desk: a lit gradient, a few dark blocks and text-like bars. */
static void
draw_background (GRand         *rand,
                 BhxhScanFrame *frame)
{
  double gx = g_rand_double_range (rand, -0.05, 0.05);
  double gy = g_rand_double_range (rand, -0.05, 0.05);
  int base = g_rand_int_range (rand, 120, 200);

  for (int y = 0; y < frame->height; y++)
    for (int x = 0; x < frame->width; x++)
      frame->data[y * frame->width + x] = CLAMP (base + gx * x + gy * y, 10, 245);

  for (int i = 0; i < 40; i++)
    {
      int w = g_rand_int_range (rand, 20, 200);
      int h = g_rand_boolean (rand) ? g_rand_int_range (rand, 3, 10)
                                    : g_rand_int_range (rand, 20, 120);
      int x0 = g_rand_int_range (rand, 0, frame->width - w);
      int y0 = g_rand_int_range (rand, 0, frame->height - h);
      int v = g_rand_int_range (rand, 20, 230);

      for (int y = y0; y < y0 + h; y++)
        memset (frame->data + y * frame->width + x0, v, w);
    }
}

typedef struct
{
  double m[9];   /* frame → code module coordinates */
} Homography;

/* Solves the homography mapping the unit square's corners to @dst. */
static Homography
square_to_quad (const double dst[4][2])
{
  double x0 = dst[0][0], y0 = dst[0][1], x1 = dst[1][0], y1 = dst[1][1];
  double x2 = dst[2][0], y2 = dst[2][1], x3 = dst[3][0], y3 = dst[3][1];
  double dx1 = x1 - x2, dx2 = x3 - x2, sx = x0 - x1 + x2 - x3;
  double dy1 = y1 - y2, dy2 = y3 - y2, sy = y0 - y1 + y2 - y3;
  double den = dx1 * dy2 - dx2 * dy1;
  double g = (sx * dy2 - dx2 * sy) / den;
  double h = (dx1 * sy - sx * dy1) / den;
  Homography H = { { x1 - x0 + g * x1, x3 - x0 + h * x3, x0,
                     y1 - y0 + g * y1, y3 - y0 + h * y3, y0,
                     g, h, 1 } };
  return H;
}

static Homography
invert (const Homography *H)
{
  const double *a = H->m;
  double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6])
               + a[2] * (a[3] * a[7] - a[4] * a[6]);
  Homography I = { {
    (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det,
    (a[1] * a[5] - a[2] * a[4]) / det, (a[5] * a[6] - a[3] * a[8]) / det,
    (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
    (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det,
    (a[0] * a[4] - a[1] * a[3]) / det } };
  return I;
}

static void
draw_code (GRand         *rand,
           BhxhScanFrame *frame,
           const QRcode  *code,
           double         module_px,
           int            dark,
           int            light)
{
  int n = code->width + 8;   /* with the 4-module quiet zone */
  double side = n * module_px;
  double angle = g_rand_double_range (rand, -G_PI / 4, G_PI / 4);
  double jitter = g_rand_double_range (rand, 0, 0.10) * side;
  double cx = g_rand_double_range (rand, side, frame->width - side);
  double cy = g_rand_double_range (rand, side * 0.8, frame->height - side * 0.8);
  double corners[4][2];
  const double unit[4][2] = { { -0.5, -0.5 }, { 0.5, -0.5 }, { 0.5, 0.5 }, { -0.5, 0.5 } };
  Homography inv;
  double minx = G_MAXDOUBLE, miny = G_MAXDOUBLE, maxx = 0, maxy = 0;

  for (int i = 0; i < 4; i++)
    {
      double ux = unit[i][0] * side, uy = unit[i][1] * side;

      corners[i][0] = cx + ux * cos (angle) - uy * sin (angle)
                      + g_rand_double_range (rand, -jitter, jitter);
      corners[i][1] = cy + ux * sin (angle) + uy * cos (angle)
                      + g_rand_double_range (rand, -jitter, jitter);
      minx = MIN (minx, corners[i][0]);
      maxx = MAX (maxx, corners[i][0]);
      miny = MIN (miny, corners[i][1]);
      maxy = MAX (maxy, corners[i][1]);
    }
  {
    Homography H = square_to_quad ((const double (*)[2]) corners);
    inv = invert (&H);
  }

  /* 2×2 supersampling of the code and its quiet zone. */
  for (int y = MAX (0, (int) miny); y < MIN (frame->height, (int) maxy + 1); y++)
    for (int x = MAX (0, (int) minx); x < MIN (frame->width, (int) maxx + 1); x++)
      {
        int sum = 0, inside = 0;

        for (int s = 0; s < 4; s++)
          {
            double px = x + 0.25 + 0.5 * (s & 1), py = y + 0.25 + 0.5 * (s >> 1);
            const double *m = inv.m;
            double w = m[6] * px + m[7] * py + m[8];
            double u = (m[0] * px + m[1] * py + m[2]) / w;
            double v = (m[3] * px + m[4] * py + m[5]) / w;
            int mx = (int) floor (u * n) - 4, my = (int) floor (v * n) - 4;

            if (u < 0 || v < 0 || u >= 1 || v >= 1)
              continue;
            inside++;
            if (mx >= 0 && my >= 0 && mx < code->width && my < code->width
                && (code->data[my * code->width + mx] & 1))
              sum += dark;
            else
              sum += light;
          }
        if (inside > 0)
          frame->data[y * frame->width + x] =
            (sum + (4 - inside) * frame->data[y * frame->width + x]) / 4;
      }
}

static void
box_blur (BhxhScanFrame *frame,
          int            radius)
{
  g_autofree guint8 *row = g_malloc (MAX (frame->width, frame->height));
  int w = frame->width, h = frame->height;

  for (int y = 0; y < h; y++)
    {
      guint8 *p = frame->data + y * w;
      int sum = 0;

      memcpy (row, p, w);
      for (int x = -radius; x <= radius; x++)
        sum += row[CLAMP (x, 0, w - 1)];
      for (int x = 0; x < w; x++)
        {
          p[x] = sum / (2 * radius + 1);
          sum += row[MIN (x + radius + 1, w - 1)] - row[MAX (x - radius, 0)];
        }
    }
  for (int x = 0; x < w; x++)
    {
      int sum = 0;

      for (int y = 0; y < h; y++)
        row[y] = frame->data[y * w + x];
      for (int y = -radius; y <= radius; y++)
        sum += row[CLAMP (y, 0, h - 1)];
      for (int y = 0; y < h; y++)
        {
          frame->data[y * w + x] = sum / (2 * radius + 1);
          sum += row[MIN (y + radius + 1, h - 1)] - row[MAX (y - radius, 0)];
        }
    }
}

static void
add_noise (GRand         *rand,
           BhxhScanFrame *frame,
           double         sigma)
{
  gsize n = (gsize) frame->width * frame->height;

  for (gsize i = 0; i < n; i++)
    {
      /* Sum of three uniforms: close enough to Gaussian, and cheap. */
      double r = (g_rand_double (rand) + g_rand_double (rand) + g_rand_double (rand) - 1.5) * 2;

      frame->data[i] = CLAMP (frame->data[i] + r * sigma, 0, 255);
    }
}

BenchScanSample *
bench_scan_sample_new (GRand *rand,
                       int    index)
{
  BenchScanSample *sample = g_new0 (BenchScanSample, 1);
  gboolean hd = index % 2 == 1;
  QRcode *code;
  int dark = g_rand_int_range (rand, 10, 110);
  int spread = g_rand_int_range (rand, 45, 200);   /* not inside MIN (): evaluated twice */
  int light = MIN (250, dark + spread);
  int blur = g_rand_int_range (rand, 0, 100) < 50 ? 0 : g_rand_int_range (rand, 1, 3);
  double noise = g_rand_double_range (rand, 0, 14);

  sample->payload = bench_scan_payload_new (rand);
  sample->eight_bit = g_rand_boolean (rand);
  sample->module_px = g_rand_double_range (rand, 2.0, 6.0);
  sample->frame = bhxh_scan_frame_new (hd ? 1920 : 1280, hd ? 1080 : 720);
  code = sample->eight_bit
         ? QRcode_encodeString8bit (sample->payload, 0, QR_ECLEVEL_M)
         : QRcode_encodeString (sample->payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  g_assert (code != NULL);

  draw_background (rand, sample->frame);
  draw_code (rand, sample->frame, code, sample->module_px, dark, light);
  if (blur > 0)
    box_blur (sample->frame, blur);
  add_noise (rand, sample->frame, noise);
  sample->describe = g_strdup_printf ("%dp v%d %.1fpx/mod contrast %d blur %d noise %.0f",
                                      hd ? 1080 : 720, code->version, sample->module_px,
                                      light - dark, blur, noise);
  QRcode_free (code);
  return sample;
}

void
bench_scan_sample_free (BenchScanSample *sample)
{
  bhxh_scan_frame_free (sample->frame);
  g_free (sample->payload);
  g_free (sample->describe);
  g_free (sample);
}
