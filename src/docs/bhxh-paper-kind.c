/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The papers' kinds by name: in a file of their own, so the window links
 * them without the PDF code (libharu, qrencode). */
#include "config.h"

#include "bhxh-papers.h"

static const char * const kind_names[] = { "form01", "receipt", "rejection", "daily-report" };

const char *
bhxh_paper_kind_to_string (BhxhPaperKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
bhxh_paper_kind_parse (const char    *text,
                       BhxhPaperKind *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (text, kind_names[i]))
      {
        *out = (BhxhPaperKind) i;
        return TRUE;
      }
  return FALSE;
}
