/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync's stages by name and as people read them: in a file of their
 * own, so the window links them without the sync engine (and libcurl). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "bhxh-sync.h"

const char *
bhxh_sync_stage_to_string (BhxhSyncStage stage)
{
  static const char * const names[] = {
    "account", "push", "reference", "declarations", "mirror-download", "mirror-import",
  };

  g_return_val_if_fail (stage < G_N_ELEMENTS (names), "unknown");
  return names[stage];
}

gboolean
bhxh_sync_stage_parse (const char    *text,
                       BhxhSyncStage *stage)
{
  for (guint i = 0; i <= BHXH_SYNC_STAGE_MIRROR_IMPORT; i++)
    if (g_strcmp0 (text, bhxh_sync_stage_to_string (i)) == 0)
      {
        *stage = i;
        return TRUE;
      }
  return FALSE;
}

/* The stage as the status bar says it. */
const char *
bhxh_sync_stage_to_label (BhxhSyncStage stage)
{
  switch (stage)
    {
    case BHXH_SYNC_STAGE_ACCOUNT:
      return _("checking the account");
    case BHXH_SYNC_STAGE_PUSH:
      return _("sending decisions");
    case BHXH_SYNC_STAGE_REFERENCE:
      return _("updating reference lists");
    case BHXH_SYNC_STAGE_DECLARATIONS:
      return _("receiving declarations");
    case BHXH_SYNC_STAGE_MIRROR_DOWNLOAD:
      return _("downloading the registry");
    case BHXH_SYNC_STAGE_MIRROR_IMPORT:
    default:
      return _("loading the registry");
    }
}
