/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Populating a store with the demo, through the same import paths real
 * data takes: the mirror as a CSV file, the declarations as portal JSON. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "bhxh-demo-private.h"

GPtrArray *
bhxh_demo_build_offices (void)
{
  GPtrArray *offices = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_office_free);

  for (guint i = 0; i < demo_n_offices; i++)
    {
      BhxhOffice *office = g_new0 (BhxhOffice, 1);

      office->code = g_strdup (demo_offices[i].code);
      office->parent_code = g_strdup (demo_offices[i].parent);
      office->name = g_strdup (demo_offices[i].name);
      g_ptr_array_add (offices, office);
    }
  return offices;
}

/* ---- populating a store ---------------------------------------------- */

static const struct
{
  const char *login;
  const char *display_name;
  const char *role;
} demo_users[] = {
  { "lan.nguyen", "Nguyễn Thị Lan", "clerk" },
  { "hung.tran", "Trần Văn Hùng", "clerk" },
  { "thuy.le", "Lê Thị Thủy", "clerk" },
  { "quang.pham", "Phạm Minh Quang", "supervisor" },
};

static gboolean
import_mirror (BhxhDemo      *demo,
               BhxhStore     *store,
               guint64       *n_rows,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileIOStream) io = NULL;
  g_autofree char *version = NULL;
  gboolean ok;

  file = g_file_new_tmp ("bhxh-demo-mirror-XXXXXX.csv", &io, error);
  if (file == NULL)
    {
      g_prefix_error (error, _("Cannot write the demo mirror: "));
      return FALSE;
    }
  ok = bhxh_demo_write_mirror_csv (demo,
                                   g_io_stream_get_output_stream (G_IO_STREAM (io)),
                                   cancellable, error)
       && g_io_stream_close (G_IO_STREAM (io), cancellable, error);
  if (ok)
    {
      g_autofree char *today = demo_date_iso (bhxh_demo_get_today (demo));

      version = g_strdup_printf ("demo-%s", today);
      ok = bhxh_store_import_mirror (store, g_file_peek_path (file), BHXH_MIRROR_FORMAT_CSV,
                                     version, NULL, NULL, cancellable, n_rows, error);
    }
  g_file_delete (file, NULL, &local_error);
  return ok;
}

/* Skips the users already there, so the demo can be laid over itself. */
static gboolean
add_users (BhxhStore  *store,
           GError    **error)
{
  g_autoptr(GPtrArray) existing = bhxh_store_list_users (store, error);
  g_autoptr(GHashTable) logins = g_hash_table_new (g_str_hash, g_str_equal);

  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < existing->len; i++)
    g_hash_table_add (logins, ((BhxhUser *) existing->pdata[i])->login);
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (!g_hash_table_contains (logins, demo_users[i].login)
        && !bhxh_store_add_user (store, demo_users[i].login, demo_users[i].display_name,
                                 demo_users[i].role, error))
      return FALSE;
  return TRUE;
}

gboolean
bhxh_demo_populate (BhxhDemo         *demo,
                    BhxhStore        *store,
                    BhxhDemoSummary  *summary,
                    GCancellable     *cancellable,
                    GError          **error)
{
  g_autoptr(GPtrArray) offices = bhxh_demo_build_offices ();
  g_autoptr(JsonNode) declarations = NULL;
  g_autofree char *today = NULL;
  BhxhDemoSummary result = { 0 };

  g_return_val_if_fail (demo != NULL, FALSE);
  g_return_val_if_fail (BHXH_IS_STORE (store), FALSE);

  if (!bhxh_store_replace_offices (store, offices, error))
    return FALSE;
  result.offices = offices->len;
  if (!import_mirror (demo, store, &result.persons, cancellable, error))
    return FALSE;
  declarations = bhxh_demo_build_declarations (demo);
  if (!bhxh_store_import_declarations_json (store, declarations, &result.declarations, error))
    return FALSE;
  if (!add_users (store, error))
    return FALSE;
  result.users = G_N_ELEMENTS (demo_users);

  today = demo_date_iso (bhxh_demo_get_today (demo));
  if (!bhxh_store_set_meta (store, "demo_today", today, error))
    return FALSE;
  if (summary != NULL)
    *summary = result;
  return TRUE;
}

gboolean
bhxh_demo_create (BhxhStore       *store,
                  const BhxhDate  *today,
                  guint            n_persons,
                  GError         **error)
{
  g_autoptr(BhxhDemo) demo = NULL;
  BhxhDate now = bhxh_clock_today ();

  demo = bhxh_demo_new (today ? today : &now,
                        n_persons ? n_persons : BHXH_DEMO_DEFAULT_PERSONS,
                        BHXH_DEMO_DEFAULT_SEED, error);
  return demo != NULL && bhxh_demo_populate (demo, store, NULL, NULL, error);
}
