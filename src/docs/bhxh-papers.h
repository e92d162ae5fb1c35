/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bhxh-date.h"
#include "core/bhxh-declaration.h"
#include "store/bhxh-store.h"

G_BEGIN_DECLS

#define BHXH_PAPER_ERROR (bhxh_paper_error_quark ())

/**
 * BhxhPaperError:
 * @BHXH_PAPER_ERROR_FONT: Noto Sans is missing or cannot be embedded
 * @BHXH_PAPER_ERROR_PDF: libharu failed while building the document
 * @BHXH_PAPER_ERROR_WRITE: the PDF file cannot be written
 * @BHXH_PAPER_ERROR_NOT_APPLICABLE: this paper does not apply (e.g. a
 *   rejection notice for a declaration that was not rejected)
 * @BHXH_PAPER_ERROR_BAD_INPUT: a malformed request (unknown kind, bad date)
 *
 * Errors of the papers module; messages are translated, fit for the clerk.
 */
typedef enum
{
  BHXH_PAPER_ERROR_FONT,
  BHXH_PAPER_ERROR_PDF,
  BHXH_PAPER_ERROR_WRITE,
  BHXH_PAPER_ERROR_NOT_APPLICABLE,
  BHXH_PAPER_ERROR_BAD_INPUT,
} BhxhPaperError;

GQuark bhxh_paper_error_quark (void);

typedef enum
{
  BHXH_PAPER_FORM01,
  BHXH_PAPER_RECEIPT,
  BHXH_PAPER_REJECTION,
  BHXH_PAPER_DAILY_REPORT,
} BhxhPaperKind;

/* What every paper shares. All fields may be NULL. */
typedef struct
{
  const BhxhOffice *office;          /* the receiving office */
  const BhxhOffice *parent_office;   /* its parent (the provincial office) */
  const char       *place;           /* "‹place›, ngày …"; NULL: from the offices */
  GDateTime        *printed_at;      /* NULL: now */
} BhxhPaperContext;

/* One line of the daily report. */
typedef struct
{
  const BhxhDecision    *decision;
  const BhxhDeclaration *declaration;  /* NULL if no longer in the store */
} BhxhReportRow;

/* A PDF being built: add one or more papers, then save it. Each paper
 * starts on a new page and is numbered "Trang X/Y" on its own. */
typedef struct _BhxhPaper BhxhPaper;

const char *bhxh_paper_kind_to_string    (BhxhPaperKind           kind);
gboolean    bhxh_paper_kind_parse        (const char             *text,
                                          BhxhPaperKind          *out);
char       *bhxh_paper_find_font         (const char             *file_name);
const char *bhxh_paper_reason_advice     (const char             *code);

BhxhPaper  *bhxh_paper_new               (GError                **error);
void        bhxh_paper_free              (BhxhPaper              *self);
guint       bhxh_paper_get_n_pages       (BhxhPaper              *self);

gboolean    bhxh_paper_add_form01        (BhxhPaper              *self,
                                          const BhxhPaperContext *context,
                                          const BhxhDeclaration  *declaration,
                                          GError                **error);
gboolean    bhxh_paper_add_receipt       (BhxhPaper              *self,
                                          const BhxhPaperContext *context,
                                          const BhxhDeclaration  *declaration,
                                          const BhxhDecision     *decision,
                                          const char             *clerk,
                                          GError                **error);
gboolean    bhxh_paper_add_rejection     (BhxhPaper              *self,
                                          const BhxhPaperContext *context,
                                          const BhxhDeclaration  *declaration,
                                          const BhxhDecision     *decision,
                                          GPtrArray              *reason_codes,
                                          GError                **error);
gboolean    bhxh_paper_add_daily_report  (BhxhPaper              *self,
                                          const BhxhPaperContext *context,
                                          const BhxhDate         *day,
                                          const BhxhReportRow    *rows,
                                          guint                   n_rows,
                                          GPtrArray              *reason_codes,
                                          GError                **error);

GBytes     *bhxh_paper_to_bytes          (BhxhPaper              *self,
                                          GError                **error);
gboolean    bhxh_paper_save              (BhxhPaper              *self,
                                          const char             *path,
                                          GError                **error);

/* From the store: @key is a declaration id, or YYYY-MM-DD for the daily
 * report. Writes @output atomically (nothing is written on error). */
gboolean    bhxh_paper_print_from_store  (BhxhStore              *store,
                                          BhxhPaperKind           kind,
                                          const char             *key,
                                          const char             *output,
                                          guint                  *n_pages,
                                          GError                **error);
GBytes     *bhxh_paper_render_from_store (BhxhStore              *store,
                                          BhxhPaperKind           kind,
                                          const char             *key,
                                          guint                  *n_pages,
                                          GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhPaper, bhxh_paper_free)

G_END_DECLS
