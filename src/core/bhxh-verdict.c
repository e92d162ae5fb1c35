/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "bhxh-error.h"
#include "bhxh-json.h"
#include "bhxh-text.h"
#include "bhxh-verdict.h"

G_DEFINE_BOXED_TYPE (BhxhCheck, bhxh_check, bhxh_check_copy, bhxh_check_free)

/* Days left at which the clerk is told a declaration is about to expire. */
#define EXPIRES_SOON_DAYS 2

static void
reason_free (gpointer data)
{
  BhxhReason *reason = data;

  g_free (reason->code);
  g_free (reason->message);
  g_free (reason);
}

static void
field_free (gpointer data)
{
  BhxhFieldCheck *field = data;

  g_free (field->declared);
  g_free (field->document);
  g_free (field->mirror);
  g_free (field);
}

static BhxhCheck *
check_new (void)
{
  BhxhCheck *self = g_new0 (BhxhCheck, 1);

  self->fields = g_ptr_array_new_with_free_func (field_free);
  self->reasons = g_ptr_array_new_with_free_func (reason_free);
  return self;
}

void
bhxh_check_free (BhxhCheck *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->fields);
  g_ptr_array_unref (self->reasons);
  g_free (self);
}

BhxhCheck *
bhxh_check_copy (const BhxhCheck *self)
{
  BhxhCheck *copy = check_new ();

  copy->verdict = self->verdict;
  for (guint i = 0; i < self->fields->len; i++)
    {
      const BhxhFieldCheck *f = g_ptr_array_index (self->fields, i);
      BhxhFieldCheck *c = g_memdup2 (f, sizeof *f);

      c->declared = g_strdup (f->declared);
      c->document = g_strdup (f->document);
      c->mirror = g_strdup (f->mirror);
      g_ptr_array_add (copy->fields, c);
    }
  for (guint i = 0; i < self->reasons->len; i++)
    {
      const BhxhReason *r = g_ptr_array_index (self->reasons, i);
      BhxhReason *c = g_new0 (BhxhReason, 1);

      c->code = g_strdup (r->code);
      c->severity = r->severity;
      c->message = g_strdup (r->message);
      g_ptr_array_add (copy->reasons, c);
    }
  return copy;
}

static void
add_reason (BhxhCheck    *self,
            const char   *code,
            BhxhSeverity  severity,
            const char   *message)
{
  BhxhReason *reason = g_new0 (BhxhReason, 1);

  reason->code = g_strdup (code);
  reason->severity = severity;
  reason->message = g_strdup (message);
  g_ptr_array_add (self->reasons, reason);
}

gboolean
bhxh_check_has_reason (const BhxhCheck *self,
                       const char      *code)
{
  for (guint i = 0; i < self->reasons->len; i++)
    if (g_str_equal (((BhxhReason *) g_ptr_array_index (self->reasons, i))->code, code))
      return TRUE;
  return FALSE;
}

typedef BhxhLevel (*CompareFunc) (const char *a, const char *b);

/* The worst level among the pairs of sources that both have a value. */
static BhxhLevel
three_way (const char  *declared,
           const char  *document,
           const char  *mirror,
           CompareFunc  compare)
{
  const char *values[] = { declared, document, mirror };
  BhxhLevel level = BHXH_LEVEL_MATCH;
  guint present = 0;

  for (guint i = 0; i < 3; i++)
    {
      if (values[i] == NULL || *values[i] == '\0')
        continue;
      present++;
      for (guint j = i + 1; j < 3; j++)
        if (values[j] != NULL && *values[j] != '\0')
          level = bhxh_level_worst (level, compare (values[i], values[j]));
    }

  return present < 2 ? BHXH_LEVEL_MISSING : level;
}

static BhxhLevel
compare_iso_dates (const char *a,
                   const char *b)
{
  BhxhDate da, db;

  if (!bhxh_date_parse (a, &da, NULL) || !bhxh_date_parse (b, &db, NULL))
    return BHXH_LEVEL_MISMATCH;
  return bhxh_compare_dates (&da, &db);
}

static BhxhLevel
compare_equal (const char *a,
               const char *b)
{
  return g_str_equal (a, b) ? BHXH_LEVEL_MATCH : BHXH_LEVEL_MISMATCH;
}

static BhxhFieldCheck *
add_field (BhxhCheck   *self,
           const char  *field,
           char        *declared,
           char        *document,
           char        *mirror,
           CompareFunc  compare,
           gboolean     advisory)
{
  BhxhFieldCheck *check = g_new0 (BhxhFieldCheck, 1);

  check->field = field;
  check->declared = declared;
  check->document = document;
  check->mirror = mirror;
  check->level = three_way (declared, document, mirror, compare);
  check->advisory = advisory;
  g_ptr_array_add (self->fields, check);
  return check;
}

/* The person's code in the form of @declared: the 12-digit ID number for
 * a 12-digit code, else their 10-digit code (key or former); the
 * registry's key when nothing was declared. */
static const char *
person_code_like (const BhxhPerson *p,
                  const char       *declared)
{
  if (declared == NULL)
    return p->bhxh_code;
  if (bhxh_id_number_is_valid (declared))
    return p->id_number != NULL ? p->id_number : p->bhxh_code;
  if (!bhxh_code_is_legacy (p->bhxh_code) && p->legacy_bhxh_code != NULL)
    return p->legacy_bhxh_code;
  return p->bhxh_code;
}

/* The mã số BHXH: the declared one is the person's when it is any of the
 * registry's codes for them (bhxh_compare_code()). */
static void
add_code_field (BhxhCheck             *self,
                const BhxhDeclaration *d,
                const BhxhPerson      *p)
{
  BhxhFieldCheck *check = g_new0 (BhxhFieldCheck, 1);
  g_auto(GStrv) codes = p != NULL ? bhxh_person_dup_codes (p) : NULL;
  const char *matched = NULL;

  check->field = "bhxh_code";
  check->declared = g_strdup (d->bhxh_code);
  check->level = bhxh_compare_code (d->bhxh_code, (const char * const *) codes, &matched);
  if (p != NULL)
    check->mirror = g_strdup (check->level <= BHXH_LEVEL_EQUIVALENT
                              ? matched : person_code_like (p, d->bhxh_code));
  g_ptr_array_add (self->fields, check);
}

/* The parent on the document whose name is closest to @guardian. */
static const char *
closest_parent (const BhxhDocument *doc,
                const char         *guardian)
{
  if (doc == NULL || (doc->father_name == NULL && doc->mother_name == NULL))
    return NULL;
  if (doc->mother_name == NULL)
    return doc->father_name;
  if (doc->father_name == NULL)
    return doc->mother_name;
  return bhxh_compare_name (guardian, doc->mother_name)
         < bhxh_compare_name (guardian, doc->father_name) ? doc->mother_name
                                                          : doc->father_name;
}

/* A child's guardian by name: as declared, the parent the child's card
 * (2024 layout) or birth certificate names, and the registry's. */
static void
add_guardian_name_field (BhxhCheck            *self,
                         const BhxhCheckInput *in)
{
  const BhxhDeclaration *d = in->declaration;
  const char *registry = in->guardian != NULL ? in->guardian->full_name : NULL;
  const char *parent = closest_parent (in->document,
                                       d->guardian_name != NULL ? d->guardian_name : registry);

  add_field (self, "guardian_name", g_strdup (d->guardian_name), g_strdup (parent),
             g_strdup (registry), bhxh_compare_name, FALSE);
}

static void
compare_fields (BhxhCheck            *self,
                const BhxhCheckInput *in)
{
  const BhxhDeclaration *d = in->declaration;
  const BhxhDocument *doc = in->document;
  const BhxhPerson *p = in->person;

  add_field (self, "full_name", g_strdup (d->full_name),
             doc ? g_strdup (doc->full_name) : NULL,
             p ? g_strdup (p->full_name) : NULL, bhxh_compare_name, FALSE);
  add_field (self, "id_number", g_strdup (d->id_number),
             doc ? g_strdup (doc->id_number) : NULL,
             p ? g_strdup (p->id_number) : NULL, bhxh_compare_exact, FALSE);
  add_field (self, "birth_date", bhxh_date_to_iso (&d->birth_date),
             doc ? bhxh_date_to_iso (&doc->birth_date) : NULL,
             p ? bhxh_date_to_iso (&p->birth_date) : NULL, compare_iso_dates, FALSE);
  add_field (self, "sex", g_strdup (bhxh_sex_to_string (d->sex)),
             doc ? g_strdup (bhxh_sex_to_string (doc->sex)) : NULL,
             p ? g_strdup (bhxh_sex_to_string (p->sex)) : NULL, compare_equal, FALSE);
  add_code_field (self, d, p);
  add_field (self, "address", g_strdup (d->address),
             doc ? g_strdup (doc->address) : NULL,
             p ? g_strdup (p->address) : NULL, bhxh_compare_name, TRUE);
  if (d->guardian_bhxh_code != NULL || d->guardian_id_number != NULL || d->guardian_name != NULL)
    add_guardian_name_field (self, in);
}

static const BhxhFieldCheck *
lookup_field (const BhxhCheck *self,
              const char      *field)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      const BhxhFieldCheck *f = g_ptr_array_index (self->fields, i);

      if (g_str_equal (f->field, field))
        return f;
    }
  return NULL;
}

static const BhxhFieldCheck *
find_field (const BhxhCheck *self,
            const char      *field)
{
  const BhxhFieldCheck *f = lookup_field (self, field);

  g_return_val_if_fail (f != NULL, NULL);
  return f;
}

static void
judge_fields (BhxhCheck *self)
{
  static const struct
  {
    const char *field;
    const char *mismatch_code;
    const char *mismatch_message;
    const char *diacritics_code;
    const char *partial_code;
  } rules[] = {
    { "full_name", "name-mismatch",
      N_("The name differs between the declaration, the document and the registry."),
      "name-diacritics", NULL },
    { "id_number", "id-mismatch",
      N_("The ID number differs between the declaration, the document and the registry."),
      NULL, NULL },
    { "birth_date", "birth-date-mismatch",
      N_("The birth date differs between the declaration, the document and the registry."),
      NULL, "birth-date-partial" },
    { "sex", "sex-mismatch",
      N_("The sex differs between the declaration, the document and the registry."),
      NULL, NULL },
    { "bhxh_code", "bhxh-code-mismatch",
      N_("The declared BHXH code is not the one the registry holds for this ID number."),
      NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const BhxhFieldCheck *f = find_field (self, rules[i].field);

      if (f->level == BHXH_LEVEL_MISMATCH)
        add_reason (self, rules[i].mismatch_code, BHXH_SEVERITY_BLOCK,
                    _(rules[i].mismatch_message));
      else if (f->level == BHXH_LEVEL_DIACRITICS && rules[i].diacritics_code)
        add_reason (self, rules[i].diacritics_code, BHXH_SEVERITY_ATTENTION,
                    _("The name differs only in its diacritics (marks or đ). "
                      "Compare it letter by letter with the document."));
      else if (f->level == BHXH_LEVEL_PARTIAL && rules[i].partial_code)
        add_reason (self, rules[i].partial_code, BHXH_SEVERITY_ATTENTION,
                    _("The registry knows only the year or month of birth; the full "
                      "date falls within it. Check the document."));
    }

  if (find_field (self, "address")->level >= BHXH_LEVEL_DIACRITICS)
    add_reason (self, "address-differs", BHXH_SEVERITY_INFO,
                _("The address differs. This is advisory only: units were renamed "
                  "and merged in 2025."));
}

/* Both codes, when the declared one is not the form the registry keys
 * the person by (DOMAIN.md §7: show both when both are known). */
static void
judge_code (BhxhCheck            *self,
            const BhxhCheckInput *in)
{
  const BhxhDeclaration *d = in->declaration;
  const BhxhPerson *p = in->person;
  const char *former;
  g_autofree char *message = NULL;

  if (p == NULL || find_field (self, "bhxh_code")->level > BHXH_LEVEL_EQUIVALENT)
    return;
  former = bhxh_code_is_legacy (p->bhxh_code) ? p->bhxh_code : p->legacy_bhxh_code;
  if (bhxh_id_number_is_valid (d->bhxh_code) && former != NULL)
    {
      message = g_strdup_printf (_("The declared mã số BHXH is the person’s ID number, "
                                   "every citizen’s code since 1 July 2025; the registry "
                                   "also knows their former code %s."), former);
      add_reason (self, "bhxh-code-id-number", BHXH_SEVERITY_INFO, message);
    }
  else if (bhxh_code_is_legacy (d->bhxh_code) && bhxh_id_number_is_valid (p->bhxh_code))
    {
      message = g_strdup_printf (_("The declaration carries the former 10-digit code; the "
                                   "registry keys the person by their ID number %s, their "
                                   "mã số BHXH since 1 July 2025."), p->bhxh_code);
      add_reason (self, "bhxh-code-former", BHXH_SEVERITY_INFO, message);
    }
}

/* The card's chip (DOMAIN.md §8): signed data, so the strongest evidence
 * when its authentication holds, and proof of a forgery when it fails or
 * the QR printed on the card says otherwise. */
static void
judge_chip (BhxhCheck          *self,
            const BhxhDocument *doc)
{
  g_autoptr(GPtrArray) differ = bhxh_document_chip_disagreements (doc);
  g_autofree char *message = NULL;

  if (differ->len > 0)
    {
      g_autofree char *fields = NULL;

      g_ptr_array_add (differ, NULL);
      fields = g_strjoinv (", ", (char **) differ->pdata);
      message = g_strdup_printf (_("The card's QR differs from its chip (%s): the QR may be "
                                   "forged. Trust the chip, not the QR."), fields);
      add_reason (self, "chip-qr-mismatch", BHXH_SEVERITY_BLOCK, message);
      g_clear_pointer (&message, g_free);
    }
  /* A failed live authentication of the chip blocks whatever became of
   * its signature: a failure is never a claim to doubt (it only makes the
   * decision stricter), even where passive authentication could not run. */
  if (doc->chip.chip == BHXH_AUTH_INVALID && doc->chip.passive != BHXH_AUTH_INVALID)
    {
      if (g_strcmp0 (doc->chip.chip_method, "ca") == 0)
        add_reason (self, "chip-invalid", BHXH_SEVERITY_BLOCK,
                    _("Chip authentication failed: the chip does not hold the card’s key, "
                      "the card may be a copy."));
      else
        add_reason (self, "chip-invalid", BHXH_SEVERITY_BLOCK,
                    _("The chip failed its own authentication: the card may be cloned."));
      return;
    }
  switch (doc->chip.passive)
    {
    case BHXH_AUTH_VALID:
      message = g_strdup_printf (_("The chip's data is authenticated (signed by %s)."),
                                 doc->chip.signer != NULL ? doc->chip.signer : "?");
      add_reason (self, "chip-verified", BHXH_SEVERITY_INFO, message);
      break;
    case BHXH_AUTH_INVALID:
      message = g_strdup_printf (_("The chip's data failed authentication (%s): the card may "
                                   "be forged or altered."),
                                 doc->chip.reason != NULL ? doc->chip.reason : "?");
      add_reason (self, "chip-invalid", BHXH_SEVERITY_BLOCK, message);
      break;
    case BHXH_AUTH_UNTRUSTED:
      add_reason (self, "chip-untrusted", BHXH_SEVERITY_ATTENTION,
                  _("The chip is signed by an authority this office does not trust: its data "
                    "is not authenticated. Check the card as for a QR only."));
      break;
    case BHXH_AUTH_NOT_CHECKED:
    case BHXH_AUTH_ABSENT:
    default:
      add_reason (self, "chip-not-checked", BHXH_SEVERITY_ATTENTION,
                  _("The chip's signature was not checked (no CSCA certificates): its data "
                    "is not authenticated."));
      break;
    }
}

static void
judge_document (BhxhCheck            *self,
                const BhxhCheckInput *in)
{
  const BhxhDocument *doc = in->document;

  if (doc == NULL)
    {
      if (!bhxh_declaration_is_minor (in->declaration, &in->today))
        add_reason (self, "no-document", BHXH_SEVERITY_ATTENTION,
                    _("No ID document has been scanned yet."));
      return;
    }

  for (BhxhIdWarnings w = 1; w <= BHXH_ID_WARNING_LAST; w <<= 1)
    if (doc->warnings & w)
      add_reason (self, bhxh_id_warning_code (w), BHXH_SEVERITY_ATTENTION,
                  bhxh_id_warning_describe (w));
  if (doc->kind == BHXH_DOCUMENT_ID_CARD_OTHER)
    add_reason (self, "document-raw", BHXH_SEVERITY_ATTENTION,
                _("The card's code is not in the known layout: only its ID number "
                  "was read. Check name and birth date on the card itself."));
  else if (doc->kind == BHXH_DOCUMENT_POST_COPY)
    add_reason (self, "post-copy", BHXH_SEVERITY_ATTENTION,
                _("Handed in by post: only the ID number typed from the copy received "
                  "was checked. Compare name and birth date with the copy itself."));
  else if (doc->kind == BHXH_DOCUMENT_CCCD_CHIP)
    judge_chip (self, doc);
}

static void
judge_person (BhxhCheck            *self,
              const BhxhCheckInput *in)
{
  const BhxhDeclaration *d = in->declaration;

  if (in->person == NULL)
    {
      add_reason (self, "not-in-registry", BHXH_SEVERITY_BLOCK,
                  _("Neither this BHXH code nor this ID number is in the registry mirror. "
                    "The person may be managed by BHXH Bộ Quốc phòng (armed forces): "
                    "search the household database and switch the code before deciding."));
      return;
    }

  if (d->kind == BHXH_KIND_REGISTER && in->person_has_account)
    add_reason (self, "already-registered", BHXH_SEVERITY_BLOCK,
                _("This person already has an active e-transaction account. "
                  "A change needs an adjust declaration instead."));
  else if (d->kind != BHXH_KIND_REGISTER && !in->person_has_account)
    add_reason (self, "no-account", BHXH_SEVERITY_BLOCK,
                _("This person has no active e-transaction account to adjust or stop."));
}

/* The parents a child's document names (a 2024 card's fields 10 and 11, or
 * the birth certificate) against the guardian of the declaration. */
static BhxhLevel
best_present (BhxhLevel a,
              BhxhLevel b)
{
  if (a == BHXH_LEVEL_MISSING)
    return b;
  if (b == BHXH_LEVEL_MISSING)
    return a;
  return MIN (a, b);
}

static void
judge_guardian_name (BhxhCheck *self)
{
  const BhxhFieldCheck *f = lookup_field (self, "guardian_name");
  BhxhLevel parent = BHXH_LEVEL_MISSING;
  BhxhLevel registry;

  if (f == NULL)
    return;
  /* Either name of the guardian is theirs: the closer one counts. */
  if (f->document != NULL)
    parent = best_present (bhxh_compare_name (f->declared, f->document),
                           bhxh_compare_name (f->mirror, f->document));
  if (parent == BHXH_LEVEL_MISMATCH)
    add_reason (self, "guardian-not-parent", BHXH_SEVERITY_ATTENTION,
                _("The guardian is neither the father nor the mother the child’s document "
                  "names. Check the papers that make them the child’s guardian."));
  else if (parent == BHXH_LEVEL_DIACRITICS)
    add_reason (self, "guardian-name-diacritics", BHXH_SEVERITY_ATTENTION,
                _("The guardian’s name differs from the parent’s on the child’s document "
                  "only in its diacritics. Compare it letter by letter."));
  registry = bhxh_compare_name (f->declared, f->mirror);
  if (registry == BHXH_LEVEL_DIACRITICS || registry == BHXH_LEVEL_MISMATCH)
    add_reason (self, "guardian-name-mismatch", BHXH_SEVERITY_ATTENTION,
                _("The guardian’s name in the declaration is not the one the registry "
                  "holds for the guardian’s code."));
}

static void
judge_minor (BhxhCheck            *self,
             const BhxhCheckInput *in)
{
  const BhxhDeclaration *d = in->declaration;
  gboolean has_id_card = in->document && in->document->kind != BHXH_DOCUMENT_BIRTH_CERTIFICATE;

  if (!bhxh_declaration_is_minor (d, &in->today))
    return;

  if (d->guardian_bhxh_code == NULL && d->guardian_id_number == NULL)
    {
      if (!has_id_card)
        add_reason (self, "no-guardian", BHXH_SEVERITY_BLOCK,
                    _("The person is under 18 and has no ID card: the declaration must "
                      "name a parent or guardian."));
      return;
    }

  add_reason (self, "minor", BHXH_SEVERITY_INFO,
              _("Under 18: approve online against the birth certificate and the "
                "guardian's approved account; the child need not come in."));
  if (in->guardian == NULL)
    add_reason (self, "guardian-not-found", BHXH_SEVERITY_BLOCK,
                _("The parent or guardian named in the declaration is not in the registry mirror."));
  else if (d->guardian_id_number != NULL && in->guardian->id_number != NULL
           && bhxh_compare_exact (d->guardian_id_number, in->guardian->id_number)
              == BHXH_LEVEL_MISMATCH)
    add_reason (self, "guardian-mismatch", BHXH_SEVERITY_BLOCK,
                _("The guardian's ID number does not match the registry."));
  else if (!in->guardian_has_account)
    add_reason (self, "guardian-no-account", BHXH_SEVERITY_BLOCK,
                _("The parent or guardian has no approved e-transaction account yet: "
                  "their own declaration must be approved first."));
  judge_guardian_name (self);
}

static void
judge_declaration (BhxhCheck            *self,
                   const BhxhCheckInput *in)
{
  const BhxhDeclaration *d = in->declaration;
  int days_left;

  if (d->status != BHXH_STATUS_PENDING && d->status != BHXH_STATUS_ESCALATED)
    {
      add_reason (self, "not-open", BHXH_SEVERITY_BLOCK,
                  _("This declaration is no longer open: it was decided or cancelled."));
      return;
    }

  days_left = bhxh_declaration_days_left (d, &in->today);
  if (days_left < 0)
    add_reason (self, "expired", BHXH_SEVERITY_BLOCK,
                _("More than 10 days have passed since the declaration was confirmed: "
                  "it is cancelled and the person must declare again."));
  else if (days_left <= EXPIRES_SOON_DAYS)
    add_reason (self, "expires-soon", BHXH_SEVERITY_INFO,
                _("The declaration expires within two days."));

  if (in->other_open_declarations > 0)
    add_reason (self, "duplicate", BHXH_SEVERITY_ATTENTION,
                _("The same person has another open declaration. Decide which one stands "
                  "and reject the other as a duplicate."));
}

/**
 * bhxh_check_run:
 * @input: the declaration, what was scanned, the mirror's data
 *
 * Compares declaration, document and mirror field by field and applies
 * the rules of DOMAIN.md: the verdict is blocked if any reason blocks,
 * needs-attention if any asks for attention, else can-approve.
 *
 * Returns: (transfer full): the fields, the reasons and the verdict
 */
BhxhCheck *
bhxh_check_run (const BhxhCheckInput *input)
{
  BhxhCheck *self;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (input->declaration != NULL, NULL);

  self = check_new ();
  compare_fields (self, input);
  judge_declaration (self, input);
  judge_person (self, input);
  judge_fields (self);
  judge_code (self, input);
  judge_document (self, input);
  judge_minor (self, input);

  self->verdict = BHXH_VERDICT_CAN_APPROVE;
  for (guint i = 0; i < self->reasons->len; i++)
    {
      const BhxhReason *r = g_ptr_array_index (self->reasons, i);

      if (r->severity == BHXH_SEVERITY_BLOCK)
        self->verdict = BHXH_VERDICT_BLOCKED;
      else if (r->severity == BHXH_SEVERITY_ATTENTION && self->verdict != BHXH_VERDICT_BLOCKED)
        self->verdict = BHXH_VERDICT_NEEDS_ATTENTION;
    }

  return self;
}

const char *
bhxh_verdict_to_string (BhxhVerdict verdict)
{
  switch (verdict)
    {
    case BHXH_VERDICT_CAN_APPROVE:     return "can-approve";
    case BHXH_VERDICT_NEEDS_ATTENTION: return "needs-attention";
    case BHXH_VERDICT_BLOCKED:         return "blocked";
    default:                           g_return_val_if_reached ("blocked");
    }
}

const char *
bhxh_verdict_to_display (BhxhVerdict verdict)
{
  switch (verdict)
    {
    case BHXH_VERDICT_CAN_APPROVE:     return _("Can be approved");
    case BHXH_VERDICT_NEEDS_ATTENTION: return _("Needs attention");
    case BHXH_VERDICT_BLOCKED:         return _("Blocked");
    default:                           g_return_val_if_reached ("");
    }
}

const char *
bhxh_severity_to_string (BhxhSeverity severity)
{
  switch (severity)
    {
    case BHXH_SEVERITY_INFO:      return "info";
    case BHXH_SEVERITY_ATTENTION: return "attention";
    case BHXH_SEVERITY_BLOCK:     return "block";
    default:                      g_return_val_if_reached ("block");
    }
}

/**
 * bhxh_check_to_json:
 * @self: a check
 *
 * Returns: (transfer full): `{"fields": [{field, declared, document,
 *   mirror, level, advisory}], "verdict": …, "reasons": [{code,
 *   severity, message}]}`
 */
JsonNode *
bhxh_check_to_json (const BhxhCheck *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->fields->len; i++)
    {
      const BhxhFieldCheck *f = g_ptr_array_index (self->fields, i);

      json_builder_begin_object (b);
      bhxh_json_add_string (b, "field", f->field);
      bhxh_json_add_string (b, "declared", f->declared);
      bhxh_json_add_string (b, "document", f->document);
      bhxh_json_add_string (b, "mirror", f->mirror);
      bhxh_json_add_string (b, "level", bhxh_level_to_string (f->level));
      json_builder_set_member_name (b, "advisory");
      json_builder_add_boolean_value (b, f->advisory);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  bhxh_json_add_string (b, "verdict", bhxh_verdict_to_string (self->verdict));
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->reasons->len; i++)
    {
      const BhxhReason *r = g_ptr_array_index (self->reasons, i);

      json_builder_begin_object (b);
      bhxh_json_add_string (b, "code", r->code);
      bhxh_json_add_string (b, "severity", bhxh_severity_to_string (r->severity));
      bhxh_json_add_string (b, "message", r->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static gboolean
parse_enum (const char   *text,
            const char *(*to_string) (int),
            int           n_values,
            int          *out)
{
  for (int i = 0; text != NULL && i < n_values; i++)
    if (g_str_equal (text, to_string (i)))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static gpointer
bad_check (GError **error)
{
  g_set_error_literal (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                       _("The check is not in the expected form"));
  return NULL;
}

/**
 * bhxh_check_from_json:
 * @object: what bhxh_check_to_json() made
 *
 * The inverse of bhxh_check_to_json(), for a client of bhxh-deskd.
 *
 * Returns: (transfer full): the check, or %NULL with @error set
 */
BhxhCheck *
bhxh_check_from_json (JsonObject  *object,
                      GError     **error)
{
  g_autoptr(BhxhCheck) check = check_new ();
  JsonArray *fields, *reasons;
  int value;

  fields = bhxh_json_get_array (object, "fields");
  reasons = bhxh_json_get_array (object, "reasons");
  if (fields == NULL || reasons == NULL ||
      !parse_enum (json_object_get_string_member_with_default (object, "verdict", NULL),
                   (const char *(*) (int)) bhxh_verdict_to_string,
                   BHXH_VERDICT_BLOCKED + 1, &value))
    return bad_check (error);
  check->verdict = value;
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      BhxhFieldCheck *c;

      if (f == NULL || json_object_get_string_member_with_default (f, "field", NULL) == NULL ||
          !parse_enum (json_object_get_string_member_with_default (f, "level", NULL),
                       (const char *(*) (int)) bhxh_level_to_string,
                       BHXH_LEVEL_MISMATCH + 1, &value))
        return bad_check (error);
      c = g_new0 (BhxhFieldCheck, 1);
      c->field = g_intern_string (json_object_get_string_member (f, "field"));
      c->declared = g_strdup (json_object_get_string_member_with_default (f, "declared", NULL));
      c->document = g_strdup (json_object_get_string_member_with_default (f, "document", NULL));
      c->mirror = g_strdup (json_object_get_string_member_with_default (f, "mirror", NULL));
      c->level = value;
      c->advisory = json_object_get_boolean_member_with_default (f, "advisory", FALSE);
      g_ptr_array_add (check->fields, c);
    }
  for (guint i = 0; i < json_array_get_length (reasons); i++)
    {
      JsonObject *r = json_array_get_object_element (reasons, i);
      BhxhReason *c;

      if (r == NULL || json_object_get_string_member_with_default (r, "code", NULL) == NULL ||
          !parse_enum (json_object_get_string_member_with_default (r, "severity", NULL),
                       (const char *(*) (int)) bhxh_severity_to_string,
                       BHXH_SEVERITY_BLOCK + 1, &value))
        return bad_check (error);
      c = g_new0 (BhxhReason, 1);
      c->code = g_strdup (json_object_get_string_member (r, "code"));
      c->severity = value;
      c->message = g_strdup (json_object_get_string_member_with_default (r, "message", ""));
      g_ptr_array_add (check->reasons, c);
    }
  return g_steal_pointer (&check);
}
