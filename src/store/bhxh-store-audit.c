/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-audit-chain.h"
#include "bhxh-store-private.h"

/* The audit trail: each entry carries a hash of its own fields and of the
 * entry before it, so editing or deleting a past entry breaks every hash
 * after it. On an encrypted store the hash is an HMAC-SHA256 under the
 * store key's audit subkey (never in the file; "audit.key_id" names it),
 * and the last entry is anchored in meta by an HMAC too: whoever can run
 * SQL on the file but does not hold the key can neither re-chain the trail
 * nor cut its tail. A rekey keys the trail again (_bhxh_store_audit_rekey). A store in clear keeps plain SHA-256 (its
 * owner may do anything to it anyway); entries from "audit.keyed_from"
 * on are keyed (a store encrypted later keeps its older entries). */

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define META_KEYED_FROM "audit.keyed_from"
#define META_HEAD "audit.head"
#define AUDIT_KEY_BYTES BHXH_AUDIT_KEY_BYTES

/* The anchor of the last keyed entry: its seq and hash under the key. */
static char *
head_mac (const guint8 *key,
          gint64        seq,
          const char   *hash)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, AUDIT_KEY_BYTES);
  char seq_text[32];
  const char *fields[] = { "bhxh-audit-head", seq_text, hash };

  g_snprintf (seq_text, sizeof seq_text, "%" G_GINT64_FORMAT, seq);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_hmac_update (hmac, (const guchar *) fields[i], strlen (fields[i]) + 1);
  return g_strdup (g_hmac_get_string (hmac));
}

#define META_KEY_ID "audit.key_id"

/* Names an audit key without revealing it. */
static char *
key_id (const guint8 *key)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, AUDIT_KEY_BYTES);

  g_hmac_update (hmac, (const guchar *) "bhxh-audit-key-id", -1);
  return g_strndup (g_hmac_get_string (hmac), 16);
}

void
_bhxh_store_set_audit_key (BhxhStore    *self,
                           const guint8 *key)
{
  g_autofree char *stored = bhxh_store_dup_meta (self, META_KEY_ID);
  g_autofree char *id = key_id (key);

  self->audit_key = key;
  self->audit_key_stale = stored != NULL && g_strcmp0 (stored, id) != 0;
}

static gboolean
check_not_stale (BhxhStore  *self,
                 GError    **error)
{
  if (!self->audit_key_stale)
    return TRUE;
  g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
               _("The audit trail is keyed by a previous store key: finish "
                 "“bhxh-deskctl crypt rekey” with the old and the new key"));
  return FALSE;
}

/* The first keyed entry (G_MAXINT64: none). */
static gint64
keyed_from (BhxhStore *self)
{
  g_autofree char *text = bhxh_store_dup_meta (self, META_KEYED_FROM);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : G_MAXINT64;
}

/* @head: whether this entry is the last of its transaction (the head's
 * MAC names the last entry; a batch writes it once, for its last one). */
static gboolean
anchor_keyed (BhxhStore   *self,
              gint64       seq,
              const char  *hash,
              gboolean     head,
              GError     **error)
{
  g_autofree char *mac = NULL;

  if (keyed_from (self) == G_MAXINT64)
    {
      g_autofree char *id = key_id (self->audit_key);
      g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

      if (!bhxh_store_set_meta (self, META_KEYED_FROM, seq_text, error) ||
          !bhxh_store_set_meta (self, META_KEY_ID, id, error))
        return FALSE;
    }
  if (!head)
    return TRUE;
  mac = head_mac (self->audit_key, seq, hash);
  return bhxh_store_set_meta (self, META_HEAD, mac, error);
}

/* @head FALSE: more entries follow in this transaction, the last of
 * which anchors the head (one MAC and one write for a batch). */
gboolean
_bhxh_store_audit_append_full (BhxhStore   *self,
                               const char  *actor,
                               const char  *action,
                               const char  *object,
                               const char  *detail,
                               gboolean     head,
                               GError     **error)
{
  g_autofree char *prev_hash = NULL;
  g_autofree char *at = bhxh_clock_now_iso ();
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 seq = 1;
  int rc;

  if (!check_not_stale (self, error))
    return FALSE;
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

  hash = bhxh_audit_entry_hash (self->audit_key, prev_hash, seq, at, actor, action, object,
                                detail);
  if (self->audit_key != NULL && !anchor_keyed (self, seq, hash, head, error))
    return FALSE;
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
_bhxh_store_audit_append (BhxhStore   *self,
                          const char  *actor,
                          const char  *action,
                          const char  *object,
                          const char  *detail,
                          GError     **error)
{
  return _bhxh_store_audit_append_full (self, actor, action, object, detail, TRUE, error);
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

static gboolean
head_matches (BhxhStore  *self,
              gint64      last_seq,
              const char *last_hash)
{
  g_autofree char *stored = bhxh_store_dup_meta (self, META_HEAD);
  g_autofree char *mac = head_mac (self->audit_key, last_seq, last_hash);

  return stored != NULL && g_strcmp0 (stored, mac) == 0;
}

/* Recomputes the chain; *first_bad is the first entry whose seq, link or
 * hash is wrong (0: none). FALSE only when the trail cannot be read. */
static gboolean
check_chain (BhxhStore  *self,
             guint64    *n_entries,
             gint64     *first_bad,
             GError    **error)
{
  g_autofree char *prev_hash = g_strdup (GENESIS_HASH);
  gint64 first_keyed = keyed_from (self);
  sqlite3_stmt *stmt;
  gint64 expected_seq = 1;
  guint64 n = 0;
  int rc;

  *first_bad = 0;
  if (first_keyed != G_MAXINT64 && self->audit_key == NULL)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                   _("The audit trail is keyed: only the store's key can check it"));
      return FALSE;
    }
  if (first_keyed != G_MAXINT64 && !check_not_stale (self, error))
    return FALSE;
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
      g_autofree char *hash = bhxh_audit_entry_hash (seq >= first_keyed ? self->audit_key : NULL,
                                          prev_hash, seq,
                                          (const char *) sqlite3_column_text (stmt, 1),
                                          (const char *) sqlite3_column_text (stmt, 2),
                                          (const char *) sqlite3_column_text (stmt, 3),
                                          (const char *) sqlite3_column_text (stmt, 4),
                                          (const char *) sqlite3_column_text (stmt, 5));

      n++;
      if (*first_bad == 0 &&
          (seq != expected_seq || g_strcmp0 (stored_prev, prev_hash) != 0 ||
           g_strcmp0 (stored_hash, hash) != 0))
        *first_bad = expected_seq;
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
      expected_seq++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the audit trail"));
      return FALSE;
    }
  if (n_entries != NULL)
    *n_entries = n;
  /* Entries cut off the end: the anchor names a later one. */
  if (*first_bad == 0 && first_keyed != G_MAXINT64 && !head_matches (self, expected_seq - 1,
                                                                      prev_hash))
    *first_bad = expected_seq;

  return TRUE;
}

/* Keys entries from @first on again under the store's key, in one pass. */
static gboolean
rechain (BhxhStore  *self,
         gint64      first,
         GError    **error)
{
  g_autofree char *prev_hash = NULL;
  sqlite3_stmt *read;
  sqlite3_stmt *write;
  gint64 last = 0;
  int rc;

  read = _bhxh_store_prepare (self,
    "SELECT seq, at, actor, action, object, detail, prev_hash FROM audit WHERE seq >= ?1 "
    "ORDER BY seq", error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, first);
  while ((rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      g_autofree char *hash = NULL;

      last = sqlite3_column_int64 (read, 0);
      if (prev_hash == NULL)
        prev_hash = _bhxh_column_dup (read, 6);
      hash = bhxh_audit_entry_hash (self->audit_key, prev_hash, last,
                         (const char *) sqlite3_column_text (read, 1),
                         (const char *) sqlite3_column_text (read, 2),
                         (const char *) sqlite3_column_text (read, 3),
                         (const char *) sqlite3_column_text (read, 4),
                         (const char *) sqlite3_column_text (read, 5));
      write = _bhxh_store_prepare (self,
        "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE seq = ?1", error);
      if (write == NULL)
        break;
      sqlite3_bind_int64 (write, 1, last);
      sqlite3_bind_text (write, 2, prev_hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (write, 3, hash, -1, SQLITE_STATIC);
      if (!_bhxh_store_step_done (self, write, error))
        break;
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
    }
  sqlite3_reset (read);
  if (rc != SQLITE_DONE)
    {
      if (rc != SQLITE_ROW)
        _bhxh_store_set_error (error, self->db, rc, _("cannot read the audit trail"));
      return FALSE;
    }
  {
    g_autofree char *id = key_id (self->audit_key);

    return bhxh_store_set_meta (self, META_KEY_ID, id, error) &&
           (last == 0 || anchor_keyed (self, last, prev_hash, TRUE, error));
  }
}

gboolean
_bhxh_store_audit_rekey (BhxhStore     *self,
                         const guint8  *old_key,
                         GError       **error)
{
  const guint8 *new_key = self->audit_key;
  g_autofree char *old_id = key_id (old_key);
  g_autofree char *stored = bhxh_store_dup_meta (self, META_KEY_ID);
  gint64 first_keyed = keyed_from (self);
  gint64 first_bad = 0;
  gboolean ok;

  g_return_val_if_fail (new_key != NULL, FALSE);

  if (!self->audit_key_stale || first_keyed == G_MAXINT64)
    return TRUE;
  if (g_strcmp0 (stored, old_id) != 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                   _("The audit trail is keyed by neither the old nor the new store key"));
      return FALSE;
    }
  /* Only an intact trail is keyed again: a rekey launders nothing. */
  self->audit_key = old_key;
  self->audit_key_stale = FALSE;
  ok = check_chain (self, NULL, &first_bad, error);
  self->audit_key = new_key;
  self->audit_key_stale = TRUE;
  if (!ok)
    return FALSE;
  if (first_bad != 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT,
                   _("The audit trail was altered at entry %lld"), (long long) first_bad);
      return FALSE;
    }
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  self->audit_key_stale = FALSE;
  if (!rechain (self, first_keyed, error))
    {
      self->audit_key_stale = TRUE;
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
  gint64 first_bad;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  if (!check_chain (self, n_entries, &first_bad, error))
    return FALSE;
  if (first_bad != 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT,
                   _("The audit trail was altered at entry %lld"), (long long) first_bad);
      return FALSE;
    }

  return TRUE;
}

/**
 * bhxh_store_audit_check:
 * @n_entries: (out) (optional): how many entries there are
 * @first_bad: (out): the seq of the first altered entry, 0 when intact
 *
 * Returns: %FALSE only when the trail cannot be read
 */
gboolean
bhxh_store_audit_check (BhxhStore  *self,
                        guint64    *n_entries,
                        gint64     *first_bad,
                        GError    **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (first_bad != NULL, FALSE);

  return check_chain (self, n_entries, first_bad, error);
}

/**
 * bhxh_store_list_audit:
 * @day: (nullable): only the entries of this local day
 *
 * In "accounts required" mode this needs a signed-in supervisor or admin:
 * the trail says who looked at whom.
 *
 * Returns: (transfer full) (element-type BhxhAuditEntry): entries by seq
 */
GPtrArray *
bhxh_store_list_audit (BhxhStore       *self,
                       const BhxhDate  *day,
                       GError         **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *iso = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (day == NULL || bhxh_date_is_full (day), NULL);

  if (!_bhxh_store_require_role (self, NULL, BHXH_ROLE_SUPERVISOR, error))
    return NULL;
  if (day != NULL)
    iso = bhxh_date_to_iso (day);
  /* "at" starts with the local date: a range on the index. */
  stmt = _bhxh_store_prepare (self,
    "SELECT seq, at, actor, action, object, detail FROM audit "
    "WHERE ?1 IS NULL OR (at >= ?1 AND at < ?1 || 'U') ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  _bhxh_bind_text (stmt, 1, iso);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_audit_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BhxhAuditEntry *entry = g_new0 (BhxhAuditEntry, 1);

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->at = _bhxh_column_dup (stmt, 1);
      entry->actor = _bhxh_column_dup (stmt, 2);
      entry->action = _bhxh_column_dup (stmt, 3);
      entry->object = _bhxh_column_dup (stmt, 4);
      entry->detail = _bhxh_column_dup (stmt, 5);
      g_ptr_array_add (list, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the audit trail"));
      return NULL;
    }

  return g_steal_pointer (&list);
}

/**
 * bhxh_store_note_viewed:
 * @actor: who opened it (the signed-in user in "accounts required" mode)
 *
 * Records that @declaration_id was opened for checking. The commit does
 * not wait for an fsync (synchronous=NORMAL for this one transaction; WAL
 * keeps it atomic): a power cut may lose the last few views, never a
 * decision, and never breaks the chain. The next decision's commit makes
 * them durable.
 */
gboolean
bhxh_store_note_viewed (BhxhStore   *self,
                        const char  *actor,
                        const char  *declaration_id,
                        GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL && declaration_id != NULL, FALSE);

  if (!_bhxh_store_require_role (self, actor, BHXH_ROLE_CLERK, error) ||
      !_bhxh_store_exec (self, "PRAGMA synchronous = NORMAL", error))
    return FALSE;
  ok = bhxh_store_audit (self, actor, "declaration.view", declaration_id, NULL, error);
  /* Back to FULL whatever happened: decisions must never lose it. */
  if (!_bhxh_store_exec (self, "PRAGMA synchronous = FULL", ok ? error : NULL))
    return FALSE;

  return ok;
}

/**
 * bhxh_store_note_export:
 * @kind: what left, e.g. "receipt", "daily-report", "bundle"
 * @object: (nullable): the declaration id, the day, the file
 *
 * Audits an export (personal data leaving the database), by the user
 * signed in on @self, else "local".
 */
gboolean
bhxh_store_note_export (BhxhStore   *self,
                        const char  *kind,
                        const char  *object,
                        const char  *detail,
                        GError     **error)
{
  g_autofree char *actor = NULL;
  g_autofree char *action = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  actor = _bhxh_store_dup_actor (self, "local");
  action = g_strconcat ("export.", kind, NULL);
  return bhxh_store_audit (self, actor, action, object, detail, error);
}

/* Upload with the decisions. */

#define META_AUDIT_SENT "audit_uploaded_seq"

static gint64
sent_seq (BhxhStore *self)
{
  g_autofree char *text = bhxh_store_dup_meta (self, META_AUDIT_SENT);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

gboolean
bhxh_store_audit_dup_key (BhxhStore  *self,
                          GBytes    **key,
                          char      **id,
                          gint64     *from)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  if (self->audit_key == NULL || self->audit_key_stale)
    return FALSE;
  *key = g_bytes_new (self->audit_key, AUDIT_KEY_BYTES);
  *id = key_id (self->audit_key);
  *from = keyed_from (self);
  return TRUE;
}

JsonNode *
bhxh_store_audit_dup_unsent (BhxhStore  *self,
                             guint       limit,
                             gint64     *last_seq,
                             GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char * const names[] = { "at", "actor", "action", "object", "detail", "prev_hash",
                                 "hash" };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (last_seq != NULL, NULL);

  *last_seq = 0;
  stmt = _bhxh_store_prepare (self,
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit "
    "WHERE seq > ?1 ORDER BY seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sent_seq (self));
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *last_seq = sqlite3_column_int64 (stmt, 0);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, *last_seq);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i + 1);

          json_builder_set_member_name (b, names[i]);
          if (text != NULL)
            json_builder_add_string_value (b, text);
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the audit trail"));
      return NULL;
    }

  return json_builder_get_root (b);
}

gboolean
bhxh_store_audit_mark_sent (BhxhStore  *self,
                            gint64      seq,
                            GError    **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  if (seq <= sent_seq (self))
    return TRUE;
  text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  return bhxh_store_set_meta (self, META_AUDIT_SENT, text, error);
}

/* Retention. */

/**
 * bhxh_store_purge_documents:
 * @days: keep this many days; 0: the `retention_days` setting
 * @n_purged: (out) (optional): how many payloads were blanked
 *
 * Blanks the raw payload of every document scanned more than @days days
 * ago (the row stays: who scanned which declaration when), and deletes the
 * portrait photos of declarations closed and last changed before then. Purging with
 * fewer days than the setting needs an admin in "accounts required" mode;
 * at the setting anyone may (a timer does it). Audited, in one transaction.
 */
gboolean
bhxh_store_purge_documents (BhxhStore  *self,
                            guint       days,
                            guint      *n_purged,
                            GError    **error)
{
  guint setting = bhxh_store_get_setting (self, BHXH_META_RETENTION_DAYS);
  g_autoptr(GDateTime) now = bhxh_clock_now ();
  g_autoptr(GDateTime) cutoff = NULL;
  g_autofree char *now_text = bhxh_clock_format_iso (now);
  g_autofree char *detail = NULL;
  g_autofree char *actor = NULL;
  sqlite3_stmt *stmt;
  guint n;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  if (days == 0)
    days = setting;
  if (days < setting && !_bhxh_store_require_role (self, NULL, BHXH_ROLE_ADMIN, error))
    return FALSE;
  cutoff = g_date_time_add_days (now, -(int) MIN (days, 100000u));

  actor = _bhxh_store_dup_actor (self, "retention");
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  /* julianday() reads the UTC offset of each stored time. */
  stmt = _bhxh_store_prepare (self,
    "UPDATE documents SET payload = NULL, purged_at = ?2 "
    "WHERE payload IS NOT NULL AND julianday (scanned_at) < julianday (?1)", error);
  if (stmt == NULL)
    goto fail;
  _bhxh_bind_time (stmt, 1, cutoff);
  sqlite3_bind_text (stmt, 2, now_text, -1, SQLITE_STATIC);
  if (!_bhxh_store_step_done (self, stmt, error))
    goto fail;
  n = (guint) sqlite3_changes (self->db);
  /* A declaration's portrait photo is kept while it is open, and goes with
   * the scans once it is closed. */
  stmt = _bhxh_store_prepare (self,
    "DELETE FROM declaration_portraits WHERE declaration_id IN (SELECT id FROM declarations "
    "WHERE status NOT IN ('pending', 'escalated') AND julianday (updated_at) < julianday (?1))",
    error);
  if (stmt == NULL)
    goto fail;
  _bhxh_bind_time (stmt, 1, cutoff);
  if (!_bhxh_store_step_done (self, stmt, error))
    goto fail;
  detail = g_strdup_printf ("days=%u documents=%u portraits=%u", days, n,
                            (guint) sqlite3_changes (self->db));
  if (!_bhxh_store_audit_append (self, actor, "retention.purge", NULL, detail, error) ||
      !_bhxh_store_commit (self, error))
    goto fail;
  if (n_purged != NULL)
    *n_purged = n;

  return TRUE;

fail:
  _bhxh_store_rollback (self);
  return FALSE;
}

void
bhxh_audit_entry_free (BhxhAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->object);
  g_free (entry->detail);
  g_free (entry);
}
