/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SQL on a store's file from a connection of its own, behind the library's
 * back (what a test checks or tampers with): stores are encrypted by
 * default, so the connection goes through the store's key (PATH.key) when
 * it has one. */
#pragma once

#include <string.h>
#include <glib.h>
#include <sqlite3.h>

#include "store/bhxh-crypt.h"

static inline sqlite3 *
raw_sql_open (const char *path)
{
  /* The mirror (PATH-mirror) has its store's key. */
  g_autofree char *store = g_str_has_suffix (path, "-mirror")
                           ? g_strndup (path, strlen (path) - strlen ("-mirror"))
                           : g_strdup (path);
  g_autofree char *key_file = bhxh_crypt_key_path_for_store (store);
  g_autoptr(GError) error = NULL;
  const char *vfs = NULL;
  sqlite3 *db = NULL;

  if (g_file_test (key_file, G_FILE_TEST_EXISTS))
    {
      const BhxhCryptKey *key = bhxh_crypt_key_from_file (key_file, &error);

      g_assert_no_error (error);
      vfs = bhxh_crypt_key_get_vfs_name (key);
    }
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* The first column of the first row, or NULL. */
static inline char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db = raw_sql_open (path);
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return result;
}

static inline int
sql_int (const char *path,
         const char *sql)
{
  g_autofree char *text = sql_text (path, sql);

  return text != NULL ? atoi (text) : -1;
}

static inline void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = raw_sql_open (path);

  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}
