/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-json.h"
#include "bhxh-store-answers.h"
#include "bhxh-store-safety.h"
#include "bhxh-store-private.h"

/* queue */

static JsonNode *
queue_entry_to_json (const BhxhDeclaration *d,
                     const BhxhDate        *today,
                     GHashTable            *assignments)
{
  JsonNode *node = bhxh_declaration_to_json (d);
  JsonObject *object = json_node_get_object (node);
  const char *assignee = g_hash_table_lookup (assignments, d->id);

  if (assignee != NULL)
    json_object_set_string_member (object, "assignee", assignee);
  else
    json_object_set_null_member (object, "assignee");

  json_object_set_int_member (object, "days_left", bhxh_declaration_days_left (d, today));
  json_object_set_boolean_member (object, "minor", bhxh_declaration_is_minor (d, today));

  return node;
}

JsonNode *
bhxh_answer_queue (BhxhStore              *store,
                   const BhxhQueueFilter  *filter,
                   GError                **error)
{
  g_autoptr(GPtrArray) list = bhxh_store_list_declarations (store, filter, error);
  g_autoptr(GHashTable) assignments = NULL;
  BhxhDate today = bhxh_clock_today ();
  JsonArray *array;
  JsonNode *node;

  if (list == NULL || (assignments = bhxh_store_list_assignments (store, error)) == NULL)
    return NULL;
  array = json_array_sized_new (list->len);
  for (guint i = 0; i < list->len; i++)
    json_array_add_element (array, queue_entry_to_json (g_ptr_array_index (list, i), &today,
                                                        assignments));
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return node;
}

/* verify */

static JsonNode *
candidate_to_json (BhxhStore              *store,
                   const BhxhDeclaration  *d,
                   const BhxhDocument     *document,
                   GError                **error)
{
  g_autoptr(BhxhCheck) check = NULL;
  g_autoptr(BhxhPerson) person = NULL;
  g_autoptr(JsonNode) check_node = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *check_object;

  check = bhxh_store_check_declaration (store, d, document, NULL, error);
  if (check == NULL)
    return NULL;
  person = _bhxh_store_lookup_person (store, d->bhxh_code, d->id_number, NULL);
  check_node = bhxh_check_to_json (check);
  check_object = json_node_get_object (check_node);

  object = json_object_new ();
  json_object_set_member (object, "declaration", bhxh_declaration_to_json (d));
  if (person != NULL)
    json_object_set_member (object, "person", bhxh_person_to_json (person));
  else
    json_object_set_null_member (object, "person");
  json_object_set_member (object, "fields",
                          json_node_copy (json_object_get_member (check_object, "fields")));
  json_object_set_member (object, "verdict",
                          json_node_copy (json_object_get_member (check_object, "verdict")));
  json_object_set_member (object, "reasons",
                          json_node_copy (json_object_get_member (check_object, "reasons")));

  return json_node_init_object (json_node_alloc (), object);
}

/* What to tell the clerk when no open declaration matches the card. */
static char *
no_candidate_message (BhxhStore          *store,
                      const BhxhDocument *document)
{
  g_autoptr(GPtrArray) persons = NULL;

  if (document->id_number == NULL)
    return g_strdup (_("The document carries no 12-digit ID number: search the queue by "
                       "name or type the number in."));
  persons = bhxh_store_find_persons_by_id (store, document->id_number, NULL);
  if (persons == NULL || persons->len == 0)
    return g_strdup (_("No open declaration for this ID number, and the number is not in "
                       "the registry mirror either. The person may be managed by BHXH "
                       "Bộ Quốc phòng (armed forces): search the household database and "
                       "switch the code before going on."));

  return g_strdup_printf (_("No open declaration for this ID number. The person is in the "
                            "registry mirror (mã số BHXH %s): they may need to declare on "
                            "the portal first."),
                          ((BhxhPerson *) g_ptr_array_index (persons, 0))->bhxh_code);
}

/* "Who viewed" (docs/security.md): each candidate shown is a declaration
 * opened. Best effort in open mode (a read-only copy still answers),
 * required with accounts. */
static gboolean
note_views (BhxhStore  *store,
            const char *user,
            GPtrArray  *candidates,
            GError    **error)
{
  gboolean required = bhxh_store_accounts_required (store);

  for (guint i = 0; i < candidates->len; i++)
    {
      const BhxhDeclaration *d = g_ptr_array_index (candidates, i);

      if (!bhxh_store_note_viewed (store, user != NULL ? user : "local", d->id,
                                   required ? error : NULL) && required)
        return FALSE;
    }

  return TRUE;
}

JsonNode *
bhxh_answer_verify (BhxhStore           *store,
                    const BhxhDocument  *document,
                    const char          *viewer,
                    GError             **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *array;

  if (document->id_number != NULL)
    candidates = bhxh_store_find_open_declarations (store, document->id_number, error);
  else
    candidates = g_ptr_array_new ();
  if (candidates == NULL)
    return NULL;

  object = json_object_new ();
  node = json_node_init_object (json_node_alloc (), object);
  json_object_set_member (object, "document", bhxh_document_to_json (document));
  array = json_array_new ();
  json_object_set_array_member (object, "candidates", array);
  for (guint i = 0; i < candidates->len; i++)
    {
      JsonNode *candidate = candidate_to_json (store, g_ptr_array_index (candidates, i),
                                               document, error);

      if (candidate == NULL)
        {
          json_object_unref (object);
          return NULL;
        }
      json_array_add_element (array, candidate);
    }
  if (!note_views (store, viewer, candidates, error))
    {
      json_object_unref (object);
      return NULL;
    }
  if (candidates->len == 0)
    {
      g_autofree char *message = no_candidate_message (store, document);

      json_object_set_string_member (object, "message", message);
    }
  json_object_unref (object);
  return g_steal_pointer (&node);
}

/* decide, undo */

JsonNode *
bhxh_answer_decide (BhxhStore                  *store,
                    const BhxhDecisionRequest  *request,
                    GError                    **error)
{
  g_autoptr(BhxhDecision) decision = bhxh_store_decide (store, request, error);
  g_autoptr(BhxhDeclaration) declaration = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (decision == NULL)
    return NULL;
  declaration = bhxh_store_get_declaration (store, decision->declaration_id, error);
  if (declaration == NULL)
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  bhxh_json_add_string (b, "uuid", decision->uuid);
  bhxh_json_add_string (b, "declaration_id", decision->declaration_id);
  bhxh_json_add_string (b, "outcome", bhxh_outcome_to_string (decision->outcome));
  bhxh_json_add_string (b, "status", bhxh_status_to_string (declaration->status));
  bhxh_json_add_date_time (b, "decided_at", decision->decided_at);
  bhxh_json_add_string (b, "verdict", bhxh_verdict_to_string (decision->verdict));
  json_builder_set_member_name (b, "without_document");
  json_builder_add_boolean_value (b, bhxh_decision_is_without_document (decision));
  bhxh_json_add_string (b, "kind",
                        bhxh_decision_kind_to_string (bhxh_decision_get_kind (decision)));
  bhxh_json_add_string (b, "evidence", bhxh_evidence_to_string (decision->evidence));
  bhxh_json_add_date_time (b, "hold_until", decision->hold_until);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
bhxh_answer_undo (BhxhStore   *store,
                  const char  *uuid,
                  const char  *clerk,
                  GError     **error)
{
  g_autoptr(BhxhDecision) decision = bhxh_store_get_decision (store, uuid, error);
  g_autoptr(BhxhDeclaration) declaration = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (decision == NULL || !bhxh_store_withdraw_decision (store, uuid, clerk, error))
    return NULL;
  declaration = bhxh_store_get_declaration (store, decision->declaration_id, error);
  if (declaration == NULL)
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  bhxh_json_add_string (b, "uuid", decision->uuid);
  bhxh_json_add_string (b, "declaration_id", decision->declaration_id);
  json_builder_set_member_name (b, "withdrawn");
  json_builder_add_boolean_value (b, TRUE);
  bhxh_json_add_string (b, "status", bhxh_status_to_string (declaration->status));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* users */

JsonNode *
bhxh_answer_users (BhxhStore  *store,
                   GError    **error)
{
  g_autoptr(GPtrArray) list = bhxh_store_list_user_status (store, error);
  g_autoptr(JsonBuilder) b = NULL;

  if (list == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const BhxhUserStatus *u = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      bhxh_json_add_string (b, "login", u->login);
      bhxh_json_add_string (b, "display_name", u->display_name);
      bhxh_json_add_string (b, "role", u->role);
      json_builder_set_member_name (b, "has_password");
      json_builder_add_boolean_value (b, u->has_password);
      json_builder_set_member_name (b, "failures");
      json_builder_add_int_value (b, u->failures);
      bhxh_json_add_date_time (b, "locked_until", u->locked_until);
      json_builder_set_member_name (b, "disabled");
      json_builder_add_boolean_value (b, u->disabled);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* The counter's rules an admin sets (`users settings`, GetSettings):
 * {accounts_required, auth_max_failures, auth_lockout_minutes,
 * idle_lock_minutes, retention_days}. */
static const char * const setting_keys[] = {
  BHXH_META_MAX_FAILURES, BHXH_META_LOCKOUT_MINUTES, BHXH_META_IDLE_LOCK_MINUTES,
  BHXH_META_RETENTION_DAYS, BHXH_META_CHIP_REQUIRED, NULL
};

JsonNode *
bhxh_answer_settings (BhxhStore *store)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accounts_required");
  json_builder_add_boolean_value (b, bhxh_store_accounts_required (store));
  for (guint i = 0; setting_keys[i] != NULL; i++)
    {
      json_builder_set_member_name (b, setting_keys[i]);
      json_builder_add_int_value (b, bhxh_store_get_setting (store,
                                                              setting_keys[i]));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The counter's screens (bhxh-deskd's Describe, ListReasonCodes,
 * ListOffices, FindOpen, Day, GetStatus). */

static void
add_users (JsonBuilder *b,
           GPtrArray   *users,
           const char  *only_role)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < users->len; i++)
    {
      const BhxhUser *user = g_ptr_array_index (users, i);

      if (only_role != NULL && g_strcmp0 (user->role, only_role) != 0)
        continue;
      json_builder_begin_object (b);
      bhxh_json_add_string (b, "login", user->login);
      bhxh_json_add_string (b, "display_name", user->display_name);
      bhxh_json_add_string (b, "role", user->role);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_declarations (JsonBuilder *b,
                  GPtrArray   *declarations)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < declarations->len; i++)
    json_builder_add_value (b, bhxh_declaration_to_json (g_ptr_array_index (declarations, i)));
  json_builder_end_array (b);
}

/**
 * bhxh_answer_describe:
 *
 * What the sign-in page shows before anyone signs in: {accounts_required,
 * idle_lock_minutes, users: [{login, display_name, role}]}.
 */
JsonNode *
bhxh_answer_describe (BhxhStore  *store,
                      GError    **error)
{
  g_autoptr(GPtrArray) users = bhxh_store_list_users (store, error);
  g_autoptr(JsonBuilder) b = NULL;

  if (users == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accounts_required");
  json_builder_add_boolean_value (b, bhxh_store_accounts_required (store));
  json_builder_set_member_name (b, "idle_lock_minutes");
  json_builder_add_int_value (b, bhxh_store_get_setting (store, BHXH_META_IDLE_LOCK_MINUTES));
  json_builder_set_member_name (b, "users");
  add_users (b, users, NULL);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* [{code, label}] */
JsonNode *
bhxh_answer_reason_codes (BhxhStore  *store,
                          GError    **error)
{
  g_autoptr(GPtrArray) codes = bhxh_store_list_reason_codes (store, error);
  g_autoptr(JsonBuilder) b = NULL;

  if (codes == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < codes->len; i++)
    {
      const BhxhReasonCode *code = g_ptr_array_index (codes, i);

      json_builder_begin_object (b);
      bhxh_json_add_string (b, "code", code->code);
      bhxh_json_add_string (b, "label", code->label);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* [{code, parent_code, name}] */
JsonNode *
bhxh_answer_offices (BhxhStore  *store,
                     GError    **error)
{
  g_autoptr(GPtrArray) offices = bhxh_store_list_offices (store, error);
  g_autoptr(JsonBuilder) b = NULL;

  if (offices == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < offices->len; i++)
    {
      const BhxhOffice *office = g_ptr_array_index (offices, i);

      json_builder_begin_object (b);
      bhxh_json_add_string (b, "code", office->code);
      bhxh_json_add_string (b, "parent_code", office->parent_code);
      bhxh_json_add_string (b, "name", office->name);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/**
 * bhxh_answer_find_open:
 *
 * The open declarations of @id_number, and when there is none how many
 * registry persons carry it: {declarations: […], persons}.
 */
JsonNode *
bhxh_answer_find_open (BhxhStore   *store,
                       const char  *id_number,
                       GError     **error)
{
  g_autoptr(GPtrArray) declarations = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  guint persons = 0;

  declarations = bhxh_store_find_open_declarations (store, id_number, error);
  if (declarations == NULL)
    return NULL;
  if (declarations->len == 0)
    {
      g_autoptr(GPtrArray) found = bhxh_store_find_persons_by_id (store, id_number, NULL);

      persons = found != NULL ? found->len : 0;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "declarations");
  add_declarations (b, declarations);
  json_builder_set_member_name (b, "persons");
  json_builder_add_int_value (b, persons);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
user_name (GPtrArray  *users,
           const char *login)
{
  for (guint i = 0; login != NULL && i < users->len; i++)
    {
      const BhxhUser *user = g_ptr_array_index (users, i);

      if (g_str_equal (user->login, login))
        return user->display_name;
    }
  return login;
}

/* Handing an escalation back to a clerk is no decision, but the day's list
 * shows it: who, to whom, when. */
static gboolean
add_reassignments (JsonBuilder     *b,
                   BhxhStore       *store,
                   const BhxhDate  *date,
                   GPtrArray       *users,
                   GError         **error)
{
  g_autoptr(GPtrArray) trail = bhxh_store_list_audit (store, date, error);

  if (trail == NULL)
    return FALSE;
  json_builder_begin_array (b);
  for (guint i = 0; i < trail->len; i++)
    {
      const BhxhAuditEntry *entry = g_ptr_array_index (trail, i);
      g_autoptr(BhxhDeclaration) d = NULL;

      if (g_strcmp0 (entry->action, "declaration.reassign") != 0 || entry->object == NULL)
        continue;
      d = bhxh_store_get_declaration (store, entry->object, NULL);
      json_builder_begin_object (b);
      bhxh_json_add_string (b, "declaration_id", entry->object);
      bhxh_json_add_string (b, "full_name", d != NULL ? d->full_name : NULL);
      bhxh_json_add_string (b, "at", entry->at);
      bhxh_json_add_string (b, "by_name", user_name (users, entry->actor));
      bhxh_json_add_string (b, "to_name", user_name (users, entry->detail));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return TRUE;
}

/**
 * bhxh_answer_day:
 *
 * The supervisor's day: {decisions: [decision JSON] of @date, escalations:
 * [the escalated declarations], clerks: [{login, display_name, role}] —
 * only clerks take declarations over, reassignments: [{declaration_id,
 * full_name, at, by_name, to_name}] of @date, from the audit trail}.
 */
JsonNode *
bhxh_answer_day (BhxhStore       *store,
                 const BhxhDate  *date,
                 GError         **error)
{
  g_autoptr(GPtrArray) decisions = NULL, escalations = NULL, users = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;

  filter.status = BHXH_STATUS_ESCALATED;
  if ((decisions = bhxh_store_list_decisions_on (store, date, error)) == NULL ||
      (escalations = bhxh_store_list_declarations (store, &filter, error)) == NULL ||
      (users = bhxh_store_list_users (store, error)) == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "decisions");
  json_builder_begin_array (b);
  for (guint i = 0; i < decisions->len; i++)
    json_builder_add_value (b, bhxh_decision_to_json (g_ptr_array_index (decisions, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "escalations");
  add_declarations (b, escalations);
  json_builder_set_member_name (b, "clerks");
  add_users (b, users, "clerk");
  json_builder_set_member_name (b, "reassignments");
  if (!add_reassignments (b, store, date, users, error))
    return NULL;
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * bhxh_answer_status:
 *
 * The status bar: {today, mirror_version, mirror_imported_at, persons,
 * last_sync, unsynced, needs_person, safety?, safety_message?}; today is
 * the store's calendar day (YYYY-MM-DD), which the counter follows.
 */
JsonNode *
bhxh_answer_status (BhxhStore  *store,
                    GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = bhxh_clock_now ();
  g_autoptr(BhxhSafety) safety = NULL;
  g_autoptr(GDateTime) imported = NULL;
  g_autofree char *version = NULL, *last_sync = NULL, *today_text = NULL;
  g_autofree char *office = NULL, *portal = NULL, *last_attempt = NULL;
  BhxhDate today;

  if (!bhxh_store_require_session (store, "clerk", error))
    return NULL;
  /* The counter's office: as enrolled, else as the portal's account says. */
  if (!bhxh_store_dup_portal (store, &portal, &office, NULL) || office == NULL ||
      office[0] == '\0')
    {
      g_free (office);
      office = bhxh_store_dup_meta (store, "sync.office_code");
    }
  safety = bhxh_store_check_safety (store, now);
  version = bhxh_store_dup_mirror_version (store);
  imported = bhxh_store_dup_mirror_imported_at (store);
  last_sync = bhxh_store_dup_meta (store, "sync.last_success_at");
  last_attempt = bhxh_store_dup_meta (store, "sync.last_attempt_at");
  today = bhxh_clock_today ();
  today_text = bhxh_date_to_iso (&today);
  json_builder_begin_object (b);
  bhxh_json_add_string (b, "today", today_text);
  bhxh_json_add_string (b, "mirror_version", version);
  bhxh_json_add_date_time (b, "mirror_imported_at", imported);
  json_builder_set_member_name (b, "persons");
  json_builder_add_int_value (b, bhxh_store_count_persons (store));
  bhxh_json_add_string (b, "last_sync", last_sync);
  bhxh_json_add_string (b, "last_attempt", last_attempt);
  bhxh_json_add_string (b, "office", office);
  bhxh_json_add_string (b, "portal", portal);   /* enrolled address; never the token */
  json_builder_set_member_name (b, "unsynced");
  json_builder_add_int_value (b, bhxh_store_outbox_count (store, BHXH_OUTBOX_PENDING) +
                                 bhxh_store_outbox_count (store, BHXH_OUTBOX_SENDING));
  json_builder_set_member_name (b, "needs_person");
  json_builder_add_int_value (b, bhxh_store_outbox_count (store, BHXH_OUTBOX_REFUSED) +
                                 bhxh_store_outbox_count (store, BHXH_OUTBOX_CONFLICT));
  if (safety != NULL)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      for (guint i = 0; i < safety->messages->len; i++)
        g_string_append_printf (message, "%s%s", i > 0 ? "\n" : "",
                                (const char *) g_ptr_array_index (safety->messages, i));
      bhxh_json_add_string (b, "safety", bhxh_safety_level_to_string (safety->level));
      bhxh_json_add_string (b, "safety_message", message->str);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
