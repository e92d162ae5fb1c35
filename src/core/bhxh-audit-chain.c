/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bhxh-audit-chain.h"

/* One entry of the audit chain (docs/security.md): the store computes it
 * when it appends, `audit verify` when it checks, and the portal when it
 * receives the trail, so the three can never disagree on the recipe. */
char *
bhxh_audit_entry_hash (const guint8 *key,
                       const char   *prev_hash,
                       gint64        seq,
                       const char   *at,
                       const char   *actor,
                       const char   *action,
                       const char   *object,
                       const char   *detail)
{
  g_autoptr(GChecksum) checksum = key == NULL ? g_checksum_new (G_CHECKSUM_SHA256) : NULL;
  g_autoptr(GHmac) hmac = key != NULL ? g_hmac_new (G_CHECKSUM_SHA256, key, BHXH_AUDIT_KEY_BYTES)
                                      : NULL;
  char seq_text[32];
  const char *fields[7];

  g_snprintf (seq_text, sizeof seq_text, "%" G_GINT64_FORMAT, seq);
  fields[0] = prev_hash;
  fields[1] = seq_text;
  fields[2] = at;
  fields[3] = actor;
  fields[4] = action;
  fields[5] = object != NULL ? object : "";
  fields[6] = detail != NULL ? detail : "";
  /* Each field with its terminating NUL: no two field lists hash alike. */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (hmac != NULL)
        g_hmac_update (hmac, (const guchar *) fields[i], strlen (fields[i]) + 1);
      else
        g_checksum_update (checksum, (const guchar *) fields[i], strlen (fields[i]) + 1);
    }

  return g_strdup (hmac != NULL ? g_hmac_get_string (hmac) : g_checksum_get_string (checksum));
}

