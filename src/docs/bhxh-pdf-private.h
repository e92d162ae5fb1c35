/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <hpdf.h>

G_BEGIN_DECLS

/* A small flowing-layout engine over libharu: a cursor that moves down the
 * page, word wrapping measured with the embedded font, page breaks that
 * call back (so a table can repeat its header), and a few drawing helpers.
 * Every string it is given must already be NFC (bhxh_pdf_nfc). Units are
 * PDF points; y grows upwards as in PDF. */

#define BHXH_PDF_MM (72.0 / 25.4)

typedef enum
{
  BHXH_PDF_REGULAR,
  BHXH_PDF_BOLD,
  BHXH_PDF_N_FONTS,
} BhxhPdfFont;

typedef enum
{
  BHXH_PDF_LEFT,
  BHXH_PDF_CENTER,
  BHXH_PDF_RIGHT,
  BHXH_PDF_JUSTIFY,
} BhxhPdfAlign;

typedef struct _BhxhPdf BhxhPdf;
typedef void (*BhxhPdfPageFunc) (BhxhPdf *pdf,
                                 gpointer user_data);

struct _BhxhPdf
{
  HPDF_Doc         doc;
  HPDF_Font        fonts[BHXH_PDF_N_FONTS];
  double           space_width[BHXH_PDF_N_FONTS];   /* per 1 pt of size */
  GPtrArray       *pages;        /* (element-type HPDF_Page) in order */
  HPDF_Page        page;
  gboolean         landscape;
  double           width, height;
  double           left, right, top, bottom;     /* content box, absolute */
  double           y;            /* top of the next line */
  double           last_baseline;
  double           margin[4];    /* left, right, top, bottom of new pages */
  BhxhPdfPageFunc  on_new_page;
  gpointer         on_new_page_data;
  HPDF_STATUS      status;       /* first libharu error, 0 if none */
  HPDF_STATUS      status_detail;
};

/* One piece of text in one font, for paragraphs that mix labels and values. */
typedef struct
{
  BhxhPdfFont  font;
  const char  *text;
} BhxhPdfRun;

typedef struct
{
  double        size;
  double        leading;        /* line height; 0: 1.35 × size */
  BhxhPdfAlign  align;
  double        indent;         /* from the left edge of the content box */
  double        first_indent;   /* added on the first line only (may be < 0) */
  double        right_indent;
} BhxhPdfPara;

typedef struct
{
  const char   *title;
  double        width;
  BhxhPdfAlign  align;
} BhxhPdfColumn;

typedef struct
{
  BhxhPdfColumn       *columns;      /* widths are proportions, scaled to fit */
  guint                n_columns;
  double               size;
  int                  bar_column;   /* -1: none; else cells there draw a bar */
  /* private */
  BhxhPdfPageFunc      saved_func;
  gpointer             saved_data;
} BhxhPdfTable;

char      *bhxh_pdf_nfc           (const char        *text);

gboolean   bhxh_pdf_init          (BhxhPdf           *pdf,
                                   const char        *regular_path,
                                   const char        *bold_path,
                                   GError           **error);
void       bhxh_pdf_clear         (BhxhPdf           *pdf);

void       bhxh_pdf_add_page      (BhxhPdf           *pdf,
                                   gboolean           landscape);
void       bhxh_pdf_ensure        (BhxhPdf           *pdf,
                                   double             height);
void       bhxh_pdf_skip          (BhxhPdf           *pdf,
                                   double             height);

double     bhxh_pdf_text_width    (BhxhPdf           *pdf,
                                   BhxhPdfFont        font,
                                   double             size,
                                   const char        *text);
GPtrArray *bhxh_pdf_wrap          (BhxhPdf           *pdf,
                                   BhxhPdfFont        font,
                                   double             size,
                                   const char        *text,
                                   double             width);
void       bhxh_pdf_text          (BhxhPdf           *pdf,
                                   BhxhPdfFont        font,
                                   double             size,
                                   double             x,
                                   double             baseline,
                                   const char        *text);
void       bhxh_pdf_text_in       (BhxhPdf           *pdf,
                                   BhxhPdfFont        font,
                                   double             size,
                                   double             x0,
                                   double             x1,
                                   double             baseline,
                                   BhxhPdfAlign       align,
                                   const char        *text);
double     bhxh_pdf_paragraph     (BhxhPdf           *pdf,
                                   const BhxhPdfPara *para,
                                   const BhxhPdfRun  *runs,
                                   guint              n_runs);
double     bhxh_pdf_line          (BhxhPdf           *pdf,
                                   BhxhPdfFont        font,
                                   double             size,
                                   BhxhPdfAlign       align,
                                   const char        *text);
double     bhxh_pdf_baseline      (double             top,
                                   double             size,
                                   double             leading);

void       bhxh_pdf_hline         (BhxhPdf           *pdf,
                                   double             x0,
                                   double             x1,
                                   double             y,
                                   double             line_width);
void       bhxh_pdf_rect          (BhxhPdf           *pdf,
                                   double             x,
                                   double             y,
                                   double             w,
                                   double             h,
                                   double             line_width,
                                   double             fill_gray);
void       bhxh_pdf_checkbox      (BhxhPdf           *pdf,
                                   double             x,
                                   double             baseline,
                                   double             size,
                                   gboolean           checked);
void       bhxh_pdf_dots          (BhxhPdf           *pdf,
                                   double             size,
                                   double             x0,
                                   double             x1,
                                   double             baseline);

void       bhxh_pdf_table_begin   (BhxhPdf           *pdf,
                                   BhxhPdfTable      *table);
void       bhxh_pdf_table_row     (BhxhPdf           *pdf,
                                   BhxhPdfTable      *table,
                                   const char *const *cells,
                                   double             bar);
double     bhxh_pdf_table_row_height (BhxhPdf        *pdf,
                                   BhxhPdfTable      *table,
                                   const char *const *cells);
void       bhxh_pdf_table_end     (BhxhPdf           *pdf,
                                   BhxhPdfTable      *table);

G_END_DECLS
