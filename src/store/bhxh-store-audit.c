/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-store-private.h"

/* The audit trail: each entry carries the SHA-256 of its own fields and
 * of the entry before it, so editing or deleting a past entry breaks
 * every hash after it. */

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static char *
entry_hash (const char *prev_hash,
            gint64      seq,
            const char *at,
            const char *actor,
            const char *action,
            const char *object,
            const char *detail)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
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
    g_checksum_update (checksum, (const guchar *) fields[i], strlen (fields[i]) + 1);

  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
_bhxh_store_audit_append (BhxhStore   *self,
                          const char  *actor,
                          const char  *action,
                          const char  *object,
                          const char  *detail,
                          GError     **error)
{
  g_autofree char *prev_hash = NULL;
  g_autofree char *at = _bhxh_now_string ();
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 seq = 1;
  int rc;

  stmt = _bhxh_store_prepare (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                              error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0) + 1;
      prev_hash = _bhxh_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the audit trail"));
      return FALSE;
    }
  if (prev_hash == NULL)
    prev_hash = g_strdup (GENESIS_HASH);

  hash = entry_hash (prev_hash, seq, at, actor, action, object, detail);
  stmt = _bhxh_store_prepare (self,
    "INSERT INTO audit (seq, at, actor, action, object, detail, prev_hash, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, object, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, hash, -1, SQLITE_STATIC);

  return _bhxh_store_step_done (self, stmt, error);
}

gboolean
bhxh_store_audit (BhxhStore   *self,
                  const char  *actor,
                  const char  *action,
                  const char  *object,
                  const char  *detail,
                  GError     **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL && action != NULL, FALSE);

  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!_bhxh_store_audit_append (self, actor, action, object, detail, error))
    {
      _bhxh_store_rollback (self);
      return FALSE;
    }

  return _bhxh_store_commit (self, error);
}

/**
 * bhxh_store_audit_verify:
 * @n_entries: (out) (optional): how many entries were checked
 *
 * Recomputes the hash chain of the audit trail.
 *
 * Returns: %TRUE if it is intact; else %FALSE with a
 *   %BHXH_STORE_ERROR_CORRUPT error naming the first broken entry
 */
gboolean
bhxh_store_audit_verify (BhxhStore  *self,
                         guint64    *n_entries,
                         GError    **error)
{
  g_autofree char *prev_hash = g_strdup (GENESIS_HASH);
  sqlite3_stmt *stmt;
  gint64 expected_seq = 1;
  guint64 n = 0;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  stmt = _bhxh_store_prepare (self,
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit ORDER BY seq",
    error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *stored_prev = (const char *) sqlite3_column_text (stmt, 6);
      const char *stored_hash = (const char *) sqlite3_column_text (stmt, 7);
      g_autofree char *hash = entry_hash (prev_hash, seq,
                                          (const char *) sqlite3_column_text (stmt, 1),
                                          (const char *) sqlite3_column_text (stmt, 2),
                                          (const char *) sqlite3_column_text (stmt, 3),
                                          (const char *) sqlite3_column_text (stmt, 4),
                                          (const char *) sqlite3_column_text (stmt, 5));

      if (seq != expected_seq || g_strcmp0 (stored_prev, prev_hash) != 0 ||
          g_strcmp0 (stored_hash, hash) != 0)
        {
          sqlite3_reset (stmt);
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT,
                       _("The audit trail was altered at entry %lld"), (long long) expected_seq);
          return FALSE;
        }
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
      expected_seq++;
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the audit trail"));
      return FALSE;
    }
  if (n_entries != NULL)
    *n_entries = n;

  return TRUE;
}
