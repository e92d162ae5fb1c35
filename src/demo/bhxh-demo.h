/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "core/bhxh-date.h"
#include "store/bhxh-store.h"

G_BEGIN_DECLS

#define BHXH_DEMO_ERROR (bhxh_demo_error_quark ())

/**
 * BhxhDemoError:
 * @BHXH_DEMO_ERROR_BAD_VALUE: a parameter is out of range (e.g. too few persons)
 * @BHXH_DEMO_ERROR_IO: a temporary or output file could not be written
 */
typedef enum
{
  BHXH_DEMO_ERROR_BAD_VALUE,
  BHXH_DEMO_ERROR_IO,
} BhxhDemoError;

GQuark bhxh_demo_error_quark (void);

#define BHXH_DEMO_DEFAULT_PERSONS 100000
#define BHXH_DEMO_MIN_PERSONS     1000
#define BHXH_DEMO_MAX_PERSONS     900000   /* ID numbers stay unique */
#define BHXH_DEMO_DEFAULT_SEED    G_GUINT64_CONSTANT (0x0B4C4D01DE5C0001)

/* The demo cases, in the order docs/demo.md describes them. The string of
 * each (bhxh_demo_case_to_string) is stable: it appears in the payloads file. */
typedef enum
{
  BHXH_DEMO_CASE_CLEAN,
  BHXH_DEMO_CASE_NAME_CASE_SPACING,
  BHXH_DEMO_CASE_NAME_TONE_VARIANT,
  BHXH_DEMO_CASE_NAME_DIACRITICS,
  BHXH_DEMO_CASE_BIRTH_DATE_MISMATCH,
  BHXH_DEMO_CASE_BIRTH_DATE_PARTIAL,
  BHXH_DEMO_CASE_ID_WARNING_SEX,
  BHXH_DEMO_CASE_ID_WARNING_YEAR,
  BHXH_DEMO_CASE_ID_WARNING_PROVINCE,
  BHXH_DEMO_CASE_EXPIRED,
  BHXH_DEMO_CASE_NEAR_EXPIRY,
  BHXH_DEMO_CASE_MINOR_GUARDIAN_ACCOUNT,
  BHXH_DEMO_CASE_MINOR_GUARDIAN_NO_ACCOUNT,
  BHXH_DEMO_CASE_NOT_IN_MIRROR,
  BHXH_DEMO_CASE_ADJUST,
  BHXH_DEMO_CASE_STOP,
  BHXH_DEMO_CASE_REGISTER_HAS_ACCOUNT,
  BHXH_DEMO_CASE_DUPLICATE,
  BHXH_DEMO_CASE_EMPLOYER_BATCH,
  BHXH_DEMO_CASE_POST_HANDIN,
  BHXH_DEMO_CASE_IVAN,
  BHXH_DEMO_CASE_HISTORY_APPROVED,
  BHXH_DEMO_CASE_HISTORY_REJECTED,
  BHXH_DEMO_CASE_MINOR_GUARDIAN_NOT_PARENT,
  BHXH_DEMO_N_CASES,
} BhxhDemoCase;

/* One demo declaration's card: what the citizen's CCCD QR (or, for a young
 * child, the birth certificate's QR) says. */
typedef struct
{
  char         *declaration_id;
  BhxhDemoCase  demo_case;
  char         *payload;
} BhxhDemoPayload;

typedef struct
{
  guint64      persons;
  guint        declarations;
  guint        offices;
  guint        users;
} BhxhDemoSummary;

/* The whole demo as a plan: which mirror persons the declarations use and
 * how each case bends them. Everything follows from (today, n_persons,
 * seed): the same inputs give byte-identical outputs. */
typedef struct _BhxhDemo BhxhDemo;

BhxhDemo     *bhxh_demo_new                 (const BhxhDate   *today,
                                             guint             n_persons,
                                             guint64           seed,
                                             GError          **error);
void          bhxh_demo_free                (BhxhDemo         *demo);
guint         bhxh_demo_get_n_persons       (BhxhDemo         *demo);
const BhxhDate *bhxh_demo_get_today         (BhxhDemo         *demo);

/* The registry mirror as the CSV of docs/formats.md. */
gboolean      bhxh_demo_write_mirror_csv    (BhxhDemo         *demo,
                                             GOutputStream    *out,
                                             GCancellable     *cancellable,
                                             GError          **error);
/* The {"format": "bhxh-declarations/1", "declarations": [...]} object. */
JsonNode     *bhxh_demo_build_declarations  (BhxhDemo         *demo);
/* (element-type BhxhDemoPayload) (transfer none), one per declaration. */
GPtrArray    *bhxh_demo_get_payloads        (BhxhDemo         *demo);
gboolean      bhxh_demo_write_payloads      (BhxhDemo         *demo,
                                             const char       *path,
                                             GError          **error);
/* (element-type BhxhOffice) (transfer full): the demo office tree. */
GPtrArray    *bhxh_demo_build_offices       (void);

/* Fills an open (normally new, empty) store: offices, mirror (through the
 * real CSV import), declarations (through the JSON import) and users. On a
 * store that already holds the demo it lays the demo over it again: the
 * mirror is replaced, open declarations reset, local decisions kept. */
gboolean      bhxh_demo_populate            (BhxhDemo         *demo,
                                             BhxhStore        *store,
                                             BhxhDemoSummary  *summary,
                                             GCancellable     *cancellable,
                                             GError          **error);
/* Convenience for the application: the default seed; today NULL means
 * bhxh_clock_today (); n_persons 0 means BHXH_DEMO_DEFAULT_PERSONS. */
gboolean      bhxh_demo_create              (BhxhStore        *store,
                                             const BhxhDate   *today,
                                             guint             n_persons,
                                             GError          **error);

const char   *bhxh_demo_case_to_string      (BhxhDemoCase      demo_case);
const char   *bhxh_demo_case_describe       (BhxhDemoCase      demo_case);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhDemo, bhxh_demo_free)

G_END_DECLS
