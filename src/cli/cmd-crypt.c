/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "store/bhxh-crypt.h"
#include "store/bhxh-store.h"
#include "core/bhxh-secret-file.h"
#include "bhxh-cli.h"

/* crypt status|encrypt|rekey: encryption at rest (docs/encryption.md).
 * Every command opens an encrypted store with the key from --key-file,
 * BHXH_DESK_KEY_FILE (or BHXH_DESK_KEYRING=1), else its own key file
 * (DB.key, made with every new store); "crypt encrypt" turns a store an
 * earlier version kept in clear into an encrypted one (with its own key
 * file unless one is given), "crypt rekey" moves it to a new key (and its
 * own key file with it). */

#define CRYPT_USAGE \
  "crypt status DB | crypt encrypt DB [--key-file FILE] | " \
  "crypt rekey DB [--key-file FILE] --new-key-file FILE" \
  " [--user LOGIN [--password-file FILE]]"

static void
add_file_status (JsonBuilder *b,
                 const char  *member,
                 const char  *path)
{
  json_builder_set_member_name (b, member);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    json_builder_add_boolean_value (b, bhxh_crypt_file_is_encrypted (path));
  else
    json_builder_add_null_value (b);
}

static int
crypt_status (const char *path)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *mirror = g_strconcat (path, "-mirror", NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("There is no database %s"), path);
  json_builder_begin_object (b);
  add_file_status (b, "encrypted", path);
  add_file_status (b, "mirror_encrypted", mirror);
  json_builder_set_member_name (b, "keyring_support");
  json_builder_add_boolean_value (b, bhxh_crypt_keyring_available ());
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

/* The key given, else the store's own (bhxh_crypt_key_for_store()). For a
 * store kept in clear: %NULL and @in_clear set (its key file is made once
 * an admin has signed in). */
static const BhxhCryptKey *
configured_key (const char  *key_file,
                const char  *path,
                gboolean    *in_clear,
                GError     **error)
{
  const BhxhCryptKey *key;

  *in_clear = FALSE;
  if (key_file != NULL)
    return bhxh_crypt_key_from_file (key_file, error);
  key = bhxh_crypt_key_for_store (path, in_clear, error);
  if (key == NULL && !*in_clear && error != NULL && *error == NULL)
    g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY,
                 _("No database key: give --key-file FILE or set BHXH_DESK_KEY_FILE"));
  return key;
}

/* Whether @key is the one in the store's own key file (keys are interned:
 * the same secret is the same key). */
static gboolean
is_own_key (const char         *path,
            const BhxhCryptKey *key)
{
  g_autofree char *own = bhxh_crypt_key_path_for_store (path);

  return key != NULL && g_file_test (own, G_FILE_TEST_EXISTS) &&
         bhxh_crypt_key_from_file (own, NULL) == key;
}

/* After a rekey the store's own key file holds the new key. */
static gboolean
replace_own_key (const char  *path,
                 const char  *new_key_file,
                 GError     **error)
{
  g_autofree char *own = bhxh_crypt_key_path_for_store (path);
  g_autoptr(GBytes) contents = bhxh_secret_file_read (new_key_file, error);

  return contents != NULL &&
         g_file_set_contents_full (own, g_bytes_get_data (contents, NULL),
                                   (gssize) g_bytes_get_size (contents),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Accounts required: only an admin changes how the data is kept. @key
 * opens an encrypted database (rekey); NULL a database in clear. */
static gboolean
require_admin (const char         *path,
               const BhxhCryptKey *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = bhxh_store_open_with_key (path, key, &error);

  if (store == NULL || !bhxh_cli_require_session (store, "admin", &error))
    {
      bhxh_cli_fail_error (error);
      return FALSE;
    }
  return TRUE;
}

static int
crypt_encrypt (const char *path,
               const char *key_file,
               const char *new_key_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BhxhStore) store = NULL;
  const BhxhCryptKey *key;
  gboolean in_clear = FALSE;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("There is no database %s"), path);
  key = configured_key (key_file, path, &in_clear, &error);
  if (key == NULL && !in_clear)
    return bhxh_cli_fail_error (error);
  if (!require_admin (path, bhxh_crypt_file_is_encrypted (path) ? key : NULL))
    return BHXH_EXIT_INPUT;
  if (key == NULL)
    {
      /* In clear, no key given: it gets its own. */
      g_autofree char *own = bhxh_crypt_key_path_for_store (path);

      if (new_key_file != NULL)
        return bhxh_cli_fail (BHXH_EXIT_INPUT, _("The database %s is not encrypted: "
                                                 "encrypt it first"), path);
      if (!bhxh_crypt_generate_key_file (own, &error) ||
          (key = bhxh_crypt_key_from_file (own, &error)) == NULL)
        return bhxh_cli_fail_error (error);
    }
  if (new_key_file != NULL)
    {
      const BhxhCryptKey *old_key = key;

      key = bhxh_crypt_key_from_file (new_key_file, &error);
      if (key == NULL || !bhxh_crypt_rekey_database (path, old_key, key, &error) ||
          (is_own_key (path, old_key) && !replace_own_key (path, new_key_file, &error)))
        return bhxh_cli_fail_error (error);
    }
  else if (!bhxh_crypt_encrypt_database (path, key, &error))
    return bhxh_cli_fail_error (error);
  /* It opens with the key, the schema and the mirror as before. */
  store = bhxh_store_open_with_key (path, key, &error);
  if (store == NULL)
    return bhxh_cli_fail_error (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "encrypted");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "persons");
  json_builder_add_int_value (b, (gint64) bhxh_store_count_persons (store));
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}

int
bhxh_cmd_crypt (int    argc,
                char **argv)
{
  g_autofree char *key_file = NULL;
  g_autofree char *new_key_file = NULL;
  GOptionEntry entries[] = {
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, NULL, "FILE" },
    { "new-key-file", 0, 0, G_OPTION_ARG_FILENAME, &new_key_file, NULL, "FILE" },
    { NULL }
  };
  int rc = bhxh_cli_parse_session_options (entries, CRYPT_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 3)
    return bhxh_cli_usage (CRYPT_USAGE);
  if (g_str_equal (argv[1], "status") && key_file == NULL && new_key_file == NULL)
    return crypt_status (argv[2]);
  if (g_str_equal (argv[1], "encrypt") && new_key_file == NULL)
    return crypt_encrypt (argv[2], key_file, NULL);
  if (g_str_equal (argv[1], "rekey") && new_key_file != NULL)
    return crypt_encrypt (argv[2], key_file, new_key_file);
  return bhxh_cli_usage (CRYPT_USAGE);
}
