/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-date.h"
#include "demo/bhxh-demo.h"
#include "store/bhxh-store.h"
#include "bhxh-cli.h"

#define DEMO_USAGE \
  "demo DB [--today YYYY-MM-DD] [--persons N] [--seed N] [--payloads FILE] [--force]"

/* The database and the files sqlite and the store keep beside it. */
static const char *const db_suffixes[] = {
  "", "-wal", "-shm", "-journal", "-mirror", "-mirror-wal", "-mirror-shm",
  "-mirror-journal", "-mirror.new",
};

static gboolean
remove_database (const char  *db,
                 GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (db_suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, db_suffixes[i], NULL);

      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Cannot remove %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

static JsonNode *
summary_to_json (const BhxhDemoSummary *summary,
                 const char            *payloads)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "persons");
  json_builder_add_int_value (b, (gint64) summary->persons);
  json_builder_set_member_name (b, "declarations");
  json_builder_add_int_value (b, summary->declarations);
  json_builder_set_member_name (b, "offices");
  json_builder_add_int_value (b, summary->offices);
  json_builder_set_member_name (b, "payloads");
  json_builder_add_string_value (b, payloads);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
parse_today (const char  *text,
             BhxhDate    *out,
             GError     **error)
{
  if (text == NULL)
    {
      *out = bhxh_clock_today ();
      return TRUE;
    }
  if (!bhxh_date_parse (text, out, error))
    return FALSE;
  if (!bhxh_date_is_full (out))
    {
      g_set_error (error, BHXH_DEMO_ERROR, BHXH_DEMO_ERROR_BAD_VALUE,
                   _("--today needs a full date (YYYY-MM-DD)."));
      return FALSE;
    }
  return TRUE;
}

/* bhxh-deskctl demo DB …: creates a demo database and the payloads file. */
int
bhxh_cmd_demo (int    argc,
               char **argv)
{
  g_autofree char *today_text = NULL;
  g_autofree char *payloads = NULL;
  g_autofree char *seed_text = NULL;
  int persons = BHXH_DEMO_DEFAULT_PERSONS;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text, NULL, NULL },
    { "persons", 0, 0, G_OPTION_ARG_INT, &persons, NULL, NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, NULL, NULL },
    { "payloads", 0, 0, G_OPTION_ARG_FILENAME, &payloads, NULL, NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, NULL, NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDemo) demo = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint64 seed = BHXH_DEMO_DEFAULT_SEED;
  BhxhDemoSummary summary;
  BhxhDate today;
  const char *db;
  int status;

  if ((status = bhxh_cli_parse_options (entries, DEMO_USAGE, &argc, &argv)) != BHXH_EXIT_OK)
    return status;
  if (argc != 2)
    return bhxh_cli_usage (DEMO_USAGE);
  db = argv[1];
  if (seed_text != NULL && !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64,
                                                        &seed, &error))
    return bhxh_cli_fail (BHXH_EXIT_USAGE, "--seed: %s", error->message);
  if (persons < 0)
    persons = 0;   /* refused below with the range */

  if (!parse_today (today_text, &today, &error))
    return bhxh_cli_fail_error (error);
  demo = bhxh_demo_new (&today, persons, seed, &error);
  if (demo == NULL)
    return bhxh_cli_fail_error (error);

  if (g_file_test (db, G_FILE_TEST_EXISTS))
    {
      if (!force)
        return bhxh_cli_fail (BHXH_EXIT_INPUT,
                              _("%s already exists; use --force to replace it"), db);
      if (!remove_database (db, &error))
        return bhxh_cli_fail_error (error);
    }
  if (payloads == NULL)
    payloads = g_strconcat (db, "-payloads.tsv", NULL);

  store = bhxh_store_open (db, &error);
  if (store == NULL
      || !bhxh_demo_populate (demo, store, &summary, NULL, &error)
      || !bhxh_demo_write_payloads (demo, payloads, &error))
    {
      /* Leave no half-made demo behind: the database was not there before. */
      g_clear_object (&store);
      remove_database (db, NULL);
      return bhxh_cli_fail_error (error);
    }

  node = summary_to_json (&summary, payloads);
  bhxh_cli_print_json (node);
  return BHXH_EXIT_OK;
}
