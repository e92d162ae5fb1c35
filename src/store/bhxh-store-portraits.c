/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-store-private.h"

/* The portrait photo a citizen attached to an online declaration (JPEG).
 * The declarations feed names it by hash and size (`"portrait":
 * {"sha256", "size"}`, docs/formats.md); the photo travels apart, fetched
 * by the sync after the feed, so that a day's feed stays small. The store
 * keeps it encrypted with everything else, and gives it only to a clerk,
 * audited. */

/* What a portrait photo may weigh: a phone picture scaled for a form. */
#define MAX_PORTRAIT_SIZE (1024 * 1024)

static gboolean
bad_portrait (GError    **error,
              const char *id,
              const char *why)
{
  g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
               _("The portrait photo of declaration %s is refused: %s"), id, why);
  return FALSE;
}

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* The photo the feed named: its size, its hash, a JPEG. */
static gboolean
check_image (const char  *id,
             const char  *sha256,
             gint64       size,
             GBytes      *image,
             GError     **error)
{
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };
  g_autofree char *actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
  gsize len;
  const guint8 *data = g_bytes_get_data (image, &len);

  if ((gint64) len != size || !g_str_equal (actual, sha256))
    return bad_portrait (error, id, _("it is not the photo the declaration names"));
  if (len < sizeof jpeg || memcmp (data, jpeg, sizeof jpeg) != 0)
    return bad_portrait (error, id, _("it is not a JPEG image"));
  return TRUE;
}

static gboolean
write_image (BhxhStore   *self,
             const char  *id,
             GBytes      *image,
             GError     **error)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self, "UPDATE declaration_portraits SET image = ?2 "
                                                  "WHERE declaration_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 2, g_bytes_get_data (image, NULL), g_bytes_get_size (image),
                     SQLITE_TRANSIENT);
  return _bhxh_store_step_done (self, stmt, error);
}

/* A file or a USB bundle may carry the photo itself, base64 in "data". */
static gboolean
import_inline (BhxhStore   *self,
               const char  *id,
               JsonObject  *ref,
               const char  *sha256,
               gint64       size,
               GError     **error)
{
  const char *text = json_object_get_string_member_with_default (ref, "data", NULL);
  g_autoptr(GBytes) image = NULL;
  guchar *data;
  gsize len;

  if (text == NULL)
    return TRUE;
  /* Base64 is 4/3 of the bytes: a longer text cannot be a photo allowed. */
  if (strlen (text) > MAX_PORTRAIT_SIZE / 3 * 4 + 4)
    return bad_portrait (error, id, _("it is too large"));
  data = g_base64_decode (text, &len);
  image = g_bytes_new_take (data, len);
  return check_image (id, sha256, size, image, error) && write_image (self, id, image, error);
}

/**
 * _bhxh_store_import_portrait_ref:
 * @object: the declaration's JSON object, as imported
 *
 * Inside the import's transaction: records the photo @object names, keeps
 * one already fetched with the same hash, forgets one no longer named;
 * stores the photo when @object carries it ("data").
 */
gboolean
_bhxh_store_import_portrait_ref (BhxhStore   *self,
                                 const char  *id,
                                 JsonObject  *object,
                                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, "portrait");
  JsonObject *ref;
  const char *sha256;
  gint64 size;
  sqlite3_stmt *stmt;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      stmt = _bhxh_store_prepare (self, "DELETE FROM declaration_portraits "
                                        "WHERE declaration_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      return _bhxh_store_step_done (self, stmt, error);
    }
  ref = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  sha256 = ref ? json_object_get_string_member_with_default (ref, "sha256", NULL) : NULL;
  size = ref ? json_object_get_int_member_with_default (ref, "size", 0) : 0;
  if (!is_sha256_hex (sha256) || size <= 0 || size > MAX_PORTRAIT_SIZE)
    return bad_portrait (error, id, _("its “portrait” is not {\"sha256\", \"size\"}"));

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO declaration_portraits (declaration_id, sha256, size) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (declaration_id) DO UPDATE SET sha256 = excluded.sha256, "
    "size = excluded.size, image = NULL WHERE declaration_portraits.sha256 != excluded.sha256",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, size);
  return _bhxh_store_step_done (self, stmt, error) &&
         import_inline (self, id, ref, sha256, size, error);
}

/**
 * bhxh_store_list_wanted_portraits:
 *
 * Returns: (transfer full) (element-type utf8): the ids of the open
 *   declarations whose named photo is not fetched yet
 */
GPtrArray *
bhxh_store_list_wanted_portraits (BhxhStore  *self,
                                  GError    **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT p.declaration_id FROM declaration_portraits p "
    "JOIN declarations d ON d.id = p.declaration_id "
    "WHERE p.image IS NULL AND d.status IN ('pending', 'escalated') ORDER BY 1", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, _bhxh_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the portrait photos"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/**
 * bhxh_store_set_declaration_portrait:
 * @image: the photo's bytes, as the portal sent them
 *
 * Stores the photo the declaration's feed named: a JPEG of the named size
 * and SHA-256, else %BHXH_STORE_ERROR_BAD_INPUT and nothing changes.
 */
gboolean
bhxh_store_set_declaration_portrait (BhxhStore   *self,
                                     const char  *id,
                                     GBytes      *image,
                                     GError     **error)
{
  g_autofree char *expected = NULL;
  gint64 size = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && image != NULL, FALSE);

  stmt = _bhxh_store_prepare (self, "SELECT sha256, size FROM declaration_portraits "
                                    "WHERE declaration_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      expected = _bhxh_column_dup (stmt, 0);
      size = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the portrait photos"));
      return FALSE;
    }
  if (expected == NULL)
    return bad_portrait (error, id, _("the declaration names no photo"));

  return check_image (id, expected, size, image, error) &&
         write_image (self, id, image, error);
}

/**
 * bhxh_store_dup_declaration_portrait:
 * @actor: who looks at it (the signed-in user in "accounts required" mode)
 * @image: (out) (transfer full): the JPEG, or %NULL when the declaration
 *   has no photo (or it is not fetched yet)
 *
 * The photo for a clerk to compare with the card: needs the clerk role;
 * a photo given out is audited ("declaration.portrait").
 *
 * Returns: %FALSE with an error (no such declaration, not allowed)
 */
gboolean
bhxh_store_dup_declaration_portrait (BhxhStore   *self,
                                     const char  *actor,
                                     const char  *id,
                                     GBytes     **image,
                                     GError     **error)
{
  g_autoptr(BhxhDeclaration) declaration = NULL;
  g_autoptr(GBytes) found = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL && id != NULL && image != NULL, FALSE);

  *image = NULL;
  if (!_bhxh_store_require_role (self, actor, BHXH_ROLE_CLERK, error) ||
      (declaration = bhxh_store_get_declaration (self, id, error)) == NULL)
    return FALSE;
  stmt = _bhxh_store_prepare (self, "SELECT image FROM declaration_portraits "
                                    "WHERE declaration_id = ?1 AND image IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    found = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the portrait photos"));
      return FALSE;
    }
  if (found != NULL &&
      !bhxh_store_audit (self, actor, "declaration.portrait", id, NULL, error))
    return FALSE;
  *image = g_steal_pointer (&found);
  return TRUE;
}
