/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Synthetic people and declarations shared by the store and CLI tests.
 * Every ID number agrees with its birth year and sex, so no ID warning
 * muddies a verdict. "Today" is 2026-11-23 in all these tests. */

#include <glib.h>
#include <glib/gstdio.h>

#define FIXTURE_TODAY "2026-11-23"

/* An, Ngọc: no account. Hoa: active account (guardian of Khang).
 * Bình: no account (guardian of Mai). Khang, Mai: children. */
#define FIXTURE_MIRROR_CSV \
  "\xEF\xBB\xBF" "bhxh_code,id_number,old_id_number,full_name,birth_date,sex,address," \
  "office_code,account_status,account_since,extra_column\r\n" \
  "0112345678,001090012345,123456789,Nguyễn Văn An,1990-03-15,male," \
  "\"Số 12 ngõ 34 Thái Hà, Đống Đa, Hà Nội\",00106,,,x\r\n" \
  "7912345678,079305001234,,Trần Thị Bích Ngọc,2005-11-02,Nữ," \
  "\"Ấp Phước Lộc, Phước Kiển,\nNhà Bè\",07901,,,\r\n" \
  "0112340001,001185000111,,Lê Thị Hoa,1985,female,\"Nhà \"\"B\"\", Hoàn Kiếm\"," \
  "00102,active,2020-01-06,\r\n" \
  "0112340002,,,Lê Minh Khang,2015-06-01,male,Hoàn Kiếm,00102,,,\r\n" \
  "0112340003,001088000222,,Pha\xCC\xA3m Va\xCC\x86n Bi\xCC\x80nh,1988-07,male,Cầu Giấy," \
  "00105,,,\r\n" \
  "0112340004,,,Phạm Thị Mai,2016,female,Cầu Giấy,00105,,,\r\n"

#define FIXTURE_MIRROR_ROWS 6

#define FIXTURE_MIRROR_JSONL \
  "{\"bhxh_code\": \"0199999991\", \"id_number\": \"001090099991\", " \
  "\"full_name\": \"Đỗ Văn Đức\", \"birth_date\": \"1990-01-01\", \"sex\": \"male\"}\n" \
  "{\"bhxh_code\": \"0199999992\", \"id_number\": null, \"full_name\": \"Hồ Thị Thu\", " \
  "\"birth_date\": \"1992-02\", \"sex\": \"Nữ\", \"account_status\": \"active\"}\n" \
  "\n"

#define FIXTURE_CCCD_AN \
  "001090012345|123456789|Nguyễn Văn An|15031990|Nam|" \
  "Số 12 ngõ 34 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|20042021"
#define FIXTURE_CCCD_NGOC \
  "079305001234||Trần Thị Bích Ngọc|02112005|Nữ|Ấp Phước Lộc, Phước Kiển, Nhà Bè, " \
  "Hồ Chí Minh|10082022"
#define FIXTURE_CCCD_HOA \
  "001185000111||Lê Thị Hoa|01011985|Nữ|Hoàn Kiếm, Hà Nội|01012022"
/* A valid card whose number is in no mirror: the armed-forces case. */
#define FIXTURE_CCCD_UNKNOWN \
  "001092054321||Vũ Quốc Trung|01011992|Nam|Ba Đình, Hà Nội|01012022"

#define DECL(id, kind, office, name, code, idn, birth, sex, extra) \
  "{\"id\": \"" id "\", \"kind\": \"" kind "\", \"status\": \"pending\", " \
  "\"office_code\": \"" office "\", \"submitted_at\": \"2026-11-20T08:15:00+07:00\", " \
  "\"confirmed_at\": \"2026-11-20T08:20:00+07:00\", \"full_name\": \"" name "\", " \
  "\"bhxh_code\": " code ", \"id_number\": " idn ", \"birth_date\": \"" birth "\", " \
  "\"sex\": \"" sex "\", \"address\": \"Hà Nội\", \"handin\": \"office\", " \
  "\"start_date\": \"2026-12-01\", \"channel\": \"portal\"" extra "}"

#define FIXTURE_DECLARATIONS_JSON \
  "{\"format\": \"bhxh-declarations/1\", \"declarations\": [\n" \
  DECL ("TK01-00106-000001", "register", "00106", "Nguyễn Văn An", "\"0112345678\"", \
        "\"001090012345\"", "1990-03-15", "male", "") ",\n" \
  DECL ("TK01-07901-000002", "register", "07901", "Trần Thị Bích Ngọc", "\"7912345678\"", \
        "\"079305001234\"", "2005-11-02", "female", "") ",\n" \
  DECL ("TK01-00102-000003", "register", "00102", "Lê Minh Khang", "\"0112340002\"", \
        "null", "2015-06-01", "male", \
        ", \"guardian\": {\"bhxh_code\": \"0112340001\", \"id_number\": \"001185000111\"}") ",\n" \
  DECL ("TK01-00102-000004", "stop", "00102", "Lê Thị Hoa", "\"0112340001\"", \
        "\"001185000111\"", "1985-01-01", "female", ", \"stop_reason\": \"nghỉ hưu\"") ",\n" \
  DECL ("TK01-00101-000005", "register", "00101", "Vũ Quốc Trung", "null", \
        "\"001092054321\"", "1992-01-01", "male", "") ",\n" \
  DECL ("TK01-00105-000006", "register", "00105", "Phạm Thị Mai", "\"0112340004\"", \
        "null", "2016-04-04", "female", \
        ", \"guardian\": {\"bhxh_code\": \"0112340003\", \"id_number\": \"001088000222\"}") ",\n" \
  DECL ("TK01-00105-000007", "register", "00105", "Phạm Văn Bình", "\"0112340003\"", \
        "\"001088000222\"", "1988-07-10", "male", "") "\n" \
  "]}\n"

#define FIXTURE_DECLARATIONS 7

static inline char *
fixture_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bhxh-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline char *
fixture_write (const char *dir,
               const char *name,
               const char *content)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* A token or key file: private to its owner, as the program demands. */
static inline char *
fixture_write_secret (const char *dir,
                      const char *name,
                      const char *content)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents_full (path, content, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  return path;
}

static inline void
fixture_rmdir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* A big synthetic mirror: @rows persons, written fast. */
static inline char *
fixture_write_big_csv (const char *dir,
                       guint       rows)
{
  g_autofree char *path = g_build_filename (dir, "big.csv", NULL);
  FILE *out = fopen (path, "w");

  g_assert_nonnull (out);
  fputs ("bhxh_code,id_number,full_name,birth_date,sex,office_code\n", out);
  for (guint i = 0; i < rows; i++)
    fprintf (out, "%010u,0010%02u%06u,Nguyễn Thị Số %u,19%02u-0%u-1%u,female,00106\n",
             2000000000u + i, 80 + i % 20, i, i, 80 + i % 20, 1 + i % 9, i % 9);
  fclose (out);

  return g_steal_pointer (&path);
}
