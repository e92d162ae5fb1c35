/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo plan: which mirror persons the declarations use and how every
 * case bends the declaration or the person; the declarations JSON and the
 * card payloads built from it; and populating a store through the same
 * import paths real data takes. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bhxh-demo-portrait.h"
#include "bhxh-demo-private.h"

G_DEFINE_QUARK (bhxh-demo-error-quark, bhxh_demo_error)

#define NO_PERSON G_MAXUINT64

typedef struct
{
  BhxhDemoCase  demo_case;
  guint         count;        /* declarations of this case */
  const char   *name;
  const char   *description;
} CaseInfo;

static const CaseInfo cases[BHXH_DEMO_N_CASES] = {
  { BHXH_DEMO_CASE_CLEAN, 120, "clean",
    N_("Everything matches: declaration, card and registry") },
  { BHXH_DEMO_CASE_NAME_CASE_SPACING, 4, "name-case-spacing",
    N_("Name typed in other case or with extra spaces (equivalent)") },
  { BHXH_DEMO_CASE_NAME_TONE_VARIANT, 4, "name-tone-variant",
    N_("Name with the other tone-mark placement, e.g. Thủy/Thuỷ (equivalent)") },
  { BHXH_DEMO_CASE_NAME_DIACRITICS, 4, "name-diacritics",
    N_("Name declared without diacritics (Nguyen for Nguyễn)") },
  { BHXH_DEMO_CASE_BIRTH_DATE_MISMATCH, 3, "birth-date-mismatch",
    N_("Declared birth date differs from card and registry") },
  { BHXH_DEMO_CASE_BIRTH_DATE_PARTIAL, 3, "birth-date-partial",
    N_("Registry knows only the birth year or month") },
  { BHXH_DEMO_CASE_ID_WARNING_SEX, 2, "id-warning-sex",
    N_("ID number's century/sex digit does not fit the sex") },
  { BHXH_DEMO_CASE_ID_WARNING_YEAR, 2, "id-warning-year",
    N_("ID number's year digits do not fit the birth year") },
  { BHXH_DEMO_CASE_ID_WARNING_PROVINCE, 2, "id-warning-province",
    N_("ID number starts with no known province code") },
  { BHXH_DEMO_CASE_EXPIRED, 4, "expired",
    N_("Confirmed more than 10 days ago: expired") },
  { BHXH_DEMO_CASE_NEAR_EXPIRY, 3, "near-expiry",
    N_("Confirmed 8 to 10 days ago: expires within two days") },
  { BHXH_DEMO_CASE_MINOR_GUARDIAN_ACCOUNT, 3, "minor-guardian-account",
    N_("Under 18, through a guardian who has an active account") },
  { BHXH_DEMO_CASE_MINOR_GUARDIAN_NO_ACCOUNT, 2, "minor-guardian-no-account",
    N_("Under 18, through a guardian without an account") },
  { BHXH_DEMO_CASE_NOT_IN_MIRROR, 3, "not-in-mirror",
    N_("Neither BHXH code nor ID number in the registry (armed forces?)") },
  { BHXH_DEMO_CASE_ADJUST, 5, "adjust",
    N_("Adjust contact data of a person with an account") },
  { BHXH_DEMO_CASE_STOP, 4, "stop",
    N_("Stop e-transactions of a person with an account") },
  { BHXH_DEMO_CASE_REGISTER_HAS_ACCOUNT, 3, "register-has-account",
    N_("Register, but the person already has an account") },
  { BHXH_DEMO_CASE_DUPLICATE, 4, "duplicate",
    N_("Two open declarations of the same person") },
  { BHXH_DEMO_CASE_EMPLOYER_BATCH, 8, "employer-batch",
    N_("Handed in together by one employer (Phụ lục 02)") },
  { BHXH_DEMO_CASE_POST_HANDIN, 5, "post-handin",
    N_("Papers sent by public postal service") },
  { BHXH_DEMO_CASE_IVAN, 5, "ivan",
    N_("Register to transact through an I-VAN provider") },
  { BHXH_DEMO_CASE_HISTORY_APPROVED, 6, "history-approved",
    N_("Already approved (history)") },
  { BHXH_DEMO_CASE_HISTORY_REJECTED, 4, "history-rejected",
    N_("Already rejected (history)") },
  { BHXH_DEMO_CASE_MINOR_GUARDIAN_NOT_PARENT, 2, "minor-guardian-not-parent",
    N_("Under 18, through a guardian the child’s card does not name as a parent") },
};

typedef struct
{
  BhxhDemoCase  demo_case;
  guint         k;            /* number within its case */
  guint64       person;
  guint64       guardian;     /* NO_PERSON unless a minor */
} DemoEntry;

struct _BhxhDemo
{
  BhxhDate    today;
  guint       n_persons;
  guint64     seed;
  GHashTable *overrides;      /* person index + 1 → DemoOverride */
  GArray     *entries;        /* DemoEntry, in declaration-id order */
  GPtrArray  *payloads;       /* BhxhDemoPayload, built with the declarations */
  JsonNode   *declarations;
};

const char *
bhxh_demo_case_to_string (BhxhDemoCase demo_case)
{
  g_return_val_if_fail (demo_case < BHXH_DEMO_N_CASES, NULL);
  return cases[demo_case].name;
}

const char *
bhxh_demo_case_describe (BhxhDemoCase demo_case)
{
  g_return_val_if_fail (demo_case < BHXH_DEMO_N_CASES, NULL);
  return _(cases[demo_case].description);
}

static void
payload_free (gpointer data)
{
  BhxhDemoPayload *payload = data;

  g_free (payload->declaration_id);
  g_free (payload->payload);
  g_free (payload);
}

static DemoRole
role_for (BhxhDemoCase demo_case,
          guint        k)
{
  switch (demo_case)
    {
    case BHXH_DEMO_CASE_NAME_TONE_VARIANT:        return DEMO_ROLE_TONE;
    case BHXH_DEMO_CASE_BIRTH_DATE_PARTIAL:
      return k < 2 ? DEMO_ROLE_PARTIAL_YEAR : DEMO_ROLE_PARTIAL_MONTH;
    case BHXH_DEMO_CASE_ID_WARNING_SEX:           return DEMO_ROLE_ID_SEX;
    case BHXH_DEMO_CASE_ID_WARNING_YEAR:          return DEMO_ROLE_ID_YEAR;
    case BHXH_DEMO_CASE_ID_WARNING_PROVINCE:      return DEMO_ROLE_ID_PROVINCE;
    case BHXH_DEMO_CASE_MINOR_GUARDIAN_ACCOUNT:
      return k == 2 ? DEMO_ROLE_TEEN_2024 : DEMO_ROLE_CHILD;
    case BHXH_DEMO_CASE_MINOR_GUARDIAN_NOT_PARENT: return DEMO_ROLE_TEEN_2024;
    case BHXH_DEMO_CASE_MINOR_GUARDIAN_NO_ACCOUNT: return DEMO_ROLE_CHILD;
    case BHXH_DEMO_CASE_ADJUST:
    case BHXH_DEMO_CASE_STOP:
    case BHXH_DEMO_CASE_REGISTER_HAS_ACCOUNT:     return DEMO_ROLE_ADULT_ACCOUNT;
    default:                                      return DEMO_ROLE_ADULT;
    }
}

static const DemoOverride *
lookup_override (BhxhDemo *demo,
                 guint64   index)
{
  return g_hash_table_lookup (demo->overrides, GSIZE_TO_POINTER ((gsize) index + 1));
}

static guint64
reserve (BhxhDemo     *demo,
         guint64      *state,
         DemoOverride  override)
{
  guint64 index;

  do
    index = demo_rng_next (state) % demo->n_persons;
  while (lookup_override (demo, index) != NULL);
  g_hash_table_insert (demo->overrides, GSIZE_TO_POINTER ((gsize) index + 1),
                       g_memdup2 (&override, sizeof override));
  return index;
}

static const char *
other_family (const char *family)
{
  return g_str_equal (family, "Lê") ? "Trần" : "Lê";
}

static void
plan_entry (BhxhDemo     *demo,
            guint64      *state,
            BhxhDemoCase  demo_case,
            guint         k,
            guint        *not_in_mirror)
{
  DemoEntry entry = { demo_case, k, NO_PERSON, NO_PERSON };
  DemoOverride override = { role_for (demo_case, k), NULL, 0 };

  if (demo_case == BHXH_DEMO_CASE_NOT_IN_MIRROR)
    entry.person = demo->n_persons + (*not_in_mirror)++;
  else if (demo_case == BHXH_DEMO_CASE_DUPLICATE && k % 2 == 1)
    entry.person = g_array_index (demo->entries, DemoEntry, demo->entries->len - 1).person;
  else
    entry.person = reserve (demo, state, override);

  if (override.role == DEMO_ROLE_CHILD || override.role == DEMO_ROLE_TEEN ||
      override.role == DEMO_ROLE_TEEN_2024)
    {
      DemoPerson child;
      DemoOverride parent = { DEMO_ROLE_GUARDIAN_NONE, NULL, 0 };

      demo_person_generate (demo->seed, &demo->today, entry.person, &override, &child);
      if (demo_case != BHXH_DEMO_CASE_MINOR_GUARDIAN_NO_ACCOUNT)
        parent.role = DEMO_ROLE_GUARDIAN_ACCOUNT;
      /* The father shares the child's family name; a guardian who is no
       * parent (an uncle on the mother's side) does not. */
      parent.family = demo_case == BHXH_DEMO_CASE_MINOR_GUARDIAN_NOT_PARENT
                      ? other_family (child.family) : child.family;
      parent.min_parent_year = child.year - 22;
      entry.guardian = reserve (demo, state, parent);
    }
  g_array_append_val (demo->entries, entry);
}

static void
shuffle_entries (GArray  *entries,
                 guint64 *state)
{
  for (guint i = entries->len - 1; i > 0; i--)
    {
      guint j = demo_rng_below (state, i + 1);
      DemoEntry tmp = g_array_index (entries, DemoEntry, i);

      g_array_index (entries, DemoEntry, i) = g_array_index (entries, DemoEntry, j);
      g_array_index (entries, DemoEntry, j) = tmp;
    }
}

/**
 * bhxh_demo_new:
 * @today: the reference date the demo is built around
 * @n_persons: mirror size, %BHXH_DEMO_MIN_PERSONS to %BHXH_DEMO_MAX_PERSONS
 * @seed: any number; %BHXH_DEMO_DEFAULT_SEED for the usual demo
 * @error: a #BhxhDemoError
 *
 * Returns: (transfer full): the plan, or %NULL if a parameter is out of range
 */
BhxhDemo *
bhxh_demo_new (const BhxhDate  *today,
               guint            n_persons,
               guint64          seed,
               GError         **error)
{
  g_autoptr(BhxhDemo) demo = NULL;
  guint64 state = seed ^ G_GUINT64_CONSTANT (0x5EED0F0DECA7A105);
  guint not_in_mirror = 0;

  g_return_val_if_fail (today != NULL, NULL);

  if (n_persons < BHXH_DEMO_MIN_PERSONS || n_persons > BHXH_DEMO_MAX_PERSONS)
    {
      g_set_error (error, BHXH_DEMO_ERROR, BHXH_DEMO_ERROR_BAD_VALUE,
                   _("The demo needs between %u and %u persons."),
                   BHXH_DEMO_MIN_PERSONS, BHXH_DEMO_MAX_PERSONS);
      return NULL;
    }
  if (!bhxh_date_is_full (today) || !bhxh_date_is_valid (today) || today->year < 2022)
    {
      g_set_error (error, BHXH_DEMO_ERROR, BHXH_DEMO_ERROR_BAD_VALUE,
                   _("The demo needs a full reference date from 2022 on."));
      return NULL;
    }

  demo = g_new0 (BhxhDemo, 1);
  demo->today = *today;
  demo->n_persons = n_persons;
  demo->seed = seed;
  demo->overrides = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  demo->entries = g_array_new (FALSE, FALSE, sizeof (DemoEntry));
  for (guint c = 0; c < BHXH_DEMO_N_CASES; c++)
    for (guint k = 0; k < cases[c].count; k++)
      plan_entry (demo, &state, c, k, &not_in_mirror);
  shuffle_entries (demo->entries, &state);

  return g_steal_pointer (&demo);
}

void
bhxh_demo_free (BhxhDemo *demo)
{
  if (demo == NULL)
    return;

  g_clear_pointer (&demo->overrides, g_hash_table_unref);
  g_clear_pointer (&demo->entries, g_array_unref);
  g_clear_pointer (&demo->payloads, g_ptr_array_unref);
  g_clear_pointer (&demo->declarations, json_node_unref);
  g_free (demo);
}

guint
bhxh_demo_get_n_persons (BhxhDemo *demo)
{
  g_return_val_if_fail (demo != NULL, 0);
  return demo->n_persons;
}

const BhxhDate *
bhxh_demo_get_today (BhxhDemo *demo)
{
  g_return_val_if_fail (demo != NULL, NULL);
  return &demo->today;
}

static void
generate (BhxhDemo   *demo,
          guint64     index,
          DemoPerson *out)
{
  const DemoOverride *override = lookup_override (demo, index);
  DemoOverride outside = { DEMO_ROLE_ADULT, NULL, 0 };

  /* Persons beyond the mirror (not-in-mirror case) are plain adults. */
  if (index >= demo->n_persons)
    override = &outside;
  demo_person_generate (demo->seed, &demo->today, index, override, out);
}

#define CSV_HEADER "bhxh_code,id_number,old_id_number,full_name,birth_date,sex," \
                   "address,office_code,account_status,account_since,legacy_bhxh_code\n"
#define CSV_CHUNK  (1 << 20)

gboolean
bhxh_demo_write_mirror_csv (BhxhDemo       *demo,
                            GOutputStream  *out,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (CSV_CHUNK + 4096);
  DemoPerson person;

  g_return_val_if_fail (demo != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  g_string_append (buffer, CSV_HEADER);
  for (guint64 i = 0; i < demo->n_persons; i++)
    {
      generate (demo, i, &person);
      demo_person_append_csv (&person, buffer);
      if (buffer->len >= CSV_CHUNK || i + 1 == demo->n_persons)
        {
          if (!g_output_stream_write_all (out, buffer->str, buffer->len, NULL,
                                          cancellable, error))
            return FALSE;
          g_string_truncate (buffer, 0);
        }
    }
  return TRUE;
}

/* ---- declarations ---------------------------------------------------- */

typedef struct
{
  BhxhDemo    *demo;
  JsonBuilder *b;
  guint64      state;      /* per-declaration randomness */
} Ctx;

static void
add_string (Ctx        *ctx,
            const char *key,
            const char *value)
{
  json_builder_set_member_name (ctx->b, key);
  if (value != NULL)
    json_builder_add_string_value (ctx->b, value);
  else
    json_builder_add_null_value (ctx->b);
}

char *
demo_date_iso (const BhxhDate *d)
{
  return g_strdup_printf ("%04u-%02u-%02u", d->year, d->month, d->day);
}

static void
add_date (Ctx            *ctx,
          const char     *key,
          const BhxhDate *date)
{
  g_autofree char *iso = demo_date_iso (date);

  add_string (ctx, key, iso);
}

static char *
timestamp (const BhxhDate *day,
           guint           minutes)
{
  return g_strdup_printf ("%04u-%02u-%02uT%02u:%02u:00+07:00", day->year, day->month,
                          day->day, minutes / 60, minutes % 60);
}

static guint
confirmed_days_ago (Ctx          *ctx,
                    BhxhDemoCase  demo_case)
{
  switch (demo_case)
    {
    case BHXH_DEMO_CASE_EXPIRED:     return 11 + demo_rng_below (&ctx->state, 10);
    case BHXH_DEMO_CASE_NEAR_EXPIRY: return 8 + demo_rng_below (&ctx->state, 3);
    case BHXH_DEMO_CASE_HISTORY_APPROVED:
    case BHXH_DEMO_CASE_HISTORY_REJECTED:
      return 1 + demo_rng_below (&ctx->state, 9);
    default:                         return demo_rng_below (&ctx->state, 7);
    }
}

/* Submission and confirmation, office hours or an evening at home. */
static void
add_times (Ctx             *ctx,
           const DemoEntry *entry,
           BhxhDate        *confirmed_day)
{
  guint minutes = 7 * 60 + demo_rng_below (&ctx->state, 14 * 60);
  g_autofree char *submitted = NULL;
  g_autofree char *confirmed = NULL;

  if (entry->demo_case == BHXH_DEMO_CASE_EMPLOYER_BATCH)
    {
      /* The batch arrives together, one form a minute. */
      demo_date_add_days (&ctx->demo->today, -1, confirmed_day);
      minutes = 9 * 60 + entry->k;
    }
  else
    demo_date_add_days (&ctx->demo->today,
                        -(int) confirmed_days_ago (ctx, entry->demo_case), confirmed_day);
  if (entry->demo_case == BHXH_DEMO_CASE_DUPLICATE && entry->k % 2 == 1)
    minutes = MIN (minutes + 90, 22 * 60);
  submitted = timestamp (confirmed_day, minutes);
  confirmed = timestamp (confirmed_day, minutes + 2 + demo_rng_below (&ctx->state, 20));
  add_string (ctx, "submitted_at", submitted);
  add_string (ctx, "confirmed_at", confirmed);
}

static char *
declared_name (Ctx             *ctx,
               const DemoEntry *entry,
               const DemoPerson *p)
{
  switch (entry->demo_case)
    {
    case BHXH_DEMO_CASE_NAME_CASE_SPACING:
      switch (entry->k % 4)
        {
        case 0:  return g_utf8_strup (p->full_name, -1);
        case 1:  return g_utf8_strdown (p->full_name, -1);
        case 2:
          {
            g_auto(GStrv) words = g_strsplit (p->full_name, " ", -1);
            g_autofree char *joined = g_strjoinv ("  ", words);

            return g_strdup_printf (" %s ", joined);
          }
        default:
          {
            g_autofree char *lower = g_utf8_strdown (p->full_name, -1);
            g_autofree char *given = g_utf8_strup (p->given_name, -1);
            g_autofree char *given_lower = g_utf8_strdown (p->given_name, -1);
            gsize prefix = strlen (lower) - strlen (given_lower);

            return g_strdup_printf ("%.*s%s", (int) prefix, lower, given);
          }
        }
    case BHXH_DEMO_CASE_NAME_TONE_VARIANT:
      g_assert (p->given_alt != NULL);
      return g_strdup_printf ("%.*s%s",
                              (int) (strlen (p->full_name) - strlen (p->given_name)),
                              p->full_name, p->given_alt);
    case BHXH_DEMO_CASE_NAME_DIACRITICS:
      return demo_strip_marks (p->full_name);
    default:
      return g_strdup (p->full_name);
    }
}

static void
declared_birth (const DemoEntry  *entry,
                const DemoPerson *p,
                BhxhDate         *out)
{
  *out = (BhxhDate) { p->year, p->real_month, p->real_day };
  if (entry->demo_case != BHXH_DEMO_CASE_BIRTH_DATE_MISMATCH)
    return;
  switch (entry->k % 3)
    {
    case 0:
      out->year--;
      out->day = MIN (out->day, 28);
      break;
    case 1:
      if (out->day <= 12 && out->day != out->month)
        {
          guint8 day = out->day;

          out->day = out->month;
          out->month = day;
        }
      else
        out->day = out->day % 28 + 1;
      break;
    default:
      out->month = out->month % 12 + 1;
      out->day = MIN (out->day, 28);
      break;
    }
}

static void
add_address (Ctx              *ctx,
             const DemoEntry  *entry,
             const DemoPerson *p)
{
  const DemoDistrict *d = p->district;
  const DemoPerson *where = p;
  DemoPerson elsewhere;

  /* Some people give a contact address other than their permanent one. */
  if (entry->demo_case == BHXH_DEMO_CASE_CLEAN && demo_rng_below (&ctx->state, 8) == 0)
    {
      demo_person_generate (ctx->demo->seed ^ 0xADD, &ctx->demo->today, entry->person,
                            NULL, &elsewhere);
      where = &elsewhere;
      d = elsewhere.district;
    }
  add_string (ctx, "address", where->address);
  add_string (ctx, "province_code", demo_regions[d->region].province_code);
  add_string (ctx, "district_code", d->district_code);
  add_string (ctx, "commune_code", NULL);
}

static void
add_certificate (Ctx *ctx)
{
  g_autofree char *number = NULL;
  BhxhDate from, to;

  json_builder_set_member_name (ctx->b, "certificate");
  if (demo_rng_below (&ctx->state, 5) != 0)
    {
      json_builder_add_null_value (ctx->b);
      return;
    }
  number = g_strdup_printf ("5401%08X%08X", (guint) demo_rng_next (&ctx->state),
                            (guint) demo_rng_next (&ctx->state));
  demo_date_add_days (&ctx->demo->today, -(int) demo_rng_below (&ctx->state, 300), &from);
  demo_date_add_days (&from, 365 * (1 + demo_rng_below (&ctx->state, 3)), &to);
  json_builder_begin_object (ctx->b);
  add_string (ctx, "number", number);
  add_string (ctx, "issuer", demo_table_pick (&demo_cert_issuers, &ctx->state)->text);
  add_date (ctx, "valid_from", &from);
  add_date (ctx, "valid_to", &to);
  json_builder_end_object (ctx->b);
}

static const char *
kind_of (BhxhDemoCase demo_case)
{
  if (demo_case == BHXH_DEMO_CASE_ADJUST)
    return "adjust";
  if (demo_case == BHXH_DEMO_CASE_STOP)
    return "stop";
  return "register";
}

static const char *
status_of (BhxhDemoCase demo_case)
{
  if (demo_case == BHXH_DEMO_CASE_HISTORY_APPROVED)
    return "approved";
  if (demo_case == BHXH_DEMO_CASE_HISTORY_REJECTED)
    return "rejected";
  return "pending";
}

static void
add_request (Ctx             *ctx,
             const DemoEntry *entry,
             const BhxhDate  *confirmed_day)
{
  const char *kind = kind_of (entry->demo_case);
  BhxhDate start;

  demo_date_add_days (confirmed_day, 1 + demo_rng_below (&ctx->state, 5), &start);
  if (g_str_equal (kind, "adjust"))
    {
      add_string (ctx, "start_date", NULL);
      add_string (ctx, "channel", NULL);
      add_string (ctx, "ivan_name", NULL);
      add_string (ctx, "stop_reason", NULL);
      return;
    }
  add_date (ctx, "start_date", &start);
  if (g_str_equal (kind, "stop"))
    {
      add_string (ctx, "channel", NULL);
      add_string (ctx, "ivan_name", NULL);
      add_string (ctx, "stop_reason",
                  demo_table_pick (&demo_stop_reasons, &ctx->state)->text);
      return;
    }
  if (entry->demo_case == BHXH_DEMO_CASE_IVAN)
    {
      add_string (ctx, "channel", "ivan");
      add_string (ctx, "ivan_name", demo_table_pick (&demo_ivan_providers, &ctx->state)->text);
    }
  else
    {
      add_string (ctx, "channel", "portal");
      add_string (ctx, "ivan_name", NULL);
    }
  add_string (ctx, "stop_reason", NULL);
}

static void
add_contact (Ctx              *ctx,
             const DemoEntry  *entry,
             const DemoPerson *p,
             const DemoPerson *guardian)
{
  const DemoPerson *contact = guardian ? guardian : p;
  g_autofree char *email = g_strdup (contact->email);
  char phone[16];

  /* An adjust declaration changes the phone (and often the e-mail). */
  g_strlcpy (phone, contact->phone, sizeof phone);
  if (entry->demo_case == BHXH_DEMO_CASE_ADJUST)
    {
      g_snprintf (phone, sizeof phone, "09%08u", demo_rng_below (&ctx->state, 100000000));
      if (entry->k % 2 == 0)
        {
          g_free (email);
          email = g_strdup_printf ("moi.%s", contact->email);
        }
    }
  add_string (ctx, "contact_person", contact->full_name);
  add_string (ctx, "email", email);
  add_string (ctx, "phone", phone);
}

/* Persons beyond the mirror, for parents' names only. */
#define FATHERS_FROM 2000000
#define MOTHERS_FROM 3000000

/* A child's parents as the card of 2024 names them: the father is the
 * guardian when the guardian shares the child's family name; otherwise a
 * man of that name outside the registry. The mother is outside it. */
static void
parents_of (Ctx              *ctx,
            const DemoEntry  *entry,
            const DemoPerson *child,
            const DemoPerson *guardian,
            DemoPerson       *father,
            DemoPerson       *mother)
{
  DemoOverride father_role = { DEMO_ROLE_GUARDIAN_NONE, child->family, child->year - 22 };
  DemoOverride mother_role = { DEMO_ROLE_MOTHER, NULL, child->year - 20 };

  if (guardian != NULL && g_str_equal (guardian->family, child->family))
    *father = *guardian;
  else
    demo_person_generate (ctx->demo->seed, &ctx->demo->today, FATHERS_FROM + entry->person,
                          &father_role, father);
  demo_person_generate (ctx->demo->seed, &ctx->demo->today, MOTHERS_FROM + entry->person,
                        &mother_role, mother);
}

static char *
make_payload (Ctx              *ctx,
              const DemoEntry  *entry,
              const DemoPerson *p,
              const DemoPerson *guardian)
{
  gboolean trailing_bar;
  DemoPerson father, mother;

  /* A young child has no card: the birth certificate's verification QR. */
  if (p->issue_date.year == 0)
    return g_strdup_printf ("https://hotich.gov.vn/tra-cuu-khai-sinh?so-dinh-danh=%s",
                            p->id_number);
  trailing_bar = demo_rng_below (&ctx->state, 5) == 0;
  if (entry->guardian == NO_PERSON)
    return demo_person_payload (p, trailing_bar, NULL, NULL);
  parents_of (ctx, entry, p, guardian, &father, &mother);
  return demo_person_payload (p, trailing_bar, father.full_name, mother.full_name);
}

/* The mã số BHXH as declared: since 1 July 2025 some declarations of each
 * kind carry the 12-digit ID number; the others, like older ones, the
 * 10-digit code — the former one of a person the registry now keys by ID. */
static const char *
declared_code (const DemoEntry  *entry,
               const DemoPerson *p)
{
  switch (entry->demo_case)
    {
    case BHXH_DEMO_CASE_CLEAN:
    case BHXH_DEMO_CASE_ADJUST:
    case BHXH_DEMO_CASE_STOP:
      if (entry->k % 5 == 1)
        return p->id_number;
      break;
    default:
      break;
    }
  return demo_person_code_10 (p);
}

/* The portrait photo of an online declaration handed in at the office, for
 * two in three of them: the counter meets declarations with and without
 * one. Drawn (bhxh-demo-portrait), carried inline as a file would. */
static void
add_portrait (Ctx              *ctx,
              const DemoEntry  *entry,
              const DemoPerson *p,
              guint             serial)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *data = NULL;

  if (entry->demo_case == BHXH_DEMO_CASE_IVAN || entry->demo_case == BHXH_DEMO_CASE_POST_HANDIN ||
      serial % 3 == 0)
    return;
  jpeg = bhxh_demo_portrait_jpeg (p->id_number, p->sex, p->full_name);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, jpeg);
  data = g_base64_encode (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
  json_builder_set_member_name (ctx->b, "portrait");
  json_builder_begin_object (ctx->b);
  add_string (ctx, "sha256", sha256);
  json_builder_set_member_name (ctx->b, "size");
  json_builder_add_int_value (ctx->b, g_bytes_get_size (jpeg));
  add_string (ctx, "data", data);
  json_builder_end_object (ctx->b);
}

static void
build_one (Ctx             *ctx,
           const DemoEntry *entry,
           guint            serial)
{
  DemoPerson p, guardian;
  BhxhDate birth, confirmed_day;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  BhxhDemoPayload *payload;

  generate (ctx->demo, entry->person, &p);
  if (entry->guardian != NO_PERSON)
    generate (ctx->demo, entry->guardian, &guardian);
  name = declared_name (ctx, entry, &p);
  declared_birth (entry, &p, &birth);
  id = g_strdup_printf ("TK01-%s-%06u", p.district->office_code, serial);

  json_builder_begin_object (ctx->b);
  add_string (ctx, "id", id);
  add_string (ctx, "kind", kind_of (entry->demo_case));
  add_string (ctx, "status", status_of (entry->demo_case));
  add_string (ctx, "office_code", p.district->office_code);
  add_times (ctx, entry, &confirmed_day);
  add_string (ctx, "full_name", name);
  add_string (ctx, "bhxh_code", declared_code (entry, &p));
  add_string (ctx, "id_number", p.id_number);
  add_date (ctx, "birth_date", &birth);
  add_string (ctx, "sex", p.sex == BHXH_SEX_FEMALE ? "female" : "male");
  add_address (ctx, entry, &p);
  add_contact (ctx, entry, &p, entry->guardian != NO_PERSON ? &guardian : NULL);
  if (entry->demo_case == BHXH_DEMO_CASE_STOP || entry->guardian != NO_PERSON)
    {
      json_builder_set_member_name (ctx->b, "certificate");
      json_builder_add_null_value (ctx->b);
    }
  else
    add_certificate (ctx);
  add_request (ctx, entry, &confirmed_day);
  add_string (ctx, "handin",
              entry->demo_case == BHXH_DEMO_CASE_POST_HANDIN ? "post" : "office");
  json_builder_set_member_name (ctx->b, "guardian");
  if (entry->guardian != NO_PERSON)
    {
      json_builder_begin_object (ctx->b);
      add_string (ctx, "bhxh_code", demo_person_code_10 (&guardian));
      add_string (ctx, "id_number", guardian.id_number);
      add_string (ctx, "full_name", guardian.full_name);
      json_builder_end_object (ctx->b);
    }
  else
    json_builder_add_null_value (ctx->b);
  add_string (ctx, "employer", entry->demo_case == BHXH_DEMO_CASE_EMPLOYER_BATCH
                                 ? demo_employers.words[0].text : NULL);
  add_portrait (ctx, entry, &p, serial);
  json_builder_end_object (ctx->b);

  payload = g_new0 (BhxhDemoPayload, 1);
  payload->declaration_id = g_steal_pointer (&id);
  payload->demo_case = entry->demo_case;
  payload->payload = make_payload (ctx, entry, &p,
                                  entry->guardian != NO_PERSON ? &guardian : NULL);
  g_ptr_array_add (ctx->demo->payloads, payload);
}

static void
build_all (BhxhDemo *demo)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  Ctx ctx = { demo, b, 0 };

  if (demo->declarations != NULL)
    return;

  demo->payloads = g_ptr_array_new_with_free_func (payload_free);
  json_builder_begin_object (b);
  add_string (&ctx, "format", "bhxh-declarations/1");
  json_builder_set_member_name (b, "declarations");
  json_builder_begin_array (b);
  for (guint i = 0; i < demo->entries->len; i++)
    {
      const DemoEntry *entry = &g_array_index (demo->entries, DemoEntry, i);

      ctx.state = demo->seed ^ ((guint64) (i + 1) * G_GUINT64_CONSTANT (0x9E6C63D0676A9A99));
      build_one (&ctx, entry, 1 + i);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  demo->declarations = json_builder_get_root (b);
}

JsonNode *
bhxh_demo_build_declarations (BhxhDemo *demo)
{
  g_return_val_if_fail (demo != NULL, NULL);

  build_all (demo);
  return json_node_copy (demo->declarations);
}

GPtrArray *
bhxh_demo_get_payloads (BhxhDemo *demo)
{
  g_return_val_if_fail (demo != NULL, NULL);

  build_all (demo);
  return demo->payloads;
}

gboolean
bhxh_demo_write_payloads (BhxhDemo    *demo,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GPtrArray *payloads = bhxh_demo_get_payloads (demo);

  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < payloads->len; i++)
    {
      const BhxhDemoPayload *p = g_ptr_array_index (payloads, i);

      g_string_append_printf (text, "%s\t%s\t%s\n", p->declaration_id,
                              bhxh_demo_case_to_string (p->demo_case), p->payload);
    }
  if (!g_file_set_contents (path, text->str, text->len, error))
    {
      g_prefix_error (error, _("Cannot write the demo payloads: "));
      return FALSE;
    }
  return TRUE;
}
