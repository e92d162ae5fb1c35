/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/bhxh-clock.h"
#include "config.h"

#include <string.h>

#include "demo/bhxh-demo.h"

#include "sim-seed.h"

static const char * const family[] = {
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
  "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
};
static const char * const middle[] = {
  "Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc",
};
static const char * const given[] = {
  "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Khánh",
  "Lan", "Linh", "Long", "Mai", "Nam", "Phương", "Quân", "Sơn", "Thảo", "Thủy",
  "Trang", "Tuấn", "Yến",
};
static const char * const streets[] = {
  "Thái Hà", "Tây Sơn", "Chùa Bộc", "Nguyễn Lương Bằng", "Kim Mã", "Đội Cấn", "Láng Hạ",
};
static const struct { const char *code; const char *name; } offices[] = {
  { "001", "BHXH Thành phố Hà Nội" },
  { "00101", "BHXH quận Ba Đình" }, { "00102", "BHXH quận Hoàn Kiếm" },
  { "00103", "BHXH quận Tây Hồ" }, { "00104", "BHXH quận Long Biên" },
  { "00105", "BHXH quận Cầu Giấy" }, { "00106", "BHXH quận Đống Đa" },
  { "00107", "BHXH quận Hai Bà Trưng" }, { "00108", "BHXH quận Hoàng Mai" },
  { "00109", "BHXH quận Thanh Xuân" }, { "00110", "BHXH huyện Sóc Sơn" },
  { "00111", "BHXH huyện Đông Anh" }, { "00112", "BHXH huyện Gia Lâm" },
  { "00113", "BHXH quận Nam Từ Liêm" }, { "00114", "BHXH huyện Thanh Trì" },
  { "00115", "BHXH quận Hà Đông" },
  { "079", "BHXH Thành phố Hồ Chí Minh" }, { "07901", "BHXH Quận 1" },
};
/* The same codes the counter ships with (data/migrations/0001-initial.sql). */
static const struct { const char *code; const char *label; } reasons[] = {
  { "id-mismatch", "Số định danh cá nhân/CCCD không khớp với tờ khai" },
  { "name-mismatch", "Họ và tên không khớp với giấy tờ tùy thân" },
  { "birth-date-mismatch", "Ngày sinh không khớp với giấy tờ tùy thân" },
  { "not-in-registry", "Không tìm thấy trong cơ sở dữ liệu BHXH" },
  { "document-unreadable", "Giấy tờ tùy thân không đọc được hoặc không hợp lệ" },
  { "person-absent", "Người kê khai không đến nộp hồ sơ" },
  { "guardian-no-account", "Cha, mẹ hoặc người giám hộ chưa có tài khoản giao dịch điện tử" },
  { "duplicate", "Tờ khai trùng với tờ khai khác đang xử lý" },
  { "expired", "Tờ khai đã quá hạn 10 ngày kể từ khi xác nhận" },
  { "incomplete-form", "Tờ khai chưa đầy đủ thông tin hoặc chưa ký" },
  { "wrong-office", "Tờ khai gửi sai cơ quan BHXH tiếp nhận" },
  { "other", "Lý do khác (xem ghi chú)" },
};
static const struct { const char *key; const char *value; } rules[] = {
  { "mirror_warn_days", "3" }, { "mirror_block_days", "7" },
  { "unsynced_warn_days", "1" }, { "unsynced_block_days", "3" },
  { "claim_ttl_minutes", "30" }, { "declaration_expiry_days", "10" },
};

typedef struct
{
  char  bhxh_code[13];       /* the registry's key: 10 digits, or the ID number */
  char  legacy_code[11];     /* the former code of a person keyed by ID number; "" */
  char  id_number[13];
  char *full_name;
  char  birth_date[11];
  char  office_code[6];
  char *address;
  gboolean female;
} SeedPerson;

static void
seed_person (guint       i,
             guint       variant,
             SeedPerson *p)
{
  guint year = 1960 + (i * 7) % 50;
  guint month = 1 + (i * 5) % 12;
  guint day = 1 + (i * 11) % 28;

  p->female = (i % 2) == 1;
  g_snprintf (p->bhxh_code, sizeof p->bhxh_code, "01%08u", i + 1);
  g_snprintf (p->id_number, sizeof p->id_number, "001%u%02u%06u",
              (year >= 2000 ? 2 : 0) + (p->female ? 1 : 0), year % 100, (i * 37) % 1000000);
  p->full_name = g_strdup_printf ("%s %s %s", family[i % G_N_ELEMENTS (family)],
                                  p->female ? "Thị" : middle[(i / 3) % G_N_ELEMENTS (middle)],
                                  given[(i / 5 + variant) % G_N_ELEMENTS (given)]);
  g_snprintf (p->birth_date, sizeof p->birth_date, "%04u-%02u-%02u", year, month, day);
  g_snprintf (p->office_code, sizeof p->office_code, "001%02u", 1 + i % 15);
  p->address = g_strdup_printf ("Số %u phố %s, Hà Nội", 1 + i % 200,
                                streets[i % G_N_ELEMENTS (streets)]);
  /* Since 1 July 2025 the ID number is the mã số BHXH: the registry keys one
   * person in ten by it and keeps the former code. */
  p->legacy_code[0] = '\0';
  if (i % 10 == 7)
    {
      g_strlcpy (p->legacy_code, p->bhxh_code, sizeof p->legacy_code);
      g_strlcpy (p->bhxh_code, p->id_number, sizeof p->bhxh_code);
    }
}

/* The 10-digit code older papers carry. */
static const char *
seed_code_10 (const SeedPerson *p)
{
  return p->legacy_code[0] != '\0' ? p->legacy_code : p->bhxh_code;
}

static void
seed_person_clear (SeedPerson *p)
{
  g_free (p->full_name);
  g_free (p->address);
}

/* @variant renames a few people, so two variants differ by a delta. */
GBytes *
sim_seed_mirror_jsonl (guint n_persons,
                       guint variant)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_persons; i++)
    {
      SeedPerson p;
      guint shift = (i % 10 == 0) ? variant : 0;

      seed_person (i, shift, &p);
      g_string_append_printf (out,
        "{\"bhxh_code\":\"%s\",\"id_number\":\"%s\",\"full_name\":\"%s\","
        "\"birth_date\":\"%s\",\"sex\":\"%s\",\"address\":\"%s\",\"office_code\":\"%s\","
        "\"account_status\":%s%s%s%s}\n",
        p.bhxh_code, p.id_number, p.full_name, p.birth_date, p.female ? "female" : "male",
        p.address, p.office_code, i % 4 == 0 ? "\"active\"" : "null",
        p.legacy_code[0] != '\0' ? ",\"legacy_bhxh_code\":\"" : "", p.legacy_code,
        p.legacy_code[0] != '\0' ? "\"" : "");
      seed_person_clear (&p);
    }
  return g_string_free_to_bytes (out);
}

static JsonObject *
seed_declaration (guint      i,
                  GDateTime *now)
{
  static const char * const kinds[] = { "register", "register", "register", "adjust", "stop" };
  JsonObject *d = json_object_new ();
  SeedPerson p;
  g_autoptr(GDateTime) submitted = g_date_time_add_hours (now, -24 * (gint) (i % 9) - 2);
  g_autoptr(GDateTime) confirmed = g_date_time_add_minutes (submitted, 5);
  g_autofree char *id = NULL;
  g_autofree char *sub = g_date_time_format (submitted, "%FT%T%:z");
  g_autofree char *conf = g_date_time_format (confirmed, "%FT%T%:z");
  g_autofree char *email = g_strdup_printf ("nguoikhai%u@example.vn", i + 1);
  g_autofree char *phone = g_strdup_printf ("09%08u", (i * 7919) % 100000000);
  const char *kind = kinds[i % G_N_ELEMENTS (kinds)];

  seed_person (i, 0, &p);
  id = g_strdup_printf ("TK01-%s-%06u", p.office_code, i + 1);
  json_object_set_string_member (d, "id", id);
  json_object_set_string_member (d, "kind", kind);
  json_object_set_string_member (d, "status", "pending");
  json_object_set_string_member (d, "office_code", p.office_code);
  json_object_set_string_member (d, "submitted_at", sub);
  json_object_set_string_member (d, "confirmed_at", conf);
  json_object_set_string_member (d, "full_name", p.full_name);
  /* Declarations of 2025 on may carry the ID number as the mã số BHXH. */
  json_object_set_string_member (d, "bhxh_code", i % 5 == 4 ? p.id_number : seed_code_10 (&p));
  json_object_set_string_member (d, "id_number", p.id_number);
  json_object_set_string_member (d, "birth_date", p.birth_date);
  json_object_set_string_member (d, "sex", p.female ? "female" : "male");
  json_object_set_string_member (d, "address", p.address);
  json_object_set_string_member (d, "email", email);
  json_object_set_string_member (d, "phone", phone);
  json_object_set_string_member (d, "handin", i % 3 == 2 ? "post" : "office");
  json_object_set_null_member (d, "certificate");
  json_object_set_null_member (d, "guardian");
  if (!g_str_equal (kind, "adjust"))
    json_object_set_string_member (d, "start_date", "2026-12-01");
  if (g_str_equal (kind, "register"))
    json_object_set_string_member (d, "channel", "portal");
  if (g_str_equal (kind, "stop"))
    json_object_set_string_member (d, "stop_reason", "Không còn nhu cầu giao dịch điện tử");
  seed_person_clear (&p);
  return d;
}

static gboolean
seed_offices (SimStore  *store,
              GError   **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (offices); i++)
    {
      g_autofree char *parent = strlen (offices[i].code) == 5
                                ? g_strndup (offices[i].code, 3) : NULL;

      if (!sim_store_put_office (store, offices[i].code, parent, offices[i].name, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
seed_reference (SimStore  *store,
                GError   **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (!sim_store_put_reason (store, reasons[i].code, reasons[i].label, error))
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (!sim_store_put_rule (store, rules[i].key, rules[i].value, error))
      return FALSE;
  return TRUE;
}

gboolean
sim_seed_demo (SimStore  *store,
               guint      n_declarations,
               guint      n_persons,
               GError   **error)
{
  g_autoptr(GDateTime) now = bhxh_clock_now ();
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) mirror = sim_seed_mirror_jsonl (MAX (n_persons, n_declarations), 0);

  if (!seed_offices (store, error) || !seed_reference (store, error))
    return FALSE;
  for (guint i = 0; i < n_declarations; i++)
    json_array_add_object_element (array, seed_declaration (i, now));
  root = json_node_init_array (json_node_alloc (), array);
  if (!sim_store_put_declarations (store, root, NULL, error))
    return FALSE;
  return sim_store_publish_mirror (store, "demo-1", mirror, error);
}

gboolean
sim_seed_from_files (SimStore    *store,
                     const char  *declarations_file,
                     const char  *mirror_file,
                     const char  *mirror_version,
                     GError     **error)
{
  if (!seed_offices (store, error) || !seed_reference (store, error))
    return FALSE;
  if (declarations_file)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_file (parser, declarations_file, error)
          || !sim_store_put_declarations (store, json_parser_get_root (parser), NULL, error))
        return FALSE;
    }
  if (mirror_file)
    {
      g_autofree char *contents = NULL;
      gsize len;
      g_autoptr(GBytes) bytes = NULL;

      if (!g_file_get_contents (mirror_file, &contents, &len, error))
        return FALSE;
      bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
      return sim_store_publish_mirror (store, mirror_version ? mirror_version : "seed-1",
                                       bytes, error);
    }
  return TRUE;
}

/* One RFC 4180 line (no line breaks inside quotes: the demo has none). */
static GPtrArray *
split_csv (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line; *p && *p != '\r'; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == ',' && !quoted)
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else
        g_string_append_c (field, *p);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  return fields;
}

static GBytes *
csv_to_jsonl (const char *csv,
              gsize       len)
{
  g_autofree char *copy = g_strndup (csv, len);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      JsonObject *object;

      if (*lines[i] == '\0' || *lines[i] == '\r')
        continue;
      fields = split_csv (lines[i]);
      if (header == NULL)
        {
          header = g_steal_pointer (&fields);
          continue;
        }
      object = json_object_new ();
      for (guint f = 0; f < header->len && f < fields->len; f++)
        {
          const char *value = g_ptr_array_index (fields, f);

          if (*value)
            json_object_set_string_member (object, g_ptr_array_index (header, f), value);
          else
            json_object_set_null_member (object, g_ptr_array_index (header, f));
        }
      node = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, NULL);
      g_string_append (out, text);
      g_string_append_c (out, '\n');
    }
  return g_string_free_to_bytes (out);
}

gboolean
sim_seed_from_demo (SimStore  *store,
                    guint      n_persons,
                    GError   **error)
{
  BhxhDate today = bhxh_clock_today ();
  g_autoptr(BhxhDemo) demo = bhxh_demo_new (&today, n_persons, BHXH_DEMO_DEFAULT_SEED, error);
  g_autoptr(GPtrArray) demo_offices = NULL;
  g_autoptr(JsonNode) declarations = NULL;
  g_autoptr(GOutputStream) csv = NULL;
  g_autoptr(GBytes) csv_bytes = NULL;
  g_autoptr(GBytes) jsonl = NULL;
  g_autofree char *version = NULL;

  if (demo == NULL || !seed_reference (store, error))
    return FALSE;
  demo_offices = bhxh_demo_build_offices ();
  for (guint i = 0; i < demo_offices->len; i++)
    {
      BhxhOffice *office = g_ptr_array_index (demo_offices, i);

      if (!sim_store_put_office (store, office->code, office->parent_code, office->name, error))
        return FALSE;
    }
  declarations = bhxh_demo_build_declarations (demo);
  if (!sim_store_put_declarations (store, declarations, NULL, error))
    return FALSE;

  csv = g_memory_output_stream_new_resizable ();
  if (!bhxh_demo_write_mirror_csv (demo, csv, NULL, error)
      || !g_output_stream_close (csv, NULL, error))
    return FALSE;
  csv_bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (csv));
  jsonl = csv_to_jsonl (g_bytes_get_data (csv_bytes, NULL), g_bytes_get_size (csv_bytes));
  version = g_strdup_printf ("demo-%04u-%02u-%02u", today.year, today.month, today.day);
  return sim_store_publish_mirror (store, version, jsonl, error);
}
