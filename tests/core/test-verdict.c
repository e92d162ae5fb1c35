/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-decision.h"
#include "core/bhxh-error.h"
#include "core/bhxh-verdict.h"

#define AN "001090012345|123456789|Nguyễn Văn An|15031990|Nam|Số 12 Thái Hà, Hà Nội|20042021"

typedef struct
{
  BhxhDeclaration *declaration;
  BhxhPerson      *person;
  BhxhPerson      *guardian;
  BhxhDocument    *document;
  BhxhCheckInput   input;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+07:00");
  BhxhDeclaration *d = bhxh_declaration_new ();
  BhxhPerson *p = bhxh_person_new ();

  d->id = g_strdup ("TK-1");
  d->kind = BHXH_KIND_REGISTER;
  d->submitted_at = g_date_time_new (tz, 2026, 11, 20, 8, 0, 0);
  d->confirmed_at = g_date_time_new (tz, 2026, 11, 20, 8, 5, 0);
  d->full_name = g_strdup ("Nguyễn Văn An");
  d->bhxh_code = g_strdup ("0112345678");
  d->id_number = g_strdup ("001090012345");
  d->birth_date = (BhxhDate) { 1990, 3, 15 };
  d->sex = BHXH_SEX_MALE;
  d->address = g_strdup ("Số 12 Thái Hà, Hà Nội");

  p->bhxh_code = g_strdup ("0112345678");
  p->id_number = g_strdup ("001090012345");
  p->full_name = g_strdup ("Nguyễn Văn An");
  p->birth_date = (BhxhDate) { 1990, 3, 15 };
  p->sex = BHXH_SEX_MALE;
  p->address = g_strdup ("Số 12 Thái Hà, Hà Nội");

  f->declaration = d;
  f->person = p;
  f->document = bhxh_document_parse_cccd (AN, -1, NULL);
  f->input.declaration = d;
  f->input.person = p;
  f->input.document = f->document;
  f->input.today = (BhxhDate) { 2026, 11, 23 };
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  bhxh_declaration_free (f->declaration);
  bhxh_person_free (f->person);
  bhxh_person_free (f->guardian);
  bhxh_document_free (f->document);
}

static BhxhCheck *
run (Fixture     *f,
     BhxhVerdict  expected)
{
  BhxhCheck *check = bhxh_check_run (&f->input);

  if (check->verdict != expected)
    {
      g_autoptr(JsonNode) node = bhxh_check_to_json (check);
      g_autofree char *text = json_to_string (node, TRUE);

      g_error ("verdict %s, expected %s:\n%s", bhxh_verdict_to_string (check->verdict),
               bhxh_verdict_to_string (expected), text);
    }
  return check;
}

static BhxhLevel
field_level (BhxhCheck  *check,
             const char *name)
{
  for (guint i = 0; i < check->fields->len; i++)
    {
      BhxhFieldCheck *field = g_ptr_array_index (check->fields, i);

      if (g_str_equal (field->field, name))
        return field->level;
    }
  g_assert_not_reached ();
}

static void
test_clean (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = run (f, BHXH_VERDICT_CAN_APPROVE);

  g_assert_cmpint (field_level (check, "full_name"), ==, BHXH_LEVEL_MATCH);
  g_assert_cmpint (field_level (check, "bhxh_code"), ==, BHXH_LEVEL_MATCH);
  g_assert_cmpuint (check->reasons->len, ==, 0);
}

static void
test_case_difference (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = NULL;

  g_free (f->declaration->full_name);
  f->declaration->full_name = g_strdup ("NGUYỄN VĂN AN");
  check = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpint (field_level (check, "full_name"), ==, BHXH_LEVEL_EQUIVALENT);
}

static void
test_diacritics (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = NULL;

  g_free (f->declaration->full_name);
  f->declaration->full_name = g_strdup ("Nguyen Van An");
  check = run (f, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_cmpint (field_level (check, "full_name"), ==, BHXH_LEVEL_DIACRITICS);
  g_assert_true (bhxh_check_has_reason (check, "name-diacritics"));
}

static void
test_birth_mismatch_and_partial (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) blocked = NULL;
  g_autoptr(BhxhCheck) partial = NULL;

  f->person->birth_date = (BhxhDate) { 1990, 0, 0 };
  partial = run (f, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_true (bhxh_check_has_reason (partial, "birth-date-partial"));

  f->declaration->birth_date = (BhxhDate) { 1991, 3, 15 };
  blocked = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (blocked, "birth-date-mismatch"));
}

static void
test_id_warnings (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = NULL;

  f->document->warnings = BHXH_ID_WARNING_SEX_MISMATCH;
  check = run (f, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_true (bhxh_check_has_reason (check, "id-sex-mismatch"));
}

static void
test_expired (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = NULL;

  f->input.today = (BhxhDate) { 2026, 12, 1 };
  check = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (check, "expired"));
}

static void
test_not_in_registry (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = NULL;

  f->input.person = NULL;
  check = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (check, "not-in-registry"));
  g_assert_cmpint (field_level (check, "bhxh_code"), ==, BHXH_LEVEL_MISSING);
}

static void
test_minor (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) no_account = NULL;
  g_autoptr(BhxhCheck) ok = NULL;
  g_autoptr(BhxhCheck) no_guardian = NULL;

  f->declaration->birth_date = (BhxhDate) { 2015, 6, 1 };
  f->person->birth_date = (BhxhDate) { 2015, 6, 1 };
  g_clear_pointer (&f->person->id_number, g_free);
  g_clear_pointer (&f->declaration->id_number, g_free);
  f->input.document = NULL;

  no_guardian = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (no_guardian, "no-guardian"));

  f->declaration->guardian_bhxh_code = g_strdup ("0100000001");
  f->declaration->guardian_id_number = g_strdup ("001085000001");
  f->guardian = bhxh_person_new ();
  f->guardian->bhxh_code = g_strdup ("0100000001");
  f->guardian->id_number = g_strdup ("001085000001");
  f->input.guardian = f->guardian;
  no_account = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (no_account, "guardian-no-account"));

  f->input.guardian_has_account = TRUE;
  ok = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_true (bhxh_check_has_reason (ok, "minor"));
}

static const char *
field_value (BhxhCheck  *check,
             const char *name,
             const char *source)
{
  for (guint i = 0; i < check->fields->len; i++)
    {
      BhxhFieldCheck *field = g_ptr_array_index (check->fields, i);

      if (g_str_equal (field->field, name))
        return g_str_equal (source, "declared") ? field->declared
               : g_str_equal (source, "document") ? field->document : field->mirror;
    }
  g_assert_not_reached ();
}

/* Since 1 July 2025 the ID number is the mã số BHXH: declared where the
 * 10-digit code used to be, it is the person's, not a mismatch. */
static void
test_code_is_id_number (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = NULL;
  g_autoptr(BhxhCheck) other = NULL;
  g_autoptr(BhxhCheck) legacy_only = NULL;

  g_free (f->declaration->bhxh_code);
  f->declaration->bhxh_code = g_strdup ("001090012345");
  check = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpint (field_level (check, "bhxh_code"), ==, BHXH_LEVEL_MATCH);
  g_assert_cmpstr (field_value (check, "bhxh_code", "mirror"), ==, "001090012345");
  /* Both codes shown: the former one in an information. */
  g_assert_true (bhxh_check_has_reason (check, "bhxh-code-id-number"));
  g_assert_nonnull (strstr (((BhxhReason *) g_ptr_array_index (check->reasons, 0))->message,
                            "0112345678"));

  /* Someone else's ID number as the code is a mismatch. */
  g_free (f->declaration->bhxh_code);
  f->declaration->bhxh_code = g_strdup ("001090099999");
  other = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_cmpint (field_level (other, "bhxh_code"), ==, BHXH_LEVEL_MISMATCH);
  g_assert_true (bhxh_check_has_reason (other, "bhxh-code-mismatch"));

  /* Old data, old registry: nothing new to say. */
  g_free (f->declaration->bhxh_code);
  f->declaration->bhxh_code = g_strdup ("0112345678");
  legacy_only = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpuint (legacy_only->reasons->len, ==, 0);
  g_assert_cmpstr (field_value (legacy_only, "bhxh_code", "mirror"), ==, "0112345678");
}

/* A registry keyed by ID number still knows the former code: a pending
 * declaration with it is the person's. */
static void
test_code_former (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = NULL;
  g_autoptr(BhxhCheck) wrong = NULL;
  g_autoptr(BhxhCheck) none = NULL;

  f->person->legacy_bhxh_code = g_steal_pointer (&f->person->bhxh_code);
  f->person->bhxh_code = g_strdup ("001090012345");
  check = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpint (field_level (check, "bhxh_code"), ==, BHXH_LEVEL_MATCH);
  g_assert_cmpstr (field_value (check, "bhxh_code", "mirror"), ==, "0112345678");
  g_assert_true (bhxh_check_has_reason (check, "bhxh-code-former"));

  g_free (f->declaration->bhxh_code);
  f->declaration->bhxh_code = g_strdup ("0199999999");
  wrong = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_cmpstr (field_value (wrong, "bhxh_code", "mirror"), ==, "0112345678");
  g_assert_true (bhxh_check_has_reason (wrong, "bhxh-code-mismatch"));

  /* Nothing declared: the registry's key is shown. */
  g_clear_pointer (&f->declaration->bhxh_code, g_free);
  none = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpint (field_level (none, "bhxh_code"), ==, BHXH_LEVEL_MISSING);
  g_assert_cmpstr (field_value (none, "bhxh_code", "mirror"), ==, "001090012345");
}

#define TEEN_CARD "001209012345||Nguyễn Minh Khôi|15032009|Nam|Số 12 Thái Hà, Hà Nội|" \
                  "04102024|15032009||Nguyễn Văn Bình|Trần Thị Hoa"

/* The 2024 card of a child names the parents: the guardian of the
 * declaration is compared with them, with its own level and reason. */
static void
test_guardian_parents (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhDocument) card = bhxh_document_parse_cccd (TEEN_CARD, -1, NULL);
  g_autoptr(BhxhCheck) father = NULL;
  g_autoptr(BhxhCheck) mother = NULL;
  g_autoptr(BhxhCheck) stranger = NULL;
  g_autoptr(BhxhCheck) marks = NULL;
  g_autoptr(BhxhCheck) registry = NULL;
  g_autoptr(BhxhCheck) no_parents = NULL;

  g_assert_nonnull (card);
  g_free (f->declaration->full_name);
  f->declaration->full_name = g_strdup ("Nguyễn Minh Khôi");
  g_free (f->person->full_name);
  f->person->full_name = g_strdup ("Nguyễn Minh Khôi");
  g_free (f->declaration->id_number);
  f->declaration->id_number = g_strdup ("001209012345");
  g_free (f->person->id_number);
  f->person->id_number = g_strdup ("001209012345");
  f->declaration->birth_date = f->person->birth_date = (BhxhDate) { 2009, 3, 15 };
  f->input.document = card;
  f->declaration->guardian_bhxh_code = g_strdup ("0100000001");
  f->declaration->guardian_name = g_strdup ("Nguyễn Văn Bình");
  f->guardian = bhxh_person_new ();
  f->guardian->bhxh_code = g_strdup ("0100000001");
  f->guardian->full_name = g_strdup ("Nguyễn Văn Bình");
  f->input.guardian = f->guardian;
  f->input.guardian_has_account = TRUE;

  father = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpint (field_level (father, "guardian_name"), ==, BHXH_LEVEL_MATCH);
  g_assert_cmpstr (field_value (father, "guardian_name", "document"), ==, "Nguyễn Văn Bình");
  g_assert_true (bhxh_check_has_reason (father, "minor"));

  g_free (f->declaration->guardian_name);
  f->declaration->guardian_name = g_strdup ("trần thị hoa");
  g_free (f->guardian->full_name);
  f->guardian->full_name = g_strdup ("Trần Thị Hoa");
  mother = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpint (field_level (mother, "guardian_name"), ==, BHXH_LEVEL_EQUIVALENT);
  g_assert_cmpstr (field_value (mother, "guardian_name", "document"), ==, "Trần Thị Hoa");

  g_free (f->declaration->guardian_name);
  f->declaration->guardian_name = g_strdup ("Lê Văn Tám");
  g_free (f->guardian->full_name);
  f->guardian->full_name = g_strdup ("Lê Văn Tám");
  stranger = run (f, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_cmpint (field_level (stranger, "guardian_name"), ==, BHXH_LEVEL_MISMATCH);
  g_assert_true (bhxh_check_has_reason (stranger, "guardian-not-parent"));
  g_assert_false (bhxh_check_has_reason (stranger, "guardian-name-mismatch"));

  g_free (f->declaration->guardian_name);
  f->declaration->guardian_name = g_strdup ("Nguyen Van Binh");
  g_free (f->guardian->full_name);
  f->guardian->full_name = g_strdup ("Nguyen Van Binh");
  marks = run (f, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_cmpint (field_level (marks, "guardian_name"), ==, BHXH_LEVEL_DIACRITICS);
  g_assert_true (bhxh_check_has_reason (marks, "guardian-name-diacritics"));

  /* An older declaration names no guardian: the registry's name counts;
   * one that differs from the registry's is a reason of its own. */
  g_clear_pointer (&f->declaration->guardian_name, g_free);
  g_free (f->guardian->full_name);
  f->guardian->full_name = g_strdup ("Nguyễn Văn Bình");
  registry = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_cmpint (field_level (registry, "guardian_name"), ==, BHXH_LEVEL_MATCH);
  f->declaration->guardian_name = g_strdup ("Phạm Văn Bình");
  g_clear_pointer (&registry, bhxh_check_free);
  registry = run (f, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_true (bhxh_check_has_reason (registry, "guardian-name-mismatch"));
  g_assert_false (bhxh_check_has_reason (registry, "guardian-not-parent"));

  /* Nothing scanned (the child decided online): no parents to compare. */
  f->input.document = NULL;
  g_clear_pointer (&f->declaration->guardian_name, g_free);
  no_parents = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_null (field_value (no_parents, "guardian_name", "document"));
}

static void
test_kinds_and_duplicates (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) already = NULL;
  g_autoptr(BhxhCheck) adjust = NULL;
  g_autoptr(BhxhCheck) no_account = NULL;
  g_autoptr(BhxhCheck) duplicate = NULL;

  f->input.person_has_account = TRUE;
  already = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (already, "already-registered"));

  f->declaration->kind = BHXH_KIND_ADJUST;
  adjust = run (f, BHXH_VERDICT_CAN_APPROVE);

  f->declaration->kind = BHXH_KIND_STOP;
  f->input.person_has_account = FALSE;
  no_account = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (no_account, "no-account"));

  f->declaration->kind = BHXH_KIND_REGISTER;
  f->input.other_open_declarations = 1;
  duplicate = run (f, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_true (bhxh_check_has_reason (duplicate, "duplicate"));
}

static void
test_json (Fixture *f, gconstpointer data)
{
  g_autoptr(BhxhCheck) check = NULL;
  g_autoptr(BhxhCheck) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  JsonObject *first;

  g_free (f->person->address);
  f->person->address = g_strdup ("Phường Láng, Hà Nội");
  check = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_true (bhxh_check_has_reason (check, "address-differs"));
  copy = bhxh_check_copy (check);
  node = bhxh_check_to_json (copy);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "can-approve");
  first = json_array_get_object_element (json_object_get_array_member (o, "fields"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "field"), ==, "full_name");
  g_assert_cmpstr (json_object_get_string_member (first, "level"), ==, "match");
  g_assert_cmpstr (json_object_get_string_member (first, "document"), ==, "Nguyễn Văn An");
  g_assert_true (json_object_has_member (first, "advisory"));
}

/* The chip (DOMAIN.md §8): the QR scanned becomes the chip's companion, the
 * chip's data the document. */
static BhxhDocument *
chip_of (const BhxhDocument *qr,
         BhxhAuthResult      passive)
{
  BhxhDocument *chip = bhxh_document_copy (qr);

  chip->kind = BHXH_DOCUMENT_CCCD_CHIP;
  g_clear_pointer (&chip->raw, g_free);
  chip->expiry_date = (BhxhDate) { 2030, 3, 15 };
  chip->chip.passive = passive;
  chip->chip.chip = BHXH_AUTH_ABSENT;
  chip->chip.signer = g_strdup ("CN=Test Document Signer,C=VN");
  if (passive == BHXH_AUTH_INVALID)
    chip->chip.reason = g_strdup ("dg13-hash-mismatch");
  chip->qr = bhxh_document_copy (qr);
  return chip;
}

static void
test_chip (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(BhxhDocument) valid = chip_of (f->document, BHXH_AUTH_VALID);
  g_autoptr(BhxhDocument) invalid = chip_of (f->document, BHXH_AUTH_INVALID);
  g_autoptr(BhxhDocument) untrusted = chip_of (f->document, BHXH_AUTH_UNTRUSTED);
  g_autoptr(BhxhDocument) forged_qr = chip_of (f->document, BHXH_AUTH_VALID);
  g_autoptr(BhxhCheck) check = NULL;

  f->input.document = valid;
  check = run (f, BHXH_VERDICT_CAN_APPROVE);
  g_assert_true (bhxh_check_has_reason (check, "chip-verified"));
  g_assert_cmpint (bhxh_evidence_for_document (valid), ==, BHXH_EVIDENCE_CHIP_VERIFIED);
  g_clear_pointer (&check, bhxh_check_free);

  f->input.document = invalid;
  check = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (check, "chip-invalid"));
  g_assert_cmpint (bhxh_evidence_for_document (invalid), ==, BHXH_EVIDENCE_CARD_QR);
  g_clear_pointer (&check, bhxh_check_free);

  f->input.document = untrusted;
  check = run (f, BHXH_VERDICT_NEEDS_ATTENTION);
  g_assert_true (bhxh_check_has_reason (check, "chip-untrusted"));
  g_assert_cmpint (bhxh_evidence_for_document (untrusted), ==, BHXH_EVIDENCE_CARD_QR);
  g_clear_pointer (&check, bhxh_check_free);

  /* Signed data copied onto another chip: active authentication fails. */
  untrusted->chip.passive = BHXH_AUTH_VALID;
  untrusted->chip.chip = BHXH_AUTH_INVALID;
  f->input.document = untrusted;
  check = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (check, "chip-invalid"));
  g_assert_cmpint (bhxh_evidence_for_document (untrusted), ==, BHXH_EVIDENCE_CARD_QR);
  g_clear_pointer (&check, bhxh_check_free);

  /* The same, where the office has no CSCA certificates (the signature not
   * checked): a failure of the chip's live authentication still blocks —
   * a failure is never a claim to doubt. */
  untrusted->chip.passive = BHXH_AUTH_NOT_CHECKED;
  untrusted->chip.chip_method = "ca";
  check = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (check, "chip-invalid"));
  g_assert_false (bhxh_check_has_reason (check, "chip-not-checked"));
  g_clear_pointer (&check, bhxh_check_free);

  /* The QR printed with another birth date than the chip holds. */
  forged_qr->qr->birth_date = (BhxhDate) { 1990, 3, 16 };
  f->input.document = forged_qr;
  check = run (f, BHXH_VERDICT_BLOCKED);
  g_assert_true (bhxh_check_has_reason (check, "chip-qr-mismatch"));
  f->input.document = f->document;
}

/* A chip's JSON (what bhxh-deskctl chip read prints) reads back whole. */
static void
test_chip_json (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BhxhDocument) chip = chip_of (f->document, BHXH_AUTH_INVALID);
  g_autoptr(BhxhDocument) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *auth;

  chip->chip.bac_attempts = 2;
  chip->ethnicity = g_strdup ("Kinh");
  node = bhxh_document_to_json (chip);
  auth = json_object_get_object_member (json_node_get_object (node), "authentication");
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "invalid");
  g_assert_cmpstr (json_object_get_string_member (auth, "reason"), ==, "dg13-hash-mismatch");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "absent");
  g_assert_cmpint (json_object_get_int_member (auth, "bac_attempts"), ==, 2);
  back = bhxh_document_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->kind, ==, BHXH_DOCUMENT_CCCD_CHIP);
  g_assert_cmpint (back->chip.passive, ==, BHXH_AUTH_INVALID);
  g_assert_cmpstr (back->chip.reason, ==, "dg13-hash-mismatch");
  g_assert_cmpstr (back->ethnicity, ==, "Kinh");
  g_assert_cmpint (back->expiry_date.year, ==, 2030);
  g_assert_nonnull (back->qr);
  g_assert_cmpstr (back->qr->raw, ==, f->document->raw);

  /* A success is a claim: it reads back not checked, for the signed files
   * to be checked again (src/chip); the store's own record keeps it. */
  {
    g_autoptr(BhxhDocument) valid = chip_of (f->document, BHXH_AUTH_VALID);
    g_autoptr(JsonNode) valid_node = bhxh_document_to_json (valid);
    g_autoptr(BhxhDocument) claimed = NULL;
    g_autoptr(BhxhDocument) recorded = NULL;

    claimed = bhxh_document_from_json (json_node_get_object (valid_node), &error);
    g_assert_no_error (error);
    g_assert_cmpint (claimed->chip.passive, ==, BHXH_AUTH_NOT_CHECKED);
    g_assert_false (bhxh_document_is_chip_verified (claimed));
    recorded = bhxh_document_from_record (json_node_get_object (valid_node), &error);
    g_assert_no_error (error);
    g_assert_cmpint (recorded->chip.passive, ==, BHXH_AUTH_VALID);
    g_assert_true (bhxh_document_is_chip_verified (recorded));
  }

  /* Without its authentication, a chip document is refused. */
  json_object_remove_member (json_node_get_object (node), "authentication");
  g_clear_pointer (&back, bhxh_document_free);
  back = bhxh_document_from_json (json_node_get_object (node), &error);
  g_assert_null (back);
  g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bhxh_clock_pin_text ("2026-11-23", NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/verdict/clean", test_clean);
  ADD ("/verdict/chip", test_chip);
  ADD ("/verdict/chip-json", test_chip_json);
  ADD ("/verdict/case-difference", test_case_difference);
  ADD ("/verdict/diacritics", test_diacritics);
  ADD ("/verdict/birth-date", test_birth_mismatch_and_partial);
  ADD ("/verdict/id-warnings", test_id_warnings);
  ADD ("/verdict/expired", test_expired);
  ADD ("/verdict/not-in-registry", test_not_in_registry);
  ADD ("/verdict/minor", test_minor);
  ADD ("/verdict/kinds-duplicates", test_kinds_and_duplicates);
  ADD ("/verdict/code-is-id-number", test_code_is_id_number);
  ADD ("/verdict/code-former", test_code_former);
  ADD ("/verdict/guardian-parents", test_guardian_parents);
  ADD ("/verdict/json", test_json);
#undef ADD

  return g_test_run ();
}
