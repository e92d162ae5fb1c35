/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One synthetic mirror person from (seed, index): a stateless generator, so
 * the plan can rebuild any person the declarations use without keeping the
 * mirror in memory, and the CSV is written in one streaming pass. Only
 * integer arithmetic: the output is the same on every machine. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bhxh-demo-private.h"

/* Cards issued in the CCCD era before the new căn cước (1 July 2024). */
#define CCCD_FIRST_DAY 2021, 3, 1
#define CCCD_SPAN_DAYS 1217

guint64
demo_rng_next (guint64 *state)
{
  /* splitmix64 */
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

guint
demo_rng_below (guint64 *state,
                guint    n)
{
  g_assert (n > 0);
  return (guint) (demo_rng_next (state) % n);
}

const DemoWord *
demo_table_pick (const DemoTable *table,
                 guint64         *state)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < table->n_words; i++)
    total += table->words[i].weight;
  r = demo_rng_below (state, total);
  for (guint i = 0; i < table->n_words; i++)
    {
      if (r < table->words[i].weight)
        return &table->words[i];
      r -= table->words[i].weight;
    }
  g_assert_not_reached ();
}

static const DemoDistrict *
pick_district (guint64 *state)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < demo_n_districts; i++)
    total += demo_districts[i].weight;
  r = demo_rng_below (state, total);
  for (guint i = 0; i < demo_n_districts; i++)
    {
      if (r < demo_districts[i].weight)
        return &demo_districts[i];
      r -= demo_districts[i].weight;
    }
  g_assert_not_reached ();
}

static guint
list_length (const char *const *list)
{
  guint n = 0;

  while (list[n] != NULL)
    n++;
  return n;
}

static const char *
pick_from (const char *const *list,
           guint64           *state)
{
  return list[demo_rng_below (state, list_length (list))];
}

void
demo_date_add_days (const BhxhDate *date,
                    int             days,
                    BhxhDate       *out)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, date->day, date->month, date->year);
  if (days >= 0)
    g_date_add_days (&d, days);
  else
    g_date_subtract_days (&d, -days);
  out->year = g_date_get_year (&d);
  out->month = g_date_get_month (&d);
  out->day = g_date_get_day (&d);
}

int
demo_age_on (guint16         year,
             guint8          month,
             guint8          day,
             const BhxhDate *on)
{
  int age = (int) on->year - year;

  if (on->month < month || (on->month == month && on->day < day))
    age--;
  return age;
}

static guint8
days_in_month (guint8  month,
               guint16 year)
{
  return g_date_get_days_in_month (month, year);
}

/* A birth date giving exactly @age years on @today. */
static void
pick_birth (guint64        *state,
            const BhxhDate *today,
            int             age,
            DemoPerson     *p)
{
  guint8 month = 1 + demo_rng_below (state, 12);
  /* 28 for February keeps the date valid whichever year it lands in. */
  guint8 day = 1 + demo_rng_below (state, month == 2 ? 28 : days_in_month (month, 2001));
  guint16 year = today->year - age;

  if (month > today->month || (month == today->month && day > today->day))
    year--;
  p->year = year;
  p->real_month = p->month = month;
  p->real_day = p->day = day;
}

static int
pick_age (guint64              *state,
          const DemoOverride   *override,
          const BhxhDate       *today)
{
  guint r = demo_rng_below (state, 100);

  switch (override ? override->role : DEMO_ROLE_NONE)
    {
    case DEMO_ROLE_NONE:
      if (r < 18)
        return demo_rng_below (state, 18);
      if (r < 88)
        return 18 + demo_rng_below (state, 43);
      return 61 + demo_rng_below (state, 30);
    case DEMO_ROLE_PARTIAL_YEAR:
    case DEMO_ROLE_PARTIAL_MONTH:
      return 45 + demo_rng_below (state, 35);
    case DEMO_ROLE_CHILD:
      return 6 + demo_rng_below (state, 8);
    case DEMO_ROLE_TEEN:
    case DEMO_ROLE_TEEN_2024:
      return 15 + demo_rng_below (state, 3);
    case DEMO_ROLE_GUARDIAN_ACCOUNT:
    case DEMO_ROLE_GUARDIAN_NONE:
    case DEMO_ROLE_MOTHER:
      return MAX ((int) today->year - (int) override->min_parent_year, 25)
             + demo_rng_below (state, 12);
    case DEMO_ROLE_ADULT:
    case DEMO_ROLE_ADULT_ACCOUNT:
    case DEMO_ROLE_TONE:
    case DEMO_ROLE_ID_SEX:
    case DEMO_ROLE_ID_YEAR:
    case DEMO_ROLE_ID_PROVINCE:
    default:
      return 20 + demo_rng_below (state, 51);
    }
}

static const DemoWord *
pick_tone_word (guint64         *state,
                const DemoTable *table)
{
  const DemoWord *word;

  do
    word = demo_table_pick (table, state);
  while (word->alt == NULL);
  return word;
}

static void
build_name (guint64            *state,
            const DemoOverride *override,
            DemoPerson         *p)
{
  gboolean male = p->sex == BHXH_SEX_MALE;
  const DemoTable *given_table = male ? &demo_given_male : &demo_given_female;
  const DemoWord *family = demo_table_pick (&demo_family_names, state);
  const DemoWord *middle = demo_table_pick (male ? &demo_middle_male
                                                 : &demo_middle_female, state);
  const DemoWord *middle2 = NULL;
  const DemoWord *given;
  gboolean old_style = demo_rng_below (state, 5) == 0;
  const char *given_text;

  if (!male && g_str_equal (middle->text, "Thị") && demo_rng_below (state, 4) == 0)
    middle2 = demo_table_pick (&demo_middle2_female, state);
  if (override && override->role == DEMO_ROLE_TONE)
    {
      given = pick_tone_word (state, given_table);
      old_style = FALSE;
    }
  else
    {
      /* "Phương Phương" or "Văn Văn" does not happen: draw again. */
      do
        given = demo_table_pick (given_table, state);
      while (g_str_equal (given->text, middle->text)
             || (middle2 && g_str_equal (given->text, middle2->text)));
    }

  p->family = override && override->family ? override->family : family->text;
  given_text = (old_style && given->alt) ? given->alt : given->text;
  p->given_alt = given->alt ? (given_text == given->alt ? given->text : given->alt) : NULL;
  g_strlcpy (p->given_name, given_text, sizeof p->given_name);
  g_snprintf (p->full_name, sizeof p->full_name, "%s %s%s%s %s",
              p->family,
              (old_style && middle->alt) ? middle->alt : middle->text,
              middle2 ? " " : "",
              middle2 ? ((old_style && middle2->alt) ? middle2->alt : middle2->text) : "",
              given_text);
}

static void
build_address (guint64    *state,
               DemoPerson *p)
{
  const DemoDistrict *d = p->district;
  const char *ward = pick_from (d->wards, state);
  const char *street = pick_from (d->streets, state);
  const char *province = demo_regions[d->region].province_name;

  if (d->rural)
    g_snprintf (p->address, sizeof p->address, "Thôn %s, %s, %s, %s",
                street, ward, d->name, province);
  else if (demo_rng_below (state, 2) == 0)
    g_snprintf (p->address, sizeof p->address, "Số %u ngõ %u %s, %s, %s, %s",
                1 + demo_rng_below (state, 120), 1 + demo_rng_below (state, 300),
                street, ward, d->name, province);
  else
    g_snprintf (p->address, sizeof p->address, "Số %u %s, %s, %s, %s",
                1 + demo_rng_below (state, 250), street, ward, d->name, province);
}

/* A bijection of [0, half²) that looks random: a four-round Feistel
 * network over two base-@half digits. Codes stay unique per index. */
static guint
permute (guint64 index,
         guint   half,
         guint64 key)
{
  guint left = (guint) (index / half) % half;
  guint right = (guint) (index % half);

  for (guint round = 0; round < 4; round++)
    {
      guint64 state = key ^ ((guint64) right << 8) ^ round;
      guint next = (left + (guint) (demo_rng_next (&state) % half)) % half;

      left = right;
      right = next;
    }
  return left * half + right;
}

/* PPP G YY RRRRRR; RRRRRR is a bijection of the index, so numbers are unique
 * for up to a million persons. */
static void
build_id_number (guint64            *state,
                 const DemoOverride *override,
                 DemoPerson         *p)
{
  DemoRole role = override ? override->role : DEMO_ROLE_NONE;
  const DemoRegion *region = &demo_regions[p->district->region];
  const char *province;
  guint g = (p->year / 100 - 19) * 2 + (p->sex == BHXH_SEX_FEMALE ? 1 : 0);
  guint yy = p->year % 100;
  guint serial = permute (p->index % 1000000, 1000, 0x1D);

  if (p->district->region == 0 || demo_rng_below (state, 5) < 2)
    province = demo_table_pick (&demo_birth_provinces, state)->text;
  else
    province = region->id_province;
  if (role == DEMO_ROLE_ID_SEX)
    g ^= 1;
  else if (role == DEMO_ROLE_ID_YEAR)
    yy = (yy + 1 + demo_rng_below (state, 5)) % 100;
  else if (role == DEMO_ROLE_ID_PROVINCE)
    province = demo_rng_below (state, 2) ? "003" : "099";
  g_snprintf (p->id_number, sizeof p->id_number, "%s%u%02u%06u", province, g, yy, serial);
}

static void
build_old_id (guint64    *state,
              int         age,
              DemoPerson *p)
{
  static const char *const prefixes[] = { "01", "02", "20" };

  p->old_id_number[0] = '\0';
  if (age >= 25 && demo_rng_below (state, 100) < 55)
    g_snprintf (p->old_id_number, sizeof p->old_id_number, "%s%07u",
                prefixes[p->district->region], demo_rng_below (state, 10000000));
}

static void
build_account (guint64            *state,
               const DemoOverride *override,
               const BhxhDate     *today,
               int                 age,
               DemoPerson         *p)
{
  DemoRole role = override ? override->role : DEMO_ROLE_NONE;
  static const BhxhDate first = { 2019, 6, 1 };
  guint r = demo_rng_below (state, 1000);
  int span;
  GDate a, b;

  g_date_clear (&a, 1);
  g_date_clear (&b, 1);
  g_date_set_dmy (&a, first.day, first.month, first.year);
  g_date_set_dmy (&b, today->day, today->month, today->year);
  span = MAX (1, (int) g_date_days_between (&a, &b) - 1);
  demo_date_add_days (&first, demo_rng_below (state, span), &p->account_since);

  if (role == DEMO_ROLE_ADULT_ACCOUNT || role == DEMO_ROLE_GUARDIAN_ACCOUNT)
    p->account_status = "active";
  else if (role != DEMO_ROLE_NONE)
    p->account_status = "";
  else if (age < 18)
    p->account_status = r < 50 ? "active" : "";
  else if (r < 460)
    p->account_status = "active";
  else if (r < 470)
    p->account_status = "suspended";
  else if (r < 485)
    p->account_status = "stopped";
  else
    p->account_status = "";
  if (p->account_status[0] == '\0')
    p->account_since = BHXH_DATE_NONE;
}

/* The new căn cước card, from 1 July 2024. */
static const BhxhDate card_2024 = { 2024, 7, 1 };

static guint
date_rank (const BhxhDate *d)
{
  return d->year * 512 + d->month * 32 + d->day;
}

/* A teen's card of 2024 on: issued in the last 300 days, after 1 July
 * 2024 and the 14th birthday when the reference date allows. */
static void
build_card_2024 (guint64        *state,
                 const BhxhDate *today,
                 DemoPerson     *p)
{
  BhxhDate fourteen = { p->year + 14, p->real_month, p->real_day };
  const BhxhDate *first = date_rank (&fourteen) > date_rank (&card_2024) ? &fourteen
                                                                         : &card_2024;
  BhxhDate yesterday;

  demo_date_add_days (today, -1, &yesterday);
  demo_date_add_days (today, -(int) (1 + demo_rng_below (state, 300)), &p->issue_date);
  if (date_rank (&p->issue_date) < date_rank (first))
    p->issue_date = *first;
  if (date_rank (&p->issue_date) > date_rank (&yesterday))
    p->issue_date = yesterday;
}

static void
build_card (guint64        *state,
            const BhxhDate *today,
            int             age,
            DemoPerson     *p)
{
  static const BhxhDate first = { CCCD_FIRST_DAY };
  BhxhDate fourteen = { p->year + 14, p->real_month, p->real_day };
  BhxhDate yesterday;

  p->issue_date = BHXH_DATE_NONE;
  if (age < 14)
    return;
  demo_date_add_days (&first, demo_rng_below (state, CCCD_SPAN_DAYS), &p->issue_date);
  if (p->issue_date.year < fourteen.year
      || (p->issue_date.year == fourteen.year
          && (p->issue_date.month * 32 + p->issue_date.day
              < fourteen.month * 32 + fourteen.day)))
    demo_date_add_days (&fourteen, 10 + demo_rng_below (state, 60), &p->issue_date);
  demo_date_add_days (today, -1, &yesterday);
  if (p->issue_date.year * 512 + p->issue_date.month * 32 + p->issue_date.day
      > yesterday.year * 512 + yesterday.month * 32 + yesterday.day)
    p->issue_date = yesterday;
}

static void
build_contact (guint64    *state,
               DemoPerson *p)
{
  static const char *const mobile[] = { "09", "03", "08", "07" };
  g_autofree char *given = demo_strip_marks (p->given_name);
  g_autofree char *family = demo_strip_marks (p->family);
  g_autofree char *local = g_strdup_printf ("%s.%s%02u", given, family,
                                            demo_rng_below (state, 100));

  g_snprintf (p->email, sizeof p->email, "%s@example.vn", local);
  for (char *c = p->email; *c; c++)
    *c = g_ascii_tolower (*c);
  g_snprintf (p->phone, sizeof p->phone, "%s%08u", mobile[demo_rng_below (state, 4)],
              demo_rng_below (state, 100000000));
}

void
demo_person_generate (guint64             seed,
                      const BhxhDate     *today,
                      guint64             index,
                      const DemoOverride *override,
                      DemoPerson         *p)
{
  guint64 state = seed ^ (index * G_GUINT64_CONSTANT (0xD1B54A32D192ED03));
  DemoRole role = override ? override->role : DEMO_ROLE_NONE;
  int age;
  guint r;

  demo_rng_next (&state);
  p->index = index;
  p->sex = demo_rng_below (&state, 2) ? BHXH_SEX_FEMALE : BHXH_SEX_MALE;
  if (role == DEMO_ROLE_GUARDIAN_ACCOUNT || role == DEMO_ROLE_GUARDIAN_NONE)
    p->sex = BHXH_SEX_MALE;   /* the father, who shares the family name */
  else if (role == DEMO_ROLE_MOTHER)
    p->sex = BHXH_SEX_FEMALE;
  p->district = pick_district (&state);
  age = pick_age (&state, override, today);
  pick_birth (&state, today, age, p);
  build_name (&state, override, p);
  build_address (&state, p);
  build_id_number (&state, override, p);
  build_old_id (&state, age, p);
  build_account (&state, override, today, age, p);
  build_card (&state, today, age, p);
  if (role == DEMO_ROLE_TEEN_2024)
    build_card_2024 (&state, today, p);
  build_contact (&state, p);

  /* The registry knows only part of some (older) birth dates. */
  r = demo_rng_below (&state, 1000);
  if (role == DEMO_ROLE_PARTIAL_YEAR || (role == DEMO_ROLE_NONE && age >= 18 && r < 36))
    p->month = p->day = 0;
  else if (role == DEMO_ROLE_PARTIAL_MONTH
           || (role == DEMO_ROLE_NONE && age >= 18 && r < 60))
    p->day = 0;

  g_snprintf (p->bhxh_code, sizeof p->bhxh_code, "%s%08u",
              demo_regions[p->district->region].bhxh_prefix,
              permute (index % 100000000, 10000, 0xB4));
  /* Since 1 July 2025 the ID number is the mã số BHXH: the registry keys
   * one person in eight by it and keeps their former code. */
  p->legacy_code[0] = '\0';
  if (demo_rng_below (&state, 8) == 0)
    {
      g_strlcpy (p->legacy_code, p->bhxh_code, sizeof p->legacy_code);
      g_strlcpy (p->bhxh_code, p->id_number, sizeof p->bhxh_code);
    }
}

/* The 10-digit mã số BHXH of before 2025: what older papers carry. */
const char *
demo_person_code_10 (const DemoPerson *p)
{
  return p->legacy_code[0] != '\0' ? p->legacy_code : p->bhxh_code;
}

static void
append_birth (const DemoPerson *p,
              GString          *out)
{
  if (p->month == 0)
    g_string_append_printf (out, "%04u", p->year);
  else if (p->day == 0)
    g_string_append_printf (out, "%04u-%02u", p->year, p->month);
  else
    g_string_append_printf (out, "%04u-%02u-%02u", p->year, p->month, p->day);
}

void
demo_person_append_csv (const DemoPerson *p,
                        GString          *out)
{
  g_string_append_printf (out, "%s,%s,%s,%s,", p->bhxh_code, p->id_number,
                          p->old_id_number, p->full_name);
  append_birth (p, out);
  /* Addresses hold commas and never quotes: quote, nothing to escape. */
  g_string_append_printf (out, ",%s,\"%s\",%s,%s,",
                          p->sex == BHXH_SEX_FEMALE ? "female" : "male",
                          p->address, p->district->office_code, p->account_status);
  if (p->account_since.year != 0)
    g_string_append_printf (out, "%04u-%02u-%02u", p->account_since.year,
                            p->account_since.month, p->account_since.day);
  g_string_append_printf (out, ",%s\n", p->legacy_code);
}

/* The card's QR (DOMAIN.md §2, §7): the 7 fields of a CCCD; a card issued
 * from 1 July 2024 has four more, the last two a child's parents (@father,
 * @mother; empty on an adult's card). */
char *
demo_person_payload (const DemoPerson *p,
                     gboolean          trailing_bar,
                     const char       *father,
                     const char       *mother)
{
  g_autofree char *parents = NULL;

  g_return_val_if_fail (p->issue_date.year != 0, NULL);

  if (date_rank (&p->issue_date) >= date_rank (&card_2024))
    parents = g_strdup_printf ("|||%s|%s", father != NULL ? father : "",
                               mother != NULL ? mother : "");
  return g_strdup_printf ("%s|%s|%s|%02u%02u%04u|%s|%s|%02u%02u%04u%s%s",
                          p->id_number, p->old_id_number, p->full_name,
                          p->real_day, p->real_month, p->year,
                          p->sex == BHXH_SEX_FEMALE ? "Nữ" : "Nam", p->address,
                          p->issue_date.day, p->issue_date.month, p->issue_date.year,
                          parents != NULL ? parents : "", trailing_bar ? "|" : "");
}

/* Drops every diacritic, keeping case: "Nguyễn Đức" → "Nguyen Duc". */
char *
demo_strip_marks (const char *text)
{
  g_autofree char *nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  GString *out = g_string_sized_new (strlen (text));

  for (const char *c = nfd; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (u >= 0x0300 && u <= 0x036F)
        continue;
      if (u == 0x0111)
        u = 'd';
      else if (u == 0x0110)
        u = 'D';
      g_string_append_unichar (out, u);
    }
  return g_string_free (out, FALSE);
}
