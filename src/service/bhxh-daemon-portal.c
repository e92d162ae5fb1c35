/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-secret-file.h"
#include "store/bhxh-auth.h"
#include "sync/bhxh-sync.h"
#include "bhxh-daemon-private.h"

/* The service's side facing the portal: enrolment, the sync (with its
 * progress signal) and the claims that keep one declaration on one desk.
 * Every portal exchange runs in a thread; the sessions never wait on the
 * network. */

/* Claims must not hold a clerk up when the portal is slow or away. */
#define CLAIM_CONNECT_TIMEOUT_MS 3000
#define CLAIM_TIMEOUT_MS         5000

static BhxhSyncOptions *
claim_options (BhxhDaemon  *self,
               GError     **error)
{
  BhxhSyncOptions *options = bhxh_sync_options_new_enrolled (self->store, error);

  if (options != NULL)
    {
      options->portal->connect_timeout_ms = CLAIM_CONNECT_TIMEOUT_MS;
      options->portal->timeout_ms = CLAIM_TIMEOUT_MS;
      options->portal->max_retries = 0;
    }
  return options;
}

/* ---- enrolment --------------------------------------------------------- */

static gboolean
handle_set_portal (BhxhDesk1             *iface,
                   GDBusMethodInvocation *invocation,
                   const char            *url,
                   const char            *office,
                   const char            *token,
                   BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, NULL);
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  /* The role is the library's to check (bhxh_store_set_portal: admin). */
  return _bhxh_daemon_reply (invocation,
                             bhxh_sync_enrol (session->store, url,
                                              *office != '\0' ? office : NULL, token, &error),
                             &error);
}

static gboolean
handle_set_portal_key (BhxhDesk1             *iface,
                       GDBusMethodInvocation *invocation,
                       const char            *key,
                       BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, NULL);
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  /* The role is the library's to check (bhxh_store_set_portal_key: admin). */
  return _bhxh_daemon_reply (invocation,
                             bhxh_sync_pin_portal_key (session->store, key, &error), &error);
}

/* ---- claims ------------------------------------------------------------ */

typedef struct
{
  BhxhSyncOptions *options;
  char            *declaration_id;
  char            *clerk;
  char            *clerk_name;
  char            *sender;       /* the session's; NULL for a release */
  GPtrArray       *release;      /* (element-type utf8): IDs to release */
  BhxhDaemon      *daemon;
  GDBusMethodInvocation *invocation;
  /* the answer */
  char            *state;
  char            *holder;
  char            *message;
} ClaimCall;

static void
claim_call_free (ClaimCall *call)
{
  g_clear_pointer (&call->options, bhxh_sync_options_free);
  g_free (call->declaration_id);
  g_free (call->clerk);
  g_free (call->clerk_name);
  g_free (call->sender);
  g_clear_pointer (&call->release, g_ptr_array_unref);
  g_clear_object (&call->daemon);
  g_clear_object (&call->invocation);
  g_free (call->state);
  g_free (call->holder);
  g_free (call->message);
  g_free (call);
}

static void
claim_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ClaimCall *call = task_data;
  BhxhPortal *portal = bhxh_portal_new (call->options->portal);
  g_autoptr(GError) error = NULL;

  if (call->release != NULL)
    {
      for (guint i = 0; i < call->release->len; i++)
        if (!bhxh_sync_release (portal, g_ptr_array_index (call->release, i), call->clerk,
                                NULL, &error))
          {
            /* It lapses on its own at the portal (its lifetime). */
            g_debug ("release of %s: %s", (const char *) g_ptr_array_index (call->release, i),
                     error->message);
            g_clear_error (&error);
          }
    }
  else if (bhxh_sync_claim (portal, call->declaration_id, call->clerk, call->clerk_name,
                            &call->holder, NULL, &error))
    call->state = g_strdup ("claimed");
  else if (g_error_matches (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CLAIMED))
    {
      call->state = g_strdup ("held");
      call->message = g_strdup (error->message);
    }
  else
    {
      call->state = g_strdup ("offline");
      call->message = g_strdup (error->message);
    }
  bhxh_portal_free (portal);
  g_task_return_boolean (task, TRUE);
}

static void release_at_portal (BhxhDaemon *self,
                               const char *clerk,
                               GPtrArray  *ids);

static void
claim_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ClaimCall *call = g_task_get_task_data (G_TASK (result));
  g_autoptr(JsonBuilder) b = json_builder_new ();
  Session *session;

  if (call->invocation == NULL)
    return;
  /* The session may have ended while the portal answered. */
  session = g_hash_table_lookup (call->daemon->sessions, call->sender);
  if (g_str_equal (call->state, "claimed"))
    {
      if (session != NULL && g_str_equal (session->user->login, call->clerk))
        g_hash_table_add (session->claims, g_strdup (call->declaration_id));
      else
        {
          /* Its clerk left meanwhile: let it go in their name. */
          g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

          g_ptr_array_add (ids, g_strdup (call->declaration_id));
          release_at_portal (call->daemon, call->clerk, ids);
        }
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "declaration_id");
  json_builder_add_string_value (b, call->declaration_id);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, call->state);
  if (g_str_equal (call->state, "held"))
    {
      json_builder_set_member_name (b, "holder");
      json_builder_add_string_value (b, call->holder);
    }
  if (call->message != NULL)
    {
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, call->message);
    }
  json_builder_end_object (b);
  _bhxh_daemon_reply_json (call->invocation, json_builder_get_root (b), NULL);
}

static gboolean
handle_claim (BhxhDesk1             *iface,
              GDBusMethodInvocation *invocation,
              const char            *declaration_id,
              BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  BhxhSyncOptions *options;
  ClaimCall *call;

  if (session == NULL)
    return TRUE;
  if ((options = claim_options (self, &error)) == NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "declaration_id", declaration_id);
      json_object_set_string_member (object, "state", "not-enrolled");
      return _bhxh_daemon_reply_json (invocation,
                                      json_node_init_object (json_node_alloc (), object), NULL);
    }
  call = g_new0 (ClaimCall, 1);
  call->options = options;
  call->declaration_id = g_strdup (declaration_id);
  call->clerk = g_strdup (session->user->login);
  call->clerk_name = g_strdup (session->user->display_name);
  call->sender = g_strdup (session->sender);
  call->daemon = g_object_ref (self);
  call->invocation = g_object_ref (invocation);
  task = g_task_new (NULL, NULL, claim_done, NULL);
  g_task_set_task_data (task, call, (GDestroyNotify) claim_call_free);
  g_task_run_in_thread (task, claim_thread);
  return TRUE;
}

/* Releases @ids of @clerk at the portal in a thread; a portal away lets
 * the claims lapse on their own. */
static void
release_at_portal (BhxhDaemon *self,
                   const char *clerk,
                   GPtrArray  *ids)
{
  g_autoptr(GTask) task = NULL;
  BhxhSyncOptions *options;
  ClaimCall *call;

  if (ids->len == 0 || (options = claim_options (self, NULL)) == NULL)
    return;
  call = g_new0 (ClaimCall, 1);
  call->options = options;
  call->clerk = g_strdup (clerk);
  call->release = g_ptr_array_ref (ids);
  task = g_task_new (NULL, NULL, claim_done, NULL);
  g_task_set_task_data (task, call, (GDestroyNotify) claim_call_free);
  g_task_run_in_thread (task, claim_thread);
}

void
_bhxh_daemon_release_claims (BhxhDaemon *self,
                             Session    *session,
                             const char *declaration_id)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (declaration_id != NULL)
    {
      if (g_hash_table_remove (session->claims, declaration_id))
        g_ptr_array_add (ids, g_strdup (declaration_id));
    }
  else
    {
      GHashTableIter iter;
      char *id;

      g_hash_table_iter_init (&iter, session->claims);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        g_ptr_array_add (ids, g_strdup (id));
      g_hash_table_remove_all (session->claims);
    }
  release_at_portal (self, session->user->login, ids);
}

/* ---- sync -------------------------------------------------------------- */

typedef struct
{
  GDBusMethodInvocation *invocation;
  char                  *db_path;
  const BhxhCryptKey    *key;
  char                  *token_file;
  BhxhSyncOptions       *options;
  BhxhDesk1             *iface;        /* emits SyncProgress */
  GMainContext          *context;      /* the service's, where it emits */
  gint64                 last_progress;
  int                    last_stage;
} SyncCall;

typedef struct
{
  BhxhDesk1 *iface;
  char      *stage;
  guint64    done;
  guint64    total;
} Progress;

static gboolean
emit_progress (gpointer data)
{
  Progress *progress = data;

  bhxh_desk1_emit_sync_progress (progress->iface, progress->stage, progress->done,
                                 progress->total);
  g_object_unref (progress->iface);
  g_free (progress->stage);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

/* In the sync's thread: passed to the service's main context, at most
 * every 100 ms unless the stage changes or it ends. */
static void
sync_progress (BhxhSyncStage  stage,
               guint64        done,
               guint64        total,
               gpointer       user_data)
{
  SyncCall *call = user_data;
  gint64 now = g_get_monotonic_time ();
  Progress *progress;

  if ((int) stage == call->last_stage && now - call->last_progress < 100000 &&
      (total == 0 || done < total))
    return;
  call->last_stage = (int) stage;
  call->last_progress = now;
  progress = g_new0 (Progress, 1);
  progress->iface = g_object_ref (call->iface);
  progress->stage = g_strdup (bhxh_sync_stage_to_string (stage));
  progress->done = done;
  progress->total = total;
  g_main_context_invoke (call->context, emit_progress, progress);
}

static void
sync_call_free (SyncCall *call)
{
  g_clear_object (&call->invocation);
  g_free (call->db_path);
  g_free (call->token_file);
  g_clear_pointer (&call->options, bhxh_sync_options_free);
  g_clear_object (&call->iface);
  g_clear_pointer (&call->context, g_main_context_unref);
  g_free (call);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SyncCall *call = task_data;
  g_autoptr(BhxhStore) store = NULL;
  GError *error = NULL;
  BhxhSyncReport *report;

  if (call->token_file != NULL && call->token_file[0] != '\0')
    {
      /* Refused when others may read it, as the CLI refuses it. */
      g_autoptr(GBytes) token = bhxh_secret_file_read (call->token_file, &error);

      if (token == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      call->options->portal->token = g_strstrip (g_strdup (g_bytes_get_data (token, NULL)));
    }
  /* A connection of its own: the sessions keep working meanwhile. */
  store = bhxh_store_open_with_key (call->db_path, call->key, &error);
  if (store == NULL ||
      (report = bhxh_sync_run (store, call->options, sync_progress, call, cancellable,
                               &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) bhxh_sync_report_free);
}

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncCall *call = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  BhxhSyncReport *report = g_task_propagate_pointer (G_TASK (result), &error);

  _bhxh_daemon_reply_json (call->invocation, report != NULL ? bhxh_sync_report_to_json (report) : NULL,
              &error);
  g_clear_pointer (&report, bhxh_sync_report_free);
}

static gboolean
handle_sync (BhxhDesk1             *iface,
             GDBusMethodInvocation *invocation,
             GVariant              *options,
             BhxhDaemon            *self)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  g_autoptr(BhxhSyncOptions) enrolled = NULL;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  gboolean from_caller;
  SyncCall *call;

  /* Root runs the close-of-day job (bhxh-deskd-sync.timer) without a
   * session; anyone else signs in as a clerk first. */
  if (!(self->system && sender != NULL && _bhxh_daemon_caller_uid (self, sender) == 0
        && g_hash_table_lookup (self->sessions, sender) == NULL)
      && _bhxh_daemon_session_of (self, invocation, "clerk") == NULL)
    return TRUE;
  from_caller = g_variant_lookup (options, "portal", "&s", NULL)
                || g_variant_lookup (options, "token_file", "&s", NULL);
  if (from_caller && self->system)
    {
      /* The service's portal and token are its own (docs/service.md). */
      g_set_error_literal (&error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                           _("This service syncs with the portal it was enrolled with"));
      return _bhxh_daemon_reply (invocation, FALSE, &error);
    }
  if (!from_caller && (enrolled = bhxh_sync_options_new_enrolled (self->store, &error)) == NULL)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  call = g_new0 (SyncCall, 1);
  call->invocation = g_object_ref (invocation);
  call->db_path = g_strdup (self->db_path);
  call->key = self->key;
  call->iface = g_object_ref (iface);
  call->context = g_main_context_ref_thread_default ();
  call->last_stage = -1;
  if (enrolled != NULL)
    call->options = g_steal_pointer (&enrolled);
  else
    {
      call->options = bhxh_sync_options_new ();
      g_variant_lookup (options, "portal", "s", &call->options->portal->portal_url);
      g_variant_lookup (options, "office", "s", &call->options->office_code);
      g_variant_lookup (options, "token_file", "s", &call->token_file);
    }
  task = g_task_new (self, NULL, sync_done, NULL);
  g_task_set_task_data (task, call, (GDestroyNotify) sync_call_free);
  g_task_run_in_thread (task, sync_thread);
  return TRUE;
}


void
_bhxh_daemon_export_portal (BhxhDaemon *self)
{
  g_signal_connect (self->skeleton, "handle-sync", G_CALLBACK (handle_sync), self);
  g_signal_connect (self->skeleton, "handle-set-portal", G_CALLBACK (handle_set_portal), self);
  g_signal_connect (self->skeleton, "handle-set-portal-key", G_CALLBACK (handle_set_portal_key),
                    self);
  g_signal_connect (self->skeleton, "handle-claim", G_CALLBACK (handle_claim), self);
}
