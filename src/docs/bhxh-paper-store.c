/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "bhxh-paper-private.h"

/* Gathers what a paper needs from the store; shared by the CLI and the GUI. */

typedef struct
{
  BhxhOffice *office;
  BhxhOffice *parent;
  BhxhPaperContext context;
} Offices;

static void
offices_load (Offices    *offices,
              BhxhStore  *store,
              const char *office_code)
{
  offices->office = office_code != NULL ? bhxh_store_get_office (store, office_code, NULL)
                                        : NULL;
  offices->parent = NULL;
  if (offices->office != NULL && offices->office->parent_code != NULL)
    offices->parent = bhxh_store_get_office (store, offices->office->parent_code, NULL);
  offices->context.office = offices->office;
  offices->context.parent_office = offices->parent;
  offices->context.place = NULL;
  offices->context.printed_at = NULL;
}

static void
offices_clear (Offices *offices)
{
  g_clear_pointer (&offices->office, bhxh_office_free);
  g_clear_pointer (&offices->parent, bhxh_office_free);
}

static gboolean
add_for_declaration (BhxhPaper      *paper,
                     BhxhStore      *store,
                     BhxhPaperKind   kind,
                     const char     *id,
                     GError        **error)
{
  g_autoptr(BhxhDeclaration) declaration = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(BhxhDecision) decision = NULL;
  Offices offices;
  gboolean ok = FALSE;

  declaration = bhxh_store_get_declaration (store, id, error);
  if (declaration == NULL)
    return FALSE;
  if (kind != BHXH_PAPER_FORM01)
    {
      decision = bhxh_store_get_latest_decision (store, id, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  if (kind == BHXH_PAPER_REJECTION)
    {
      reasons = bhxh_store_list_reason_codes (store, error);
      if (reasons == NULL)
        return FALSE;
    }

  /* A receipt or a rejection is issued by the office of the counter that
   * decided (its enrolment), which may not be the one the citizen chose
   * online; the form itself is the citizen's, to their office. */
  {
    g_autofree char *counter_office = NULL;

    if (kind != BHXH_PAPER_FORM01)
      bhxh_store_dup_portal (store, NULL, &counter_office, NULL);
    offices_load (&offices, store, counter_office != NULL && counter_office[0] != '\0'
                                   ? counter_office : declaration->office_code);
  }
  switch (kind)
    {
    case BHXH_PAPER_FORM01:
      ok = bhxh_paper_add_form01 (paper, &offices.context, declaration, error);
      break;
    case BHXH_PAPER_RECEIPT:
      ok = bhxh_paper_add_receipt (paper, &offices.context, declaration, decision, NULL, error);
      break;
    case BHXH_PAPER_REJECTION:
      ok = bhxh_paper_add_rejection (paper, &offices.context, declaration, decision, reasons,
                                     error);
      break;
    case BHXH_PAPER_DAILY_REPORT:
    default:
      g_assert_not_reached ();
    }
  offices_clear (&offices);
  return ok;
}

/* The office a day's report is about: the one most of its declarations went to. */
static const char *
main_office (GPtrArray *declarations)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  const char *best = NULL;
  guint best_n = 0;

  for (guint i = 0; i < declarations->len; i++)
    {
      const BhxhDeclaration *d = g_ptr_array_index (declarations, i);
      guint n;

      if (d == NULL || d->office_code == NULL)
        continue;
      n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, d->office_code)) + 1;
      g_hash_table_insert (counts, d->office_code, GUINT_TO_POINTER (n));
      if (n > best_n)
        {
          best = d->office_code;
          best_n = n;
        }
    }
  return best;
}

gboolean
_bhxh_paper_day_load (BhxhPaperDay  *day,
                      BhxhStore     *store,
                      const char    *date,
                      GError       **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

  memset (day, 0, sizeof *day);
  if (date == NULL || !bhxh_date_parse (date, &day->day, NULL) || !bhxh_date_is_full (&day->day))
    {
      g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_BAD_INPUT,
                   _("'%s' is not a date: use YYYY-MM-DD"), date != NULL ? date : "");
      return FALSE;
    }
  day->declarations = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_declaration_free);
  if ((day->decisions = bhxh_store_list_decisions_on (store, &day->day, error)) == NULL ||
      (day->reasons = bhxh_store_list_reason_codes (store, error)) == NULL)
    {
      _bhxh_paper_day_clear (day);
      return FALSE;
    }

  day->n_rows = day->decisions->len;
  day->rows = g_new0 (BhxhReportRow, MAX (day->n_rows, 1));
  for (guint i = 0; i < day->n_rows; i++)
    {
      const BhxhDecision *decision = g_ptr_array_index (day->decisions, i);
      BhxhDeclaration *declaration = g_hash_table_lookup (by_id, decision->declaration_id);

      if (declaration == NULL)
        {
          declaration = bhxh_store_get_declaration (store, decision->declaration_id, NULL);
          if (declaration != NULL)
            {
              g_ptr_array_add (day->declarations, declaration);
              g_hash_table_insert (by_id, declaration->id, declaration);
            }
        }
      day->rows[i].decision = decision;
      day->rows[i].declaration = declaration;
    }
  return TRUE;
}

void
_bhxh_paper_day_clear (BhxhPaperDay *day)
{
  g_clear_pointer (&day->rows, g_free);
  g_clear_pointer (&day->decisions, g_ptr_array_unref);
  g_clear_pointer (&day->declarations, g_ptr_array_unref);
  g_clear_pointer (&day->reasons, g_ptr_array_unref);
  day->n_rows = 0;
}

static gboolean
add_daily_report (BhxhPaper   *paper,
                  BhxhStore   *store,
                  const char  *date,
                  GError     **error)
{
  g_autofree char *meta_office = NULL;
  BhxhPaperDay day;
  Offices offices;
  gboolean ok;

  if (!_bhxh_paper_day_load (&day, store, date, error))
    return FALSE;
  meta_office = bhxh_store_dup_meta (store, "office_code");
  offices_load (&offices, store,
                day.declarations->len > 0 ? main_office (day.declarations) : meta_office);
  ok = bhxh_paper_add_daily_report (paper, &offices.context, &day.day, day.rows, day.n_rows,
                                    day.reasons, error);
  offices_clear (&offices);
  _bhxh_paper_day_clear (&day);
  return ok;
}

/**
 * bhxh_paper_print_from_store:
 * @store: an open store
 * @kind: which paper
 * @key: the declaration id, or the day (YYYY-MM-DD) for the daily report
 * @output: the PDF file to write; written only when everything succeeded
 * @n_pages: (out) (optional): the number of pages written
 * @error: return location for a #BhxhPaperError or #BhxhStoreError
 *
 * Receipts and rejection notices use the declaration's latest decision.
 *
 * Returns: %TRUE when @output was written
 */
gboolean
bhxh_paper_print_from_store (BhxhStore      *store,
                             BhxhPaperKind   kind,
                             const char     *key,
                             const char     *output,
                             guint          *n_pages,
                             GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (store), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (output != NULL, FALSE);

  if (!bhxh_store_check_output (store, output, error))
    return FALSE;
  bytes = bhxh_paper_render_from_store (store, kind, key, n_pages, error);
  return bytes != NULL && _bhxh_paper_write_file (output, bytes, error);
}

/* A paper or an export, written whole or not at all (a temporary file
 * renamed over @output). */
gboolean
_bhxh_paper_write_file (const char  *output,
                        GBytes      *bytes,
                        GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents (output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                            &local))
    {
      g_set_error (error, BHXH_PAPER_ERROR, BHXH_PAPER_ERROR_WRITE,
                   _("Cannot write %s: %s"), output, local->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * bhxh_paper_render_from_store:
 *
 * The paper @kind for @key (a declaration ID, or the date of a daily
 * report) as PDF bytes, for a caller that writes it elsewhere
 * (bhxh-deskd passes it back open). Audited as an export.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
bhxh_paper_render_from_store (BhxhStore      *store,
                              BhxhPaperKind   kind,
                              const char     *key,
                              guint          *n_pages,
                              GError        **error)
{
  g_autoptr(BhxhPaper) paper = NULL;
  GBytes *bytes;
  gboolean ok;

  g_return_val_if_fail (BHXH_IS_STORE (store), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  paper = bhxh_paper_new (error);
  if (paper == NULL)
    return NULL;
  if (kind == BHXH_PAPER_DAILY_REPORT)
    ok = add_daily_report (paper, store, key, error);
  else
    ok = add_for_declaration (paper, store, kind, key, error);
  if (!ok || (bytes = bhxh_paper_to_bytes (paper, error)) == NULL)
    return NULL;
  if (n_pages != NULL)
    *n_pages = bhxh_paper_get_n_pages (paper);
  /* Audited (docs/security.md); best effort: a paper from a read-only
   * copy of the database still prints. */
  bhxh_store_note_export (store, bhxh_paper_kind_to_string (kind), key, NULL, NULL);
  return bytes;
}
