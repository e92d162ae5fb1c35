/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-collate.h"
#include "core/bhxh-text.h"
#include "core/bhxh-json.h"
#include "bhxh-store-private.h"

#define DECLARATIONS_FORMAT "bhxh-declarations/1"
/* Written "+d.status IN" where an ID index must lead: the status index
 * would scan every open declaration. */
#define OPEN_STATUSES "('pending', 'escalated')"

BhxhDeclaration *
_bhxh_declaration_from_row (sqlite3_stmt *stmt)
{
  BhxhDeclaration *d = bhxh_declaration_new ();
  const char *kind = (const char *) sqlite3_column_text (stmt, 1);
  const char *status = (const char *) sqlite3_column_text (stmt, 2);
  const char *sex = (const char *) sqlite3_column_text (stmt, 10);

  /* CHECK constraints keep kind and status valid. */
  d->id = _bhxh_column_dup (stmt, 0);
  bhxh_kind_parse (kind, &d->kind);
  bhxh_status_parse (status, &d->status);
  d->office_code = _bhxh_column_dup (stmt, 3);
  d->submitted_at = _bhxh_column_time (stmt, 4);
  d->confirmed_at = _bhxh_column_time (stmt, 5);
  d->full_name = _bhxh_column_dup (stmt, 6);
  d->bhxh_code = _bhxh_column_dup (stmt, 7);
  d->id_number = _bhxh_column_dup (stmt, 8);
  d->birth_date = _bhxh_column_date (stmt, 9);
  if (sex == NULL || !bhxh_sex_parse (sex, &d->sex))
    d->sex = BHXH_SEX_UNKNOWN;
  d->address = _bhxh_column_dup (stmt, 11);
  d->province_code = _bhxh_column_dup (stmt, 12);
  d->district_code = _bhxh_column_dup (stmt, 13);
  d->commune_code = _bhxh_column_dup (stmt, 14);
  d->contact_person = _bhxh_column_dup (stmt, 15);
  d->email = _bhxh_column_dup (stmt, 16);
  d->phone = _bhxh_column_dup (stmt, 17);
  d->cert_number = _bhxh_column_dup (stmt, 18);
  d->cert_issuer = _bhxh_column_dup (stmt, 19);
  d->cert_valid_from = _bhxh_column_date (stmt, 20);
  d->cert_valid_to = _bhxh_column_date (stmt, 21);
  d->start_date = _bhxh_column_date (stmt, 22);
  d->channel = _bhxh_column_dup (stmt, 23);
  d->ivan_name = _bhxh_column_dup (stmt, 24);
  d->stop_reason = _bhxh_column_dup (stmt, 25);
  d->handin = _bhxh_column_dup (stmt, 26);
  d->guardian_bhxh_code = _bhxh_column_dup (stmt, 27);
  d->guardian_id_number = _bhxh_column_dup (stmt, 28);
  d->employer = _bhxh_column_dup (stmt, 29);
  d->guardian_name = _bhxh_column_dup (stmt, 30);

  return d;
}

/* Collects every row of a prepared declaration query. */
static GPtrArray *
collect_declarations (BhxhStore     *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_declaration_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, _bhxh_declaration_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the declarations"));
      return NULL;
    }

  return g_steal_pointer (&list);
}

/* Import. */

static void
bind_declaration (sqlite3_stmt          *stmt,
                  const BhxhDeclaration *d,
                  const char            *now)
{
  g_autofree char *folded = _bhxh_store_fold (d->full_name, -1);

  sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, bhxh_kind_to_string (d->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bhxh_status_to_string (d->status), -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 4, d->office_code);
  _bhxh_bind_time (stmt, 5, d->submitted_at);
  if (d->submitted_at != NULL)
    sqlite3_bind_int64 (stmt, 6, g_date_time_to_unix (d->submitted_at));
  _bhxh_bind_time (stmt, 7, d->confirmed_at);
  _bhxh_bind_text (stmt, 8, d->full_name);
  _bhxh_bind_text (stmt, 9, folded);
  _bhxh_bind_text (stmt, 10, d->bhxh_code);
  _bhxh_bind_text (stmt, 11, d->id_number);
  _bhxh_bind_date (stmt, 12, &d->birth_date);
  if (d->sex != BHXH_SEX_UNKNOWN)
    sqlite3_bind_text (stmt, 13, bhxh_sex_to_string (d->sex), -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 14, d->address);
  _bhxh_bind_text (stmt, 15, d->province_code);
  _bhxh_bind_text (stmt, 16, d->district_code);
  _bhxh_bind_text (stmt, 17, d->commune_code);
  _bhxh_bind_text (stmt, 18, d->contact_person);
  _bhxh_bind_text (stmt, 19, d->email);
  _bhxh_bind_text (stmt, 20, d->phone);
  _bhxh_bind_text (stmt, 21, d->cert_number);
  _bhxh_bind_text (stmt, 22, d->cert_issuer);
  _bhxh_bind_date (stmt, 23, &d->cert_valid_from);
  _bhxh_bind_date (stmt, 24, &d->cert_valid_to);
  _bhxh_bind_date (stmt, 25, &d->start_date);
  _bhxh_bind_text (stmt, 26, d->channel);
  _bhxh_bind_text (stmt, 27, d->ivan_name);
  _bhxh_bind_text (stmt, 28, d->stop_reason);
  _bhxh_bind_text (stmt, 29, d->handin);
  _bhxh_bind_text (stmt, 30, d->guardian_bhxh_code);
  _bhxh_bind_text (stmt, 31, d->guardian_id_number);
  _bhxh_bind_text (stmt, 32, d->employer);
  sqlite3_bind_text (stmt, 33, now, -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 34, d->guardian_name);
}

#define UPSERT_SQL \
  "INSERT INTO declarations (id, kind, status, office_code, submitted_at, submitted_unix, " \
  "confirmed_at, full_name, name_folded, bhxh_code, id_number, birth_date, sex, address, " \
  "province_code, district_code, commune_code, contact_person, email, phone, cert_number, " \
  "cert_issuer, cert_valid_from, cert_valid_to, start_date, channel, ivan_name, stop_reason, " \
  "handin, guardian_bhxh_code, guardian_id_number, employer, updated_at, guardian_name) " \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, " \
  "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34) " \
  "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status = excluded.status, " \
  "office_code = excluded.office_code, submitted_at = excluded.submitted_at, " \
  "submitted_unix = excluded.submitted_unix, confirmed_at = excluded.confirmed_at, " \
  "full_name = excluded.full_name, name_folded = excluded.name_folded, " \
  "bhxh_code = excluded.bhxh_code, id_number = excluded.id_number, " \
  "birth_date = excluded.birth_date, sex = excluded.sex, address = excluded.address, " \
  "province_code = excluded.province_code, district_code = excluded.district_code, " \
  "commune_code = excluded.commune_code, contact_person = excluded.contact_person, " \
  "email = excluded.email, phone = excluded.phone, cert_number = excluded.cert_number, " \
  "cert_issuer = excluded.cert_issuer, cert_valid_from = excluded.cert_valid_from, " \
  "cert_valid_to = excluded.cert_valid_to, start_date = excluded.start_date, " \
  "channel = excluded.channel, ivan_name = excluded.ivan_name, " \
  "stop_reason = excluded.stop_reason, handin = excluded.handin, " \
  "guardian_bhxh_code = excluded.guardian_bhxh_code, " \
  "guardian_id_number = excluded.guardian_id_number, employer = excluded.employer, " \
  "guardian_name = excluded.guardian_name, updated_at = excluded.updated_at " \
  "WHERE declarations.decided_locally = 0"

static JsonArray *
declarations_array (JsonNode  *root,
                    GError   **error)
{
  JsonObject *object;
  JsonNode *list;
  const char *format;

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad;

  object = json_node_get_object (root);
  format = json_object_get_string_member_with_default (object, "format", NULL);
  if (format != NULL && !g_str_equal (format, DECLARATIONS_FORMAT))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The declarations file has the format “%s”; this program reads “%s”"),
                   format, DECLARATIONS_FORMAT);
      return NULL;
    }
  list = json_object_get_member (object, "declarations");
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    return json_node_get_array (list);

bad:
  g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
               _("The declarations file holds no “declarations” array"));
  return NULL;
}

static gboolean
import_one (BhxhStore   *self,
            JsonNode    *node,
            guint        index,
            const char  *now,
            guint       *n_imported,
            GError     **error)
{
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("Declaration %u of the file is not a JSON object"), index + 1);
      return FALSE;
    }
  d = bhxh_declaration_from_json (json_node_get_object (node), &local_error);
  if (d == NULL)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("Declaration %u of the file: %s"), index + 1, local_error->message);
      return FALSE;
    }

  stmt = _bhxh_store_prepare (self, UPSERT_SQL, error);
  if (stmt == NULL)
    return FALSE;
  bind_declaration (stmt, d, now);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;
  /* No change: the declaration was decided here and the local decision wins. */
  *n_imported += sqlite3_changes (self->db) > 0;
  if (!_bhxh_store_import_portrait_ref (self, d->id, json_node_get_object (node), error))
    return FALSE;

  return TRUE;
}

gboolean
bhxh_store_import_declarations_json (BhxhStore  *self,
                                     JsonNode   *root,
                                     guint      *n_imported,
                                     GError    **error)
{
  g_autofree char *now = bhxh_clock_now_iso ();
  g_autofree char *detail = NULL;
  JsonArray *array;
  guint imported = 0;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  array = declarations_array (root, error);
  if (array == NULL)
    return FALSE;

  if (!_bhxh_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!import_one (self, json_array_get_element (array, i), i, now, &imported, error))
      {
        _bhxh_store_rollback (self);
        return FALSE;
      }
  detail = g_strdup_printf ("imported=%u of %u", imported, json_array_get_length (array));
  if (!_bhxh_store_audit_append (self, "system", "declarations.import", NULL, detail, error) ||
      !_bhxh_store_commit (self, error))
    {
      _bhxh_store_rollback (self);
      return FALSE;
    }

  if (n_imported != NULL)
    *n_imported = imported;
  return TRUE;
}

gboolean
bhxh_store_import_declarations (BhxhStore   *self,
                                const char  *file,
                                guint       *n_imported,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  const char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  mapped = g_mapped_file_new (file, FALSE, &local_error);
  if (mapped != NULL)
    {
      /* An empty file maps to NULL. */
      contents = g_mapped_file_get_contents (mapped) ? g_mapped_file_get_contents (mapped) : "";
      length = g_mapped_file_get_length (mapped);
    }
  if (mapped != NULL && !bhxh_json_depth_ok (contents, length, 64))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("Cannot read the declarations file %s: it is nested too deeply"), file);
      return FALSE;
    }
  if (mapped == NULL
      || !json_parser_load_from_data (parser, contents, length, &local_error))
    {
      g_set_error (error, BHXH_STORE_ERROR,
                   local_error->domain == JSON_PARSER_ERROR ? BHXH_STORE_ERROR_BAD_INPUT
                                                            : BHXH_STORE_ERROR_IO,
                   _("Cannot read the declarations file %s: %s"), file, local_error->message);
      return FALSE;
    }

  return bhxh_store_import_declarations_json (self, json_parser_get_root (parser),
                                              n_imported, error);
}

/* Queries. */

BhxhDeclaration *
bhxh_store_get_declaration (BhxhStore   *self,
                            const char  *id,
                            GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT " BHXH_DECLARATION_COLUMNS " FROM declarations d WHERE d.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  list = collect_declarations (self, stmt, error);
  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no declaration %s"), id);
      return NULL;
    }

  return g_ptr_array_steal_index (list, 0);
}

/* The start of a word of the folded name (bhxh_text_has_word_prefix()):
 * " name" LIKE "% query%", where "%" and "_" of the user's text match
 * themselves. */
static char *
like_pattern (const char *folded)
{
  GString *pattern = g_string_new ("% ");

  for (const char *p = folded; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

gboolean
bhxh_queue_sort_parse (const char    *text,
                       BhxhQueueSort *out)
{
  if (g_strcmp0 (text, "submitted") == 0)
    *out = BHXH_QUEUE_SORT_SUBMITTED;
  else if (g_strcmp0 (text, "name") == 0)
    *out = BHXH_QUEUE_SORT_NAME;
  else
    return FALSE;
  return TRUE;
}

static const char *
declaration_name (gconstpointer item)
{
  return ((const BhxhDeclaration *) item)->full_name;
}

/**
 * bhxh_store_list_declarations:
 * @filter: (nullable): what to list; %NULL: everything
 *
 * A search finds the start of any word of the name, folded ("Hằng" finds
 * Nguyễn Thị Hằng, never Thắng), a declaration's id, or the person by any
 * of their codes: the ID number, the mã số BHXH of either form, and
 * through the registry the codes it knows for the same person.
 *
 * Returns: (transfer full) (element-type BhxhDeclaration): the matching
 *   declarations, oldest submission first, or by name as the filter asks
 */
GPtrArray *
bhxh_store_list_declarations (BhxhStore             *self,
                              const BhxhQueueFilter *filter,
                              GError               **error)
{
  BhxhQueueFilter all = BHXH_QUEUE_FILTER_INIT;
  g_autofree char *search = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *pattern = NULL;
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  gboolean by_name;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  if (filter == NULL)
    filter = &all;
  by_name = filter->sort == BHXH_QUEUE_SORT_NAME;
  _bhxh_store_refresh_mirror (self);
  /* codes: what was searched, and when it is a code, every code the
   * registry knows the same person by (12-digit first, 10-digit second). */
  stmt = _bhxh_store_prepare (self,
    "WITH person (bhxh_code, id_number, legacy) AS ("
    "  SELECT p.bhxh_code, p.id_number, p.legacy_bhxh_code FROM mirror.persons p "
    "  WHERE ?6 AND p.id_number = ?5 UNION "
    "  SELECT p.bhxh_code, p.id_number, p.legacy_bhxh_code FROM mirror.persons p "
    "  WHERE ?6 AND p.bhxh_code = ?5 UNION "
    "  SELECT p.bhxh_code, p.id_number, p.legacy_bhxh_code FROM mirror.persons p "
    "  WHERE ?6 AND p.legacy_bhxh_code = ?5), "
    "codes (code) AS (SELECT ?5 UNION SELECT bhxh_code FROM person "
    "  UNION SELECT id_number FROM person UNION SELECT legacy FROM person) "
    "SELECT " BHXH_DECLARATION_COLUMNS " FROM declarations d "
    "WHERE (?1 IS NULL OR d.status = ?1) AND (?2 IS NULL OR d.kind = ?2) "
    "AND (?3 IS NULL OR substr (d.office_code, 1, length (?3)) = ?3) "
    "AND (?4 IS NULL OR (' ' || d.name_folded) LIKE ?4 ESCAPE '\\' OR d.id = ?5 "
    "     OR d.bhxh_code IN (SELECT code FROM codes) "
    "     OR d.id_number IN (SELECT code FROM codes)) "
    "ORDER BY d.submitted_unix, d.id LIMIT ?7", error);
  if (stmt == NULL)
    return NULL;

  if (filter->status >= 0)
    sqlite3_bind_text (stmt, 1, bhxh_status_to_string (filter->status), -1, SQLITE_STATIC);
  if (filter->kind >= 0)
    sqlite3_bind_text (stmt, 2, bhxh_kind_to_string (filter->kind), -1, SQLITE_STATIC);
  _bhxh_bind_text (stmt, 3, filter->office_code);
  if (filter->search != NULL)
    {
      search = g_strstrip (g_strdup (filter->search));
      folded = _bhxh_store_fold (search, -1);
    }
  if (folded != NULL && *folded != '\0')
    {
      pattern = like_pattern (folded);
      sqlite3_bind_text (stmt, 4, pattern, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, search, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 6, bhxh_code_is_valid (search));
    }
  else
    sqlite3_bind_int (stmt, 6, 0);
  sqlite3_bind_int64 (stmt, 7, filter->limit > 0 && !by_name ? (gint64) filter->limit : -1);

  list = collect_declarations (self, stmt, error);
  if (list == NULL || !by_name)
    return g_steal_pointer (&list);
  /* A Vietnamese list (DOMAIN.md §9); the same name by submission. */
  bhxh_collate_sort_by_name (list, declaration_name);
  if (filter->limit > 0 && list->len > filter->limit)
    g_ptr_array_set_size (list, filter->limit);
  return g_steal_pointer (&list);
}

/**
 * bhxh_store_find_open_declarations:
 * @id_number: the 12-digit number read from an ID card
 *
 * Returns: (transfer full) (element-type BhxhDeclaration): the open
 *   (pending or escalated) declarations of that person — by the ID number
 *   declared as such or as the mã số BHXH (since 2025), then by the
 *   10-digit codes the mirror knows for it — and those naming the person
 *   as guardian the same ways
 */
GPtrArray *
bhxh_store_find_open_declarations (BhxhStore   *self,
                                   const char  *id_number,
                                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (id_number != NULL, NULL);

  _bhxh_store_refresh_mirror (self);
  stmt = _bhxh_store_prepare (self,
    "SELECT " BHXH_DECLARATION_COLUMNS " FROM declarations d "
    "WHERE +d.status IN " OPEN_STATUSES " AND (d.id_number = ?1 OR d.bhxh_code = ?1 "
    "OR d.guardian_id_number = ?1 OR d.guardian_bhxh_code = ?1 "
    "OR d.bhxh_code IN (SELECT p.bhxh_code FROM mirror.persons p WHERE p.id_number = ?1 "
    "  UNION ALL SELECT p.legacy_bhxh_code FROM mirror.persons p WHERE p.id_number = ?1) "
    "OR d.guardian_bhxh_code IN (SELECT p.bhxh_code FROM mirror.persons p "
    "  WHERE p.id_number = ?1 UNION ALL SELECT p.legacy_bhxh_code FROM mirror.persons p "
    "  WHERE p.id_number = ?1)) "
    "ORDER BY d.submitted_unix, d.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_number, -1, SQLITE_STATIC);

  return collect_declarations (self, stmt, error);
}

/* The check. */

/* The status an approval here gave the person, by any of @codes (the
 * declared code and the registry's codes for the person): the latest. */
char *
_bhxh_store_dup_local_account (BhxhStore          *self,
                               const char * const *codes)
{
  sqlite3_stmt *stmt;
  char *status = NULL;

  if (codes == NULL || codes[0] == NULL)
    return NULL;
  stmt = _bhxh_store_prepare (self,
    "SELECT a.status FROM accounts a LEFT JOIN decisions c ON c.uuid = a.decision_uuid "
    "WHERE a.bhxh_code IN (?1, ?2, ?3, ?4) ORDER BY c.decided_at DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < 4 && codes[i] != NULL; i++)
    sqlite3_bind_text (stmt, 1 + i, codes[i], -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    status = _bhxh_column_dup (stmt, 0);
  sqlite3_reset (stmt);

  return status;
}

/* An approval here wins over the mirror until the next mirror has it. The
 * approval is kept under the code its declaration carried, which may be
 * the ID number or a former code of the person. */
static gboolean
has_active_account (BhxhStore        *self,
                    const char       *declared_code,
                    const BhxhPerson *person)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) codes = NULL;
  g_autofree char *local = NULL;

  if (declared_code != NULL)
    g_strv_builder_add (builder, declared_code);
  if (person != NULL)
    {
      g_auto(GStrv) known = bhxh_person_dup_codes (person);

      for (guint i = 0; known[i] != NULL; i++)
        if (g_strcmp0 (known[i], declared_code) != 0)
          g_strv_builder_add (builder, known[i]);
    }
  codes = g_strv_builder_end (builder);
  local = _bhxh_store_dup_local_account (self, (const char * const *) codes);
  if (local != NULL)
    return g_str_equal (local, "active");

  return person != NULL && bhxh_person_has_active_account (person);
}

/* Of the persons sharing an ID number, the one the declared code names. */
static BhxhPerson *
pick_person (GPtrArray  *persons,
             const char *bhxh_code)
{
  for (guint i = 0; bhxh_code != NULL && i < persons->len; i++)
    {
      const BhxhPerson *p = g_ptr_array_index (persons, i);

      if (g_strcmp0 (p->bhxh_code, bhxh_code) == 0 ||
          g_strcmp0 (p->legacy_bhxh_code, bhxh_code) == 0)
        return g_ptr_array_steal_index (persons, i);
    }
  return g_ptr_array_steal_index (persons, 0);
}

/* By the 12-digit ID number first — declared as such, or as the mã số
 * BHXH since 2025 — then by the 10-digit code, the registry's key or a
 * person's former code. */
BhxhPerson *
_bhxh_store_lookup_person (BhxhStore   *self,
                           const char  *bhxh_code,
                           const char  *id_number,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *ids[] = { id_number, bhxh_id_number_is_valid (bhxh_code) ? bhxh_code : NULL };
  BhxhPerson *person;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GPtrArray) persons = NULL;

      if (ids[i] == NULL || (i > 0 && g_strcmp0 (ids[i], ids[0]) == 0))
        continue;
      persons = bhxh_store_find_persons_by_id (self, ids[i], error);
      if (persons == NULL)
        return NULL;
      if (persons->len > 0)
        return pick_person (persons, bhxh_code);
    }
  if (bhxh_code == NULL)
    return NULL;
  person = bhxh_store_find_person (self, bhxh_code, &local_error);
  if (person == NULL &&
      !g_error_matches (local_error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return person;
}

/* Other open declarations of the same person, whichever code they carry:
 * the ID number, the mã số BHXH of either form, a former code. */
static guint
count_other_open (BhxhStore             *self,
                  const BhxhDeclaration *d,
                  const BhxhPerson      *person,
                  GError               **error)
{
  g_auto(GStrv) codes = person != NULL ? bhxh_person_dup_codes (person) : NULL;
  const char *values[5] = { d->bhxh_code, d->id_number };
  guint n = 2;
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  for (guint i = 0; codes != NULL && codes[i] != NULL && n < G_N_ELEMENTS (values); i++)
    values[n++] = codes[i];
  stmt = _bhxh_store_prepare (self,
    "SELECT count(*) FROM declarations d WHERE +d.status IN " OPEN_STATUSES " AND d.id <> ?1 "
    "AND (d.bhxh_code IN (?2, ?3, ?4, ?5, ?6) OR d.id_number IN (?2, ?3, ?4, ?5, ?6))", error);
  if (stmt == NULL)
    return G_MAXUINT;
  sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_STATIC);
  for (guint i = 0; i < n; i++)
    _bhxh_bind_text (stmt, 2 + i, values[i]);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  else
    _bhxh_store_set_error (error, self->db, rc, _("cannot read the declarations"));
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW ? count : G_MAXUINT;
}

/**
 * bhxh_store_check_declaration:
 * @declaration: the declaration to check
 * @document: (nullable): what was scanned
 * @today: (nullable): the day to judge on; %NULL: bhxh_clock_today ()
 *
 * Gathers the mirror's person and guardian, their accounts (the mirror's or
 * approved here) and the person's other open declarations, and runs the
 * rules of the core on them.
 *
 * Returns: (transfer full): the check, or %NULL with @error set
 */
BhxhCheck *
bhxh_store_check_declaration (BhxhStore              *self,
                              const BhxhDeclaration  *declaration,
                              const BhxhDocument     *document,
                              const BhxhDate         *today,
                              GError                **error)
{
  g_autoptr(BhxhPerson) person = NULL;
  g_autoptr(BhxhPerson) guardian = NULL;
  g_autoptr(GError) local_error = NULL;
  BhxhCheckInput input = { 0 };

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (declaration != NULL, NULL);

  person = _bhxh_store_lookup_person (self, declaration->bhxh_code, declaration->id_number,
                                      &local_error);
  if (local_error == NULL && (declaration->guardian_bhxh_code != NULL ||
                              declaration->guardian_id_number != NULL))
    guardian = _bhxh_store_lookup_person (self, declaration->guardian_bhxh_code,
                                          declaration->guardian_id_number, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  input.declaration = declaration;
  input.document = document;
  input.person = person;
  input.guardian = guardian;
  input.guardian_has_account = has_active_account (self, declaration->guardian_bhxh_code,
                                                   guardian);
  input.person_has_account = has_active_account (self, declaration->bhxh_code, person);
  input.other_open_declarations = count_other_open (self, declaration, person, error);
  if (input.other_open_declarations == G_MAXUINT)
    return NULL;
  input.today = today != NULL ? *today : bhxh_clock_today ();

  return bhxh_check_run (&input);
}

/* Assignment (schema version 3). */

/* Inside the transaction: the clerk exists and is a clerk. */
static gboolean
check_clerk (BhxhStore   *self,
             const char  *login,
             GError     **error)
{
  g_autofree char *role = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bhxh_store_prepare (self, "SELECT role FROM users WHERE login = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    role = _bhxh_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the users"));
      return FALSE;
    }
  if (role == NULL)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                   _("There is no user “%s”"), login);
      return FALSE;
    }
  if (!g_str_equal (role, "clerk"))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("“%s” is not a clerk"), login);
      return FALSE;
    }
  return TRUE;
}

static gboolean
reassign_locked (BhxhStore   *self,
                 const char  *declaration_id,
                 const char  *clerk_login,
                 const char  *actor,
                 GError     **error)
{
  g_autoptr(BhxhDeclaration) d = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  d = bhxh_store_get_declaration (self, declaration_id, error);
  if (d == NULL)
    return FALSE;
  if (d->status != BHXH_STATUS_PENDING && d->status != BHXH_STATUS_ESCALATED)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_ALREADY_DECIDED,
                   _("Declaration %s is already %s"), d->id, bhxh_status_to_string (d->status));
      return FALSE;
    }
  if (!check_clerk (self, clerk_login, error))
    return FALSE;

  now = bhxh_clock_now_iso ();
  stmt = _bhxh_store_prepare (self,
    "UPDATE declarations SET status = 'pending', assigned_to = ?2, updated_at = ?3 "
    "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, clerk_login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!_bhxh_store_step_done (self, stmt, error))
    return FALSE;

  return _bhxh_store_audit_append (self, actor, "declaration.reassign", d->id, clerk_login,
                                   error);
}

/**
 * bhxh_store_reassign:
 * @declaration_id: an open (pending or escalated) declaration
 * @clerk_login: the clerk who takes it over
 * @actor: (nullable): the supervisor handing it over; in "accounts
 *   required" mode the signed-in supervisor or admin
 *
 * Hands @declaration_id to @clerk_login in one transaction: the
 * declaration goes (back) to pending, assigned to them, and the audit
 * trail records "declaration.reassign". Refuses a decided or cancelled
 * declaration (ALREADY_DECIDED), an unknown login (NOT_FOUND) and a user
 * who is not a clerk (BAD_INPUT).
 */
gboolean
bhxh_store_reassign (BhxhStore   *self,
                     const char  *declaration_id,
                     const char  *clerk_login,
                     const char  *actor,
                     GError     **error)
{
  g_autofree char *who = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);

  if (declaration_id == NULL || *declaration_id == '\0' ||
      clerk_login == NULL || *clerk_login == '\0')
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("Reassigning needs a declaration and a clerk"));
      return FALSE;
    }
  if (!_bhxh_store_require_role (self, actor, BHXH_ROLE_SUPERVISOR, error))
    return FALSE;

  who = actor != NULL ? g_strdup (actor) : _bhxh_store_dup_actor (self, "local");
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!reassign_locked (self, declaration_id, clerk_login, who, error))
    {
      _bhxh_store_rollback (self);
      return FALSE;
    }
  return _bhxh_store_commit (self, error);
}

/**
 * bhxh_store_dup_assignee:
 *
 * Returns: (transfer full) (nullable): the login of the clerk
 *   @declaration_id is assigned to, or %NULL (none, or no such declaration)
 */
char *
bhxh_store_dup_assignee (BhxhStore   *self,
                         const char  *declaration_id)
{
  char *login = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (declaration_id != NULL, NULL);

  stmt = _bhxh_store_prepare (self, "SELECT assigned_to FROM declarations WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, declaration_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    login = _bhxh_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return login;
}

/**
 * bhxh_store_list_assignments:
 *
 * Returns: (transfer full): declaration id → the login of the clerk it is
 *   assigned to, for every assigned declaration; %NULL with @error set
 */
GHashTable *
bhxh_store_list_assignments (BhxhStore  *self,
                             GError    **error)
{
  g_autoptr(GHashTable) assignments = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT id, assigned_to FROM declarations WHERE assigned_to IS NOT NULL", error);
  if (stmt == NULL)
    return NULL;
  assignments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (assignments, _bhxh_column_dup (stmt, 0), _bhxh_column_dup (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the declarations"));
      return NULL;
    }
  return g_steal_pointer (&assignments);
}
