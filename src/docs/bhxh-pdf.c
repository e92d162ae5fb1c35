/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-papers.h"
#include "bhxh-pdf-private.h"

#define TABLE_PAD 3.0

typedef struct
{
  BhxhPdfFont  font;
  const char  *text;       /* not nul-terminated */
  gsize        len;
  double       width;      /* at the paragraph's size */
  gboolean     space;      /* white space before it */
  gboolean     newline;    /* a forced line break before it */
  gboolean     breakable;  /* a line may end before it */
} Token;

typedef struct
{
  guint   start, end;      /* tokens [start, end) */
  double  width;
  double  avail;
  double  x;
  gboolean last;           /* last line of its paragraph or before a newline */
} Line;

static void
error_cb (HPDF_STATUS  error_no,
          HPDF_STATUS  detail_no,
          void        *user_data)
{
  BhxhPdf *pdf = user_data;

  if (pdf->status == 0)
    {
      pdf->status = error_no;
      pdf->status_detail = detail_no;
    }
}

char *
bhxh_pdf_nfc (const char *text)
{
  char *out;

  if (text == NULL)
    return g_strdup ("");
  out = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  /* Invalid UTF-8 never reaches the store, but a paper must not crash. */
  return out != NULL ? out : g_utf8_make_valid (text, -1);
}

static HPDF_Font
load_font (BhxhPdf     *pdf,
           const char  *path,
           GError     **error)
{
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_FONT,
                   _("The font %s is missing (install fonts-noto-core or set BHXH_DESK_FONTDIR)"),
                   path);
      return NULL;
    }
  name = HPDF_LoadTTFontFromFile (pdf->doc, path, HPDF_TRUE);
  if (name == NULL)
    {
      g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_FONT,
                   _("The font %s cannot be used (libharu error 0x%04X)"),
                   path, (guint) pdf->status);
      return NULL;
    }

  return HPDF_GetFont (pdf->doc, name, "UTF-8");
}

gboolean
bhxh_pdf_init (BhxhPdf     *pdf,
               const char  *regular_path,
               const char  *bold_path,
               GError     **error)
{
  memset (pdf, 0, sizeof *pdf);
  pdf->pages = g_ptr_array_new ();
  pdf->doc = HPDF_New (error_cb, pdf);
  if (pdf->doc == NULL)
    {
      g_set_error_literal (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_PDF,
                           _("Cannot start a PDF document (out of memory)"));
      return FALSE;
    }
  HPDF_SetCompressionMode (pdf->doc, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings (pdf->doc);
  HPDF_SetCurrentEncoder (pdf->doc, "UTF-8");

  pdf->fonts[BHXH_PDF_REGULAR] = load_font (pdf, regular_path, error);
  if (pdf->fonts[BHXH_PDF_REGULAR] == NULL)
    return FALSE;
  pdf->fonts[BHXH_PDF_BOLD] = load_font (pdf, bold_path, error);
  if (pdf->fonts[BHXH_PDF_BOLD] == NULL)
    return FALSE;

  for (guint i = 0; i < BHXH_PDF_N_FONTS; i++)
    pdf->space_width[i] = HPDF_Font_TextWidth (pdf->fonts[i], (const HPDF_BYTE *) " ", 1).width
                          / 1000.0;
  return TRUE;
}

void
bhxh_pdf_clear (BhxhPdf *pdf)
{
  g_clear_pointer (&pdf->pages, g_ptr_array_unref);
  if (pdf->doc != NULL)
    HPDF_Free (pdf->doc);
  pdf->doc = NULL;
}

void
bhxh_pdf_add_page (BhxhPdf  *pdf,
                   gboolean  landscape)
{
  pdf->page = HPDF_AddPage (pdf->doc);
  HPDF_Page_SetSize (pdf->page, HPDF_PAGE_SIZE_A4,
                     landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
  g_ptr_array_add (pdf->pages, pdf->page);
  pdf->landscape = landscape;
  pdf->width = HPDF_Page_GetWidth (pdf->page);
  pdf->height = HPDF_Page_GetHeight (pdf->page);
  pdf->left = pdf->margin[0];
  pdf->right = pdf->width - pdf->margin[1];
  pdf->top = pdf->height - pdf->margin[2];
  pdf->bottom = pdf->margin[3];
  pdf->y = pdf->top;

  if (pdf->on_new_page != NULL)
    pdf->on_new_page (pdf, pdf->on_new_page_data);
}

/* Starts a new page unless @height still fits above the bottom margin. */
void
bhxh_pdf_ensure (BhxhPdf *pdf,
                 double   height)
{
  if (pdf->y - height < pdf->bottom - 0.01)
    bhxh_pdf_add_page (pdf, pdf->landscape);
}

/* Vertical space that is dropped at a page break rather than carried over. */
void
bhxh_pdf_skip (BhxhPdf *pdf,
               double   height)
{
  pdf->y = MAX (pdf->y - height, pdf->bottom);
}

static double
width_of (BhxhPdf     *pdf,
          BhxhPdfFont  font,
          double       size,
          const char  *text,
          gsize        len)
{
  HPDF_TextWidth tw;

  if (len == 0)
    return 0.0;
  tw = HPDF_Font_TextWidth (pdf->fonts[font], (const HPDF_BYTE *) text, len);
  return tw.width * size / 1000.0;
}

double
bhxh_pdf_text_width (BhxhPdf     *pdf,
                     BhxhPdfFont  font,
                     double       size,
                     const char  *text)
{
  return width_of (pdf, font, size, text, strlen (text));
}

double
bhxh_pdf_baseline (double top,
                   double size,
                   double leading)
{
  /* Centre the em box (ascent ~0.8, descent ~0.2 of the size) in the line. */
  return top - (leading - size) / 2.0 - 0.8 * size;
}

static void
tokenize (BhxhPdf          *pdf,
          const BhxhPdfRun *runs,
          guint             n_runs,
          double            size,
          GPtrArray        *texts,
          GArray           *tokens)
{
  gboolean pending_space = FALSE, pending_newline = FALSE;

  for (guint r = 0; r < n_runs; r++)
    {
      char *text = bhxh_pdf_nfc (runs[r].text);
      const char *p = text;

      g_ptr_array_add (texts, text);
      while (*p != '\0')
        {
          const char *start = p;
          Token token = { runs[r].font, NULL, 0, 0.0, FALSE, FALSE, FALSE };

          if (g_unichar_isspace (g_utf8_get_char (p)))
            {
              pending_newline |= (*p == '\n');
              pending_space = TRUE;
              p = g_utf8_next_char (p);
              continue;
            }
          while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);

          token.text = start;
          token.len = p - start;
          token.width = width_of (pdf, token.font, size, start, token.len);
          token.space = pending_space && tokens->len > 0;
          token.newline = pending_newline && tokens->len > 0;
          /* Never start a line with closing punctuation or a run of dots. */
          token.breakable = token.newline || tokens->len == 0
                            || (token.space && strchr (".,;:!?)", *start) == NULL
                                && !g_str_has_prefix (start, "…"));
          g_array_append_val (tokens, token);
          pending_space = pending_newline = FALSE;
        }
    }
}

/* A word wider than a whole line is cut where it stops fitting. */
static gboolean
split_token (BhxhPdf *pdf,
             GArray  *tokens,
             guint    index,
             double   size,
             double   avail)
{
  Token *token = &g_array_index (tokens, Token, index);
  const char *p = token->text, *end = token->text + token->len;
  double w = 0.0;
  Token rest;

  while (p < end)
    {
      const char *next = g_utf8_next_char (p);
      double cw = width_of (pdf, token->font, size, p, next - p);

      if (w + cw > avail && p > token->text)
        break;
      w += cw;
      p = next;
    }
  if (p >= end)
    return FALSE;

  rest = *token;
  rest.text = p;
  rest.len = end - p;
  rest.width = token->width - w;
  rest.space = FALSE;
  rest.newline = FALSE;
  rest.breakable = TRUE;
  token->len = p - token->text;
  token->width = w;
  g_array_insert_val (tokens, index + 1, rest);
  return TRUE;
}

static double
space_before (BhxhPdf     *pdf,
              const Token *token,
              double       size)
{
  return token->space ? pdf->space_width[token->font] * size : 0.0;
}

/* Greedy line filling by units (tokens glued without a break between). */
static GArray *
break_lines (BhxhPdf           *pdf,
             GArray            *tokens,
             const BhxhPdfPara *para,
             double             full_width)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (Line));
  guint i = 0;

  while (i < tokens->len)
    {
      Line line = { i, i, 0.0, full_width, 0.0, FALSE };

      if (lines->len == 0)
        line.avail = full_width - para->first_indent;
      while (i < tokens->len)
        {
          Token *t = &g_array_index (tokens, Token, i);
          double sp = i == line.start ? 0.0 : space_before (pdf, t, para->size);
          double unit = t->width;
          guint j = i + 1;

          if (t->newline && i != line.start)
            break;
          while (j < tokens->len && !g_array_index (tokens, Token, j).breakable)
            {
              Token *u = &g_array_index (tokens, Token, j++);

              unit += space_before (pdf, u, para->size) + u->width;
            }

          if (line.width + sp + unit <= line.avail + 0.001)
            {
              line.width += sp + unit;
              i = j;
              continue;
            }
          if (i != line.start)
            break;
          /* Alone on its line and still too wide: cut it. */
          if (t->width > line.avail)
            {
              if (!split_token (pdf, tokens, i, para->size, line.avail))
                {
                  line.width += unit;
                  i = j;
                }
            }
          else
            {
              double w = 0.0;
              guint k = i;

              w = t->width;
              k = i + 1;
              while (w + space_before (pdf, &g_array_index (tokens, Token, k), para->size)
                     + g_array_index (tokens, Token, k).width <= line.avail)
                {
                  w += space_before (pdf, &g_array_index (tokens, Token, k), para->size)
                       + g_array_index (tokens, Token, k).width;
                  k++;
                }
              g_array_index (tokens, Token, k).breakable = TRUE;
            }
        }
      line.end = i;
      line.last = i >= tokens->len || g_array_index (tokens, Token, i).newline;
      g_array_append_val (lines, line);
    }

  return lines;
}

static void
draw_line (BhxhPdf           *pdf,
           GArray            *tokens,
           const Line        *line,
           const BhxhPdfPara *para,
           double             x0,
           double             baseline)
{
  g_autoptr(GString) segment = g_string_new (NULL);
  double x = x0, seg_x = x0, extra = 0.0;
  BhxhPdfFont seg_font = BHXH_PDF_REGULAR;
  guint gaps = 0;

  for (guint i = line->start + 1; i < line->end; i++)
    gaps += g_array_index (tokens, Token, i).space;
  if (para->align == BHXH_PDF_JUSTIFY && !line->last && gaps > 0)
    extra = (line->avail - line->width) / gaps;
  else if (para->align == BHXH_PDF_CENTER)
    x += (line->avail - line->width) / 2.0;
  else if (para->align == BHXH_PDF_RIGHT)
    x += line->avail - line->width;

  HPDF_Page_BeginText (pdf->page);
  for (guint i = line->start; i < line->end; i++)
    {
      const Token *t = &g_array_index (tokens, Token, i);
      double sp = i == line->start ? 0.0 : space_before (pdf, t, para->size);
      gboolean gap = i != line->start && t->space;

      if (segment->len > 0 && (t->font != seg_font || (gap && extra > 0.0)))
        {
          HPDF_Page_SetFontAndSize (pdf->page, pdf->fonts[seg_font], para->size);
          HPDF_Page_TextOut (pdf->page, seg_x, baseline, segment->str);
          g_string_truncate (segment, 0);
        }
      if (gap)
        x += extra;
      if (segment->len == 0)
        {
          seg_x = x + sp;
          seg_font = t->font;
        }
      else if (t->space)
        g_string_append_c (segment, ' ');
      g_string_append_len (segment, t->text, t->len);
      x += sp + t->width;
    }
  if (segment->len > 0)
    {
      HPDF_Page_SetFontAndSize (pdf->page, pdf->fonts[seg_font], para->size);
      HPDF_Page_TextOut (pdf->page, seg_x, baseline, segment->str);
    }
  HPDF_Page_EndText (pdf->page);
  pdf->last_baseline = baseline;
}

/* Lays out @runs as one paragraph from the cursor down, breaking pages as
 * needed. Returns the x where the last line ends. */
double
bhxh_pdf_paragraph (BhxhPdf           *pdf,
                    const BhxhPdfPara *para,
                    const BhxhPdfRun  *runs,
                    guint              n_runs)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_autoptr(GArray) lines = NULL;
  double leading = para->leading > 0 ? para->leading : 1.35 * para->size;
  double full = pdf->right - pdf->left - para->indent - para->right_indent;
  double end_x = pdf->left + para->indent;

  tokenize (pdf, runs, n_runs, para->size, texts, tokens);
  lines = break_lines (pdf, tokens, para, full);
  for (guint l = 0; l < lines->len; l++)
    {
      Line *line = &g_array_index (lines, Line, l);
      double x0 = pdf->left + para->indent + (l == 0 ? para->first_indent : 0.0);

      bhxh_pdf_ensure (pdf, leading);
      draw_line (pdf, tokens, line, para, x0, bhxh_pdf_baseline (pdf->y, para->size, leading));
      pdf->y -= leading;
      end_x = x0 + line->width;
      if (para->align == BHXH_PDF_CENTER)
        end_x += (line->avail - line->width) / 2.0;
      else if (para->align == BHXH_PDF_RIGHT)
        end_x = x0 + line->avail;
    }
  if (lines->len == 0)
    {
      bhxh_pdf_ensure (pdf, leading);
      pdf->last_baseline = bhxh_pdf_baseline (pdf->y, para->size, leading);
      pdf->y -= leading;
    }

  return end_x;
}

/* One plain paragraph across the content box. */
double
bhxh_pdf_line (BhxhPdf     *pdf,
               BhxhPdfFont  font,
               double       size,
               BhxhPdfAlign align,
               const char  *text)
{
  BhxhPdfPara para = { size, 0, align, 0, 0, 0 };
  BhxhPdfRun run = { font, text };

  return bhxh_pdf_paragraph (pdf, &para, &run, 1);
}

GPtrArray *
bhxh_pdf_wrap (BhxhPdf     *pdf,
               BhxhPdfFont  font,
               double       size,
               const char  *text,
               double       width)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_autoptr(GArray) lines = NULL;
  BhxhPdfRun run = { font, text };
  BhxhPdfPara para = { size, 0, BHXH_PDF_LEFT, 0, 0, 0 };
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  tokenize (pdf, &run, 1, size, texts, tokens);
  lines = break_lines (pdf, tokens, &para, width);
  for (guint l = 0; l < lines->len; l++)
    {
      Line *line = &g_array_index (lines, Line, l);
      GString *s = g_string_new (NULL);

      for (guint i = line->start; i < line->end; i++)
        {
          const Token *t = &g_array_index (tokens, Token, i);

          if (i != line->start && t->space)
            g_string_append_c (s, ' ');
          g_string_append_len (s, t->text, t->len);
        }
      g_ptr_array_add (out, g_string_free (s, FALSE));
    }

  return out;
}

void
bhxh_pdf_text (BhxhPdf     *pdf,
               BhxhPdfFont  font,
               double       size,
               double       x,
               double       baseline,
               const char  *text)
{
  if (text == NULL || *text == '\0')
    return;
  HPDF_Page_BeginText (pdf->page);
  HPDF_Page_SetFontAndSize (pdf->page, pdf->fonts[font], size);
  HPDF_Page_TextOut (pdf->page, x, baseline, text);
  HPDF_Page_EndText (pdf->page);
}

/* One line between x0 and x1; the caller made sure it fits. */
void
bhxh_pdf_text_in (BhxhPdf     *pdf,
                  BhxhPdfFont  font,
                  double       size,
                  double       x0,
                  double       x1,
                  double       baseline,
                  BhxhPdfAlign align,
                  const char  *text)
{
  double w = bhxh_pdf_text_width (pdf, font, size, text);
  double x = x0;

  if (align == BHXH_PDF_CENTER)
    x = x0 + (x1 - x0 - w) / 2.0;
  else if (align == BHXH_PDF_RIGHT)
    x = x1 - w;
  bhxh_pdf_text (pdf, font, size, x, baseline, text);
}

void
bhxh_pdf_hline (BhxhPdf *pdf,
                double   x0,
                double   x1,
                double   y,
                double   line_width)
{
  HPDF_Page_SetLineWidth (pdf->page, line_width);
  HPDF_Page_MoveTo (pdf->page, x0, y);
  HPDF_Page_LineTo (pdf->page, x1, y);
  HPDF_Page_Stroke (pdf->page);
}

/* fill_gray < 0: outline only; line_width 0: fill only. */
void
bhxh_pdf_rect (BhxhPdf *pdf,
               double   x,
               double   y,
               double   w,
               double   h,
               double   line_width,
               double   fill_gray)
{
  /* Colours and widths cannot change inside a path: set them first. */
  if (fill_gray >= 0.0)
    HPDF_Page_SetGrayFill (pdf->page, fill_gray);
  HPDF_Page_SetLineWidth (pdf->page, MAX (line_width, 0.1));
  HPDF_Page_Rectangle (pdf->page, x, y, w, h);
  if (fill_gray >= 0.0 && line_width > 0.0)
    HPDF_Page_FillStroke (pdf->page);
  else if (fill_gray >= 0.0)
    HPDF_Page_Fill (pdf->page);
  else
    HPDF_Page_Stroke (pdf->page);
  HPDF_Page_SetGrayFill (pdf->page, 0.0);
}

/* The font has no ☐/☒, so the boxes are drawn. */
void
bhxh_pdf_checkbox (BhxhPdf  *pdf,
                   double    x,
                   double    baseline,
                   double    size,
                   gboolean  checked)
{
  double s = 0.8 * size;

  bhxh_pdf_rect (pdf, x, baseline - 0.1 * size, s, s, 0.7, -1.0);
  if (!checked)
    return;
  HPDF_Page_SetLineWidth (pdf->page, 1.1);
  HPDF_Page_MoveTo (pdf->page, x + 0.18 * s, baseline - 0.1 * size + 0.18 * s);
  HPDF_Page_LineTo (pdf->page, x + 0.82 * s, baseline - 0.1 * size + 0.82 * s);
  HPDF_Page_MoveTo (pdf->page, x + 0.18 * s, baseline - 0.1 * size + 0.82 * s);
  HPDF_Page_LineTo (pdf->page, x + 0.82 * s, baseline - 0.1 * size + 0.18 * s);
  HPDF_Page_Stroke (pdf->page);
}

/* A dotted line to write on by hand, as on the printed official forms. */
void
bhxh_pdf_dots (BhxhPdf *pdf,
               double   size,
               double   x0,
               double   x1,
               double   baseline)
{
  double dot = bhxh_pdf_text_width (pdf, BHXH_PDF_REGULAR, size, ".");
  guint n;
  char *dots;

  if (x1 - x0 < dot)
    return;
  n = (guint) ((x1 - x0) / dot);
  dots = g_malloc (n + 1);
  memset (dots, '.', n);
  dots[n] = '\0';
  bhxh_pdf_text (pdf, BHXH_PDF_REGULAR, size, x0, baseline, dots);
  g_free (dots);
}

static double
table_leading (const BhxhPdfTable *table)
{
  return 1.25 * table->size;
}

static void
table_grid (BhxhPdf            *pdf,
            const BhxhPdfTable *table,
            double              top,
            double              height)
{
  double x = pdf->left;

  HPDF_Page_SetLineWidth (pdf->page, 0.5);
  HPDF_Page_MoveTo (pdf->page, x, top - height);
  for (guint c = 0; c < table->n_columns; c++)
    x += table->columns[c].width;
  HPDF_Page_LineTo (pdf->page, x, top - height);
  x = pdf->left;
  for (guint c = 0; c <= table->n_columns; c++)
    {
      HPDF_Page_MoveTo (pdf->page, x, top);
      HPDF_Page_LineTo (pdf->page, x, top - height);
      if (c < table->n_columns)
        x += table->columns[c].width;
    }
  HPDF_Page_Stroke (pdf->page);
}

static void
table_cells (BhxhPdf            *pdf,
             const BhxhPdfTable *table,
             GPtrArray         **wrapped,
             BhxhPdfFont         font,
             double              top,
             double              bar)
{
  double leading = table_leading (table), x = pdf->left;

  for (guint c = 0; c < table->n_columns; c++)
    {
      const BhxhPdfColumn *col = &table->columns[c];
      double inner = col->width - 2 * TABLE_PAD;
      double text_x0 = x + TABLE_PAD;

      if ((int) c == table->bar_column && bar > 0.0)
        {
          double bw = MIN (bar, 1.0) * inner * 0.75;

          bhxh_pdf_rect (pdf, text_x0, top - TABLE_PAD - 0.95 * table->size,
                         bw, 0.8 * table->size, 0.0, 0.45);
          text_x0 += bw + 3.0;
        }
      for (guint l = 0; l < wrapped[c]->len; l++)
        bhxh_pdf_text_in (pdf, font, table->size, text_x0, x + col->width - TABLE_PAD,
                          bhxh_pdf_baseline (top - TABLE_PAD - l * leading, table->size, leading),
                          col->align == BHXH_PDF_JUSTIFY ? BHXH_PDF_LEFT : col->align,
                          g_ptr_array_index (wrapped[c], l));
      x += col->width;
    }
}

static void
table_wrap (BhxhPdf            *pdf,
            const BhxhPdfTable *table,
            const char * const *cells,
            BhxhPdfFont         font,
            double              bar,
            GPtrArray         **wrapped,
            guint              *max_lines)
{
  *max_lines = 1;
  for (guint c = 0; c < table->n_columns; c++)
    {
      double inner = table->columns[c].width - 2 * TABLE_PAD;
      g_autofree char *text = bhxh_pdf_nfc (cells[c]);

      if ((int) c == table->bar_column && bar >= 0.0)
        inner = inner * 0.25 - 3.0;
      wrapped[c] = bhxh_pdf_wrap (pdf, font, table->size, text, inner);
      *max_lines = MAX (*max_lines, wrapped[c]->len);
    }
}

/* The height a data row will take, to keep what follows with it. */
double
bhxh_pdf_table_row_height (BhxhPdf            *pdf,
                           BhxhPdfTable       *table,
                           const char * const *cells)
{
  GPtrArray *wrapped[32];
  guint max_lines;

  g_assert (table->n_columns <= G_N_ELEMENTS (wrapped));
  table_wrap (pdf, table, cells, BHXH_PDF_REGULAR, 0.0, wrapped, &max_lines);
  for (guint c = 0; c < table->n_columns; c++)
    g_ptr_array_unref (wrapped[c]);
  return max_lines * table_leading (table) + 2 * TABLE_PAD;
}

static double
table_draw_row (BhxhPdf            *pdf,
                const BhxhPdfTable *table,
                const char * const *cells,
                BhxhPdfFont         font,
                double              fill_gray,
                double              bar)
{
  GPtrArray *wrapped[32];
  double leading = table_leading (table), height;
  guint max_lines, fit;

  g_assert (table->n_columns <= G_N_ELEMENTS (wrapped));
  table_wrap (pdf, table, cells, font, bar, wrapped, &max_lines);
  height = max_lines * leading + 2 * TABLE_PAD;
  bhxh_pdf_ensure (pdf, height);
  /* A row taller than a page is cut rather than run off it. */
  fit = (guint) ((pdf->y - pdf->bottom - 2 * TABLE_PAD) / leading);
  if (max_lines > fit)
    {
      for (guint c = 0; c < table->n_columns; c++)
        if (wrapped[c]->len > fit)
          g_ptr_array_set_size (wrapped[c], fit);
      height = fit * leading + 2 * TABLE_PAD;
    }
  if (fill_gray >= 0.0)
    bhxh_pdf_rect (pdf, pdf->left, pdf->y - height, pdf->right - pdf->left, height, 0.0,
                   fill_gray);
  table_cells (pdf, table, wrapped, font, pdf->y, bar);
  table_grid (pdf, table, pdf->y, height);
  for (guint c = 0; c < table->n_columns; c++)
    g_ptr_array_unref (wrapped[c]);
  pdf->y -= height;
  return height;
}

static void
table_header (BhxhPdf            *pdf,
              const BhxhPdfTable *table)
{
  const char *titles[32];
  double top = pdf->y, width = 0.0;

  for (guint c = 0; c < table->n_columns; c++)
    {
      titles[c] = table->columns[c].title;
      width += table->columns[c].width;
    }
  /* Header rows are never cut or split from their first data row. */
  table_draw_row (pdf, table, titles, BHXH_PDF_BOLD, 0.88, -1.0);
  bhxh_pdf_hline (pdf, pdf->left, pdf->left + width, top, 0.5);
}

static void
table_page_cb (BhxhPdf  *pdf,
               gpointer  user_data)
{
  BhxhPdfTable *table = user_data;

  if (table->saved_func != NULL)
    table->saved_func (pdf, table->saved_data);
  table_header (pdf, table);
}

void
bhxh_pdf_table_begin (BhxhPdf      *pdf,
                      BhxhPdfTable *table)
{
  double width = 0.0;

  for (guint c = 0; c < table->n_columns; c++)
    width += table->columns[c].width;
  /* Scale the columns to the content box: callers give proportions. */
  if (width > 0.0)
    {
      double scale = (pdf->right - pdf->left) / width;

      for (guint c = 0; c < table->n_columns; c++)
        table->columns[c].width *= scale;
    }
  /* Keep the header with at least two rows. */
  bhxh_pdf_ensure (pdf, 5 * table_leading (table) + 6 * TABLE_PAD);
  table_header (pdf, table);
  table->saved_func = pdf->on_new_page;
  table->saved_data = pdf->on_new_page_data;
  pdf->on_new_page = table_page_cb;
  pdf->on_new_page_data = table;
}

void
bhxh_pdf_table_row (BhxhPdf            *pdf,
                    BhxhPdfTable       *table,
                    const char * const *cells,
                    double              bar)
{
  table_draw_row (pdf, table, cells, BHXH_PDF_REGULAR, -1.0, bar);
}

void
bhxh_pdf_table_end (BhxhPdf      *pdf,
                    BhxhPdfTable *table)
{
  pdf->on_new_page = table->saved_func;
  pdf->on_new_page_data = table->saved_data;
}
