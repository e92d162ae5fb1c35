/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "bhxh-declaration.h"
#include "bhxh-error.h"
#include "bhxh-json.h"
#include "bhxh-text.h"

G_DEFINE_BOXED_TYPE (BhxhDeclaration, bhxh_declaration,
                     bhxh_declaration_copy, bhxh_declaration_free)
G_DEFINE_BOXED_TYPE (BhxhPerson, bhxh_person, bhxh_person_copy, bhxh_person_free)

static const char *kind_names[] = { "register", "adjust", "stop" };
static const char *status_names[] = {
  "pending", "approved", "rejected", "escalated", "cancelled",
};

const char *
bhxh_kind_to_string (BhxhDeclarationKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
bhxh_kind_parse (const char          *text,
                 BhxhDeclarationKind *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (text, kind_names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
bhxh_kind_to_display (BhxhDeclarationKind kind)
{
  switch (kind)
    {
    case BHXH_KIND_REGISTER: return _("Register");
    case BHXH_KIND_ADJUST:   return _("Adjust");
    case BHXH_KIND_STOP:     return _("Stop");
    default:                 g_return_val_if_reached ("");
    }
}

const char *
bhxh_status_to_string (BhxhDeclarationStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
bhxh_status_parse (const char            *text,
                   BhxhDeclarationStatus *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (text, status_names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
bhxh_status_to_display (BhxhDeclarationStatus status)
{
  switch (status)
    {
    case BHXH_STATUS_PENDING:   return _("Pending");
    case BHXH_STATUS_APPROVED:  return _("Approved");
    case BHXH_STATUS_REJECTED:  return _("Rejected");
    case BHXH_STATUS_ESCALATED: return _("Escalated");
    case BHXH_STATUS_CANCELLED: return _("Cancelled");
    default:                    g_return_val_if_reached ("");
    }
}

BhxhDeclaration *
bhxh_declaration_new (void)
{
  return g_new0 (BhxhDeclaration, 1);
}

static GDateTime *
ref_or_null (GDateTime *dt)
{
  return dt ? g_date_time_ref (dt) : NULL;
}

BhxhDeclaration *
bhxh_declaration_copy (const BhxhDeclaration *self)
{
  BhxhDeclaration *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->office_code = g_strdup (self->office_code);
  copy->submitted_at = ref_or_null (self->submitted_at);
  copy->confirmed_at = ref_or_null (self->confirmed_at);
  copy->full_name = g_strdup (self->full_name);
  copy->bhxh_code = g_strdup (self->bhxh_code);
  copy->id_number = g_strdup (self->id_number);
  copy->address = g_strdup (self->address);
  copy->province_code = g_strdup (self->province_code);
  copy->district_code = g_strdup (self->district_code);
  copy->commune_code = g_strdup (self->commune_code);
  copy->contact_person = g_strdup (self->contact_person);
  copy->email = g_strdup (self->email);
  copy->phone = g_strdup (self->phone);
  copy->cert_number = g_strdup (self->cert_number);
  copy->cert_issuer = g_strdup (self->cert_issuer);
  copy->channel = g_strdup (self->channel);
  copy->ivan_name = g_strdup (self->ivan_name);
  copy->stop_reason = g_strdup (self->stop_reason);
  copy->handin = g_strdup (self->handin);
  copy->guardian_bhxh_code = g_strdup (self->guardian_bhxh_code);
  copy->guardian_id_number = g_strdup (self->guardian_id_number);
  copy->guardian_name = g_strdup (self->guardian_name);
  copy->employer = g_strdup (self->employer);
  return copy;
}

void
bhxh_declaration_free (BhxhDeclaration *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->office_code);
  g_clear_pointer (&self->submitted_at, g_date_time_unref);
  g_clear_pointer (&self->confirmed_at, g_date_time_unref);
  g_free (self->full_name);
  g_free (self->bhxh_code);
  g_free (self->id_number);
  g_free (self->address);
  g_free (self->province_code);
  g_free (self->district_code);
  g_free (self->commune_code);
  g_free (self->contact_person);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->cert_number);
  g_free (self->cert_issuer);
  g_free (self->channel);
  g_free (self->ivan_name);
  g_free (self->stop_reason);
  g_free (self->handin);
  g_free (self->guardian_bhxh_code);
  g_free (self->guardian_id_number);
  g_free (self->guardian_name);
  g_free (self->employer);
  g_free (self);
}

static gboolean
get_strings (JsonObject   *object,
             const char   *keys[],
             char        **fields[],
             guint         n,
             GError      **error)
{
  for (guint i = 0; i < n; i++)
    {
      GError *local_error = NULL;

      *fields[i] = bhxh_json_dup_string (object, keys[i], &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_kind_and_status (BhxhDeclaration  *self,
                      JsonObject       *object,
                      GError          **error)
{
  g_autofree char *kind = NULL;
  g_autofree char *status = NULL;
  const char *keys[] = { "kind", "status" };
  char **fields[] = { &kind, &status };

  if (!get_strings (object, keys, fields, G_N_ELEMENTS (keys), error))
    return FALSE;
  if (!bhxh_kind_parse (kind, &self->kind))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                   _("“%s” is not a kind of declaration (register, adjust or stop)."),
                   kind ? kind : "");
      return FALSE;
    }
  if (!bhxh_status_parse (status ? status : "pending", &self->status))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                   _("“%s” is not a status of a declaration."), status);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_sub_object (JsonObject  *object,
                const char  *key,
                JsonObject **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                   _("“%s” must be an object or null."), key);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_nested (BhxhDeclaration  *self,
             JsonObject       *object,
             GError          **error)
{
  JsonObject *cert, *guardian;

  if (!get_sub_object (object, "certificate", &cert, error)
      || !get_sub_object (object, "guardian", &guardian, error))
    return FALSE;

  if (cert != NULL)
    {
      const char *keys[] = { "number", "issuer" };
      char **fields[] = { &self->cert_number, &self->cert_issuer };

      if (!get_strings (cert, keys, fields, G_N_ELEMENTS (keys), error)
          || !bhxh_json_get_date (cert, "valid_from", &self->cert_valid_from, error)
          || !bhxh_json_get_date (cert, "valid_to", &self->cert_valid_to, error))
        return FALSE;
    }
  if (guardian != NULL)
    {
      const char *keys[] = { "bhxh_code", "id_number", "full_name" };
      char **fields[] = { &self->guardian_bhxh_code, &self->guardian_id_number,
                          &self->guardian_name };

      if (!get_strings (guardian, keys, fields, G_N_ELEMENTS (keys), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_declaration (BhxhDeclaration  *self,
                  JsonObject       *object,
                  GError          **error)
{
  g_autofree char *sex = NULL;
  const char *keys[] = {
    "sex",
    "id", "office_code", "full_name", "bhxh_code", "id_number", "address",
    "province_code", "district_code", "commune_code", "contact_person", "email",
    "phone", "channel", "ivan_name", "stop_reason", "handin", "employer",
  };
  char **fields[] = {
    &sex,
    &self->id, &self->office_code, &self->full_name, &self->bhxh_code,
    &self->id_number, &self->address, &self->province_code, &self->district_code,
    &self->commune_code, &self->contact_person, &self->email, &self->phone,
    &self->channel, &self->ivan_name, &self->stop_reason, &self->handin, &self->employer,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (keys) == G_N_ELEMENTS (fields));

  if (!get_strings (object, keys, fields, G_N_ELEMENTS (keys), error)
      || !read_kind_and_status (self, object, error)
      || !bhxh_json_get_date_time (object, "submitted_at", &self->submitted_at, error)
      || !bhxh_json_get_date_time (object, "confirmed_at", &self->confirmed_at, error)
      || !bhxh_json_get_date (object, "birth_date", &self->birth_date, error)
      || !bhxh_json_get_date (object, "start_date", &self->start_date, error)
      || !read_nested (self, object, error))
    return FALSE;

  if (sex != NULL && !bhxh_sex_parse (sex, &self->sex))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_SEX,
                   _("“%s” is not a sex (expected male or female)."), sex);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_required (const BhxhDeclaration  *self,
                GError                **error)
{
  const char *missing = NULL;

  if (self->id == NULL)
    missing = "id";
  else if (self->full_name == NULL)
    missing = "full_name";
  else if (self->submitted_at == NULL)
    missing = "submitted_at";
  if (missing != NULL)
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                   _("The declaration has no “%s”."), missing);
      return FALSE;
    }
  if (self->bhxh_code != NULL && !bhxh_code_is_valid (self->bhxh_code))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_ID,
                   _("Declaration %s: the BHXH code “%s” is neither 10 digits nor a "
                     "12-digit ID number."),
                   self->id, self->bhxh_code);
      return FALSE;
    }
  return TRUE;
}

/**
 * bhxh_declaration_from_json:
 * @object: one declaration as the portal serves it (docs/formats.md)
 * @error: return location for a #BhxhCoreError naming the bad member
 *
 * Returns: (transfer full): the declaration, or %NULL with @error set
 */
BhxhDeclaration *
bhxh_declaration_from_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(BhxhDeclaration) self = bhxh_declaration_new ();

  g_return_val_if_fail (object != NULL, NULL);

  if (!read_declaration (self, object, error) || !check_required (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * bhxh_declaration_to_json:
 * @self: a declaration
 *
 * Returns: (transfer full): the declaration in the portal's format,
 *   which bhxh_declaration_from_json() reads back
 */
JsonNode *
bhxh_declaration_to_json (const BhxhDeclaration *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  bhxh_json_add_string (b, "id", self->id);
  bhxh_json_add_string (b, "kind", bhxh_kind_to_string (self->kind));
  bhxh_json_add_string (b, "status", bhxh_status_to_string (self->status));
  bhxh_json_add_string (b, "office_code", self->office_code);
  bhxh_json_add_date_time (b, "submitted_at", self->submitted_at);
  bhxh_json_add_date_time (b, "confirmed_at", self->confirmed_at);
  bhxh_json_add_string (b, "full_name", self->full_name);
  bhxh_json_add_string (b, "bhxh_code", self->bhxh_code);
  bhxh_json_add_string (b, "id_number", self->id_number);
  bhxh_json_add_date (b, "birth_date", &self->birth_date);
  bhxh_json_add_string (b, "sex", bhxh_sex_to_string (self->sex));
  bhxh_json_add_string (b, "address", self->address);
  bhxh_json_add_string (b, "province_code", self->province_code);
  bhxh_json_add_string (b, "district_code", self->district_code);
  bhxh_json_add_string (b, "commune_code", self->commune_code);
  bhxh_json_add_string (b, "contact_person", self->contact_person);
  bhxh_json_add_string (b, "email", self->email);
  bhxh_json_add_string (b, "phone", self->phone);
  json_builder_set_member_name (b, "certificate");
  if (self->cert_number != NULL)
    {
      json_builder_begin_object (b);
      bhxh_json_add_string (b, "number", self->cert_number);
      bhxh_json_add_string (b, "issuer", self->cert_issuer);
      bhxh_json_add_date (b, "valid_from", &self->cert_valid_from);
      bhxh_json_add_date (b, "valid_to", &self->cert_valid_to);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  bhxh_json_add_date (b, "start_date", &self->start_date);
  bhxh_json_add_string (b, "channel", self->channel);
  bhxh_json_add_string (b, "ivan_name", self->ivan_name);
  bhxh_json_add_string (b, "stop_reason", self->stop_reason);
  bhxh_json_add_string (b, "handin", self->handin);
  json_builder_set_member_name (b, "guardian");
  if (self->guardian_bhxh_code != NULL || self->guardian_id_number != NULL
      || self->guardian_name != NULL)
    {
      json_builder_begin_object (b);
      bhxh_json_add_string (b, "bhxh_code", self->guardian_bhxh_code);
      bhxh_json_add_string (b, "id_number", self->guardian_id_number);
      bhxh_json_add_string (b, "full_name", self->guardian_name);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  bhxh_json_add_string (b, "employer", self->employer);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/**
 * bhxh_declaration_days_left:
 * @self: a declaration
 * @today: today
 *
 * A confirmed declaration the person does not come in for within
 * %BHXH_DECLARATION_EXPIRY_DAYS days is cancelled. An unconfirmed one
 * counts from its submission.
 *
 * Returns: days left before it expires; 0 on its last day, negative once
 *   expired
 */
int
bhxh_declaration_days_left (const BhxhDeclaration *self,
                            const BhxhDate        *today)
{
  GDateTime *start;
  BhxhDate from;

  g_return_val_if_fail (self != NULL, 0);

  start = self->confirmed_at ? self->confirmed_at : self->submitted_at;
  if (start == NULL)
    return BHXH_DECLARATION_EXPIRY_DAYS;

  from = bhxh_date_from_gdate_time (start);
  return BHXH_DECLARATION_EXPIRY_DAYS - bhxh_date_days_between (&from, today);
}

/* Under 18 on @today; a partial birth date counts from its first day. */
gboolean
bhxh_declaration_is_minor (const BhxhDeclaration *self,
                           const BhxhDate        *today)
{
  int age;

  g_return_val_if_fail (self != NULL, FALSE);

  age = bhxh_date_age_on (&self->birth_date, today);
  return age >= 0 && age < BHXH_ADULT_AGE;
}

BhxhPerson *
bhxh_person_new (void)
{
  return g_new0 (BhxhPerson, 1);
}

BhxhPerson *
bhxh_person_copy (const BhxhPerson *self)
{
  BhxhPerson *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->bhxh_code = g_strdup (self->bhxh_code);
  copy->id_number = g_strdup (self->id_number);
  copy->old_id_number = g_strdup (self->old_id_number);
  copy->full_name = g_strdup (self->full_name);
  copy->address = g_strdup (self->address);
  copy->office_code = g_strdup (self->office_code);
  copy->account_status = g_strdup (self->account_status);
  copy->legacy_bhxh_code = g_strdup (self->legacy_bhxh_code);
  return copy;
}

void
bhxh_person_free (BhxhPerson *self)
{
  if (self == NULL)
    return;

  g_free (self->bhxh_code);
  g_free (self->id_number);
  g_free (self->old_id_number);
  g_free (self->full_name);
  g_free (self->address);
  g_free (self->office_code);
  g_free (self->account_status);
  g_free (self->legacy_bhxh_code);
  g_free (self);
}

gboolean
bhxh_person_has_active_account (const BhxhPerson *self)
{
  return self != NULL && g_strcmp0 (self->account_status, "active") == 0;
}

/**
 * bhxh_person_dup_codes:
 * @self: a registry person
 *
 * Every code the registry knows the person by, the 12-digit ID number
 * first — a Vietnamese citizen's mã số BHXH since 1 July 2025 (Law
 * 41/2024/QH15) — then the 10-digit code (the key of older registries, or
 * the former code of a person now keyed by the ID number).
 *
 * Returns: (transfer full): the codes, without duplicates; maybe empty
 */
GStrv
bhxh_person_dup_codes (const BhxhPerson *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *candidates[3];

  g_return_val_if_fail (self != NULL, NULL);

  candidates[0] = self->id_number;
  candidates[1] = self->bhxh_code;
  candidates[2] = self->legacy_bhxh_code;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      gboolean seen = FALSE;

      if (candidates[i] == NULL || *candidates[i] == '\0' ||
          !bhxh_code_is_valid (candidates[i]))
        continue;
      for (guint j = 0; j < i; j++)
        seen |= g_strcmp0 (candidates[i], candidates[j]) == 0;
      if (!seen)
        g_strv_builder_add (builder, candidates[i]);
    }
  return g_strv_builder_end (builder);
}

JsonNode *
bhxh_person_to_json (const BhxhPerson *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  bhxh_json_add_string (b, "bhxh_code", self->bhxh_code);
  bhxh_json_add_string (b, "id_number", self->id_number);
  bhxh_json_add_string (b, "old_id_number", self->old_id_number);
  bhxh_json_add_string (b, "full_name", self->full_name);
  bhxh_json_add_date (b, "birth_date", &self->birth_date);
  bhxh_json_add_string (b, "sex", bhxh_sex_to_string (self->sex));
  bhxh_json_add_string (b, "address", self->address);
  bhxh_json_add_string (b, "office_code", self->office_code);
  bhxh_json_add_string (b, "account_status",
                        self->account_status && *self->account_status
                        ? self->account_status : NULL);
  bhxh_json_add_date (b, "account_since", &self->account_since);
  bhxh_json_add_string (b, "legacy_bhxh_code", self->legacy_bhxh_code);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
