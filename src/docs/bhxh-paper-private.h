/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bhxh-papers.h"
#include "bhxh-pdf-private.h"

G_BEGIN_DECLS

/* Every printed word is Vietnamese (see docs/papers.md): these strings are
 * the papers' wording, never UI text, so none of them go through gettext. */

#define PAPER_SIZE 11.0          /* body text */
#define PAPER_SMALL 9.0
#define PAPER_DOTS "……"

typedef struct
{
  guint     first_page;
  gboolean  always_number;
  gboolean  stamped;
  double    margin_left, margin_right;
  char     *footer;
} PaperSection;

struct _BhxhPaper
{
  BhxhPdf  pdf;
  GArray  *sections;   /* (element-type PaperSection) */
};

void        _bhxh_paper_begin            (BhxhPaper              *self,
                                          gboolean                landscape,
                                          gboolean                always_number,
                                          const char             *footer);
gboolean    _bhxh_paper_check            (BhxhPaper              *self,
                                          GError                **error);

double      _bhxh_paper_national_heading (BhxhPaper              *self,
                                          double                  x0,
                                          double                  x1,
                                          double                  top);
double      _bhxh_paper_office_heading   (BhxhPaper              *self,
                                          const BhxhPaperContext *context,
                                          double                  x0,
                                          double                  x1,
                                          double                  top);
char       *_bhxh_paper_place            (const BhxhPaperContext *context);
char       *_bhxh_paper_date_words       (const BhxhDate         *date);
char       *_bhxh_paper_place_date       (const BhxhPaperContext *context,
                                          GDateTime              *when);
char       *_bhxh_paper_time             (GDateTime              *when);
GDateTime  *_bhxh_paper_now              (const BhxhPaperContext *context);
void        _bhxh_paper_signature        (BhxhPaper              *self,
                                          double                  x0,
                                          double                  x1,
                                          double                  top,
                                          const char             *title,
                                          const char             *name);
void        _bhxh_paper_field            (BhxhPaper              *self,
                                          double                  indent,
                                          const char             *label,
                                          const char             *value);
const char *_bhxh_paper_kind_words       (BhxhDeclarationKind     kind);
const char *_bhxh_paper_outcome_words    (BhxhOutcome             outcome);
const char *_bhxh_paper_kind_short       (BhxhDeclarationKind     kind);
const char *_bhxh_paper_decision_words   (const BhxhDecision     *decision);
const char *_bhxh_paper_evidence_words   (BhxhEvidence            evidence);
const char *_bhxh_paper_outbox_words     (BhxhOutboxState         state);
const char *_bhxh_paper_office_name      (const BhxhPaperContext *context);
const char *_bhxh_paper_reason_label     (GPtrArray              *reason_codes,
                                          const char             *code);
void        _bhxh_paper_append_reasons   (GString                *out,
                                          const BhxhDecision     *decision,
                                          GPtrArray              *reason_codes);
void        _bhxh_paper_qr               (BhxhPaper              *self,
                                          const char             *text,
                                          double                  x,
                                          double                  y_top,
                                          double                  size);
void        _bhxh_paper_letterhead       (BhxhPaper              *self,
                                          const BhxhPaperContext *context,
                                          GDateTime              *when,
                                          const char             *number);
void        _bhxh_paper_title            (BhxhPaper              *self,
                                          const char             *title,
                                          const char             *subtitle);
void        _bhxh_paper_text             (BhxhPaper              *self,
                                          BhxhPdfFont             font,
                                          BhxhPdfAlign            align,
                                          double                  indent,
                                          const char             *text);
void        _bhxh_paper_signatures       (BhxhPaper              *self,
                                          const char             *left_title,
                                          const char             *left_name,
                                          const char             *right_title,
                                          const char             *right_name);

/* A day's decisions with their declarations, for the daily report and
 * the exports: loaded in one place, listed in one order. */
typedef struct
{
  BhxhDate       day;
  GPtrArray     *decisions;     /* (element-type BhxhDecision) */
  GPtrArray     *declarations;  /* (element-type BhxhDeclaration): the rows' */
  GPtrArray     *reasons;       /* (element-type BhxhReasonCode) */
  BhxhReportRow *rows;          /* one per decision, in the store's order */
  guint          n_rows;
} BhxhPaperDay;

gboolean    _bhxh_paper_day_load         (BhxhPaperDay           *day,
                                          BhxhStore              *store,
                                          const char             *date,
                                          GError                **error);
void        _bhxh_paper_day_clear        (BhxhPaperDay           *day);
GPtrArray  *_bhxh_paper_sorted_rows      (const BhxhReportRow    *rows,
                                          guint                   n_rows);
gboolean    _bhxh_paper_write_file       (const char             *output,
                                          GBytes                 *bytes,
                                          GError                **error);

G_END_DECLS
