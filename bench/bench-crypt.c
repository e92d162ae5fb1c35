/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "core/bhxh-document.h"
#include "store/bhxh-crypt.h"
#include "store/bhxh-store.h"
#include "store/bhxh-store-private.h"

/* What encryption at rest costs (docs/encryption.md): the same work in
 * clear and through bhxh-crypt, in one process, on the same files:
 *
 *  1. the mirror import of ROWS synthetic persons (CSV → indexed file);
 *  2. a scan at the counter (parse + find + check; bench-verify's p50/p99);
 *  3. decisions, each committed and fsync'd;
 *  4. a raw SQL load + index + 100k indexed lookups, the same SQL as
 *     bench-crypt-sqlcipher.sh runs with sqlite3 and SQLCipher.
 *
 *   bench-crypt [ROWS] [ROUNDS] [DIR]   (default: 1000000 3 /tmp/bhxh-bench-crypt)
 *
 * Rounds alternate clear and encrypted; each figure is the best of the
 * rounds, since other jobs on the machine only ever add time. Prints the
 * figures and the encrypted/clear ratios; asserts nothing. */

#define N_DECLARED 2000
#define N_SCANS 4000
#define N_DECIDE 200
#define SECRET "bench secret: not for production, 32+ chars"

static const char * const provinces[] = {
  "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
  "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
  "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
};
static const char * const family[] = {
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
};
static const char * const middle[] = { "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Quốc" };
static const char * const given[] = {
  "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Hương", "Lan", "Linh", "Mai",
  "Nam", "Phúc", "Sơn", "Thảo", "Thủy", "Trang", "Tuấn", "Yến", "Đạt", "Ánh",
};

typedef struct
{
  char code[11];
  char id[13];
  char name[64];
  int  year, month, day;
  int  female;
} Person;

typedef struct
{
  double import_s;
  double mirror_mib;
  double hit[2];      /* p50, p99 in µs */
  double miss[2];
  double decide[2];
  double decide_misses;   /* pages sqlite had to read (and open) per decision */
  double raw_load_s;
  double raw_lookup_s;
} Figures;

/* Person i, the same every time (bench-verify's generator). */
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
percentiles (GArray *times,
             double *out)
{
  double *t = (double *) times->data;

  g_array_sort (times, compare_doubles);
  out[0] = t[times->len / 2];
  out[1] = t[times->len * 99 / 100];
}

static void
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
      g_autoptr(BhxhCheck) check = bhxh_store_check_declaration (store, candidates->pdata[i],
                                                                 doc, today, NULL);
      g_assert (check != NULL);
    }
  if (candidates->len == 0)
    persons = bhxh_store_find_persons_by_id (store, doc->id_number, NULL);
}

static void
remove_store (const char *db)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal", "-mirror", "-mirror.lock" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

      g_unlink (path);
    }
}

static void
scans (BhxhStore *store,
       guint64    rows,
       guint64   *declared,
       Figures   *fig)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) misses = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GTimer) timer = g_timer_new ();
  BhxhDate today = { 2026, 11, 23 };

  for (guint i = 0; i < N_SCANS; i++)
    {
      gboolean hit = i % 2 == 0;
      guint64 index = hit ? declared[g_rand_int_range (rand, 0, N_DECLARED)]
                          : (guint64) g_rand_int_range (rand, 0, MIN (rows, G_MAXINT32));
      g_autofree char *text = NULL;
      Person p;
      double us;

      person (index, &p);
      text = g_strdup_printf ("%s||%s|%02d%02d%04d|%s|Số 1, Đống Đa, Hà Nội|01012022",
                              p.id, p.name, p.day, p.month, p.year, p.female ? "Nữ" : "Nam");
      g_timer_start (timer);
      verify_once (store, text, &today);
      us = g_timer_elapsed (timer, NULL) * 1e6;
      g_array_append_val (hit ? hits : misses, us);
    }
  percentiles (hits, fig->hit);
  percentiles (misses, fig->miss);
}

static void
decisions (BhxhStore *store,
           Figures   *fig)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GTimer) timer = g_timer_new ();
  const char *reasons[] = { "person-absent", NULL };
  BhxhDate today = { 2026, 11, 23 };

  int misses = 0, high = 0;

  /* Pages read from the file (so opened, when encrypted): what the cipher
   * costs per decision, apart from the fsync that dominates it. */
  sqlite3_db_status (store->db, SQLITE_DBSTATUS_CACHE_MISS, &misses, &high, TRUE);
  for (guint i = 0; i < N_DECIDE; i++)
    {
      g_autofree char *id = g_strdup_printf ("B-%u", i);
      BhxhDecisionRequest request = {
        id, BHXH_OUTCOME_REJECT, "bench", reasons, NULL, FALSE, NULL, &today,
      };
      g_autoptr(BhxhDecision) decision = NULL;
      g_autoptr(GError) error = NULL;
      double us;

      g_timer_start (timer);
      decision = bhxh_store_decide (store, &request, &error);
      us = g_timer_elapsed (timer, NULL) * 1e6;
      if (decision == NULL)
        {
          g_printerr ("decide %s: %s\n", id, error->message);
          continue;
        }
      g_array_append_val (times, us);
    }
  sqlite3_db_status (store->db, SQLITE_DBSTATUS_CACHE_MISS, &misses, &high, TRUE);
  fig->decide_misses = (double) misses / N_DECIDE;
  if (times->len > 0)
    percentiles (times, fig->decide);
}

/* The raw SQL of bench-crypt-sqlcipher.sh, through sqlite3_exec. */
static double
run_sql (const char *path,
         const char *vfs,
         const char *sql,
         gboolean    reserve)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  sqlite3 *db = NULL;
  char *message = NULL;
  int bytes = BHXH_CRYPT_RESERVE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) != SQLITE_OK)
    g_error ("open %s: %s", path, sqlite3_errmsg (db));
  if (reserve)
    sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &bytes);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("sql: %s", message);
  sqlite3_close (db);
  return g_timer_elapsed (timer, NULL);
}

static char *
raw_sql (const char *which,
         guint64     rows)
{
  g_autofree char *file = g_build_filename (BENCH_SOURCE_DIR, "bench-crypt-sqlcipher.sh", NULL);
  g_autofree char *command = g_strdup_printf ("sh '%s' --print-sql %s %" G_GUINT64_FORMAT,
                                              file, which, rows);
  char *out = NULL;

  if (!g_spawn_command_line_sync (command, &out, NULL, NULL, NULL))
    g_error ("cannot run %s", command);
  return out;
}

static void
run (const char         *dir,
     const char         *csv,
     guint64             rows,
     const BhxhCryptKey *key,
     Figures            *fig)
{
  g_autofree char *db = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *mirror = g_strconcat (db, "-mirror", NULL);
  g_autofree char *raw = g_build_filename (dir, "raw.db", NULL);
  g_autofree char *load = raw_sql ("load", rows);
  g_autofree char *lookup = raw_sql ("lookup", rows);
  g_autofree guint64 *declared = g_new (guint64, N_DECLARED);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  const char *vfs = key != NULL ? bhxh_crypt_key_get_vfs_name (key) : NULL;
  guint64 imported = 0;
  GStatBuf st;

  remove_store (db);
  store = bhxh_store_open_with_key (db, key, &error);
  g_assert_no_error (error);
  g_timer_start (timer);
  if (!bhxh_store_import_mirror (store, csv, BHXH_MIRROR_FORMAT_CSV, "bench", NULL, NULL,
                                 NULL, &imported, &error))
    g_error ("import: %s", error->message);
  fig->import_s = g_timer_elapsed (timer, NULL);
  g_stat (mirror, &st);
  fig->mirror_mib = st.st_size / 1048576.0;
  if (!declare (store, rows, rand, declared))
    exit (1);
  /* A fresh connection: the scans start with sqlite's page cache cold. */
  g_clear_object (&store);
  store = bhxh_store_open_with_key (db, key, &error);
  g_assert_no_error (error);
  scans (store, rows, declared, fig);
  decisions (store, fig);
  g_clear_object (&store);
  remove_store (db);

  g_unlink (raw);
  fig->raw_load_s = run_sql (raw, vfs, load, key != NULL);
  fig->raw_lookup_s = run_sql (raw, vfs, lookup, FALSE);
  g_unlink (raw);
}

static void
keep_best (Figures       *best,
           const Figures *round,
           gboolean       first)
{
  const double *from = (const double *) round;
  double *to = (double *) best;

  G_STATIC_ASSERT (sizeof (Figures) % sizeof (double) == 0);
  for (gsize i = 0; i < sizeof (Figures) / sizeof (double); i++)
    to[i] = first ? from[i] : MIN (to[i], from[i]);
}

static void
print_row (const char *what,
           double      clear,
           double      crypt,
           const char *unit)
{
  printf ("  %-38s %10.1f %-3s %10.1f %-3s  x%.2f\n", what, clear, unit, crypt, unit,
          clear > 0 ? crypt / clear : 0);
}

int
main (int   argc,
      char *argv[])
{
  guint64 rows = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  guint rounds = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 3;
  const char *dir = argc > 3 ? argv[3] : "/tmp/bhxh-bench-crypt";
  g_autofree char *csv = g_build_filename (dir, "persons.csv", NULL);
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  const BhxhCryptKey *key;
  Figures clear = { 0 }, crypt = { 0 };
  Figures round;

  g_mkdir_with_parents (dir, 0700);
  printf ("generating %" G_GUINT64_FORMAT " persons...\n", rows);
  write_csv (csv, rows);

  g_timer_start (timer);
  key = bhxh_crypt_key_from_secret (SECRET, strlen (SECRET), &error);
  g_assert_no_error (error);
  printf ("key derivation (argon2id, 64 MiB, 2 passes): %.0f ms, once per process\n",
          g_timer_elapsed (timer, NULL) * 1e3);

  for (guint r = 0; r < MAX (rounds, 1); r++)
    {
      printf ("round %u: in clear...\n", r + 1);
      run (dir, csv, rows, NULL, &round);
      keep_best (&clear, &round, r == 0);
      printf ("round %u: encrypted (bhxh-crypt, XChaCha20-Poly1305 per page)...\n", r + 1);
      run (dir, csv, rows, key, &round);
      keep_best (&crypt, &round, r == 0);
    }
  g_unlink (csv);
  g_rmdir (dir);

  printf ("\n%" G_GUINT64_FORMAT " persons, best of %u rounds           in clear        "
          "encrypted   ratio\n", rows, MAX (rounds, 1));
  print_row ("mirror import (load, index, swap)", clear.import_s, crypt.import_s, "s");
  print_row ("mirror file size", clear.mirror_mib, crypt.mirror_mib, "MiB");
  print_row ("scan with a declaration p50", clear.hit[0], crypt.hit[0], "µs");
  print_row ("scan with a declaration p99", clear.hit[1], crypt.hit[1], "µs");
  print_row ("scan without one p50", clear.miss[0], crypt.miss[0], "µs");
  print_row ("scan without one p99", clear.miss[1], crypt.miss[1], "µs");
  print_row ("decide (fsync'd) p50", clear.decide[0], crypt.decide[0], "µs");
  print_row ("decide (fsync'd) p99", clear.decide[1], crypt.decide[1], "µs");
  print_row ("decide: pages read per decision", clear.decide_misses, crypt.decide_misses,
             "");
  print_row ("raw SQL: load + 3 indexes", clear.raw_load_s, crypt.raw_load_s, "s");
  print_row ("raw SQL: 100k indexed lookups", clear.raw_lookup_s, crypt.raw_lookup_s, "s");

  return 0;
}
