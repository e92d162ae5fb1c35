/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <glib/gstdio.h>

#include "core/bhxh-document.h"
#include "store/bhxh-crypt.h"
#include "store/bhxh-store.h"

/* What the clerk waits for after a scan: parse the card's payload, find the
 * open declarations for its ID number, and check each against the mirror,
 * on a large synthetic mirror. Prints p50/p90/p99; asserts nothing.
 *
 *   bench-verify [ROWS] [DIR] [--snapshot]   (default: 10000000 /tmp/bhxh-bench-verify)
 *
 * --snapshot: then the same scans again on the same persons imported from
 * a signed registry snapshot (docs/formats.md) instead of the CSV: the
 * lookups must cost the same.
 *
 * The mirror (1-2 GB for 10M persons) is deleted at the end. */

#define N_DECLARED 2000
#define N_SCANS 4000

static const char * const provinces[] = {
  "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
  "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
  "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
  "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
  "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
};
static const char * const family[] = {
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
};
static const char * const middle[] = { "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Quốc" };
static const char * const given[] = {
  "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Hương", "Lan", "Linh", "Mai",
  "Nam", "Phúc", "Sơn", "Thảo", "Thủy", "Trang", "Tuấn", "Yến", "Đạt", "Ánh",
};

/* Person i, the same every time: a bijection i → (province, year, serial). */
typedef struct
{
  char code[11];
  char id[13];
  char name[64];
  int  year, month, day;
  int  female;
} Person;

static void
person (guint64  i,
        Person  *p)
{
  const char *province = provinces[i % G_N_ELEMENTS (provinces)];
  guint64 rest = i / G_N_ELEMENTS (provinces);
  int g;

  p->year = 1940 + rest % 80;
  p->female = (i / 7) % 2;
  p->month = 1 + i % 12;
  p->day = 1 + i % 28;
  g = (p->year >= 2000 ? 2 : 0) + p->female;
  g_snprintf (p->code, sizeof p->code, "%010" G_GUINT64_FORMAT, 1000000000 + i);
  g_snprintf (p->id, sizeof p->id, "%s%d%02d%06" G_GUINT64_FORMAT,
              province, g, p->year % 100, rest / 80);
  g_snprintf (p->name, sizeof p->name, "%s %s %s", family[i % G_N_ELEMENTS (family)],
              p->female ? "Thị" : middle[(i / 3) % G_N_ELEMENTS (middle)],
              given[(i / 11) % G_N_ELEMENTS (given)]);
}

static void
write_csv (const char *path,
           guint64     rows)
{
  FILE *out = fopen (path, "w");
  Person p;

  g_assert (out != NULL);
  fputs ("bhxh_code,id_number,full_name,birth_date,sex,address,office_code,"
         "account_status\n", out);
  for (guint64 i = 0; i < rows; i++)
    {
      person (i, &p);
      fprintf (out, "%s,%s,%s,%04d-%02d-%02d,%s,\"Số %d, Đống Đa, Hà Nội\",001%02d,\n",
               p.code, p.id, p.name, p.year, p.month, p.day, p.female ? "female" : "male",
               (int) (i % 300), (int) (1 + i % 15));
    }
  fclose (out);
}

static char *
payload (const Person *p)
{
  return g_strdup_printf ("%s||%s|%02d%02d%04d|%s|Số 1, Đống Đa, Hà Nội|01012022",
                          p->id, p->name, p->day, p->month, p->year,
                          p->female ? "Nữ" : "Nam");
}

static gboolean
declare (BhxhStore *store,
         guint64    rows,
         GRand     *rand,
         guint64   *declared)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  Person p;

  for (guint i = 0; i < N_DECLARED; i++)
    {
      declared[i] = g_rand_int_range (rand, 0, MIN (rows, G_MAXINT32));
      person (declared[i], &p);
      g_string_append_printf (json,
        "%s{\"id\": \"B-%u\", \"kind\": \"register\", \"office_code\": \"00106\", "
        "\"submitted_at\": \"2026-11-20T08:00:00+07:00\", "
        "\"confirmed_at\": \"2026-11-20T08:05:00+07:00\", \"full_name\": \"%s\", "
        "\"bhxh_code\": \"%s\", \"id_number\": \"%s\", \"birth_date\": \"%04d-%02d-%02d\", "
        "\"sex\": \"%s\", \"address\": \"Số 1, Đống Đa, Hà Nội\"}",
        i > 0 ? "," : "", i, p.name, p.code, p.id, p.year, p.month, p.day,
        p.female ? "female" : "male");
    }
  g_string_append_c (json, ']');
  if (!json_parser_load_from_data (parser, json->str, json->len, &error) ||
      !bhxh_store_import_declarations_json (store, json_parser_get_root (parser), NULL,
                                            &error))
    {
      g_printerr ("declarations: %s\n", error->message);
      return FALSE;
    }

  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
report (const char *label,
        GArray     *times)
{
  double *t = (double *) times->data;

  g_array_sort (times, compare_doubles);
  printf ("%-44s n=%u  p50 %7.1f µs  p90 %7.1f µs  p99 %7.1f µs  max %8.1f µs\n",
          label, times->len, t[times->len / 2], t[times->len * 9 / 10],
          t[times->len * 99 / 100], t[times->len - 1]);
}

/* One scan at the counter: parse, find, check every candidate. */
static guint
verify_once (BhxhStore      *store,
             const char     *text,
             const BhxhDate *today)
{
  g_autoptr(BhxhDocument) doc = bhxh_document_parse_scan (text, -1, NULL);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) persons = NULL;

  g_assert (doc != NULL);
  candidates = bhxh_store_find_open_declarations (store, doc->id_number, NULL);
  for (guint i = 0; i < candidates->len; i++)
    {
      g_autoptr(BhxhCheck) check = bhxh_store_check_declaration (store,
                                                                 candidates->pdata[i],
                                                                 doc, today, NULL);
      g_assert (check != NULL);
    }
  /* No declaration: the clerk is told whether the mirror knows the number. */
  if (candidates->len == 0)
    persons = bhxh_store_find_persons_by_id (store, doc->id_number, NULL);

  return candidates->len;
}

/* The same scans (the same seed) on whatever mirror @store has. */
static void
run_scans (BhxhStore      *store,
           guint64         rows,
           const guint64  *declared,
           const BhxhDate *today,
           const char     *prefix)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) misses = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *with = g_strconcat (prefix, "scan with a declaration (parse+find+check)",
                                       NULL);
  g_autofree char *without = g_strconcat (prefix,
                                          "scan without one (parse+find+mirror lookup)", NULL);

  for (guint i = 0; i < N_SCANS; i++)
    {
      gboolean hit = i % 2 == 0;
      guint64 index = hit ? declared[g_rand_int_range (rand, 0, N_DECLARED)]
                          : (guint64) g_rand_int_range (rand, 0, MIN (rows, G_MAXINT32));
      g_autofree char *text = NULL;
      Person p;
      double us;

      person (index, &p);
      text = payload (&p);
      g_timer_start (timer);
      verify_once (store, text, today);
      us = g_timer_elapsed (timer, NULL) * 1e6;
      g_array_append_val (hit ? hits : misses, us);
    }

  printf ("mirror of %" G_GUINT64_FORMAT " persons, %d open declarations:\n", rows, N_DECLARED);
  report (with, hits);
  report (without, misses);
}

/* The portal's side in a store kept in clear, signed with a fresh key that
 * @store then pins; the snapshot replaces @store's mirror. */
static gboolean
reimport_from_snapshot (BhxhStore  *store,
                        const char *dir,
                        const char *csv)
{
  g_autofree char *portal_db = g_build_filename (dir, "portal.db", NULL);
  g_autofree char *portal_mirror = g_strconcat (portal_db, "-mirror", NULL);
  g_autofree char *snapshot = g_build_filename (dir, "registry.sqlite", NULL);
  g_autofree char *sig = g_strconcat (snapshot, ".sig", NULL);
  g_autofree char *public_text = NULL;
  g_autoptr(BhxhStore) portal = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = NULL;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint64 imported = 0;
  gboolean ok;

  portal = bhxh_store_open_with_key (portal_db, NULL, &error);
  ok = portal != NULL && bhxh_store_import_mirror (portal, csv, BHXH_MIRROR_FORMAT_CSV, "bench",
                                                   NULL, NULL, NULL, NULL, &error);
  g_clear_object (&portal);
  ok = ok && g_rename (portal_mirror, snapshot) == 0;
  if (ok)
    {
      g_assert (sodium_init () >= 0);
      crypto_sign_keypair (pk, sk);
      secret = g_bytes_new (sk, sizeof sk);
      public_text = g_base64_encode (pk, sizeof pk);
      ok = bhxh_mirror_snapshot_sign (snapshot, secret, &error) &&
           bhxh_store_set_portal_key (store, public_text, "bench", &error);
    }
  timer = g_timer_new ();
  ok = ok && bhxh_store_import_mirror (store, snapshot, BHXH_MIRROR_FORMAT_AUTO, NULL, NULL,
                                       NULL, NULL, &imported, &error);
  if (ok)
    printf ("snapshot import: %" G_GUINT64_FORMAT " rows in %.1f s\n", imported,
            g_timer_elapsed (timer, NULL));
  else
    g_printerr ("snapshot: %s\n", error != NULL ? error->message : "cannot build it");
  g_unlink (snapshot);
  g_unlink (sig);
  for (guint i = 0; i < 4; i++)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm", "-mirror.lock" };
      g_autofree char *path = g_strconcat (portal_db, suffixes[i], NULL);

      g_unlink (path);
    }
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  guint64 rows = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 10000000;
  const char *dir = argc > 2 ? argv[2] : "/tmp/bhxh-bench-verify";
  g_autofree char *csv = g_build_filename (dir, "persons.csv", NULL);
  g_autofree char *db = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *mirror = g_strconcat (db, "-mirror", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree guint64 *declared = g_new (guint64, N_DECLARED);
  gboolean with_snapshot = argc > 3 && g_str_equal (argv[3], "--snapshot");
  BhxhDate today = { 2026, 11, 23 };
  guint64 imported = 0;
  GStatBuf st;

  g_mkdir_with_parents (dir, 0700);
  g_unlink (db);
  g_unlink (mirror);
  printf ("generating %" G_GUINT64_FORMAT " persons...\n", rows);
  write_csv (csv, rows);
  printf ("  %.1f s\n", g_timer_elapsed (timer, NULL));

  store = bhxh_store_open (db, &error);
  g_assert_no_error (error);
  g_timer_start (timer);
  if (!bhxh_store_import_mirror (store, csv, BHXH_MIRROR_FORMAT_CSV, "bench", NULL, NULL,
                                 NULL, &imported, &error))
    {
      g_printerr ("import: %s\n", error->message);
      return 1;
    }
  g_stat (mirror, &st);
  printf ("mirror import: %" G_GUINT64_FORMAT " rows in %.1f s (%.0f rows/s), %.0f MiB\n",
          imported, g_timer_elapsed (timer, NULL), imported / g_timer_elapsed (timer, NULL),
          st.st_size / 1048576.0);
  if (!declare (store, rows, rand, declared))
    return 1;

  run_scans (store, rows, declared, &today, "");
  if (with_snapshot && !reimport_from_snapshot (store, dir, csv))
    return 1;
  if (with_snapshot)
    run_scans (store, rows, declared, &today, "snapshot: ");
  g_unlink (csv);

  g_clear_object (&store);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (mirror);
  {
    g_autofree char *lock = g_strconcat (mirror, ".lock", NULL);
    g_autofree char *key = g_strconcat (db, ".key", NULL);

    g_unlink (lock);
    g_unlink (key);
  }
  g_rmdir (dir);

  return 0;
}
