/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-text.h"
#include "bhxh-store-private.h"
#include "bhxh-crypt.h"

/* Reading the registry mirror, attached as schema "mirror". */

/* A mirror imported before the registry knew former codes (2025) lacks
 * their column until the next import replaces it: add it, empty. */
static int
add_missing_columns (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean present = FALSE;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT 1 FROM pragma_table_info ('persons') "
                               "WHERE name = 'legacy_bhxh_code'", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      present = rc == SQLITE_ROW;
      rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_OK && !present)
    rc = sqlite3_exec (db, "ALTER TABLE persons ADD COLUMN legacy_bhxh_code TEXT",
                       NULL, NULL, NULL);
  return rc;
}

static gboolean
ensure_mirror_schema (BhxhStore  *self,
                      GError    **error)
{
  g_autoptr(GBytes) schema = _bhxh_store_lookup_sql ("mirror-schema.sql");
  g_autoptr(GBytes) indexes = _bhxh_store_lookup_sql ("mirror-indexes.sql");
  sqlite3 *db = NULL;
  int rc;

  /* Encrypted like the main file, with its key (bhxh-crypt.h). */
  if (!_bhxh_crypt_check_file (self->db, self->mirror_path, error))
    return FALSE;
  rc = sqlite3_open_v2 (self->mirror_path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        _bhxh_crypt_vfs_of (self->db));
  /* The busy timeout first: preparing an encrypted file reads its schema,
   * which waits while an import swaps the mirror (found by the crash
   * harness: "database is locked" at once, encrypted only). */
  if (rc == SQLITE_OK)
    sqlite3_busy_timeout (db, 5000);
  if (rc == SQLITE_OK)
    rc = _bhxh_crypt_prepare (db, "main");
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, g_bytes_get_data (schema, NULL), NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = add_missing_columns (db);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, g_bytes_get_data (indexes, NULL), NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf (_("the registry mirror %s"),
                                               self->mirror_path);

      _bhxh_store_set_error (error, db, rc, what);
    }
  sqlite3_close_v2 (db);

  return rc == SQLITE_OK;
}

static void
remember_mirror_file (BhxhStore *self)
{
  struct stat st;

  if (stat (self->mirror_path, &st) == 0)
    {
      self->mirror_dev = st.st_dev;
      self->mirror_ino = st.st_ino;
    }
}

gboolean
_bhxh_store_attach_mirror (BhxhStore  *self,
                           GError    **error)
{
  g_autofree char *sql = NULL;
  char *quoted;

  if (!ensure_mirror_schema (self, error))
    return FALSE;

  quoted = sqlite3_mprintf ("ATTACH DATABASE %Q AS mirror", self->mirror_path);
  sql = g_strdup (quoted);
  sqlite3_free (quoted);

  if (!_bhxh_store_exec (self, sql, error))
    return FALSE;
  _bhxh_crypt_prepare (self->db, "mirror");
  remember_mirror_file (self);
  return TRUE;
}

static gboolean
any_statement_busy (sqlite3 *db)
{
  for (sqlite3_stmt *stmt = sqlite3_next_stmt (db, NULL); stmt; stmt = sqlite3_next_stmt (db, stmt))
    if (sqlite3_stmt_busy (stmt))
      return TRUE;
  return FALSE;
}

/**
 * _bhxh_store_refresh_mirror:
 * @self: a store
 *
 * Another connection (the sync worker, the CLI) may have imported a new
 * mirror and renamed it over the file this one attached, which it still
 * reads through the old inode. Re-attach when the file changed; a stat()
 * per mirror read, nothing more. Never inside a transaction or while a
 * statement runs.
 */
void
_bhxh_store_refresh_mirror (BhxhStore *self)
{
  struct stat st;

  if (stat (self->mirror_path, &st) != 0)
    return;
  if ((guint64) st.st_dev == self->mirror_dev && (guint64) st.st_ino == self->mirror_ino)
    return;
  if (!sqlite3_get_autocommit (self->db) || any_statement_busy (self->db))
    return;

  g_debug ("the registry mirror was replaced: attaching the new one");
  if (_bhxh_store_detach_mirror (self, NULL))
    _bhxh_store_attach_mirror (self, NULL);
}

gboolean
_bhxh_store_detach_mirror (BhxhStore  *self,
                           GError    **error)
{
  /* Cached statements may read the mirror: DETACH refuses while any is live. */
  _bhxh_store_forget_statements (self);

  return _bhxh_store_exec (self, "DETACH DATABASE mirror", error);
}

/* Folding names for search: the same key as bhxh_text_fold(), computed
 * without allocation for the characters Vietnamese names are made of. The
 * table is filled from bhxh_text_fold() itself, so both always agree. */

#define FOLD_TABLE_SIZE 0x1F00

static guint8 fold_table[FOLD_TABLE_SIZE];   /* code point → ASCII, 0: slow path */

static void
init_fold_table (void)
{
  static gsize initialized = 0;

  if (!g_once_init_enter (&initialized))
    return;

  for (gunichar c = 0x80; c < FOLD_TABLE_SIZE; c++)
    {
      char utf8[8] = { 0 };
      g_autofree char *folded = NULL;

      if (c >= 0x0250 && c < 0x1E00)
        continue;
      g_unichar_to_utf8 (c, utf8);
      folded = bhxh_text_fold (utf8);
      if (folded != NULL && folded[0] != '\0' && folded[1] == '\0' &&
          g_ascii_isalnum (folded[0]))
        fold_table[c] = folded[0];
    }

  g_once_init_leave (&initialized, 1);
}

const char *
_bhxh_store_fold_into (GString    *out,
                       const char *text,
                       gsize       len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;
  gboolean pending_space = FALSE;

  init_fold_table ();
  g_string_truncate (out, 0);

  while (p < end)
    {
      gunichar c = *p;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
        {
          pending_space = out->len > 0;
          p++;
          continue;
        }
      if (c < 0x20 || c == 0x7F)
        goto slow;
      if (c < 0x80)
        {
          c = g_ascii_tolower (c);
          p++;
        }
      else if ((c & 0xE0) == 0xC0 && p + 1 < end)
        {
          c = ((c & 0x1F) << 6) | (p[1] & 0x3F);
          p += 2;
          if (fold_table[c] == 0)
            goto slow;
          c = fold_table[c];
        }
      else if ((c & 0xF0) == 0xE0 && p + 2 < end)
        {
          c = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
          p += 3;
          if (c >= FOLD_TABLE_SIZE || fold_table[c] == 0)
            goto slow;
          c = fold_table[c];
        }
      else
        goto slow;

      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, (char) c);
    }

  return out->str;

slow:
  {
    g_autofree char *copy = g_strndup (text, len);
    g_autofree char *folded = bhxh_text_fold (copy);

    g_string_assign (out, folded != NULL ? folded : "");
    return out->str;
  }
}

char *
_bhxh_store_fold (const char *text,
                  gssize      len)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (text == NULL)
    return NULL;
  _bhxh_store_fold_into (out, text, len < 0 ? strlen (text) : (gsize) len);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

BhxhPerson *
_bhxh_person_from_row (sqlite3_stmt *stmt,
                       int           first)
{
  BhxhPerson *person = bhxh_person_new ();
  const char *sex = (const char *) sqlite3_column_text (stmt, first + 5);

  person->bhxh_code = _bhxh_column_dup (stmt, first);
  person->id_number = _bhxh_column_dup (stmt, first + 1);
  person->old_id_number = _bhxh_column_dup (stmt, first + 2);
  person->full_name = _bhxh_column_dup (stmt, first + 3);
  person->birth_date = _bhxh_column_date (stmt, first + 4);
  if (sex == NULL || !bhxh_sex_parse (sex, &person->sex))
    person->sex = BHXH_SEX_UNKNOWN;
  person->address = _bhxh_column_dup (stmt, first + 6);
  person->office_code = _bhxh_column_dup (stmt, first + 7);
  person->account_status = _bhxh_column_dup (stmt, first + 8);
  person->account_since = _bhxh_column_date (stmt, first + 9);
  person->legacy_bhxh_code = _bhxh_column_dup (stmt, first + 10);

  return person;
}

/* Runs a person query with one text parameter; appends every row. */
static gboolean
collect_persons (BhxhStore   *self,
                 const char  *sql,
                 const char  *param,
                 const char  *param2,
                 guint        limit,
                 GPtrArray   *persons,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  _bhxh_store_refresh_mirror (self);
  stmt = _bhxh_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  if (param2 != NULL)
    sqlite3_bind_text (stmt, 2, param2, -1, SQLITE_STATIC);
  while ((limit == 0 || persons->len < limit) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (persons, _bhxh_person_from_row (stmt, 0));
  if (limit != 0 && persons->len >= limit)
    rc = SQLITE_DONE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the registry mirror"));
      return FALSE;
    }

  return TRUE;
}

BhxhPerson *
bhxh_store_find_person (BhxhStore   *self,
                        const char  *bhxh_code,
                        GError     **error)
{
  g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_person_free);

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (bhxh_code != NULL, NULL);

  /* The registry's key, else a person's former code (a registry keyed by
   * ID numbers since 2025 still knows the codes older papers carry). */
  if (!collect_persons (self,
                        "SELECT " BHXH_PERSON_COLUMNS " FROM mirror.persons p "
                        "WHERE p.bhxh_code = ?1",
                        bhxh_code, NULL, 1, persons, error) ||
      (persons->len == 0 && bhxh_code_is_legacy (bhxh_code) &&
       !collect_persons (self,
                         "SELECT " BHXH_PERSON_COLUMNS " FROM mirror.persons p "
                         "WHERE p.legacy_bhxh_code = ?1 ORDER BY p.bhxh_code",
                         bhxh_code, NULL, 1, persons, error)))
    return NULL;
  if (persons->len == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("The BHXH code %s is not in the registry mirror"), bhxh_code);
      return NULL;
    }

  return g_ptr_array_steal_index (persons, 0);
}

GPtrArray *
bhxh_store_find_persons_by_id (BhxhStore   *self,
                               const char  *id_number,
                               GError     **error)
{
  g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_person_free);

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (id_number != NULL, NULL);

  if (!collect_persons (self,
                        "SELECT " BHXH_PERSON_COLUMNS " FROM mirror.persons p "
                        "WHERE p.id_number = ?1 ORDER BY p.bhxh_code",
                        id_number, NULL, 0, persons, error))
    return NULL;

  return g_steal_pointer (&persons);
}

/**
 * bhxh_store_search_persons:
 * @query: a mã số BHXH (10 digits, the registry's or a former one), an ID
 *   number (12 digits, also the mã số BHXH since 2025), or the start of a
 *   full name, with or without diacritics
 *
 * Returns: (transfer full) (element-type BhxhPerson): the matches, at most
 *   @limit (0: 50)
 */
GPtrArray *
bhxh_store_search_persons (BhxhStore   *self,
                           const char  *query,
                           guint        limit,
                           GError     **error)
{
  g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_person_free);
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *upper = NULL;
  gboolean ok;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (limit == 0)
    limit = 50;
  text = g_strstrip (g_strdup (query));
  if (bhxh_text_is_digits (text, 10))
    ok = collect_persons (self,
                          "SELECT " BHXH_PERSON_COLUMNS " FROM mirror.persons p "
                          "WHERE p.bhxh_code = ?1 UNION ALL "
                          "SELECT " BHXH_PERSON_COLUMNS " FROM mirror.persons p "
                          "WHERE p.legacy_bhxh_code = ?1 AND p.bhxh_code <> ?1",
                          text, NULL, limit, persons, error);
  else if (bhxh_text_is_digits (text, 12))
    ok = collect_persons (self,
                          "SELECT " BHXH_PERSON_COLUMNS " FROM mirror.persons p "
                          "WHERE p.id_number = ?1 ORDER BY p.bhxh_code",
                          text, NULL, limit, persons, error);
  else
    {
      folded = _bhxh_store_fold (text, -1);
      if (*folded == '\0')
        return g_steal_pointer (&persons);
      /* A prefix range on the index; U+10FFFF sorts after any continuation. */
      upper = g_strconcat (folded, "\xF4\x8F\xBF\xBF", NULL);
      ok = collect_persons (self,
                            "SELECT " BHXH_PERSON_COLUMNS " FROM mirror.persons p "
                            "WHERE p.name_folded >= ?1 AND p.name_folded < ?2 "
                            "ORDER BY p.name_folded, p.bhxh_code",
                            folded, upper, limit, persons, error);
    }

  return ok ? g_steal_pointer (&persons) : NULL;
}

static char *
dup_mirror_meta (BhxhStore  *self,
                 const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  _bhxh_store_refresh_mirror (self);
  stmt = _bhxh_store_prepare (self,
    "SELECT value FROM mirror.mirror_meta WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _bhxh_column_dup (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

char *
bhxh_store_dup_mirror_version (BhxhStore *self)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  return dup_mirror_meta (self, "version");
}

GDateTime *
bhxh_store_dup_mirror_imported_at (BhxhStore *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  text = dup_mirror_meta (self, "imported_at");
  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

guint64
bhxh_store_count_persons (BhxhStore *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), 0);

  text = dup_mirror_meta (self, "rows");
  return text != NULL ? g_ascii_strtoull (text, NULL, 10) : 0;
}
