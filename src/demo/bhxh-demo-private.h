/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bhxh-demo.h"
#include "core/bhxh-id.h"

G_BEGIN_DECLS

/* A weighted choice; alt is the other tone-placement spelling (Thủy/Thuỷ). */
typedef struct
{
  const char *text;
  const char *alt;
  guint       weight;
} DemoWord;

typedef struct
{
  const DemoWord *words;
  guint           n_words;
} DemoTable;

typedef struct
{
  const char        *name;           /* "Đống Đa" */
  const char        *office_code;    /* "00106" */
  const char        *district_code;  /* administrative unit, 3 digits */
  guint              region;         /* index into demo_regions */
  gboolean           rural;          /* streets are villages (thôn) */
  guint              weight;
  const char *const *wards;          /* NULL-terminated */
  const char *const *streets;        /* NULL-terminated */
} DemoDistrict;

typedef struct
{
  const char *province_name;     /* "Hà Nội", as addresses end */
  const char *province_code;     /* administrative, 2 digits */
  const char *bhxh_prefix;       /* first 2 digits of a mã số BHXH issued there */
  const char *id_province;       /* usual birth-registration prefix (3 digits) */
} DemoRegion;

typedef struct
{
  const char *code;
  const char *parent;
  const char *name;
} DemoOffice;

extern const DemoTable     demo_family_names;
extern const DemoTable     demo_middle_male;
extern const DemoTable     demo_middle_female;
extern const DemoTable     demo_middle2_female;
extern const DemoTable     demo_given_male;
extern const DemoTable     demo_given_female;
extern const DemoTable     demo_birth_provinces;
extern const DemoTable     demo_cert_issuers;
extern const DemoTable     demo_ivan_providers;
extern const DemoTable     demo_employers;
extern const DemoTable     demo_stop_reasons;
extern const DemoDistrict  demo_districts[];
extern const guint         demo_n_districts;
extern const DemoRegion    demo_regions[];
extern const DemoOffice    demo_offices[];
extern const guint         demo_n_offices;

/* Roles the plan forces on the mirror persons its declarations use. */
typedef enum
{
  DEMO_ROLE_NONE,
  DEMO_ROLE_ADULT,             /* 20–70, full birth date, no account */
  DEMO_ROLE_ADULT_ACCOUNT,     /* … with an active account */
  DEMO_ROLE_TONE,              /* adult whose given name has a tone variant */
  DEMO_ROLE_PARTIAL_YEAR,      /* mirror knows only the year */
  DEMO_ROLE_PARTIAL_MONTH,     /* mirror knows only month and year */
  DEMO_ROLE_ID_SEX,            /* ID sex digit of the other sex */
  DEMO_ROLE_ID_YEAR,           /* ID YY not the birth year */
  DEMO_ROLE_ID_PROVINCE,       /* ID prefix of no known province */
  DEMO_ROLE_CHILD,             /* 6–13, no card: birth certificate */
  DEMO_ROLE_TEEN,              /* 15–17, has a card */
  DEMO_ROLE_GUARDIAN_ACCOUNT,  /* parent: child's family name, active account */
  DEMO_ROLE_GUARDIAN_NONE,     /* parent: child's family name, no account */
  DEMO_ROLE_TEEN_2024,         /* 15–17, a card of 2024 on: it names the parents */
  DEMO_ROLE_MOTHER,            /* a child's mother (only her name is used) */
} DemoRole;

typedef struct
{
  DemoRole    role;
  const char *family;            /* forced family name, or NULL */
  guint       min_parent_year;   /* guardian roles: born at most this year */
} DemoOverride;

/* A mirror person, rendered into fixed buffers (no allocation per row). */
typedef struct
{
  guint64    index;
  BhxhSex    sex;
  const char *family;
  const char *given_alt;         /* the other spelling of the given name, or NULL */
  guint16    year;
  guint8     month;              /* 0: year only */
  guint8     day;                /* 0: month and year */
  guint8     real_month;         /* the card always has the full date */
  guint8     real_day;
  const DemoDistrict *district;
  char       bhxh_code[13];     /* the registry's key: 10 digits, or the ID number */
  char       legacy_code[11];   /* the former 10-digit code of a person keyed by ID; "" */
  char       id_number[13];
  char       old_id_number[10];
  char       full_name[128];
  char       given_name[48];
  char       address[256];
  const char *account_status;    /* "" none */
  BhxhDate   account_since;
  BhxhDate   issue_date;         /* card issue date; year 0: no card */
  char       email[96];
  char       phone[11];
} DemoPerson;

guint64     demo_rng_next           (guint64            *state);
guint       demo_rng_below          (guint64            *state,
                                     guint               n);
const DemoWord *demo_table_pick     (const DemoTable    *table,
                                     guint64            *state);
void        demo_person_generate    (guint64             seed,
                                     const BhxhDate     *today,
                                     guint64             index,
                                     const DemoOverride *override,
                                     DemoPerson         *out);
void        demo_person_append_csv  (const DemoPerson   *person,
                                     GString            *out);
char       *demo_person_payload     (const DemoPerson   *person,
                                     gboolean            trailing_bar,
                                     const char         *father,
                                     const char         *mother);
const char *demo_person_code_10     (const DemoPerson   *person);
char       *demo_date_iso           (const BhxhDate     *date);
char       *demo_strip_marks        (const char         *text);
void        demo_date_add_days      (const BhxhDate     *date,
                                     int                 days,
                                     BhxhDate           *out);
int         demo_age_on             (guint16             year,
                                     guint8              month,
                                     guint8              day,
                                     const BhxhDate     *on);

G_END_DECLS
