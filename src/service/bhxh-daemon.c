/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "chip/bhxh-chip.h"
#include "core/bhxh-clock.h"
#include "core/bhxh-document.h"
#include "core/bhxh-json.h"
#include "core/bhxh-memfd.h"
#include "demo/bhxh-demo.h"
#include "docs/bhxh-export.h"
#include "docs/bhxh-papers.h"
#include "sync/bhxh-sync.h"
#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"
#include "store/bhxh-store-answers.h"
#include "bhxh-daemon.h"
#include "bhxh-daemon-private.h"
#include "bhxh-desk1.h"
#include "bhxh-service-errors.h"

G_DEFINE_FINAL_TYPE (BhxhDaemon, bhxh_daemon, G_TYPE_OBJECT)

static void
session_free (Session *session)
{
  if (session->watch_id != 0)
    g_bus_unwatch_name (session->watch_id);
  if (session->store != NULL)
    bhxh_store_sign_out (session->store);
  g_clear_object (&session->store);
  g_clear_pointer (&session->user, bhxh_user_free);
  g_clear_pointer (&session->claims, g_hash_table_unref);
  g_free (session->sender);
  g_free (session);
}

static void
bhxh_daemon_finalize (GObject *object)
{
  BhxhDaemon *self = BHXH_DAEMON (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  if (self->skeleton != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  g_clear_object (&self->skeleton);
  g_clear_object (&self->connection);
  g_clear_object (&self->store);
  g_free (self->db_path);

  G_OBJECT_CLASS (bhxh_daemon_parent_class)->finalize (object);
}

static void
bhxh_daemon_class_init (BhxhDaemonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bhxh_daemon_finalize;
}

static void
bhxh_daemon_init (BhxhDaemon *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) session_free);
}

/* Sessions. */

static void
end_session (BhxhDaemon *self,
             const char *sender,
             const char *why)
{
  Session *session = g_hash_table_lookup (self->sessions, sender);

  if (session == NULL)
    return;
  g_debug ("session of %s (%s) ends: %s", session->user->login, sender, why);
  bhxh_store_audit (session->store, session->user->login, "session.end", NULL, why, NULL);
  _bhxh_daemon_release_claims (self, session, NULL);
  g_hash_table_remove (self->sessions, sender);
}

/* Ends every session signed in as @login (an account just disabled). */
static void
end_sessions_of (BhxhDaemon *self,
                 const char *login,
                 const char *why)
{
  g_autoptr(GPtrArray) senders = g_ptr_array_new ();
  GHashTableIter iter;
  Session *session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (g_str_equal (session->user->login, login))
      g_ptr_array_add (senders, session->sender);
  for (guint i = 0; i < senders->len; i++)
    end_session (self, g_ptr_array_index (senders, i), why);
}

static void
caller_vanished (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  end_session (user_data, name, "left the bus");
}

static gboolean
expire_idle (gpointer user_data)
{
  BhxhDaemon *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) idle = g_ptr_array_new ();
  GHashTableIter iter;
  Session *session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (now - session->last_call > (gint64) self->idle_timeout * G_USEC_PER_SEC)
      g_ptr_array_add (idle, session->sender);
  for (guint i = 0; i < idle->len; i++)
    end_session (self, g_ptr_array_index (idle, i), "idle");
  return G_SOURCE_CONTINUE;
}

/* Sessions are keyed by the caller's unique bus name; a peer-to-peer
 * connection (the GUI's private service) has one caller and no names. */
#define PEER_CALLER "(peer)"

static const char *
caller_of (GDBusMethodInvocation *invocation)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  return sender != NULL ? sender : PEER_CALLER;
}

/* The caller's session, its user of at least @role (%NULL: the store
 * call checks it), or %NULL with the error replied. */
Session *
_bhxh_daemon_session_of (BhxhDaemon            *self,
            GDBusMethodInvocation *invocation,
            const char            *role)
{
  Session *session = g_hash_table_lookup (self->sessions, caller_of (invocation));
  GError *error = NULL;

  if (session == NULL)
    {
      g_dbus_method_invocation_return_error_literal (invocation, BHXH_AUTH_ERROR,
                                                     BHXH_AUTH_ERROR_REQUIRED,
                                                     _("Sign in first"));
      return NULL;
    }
  session->last_call = g_get_monotonic_time ();
  if (role != NULL && !bhxh_store_require_session (session->store, role, &error))
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return NULL;
    }
  return session;
}

/* @error is read after @node is computed (the order in which a call's
 * arguments are evaluated is unspecified, hence the pointer). */
gboolean
_bhxh_daemon_reply_json (GDBusMethodInvocation  *invocation,
            JsonNode               *node,
            GError                **error)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    {
      g_dbus_method_invocation_take_error (invocation, g_steal_pointer (error));
      return TRUE;
    }
  text = json_to_string (node, FALSE);
  json_node_unref (node);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", text));
  return TRUE;
}

gboolean
_bhxh_daemon_reply (GDBusMethodInvocation  *invocation,
       gboolean                ok,
       GError                **error)
{
  if (!ok)
    g_dbus_method_invocation_take_error (invocation, g_steal_pointer (error));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
  return TRUE;
}

/* The Unix user behind @sender (G_MAXUINT32 when the bus does not say). */
guint32
_bhxh_daemon_caller_uid (BhxhDaemon *self,
            const char *sender)
{
  g_autoptr(GVariant) result = NULL;
  guint32 uid = G_MAXUINT32;

  result = g_dbus_connection_call_sync (self->connection, "org.freedesktop.DBus",
                                        "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                        "GetConnectionUnixUser", g_variant_new ("(s)", sender),
                                        G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                        NULL, NULL);
  if (result != NULL)
    g_variant_get (result, "(u)", &uid);
  return uid;
}

/* Methods. */

static gboolean
handle_init_accounts (BhxhDesk1             *iface,
                      GDBusMethodInvocation *invocation,
                      const char            *login,
                      const char            *display_name,
                      const char            *password,
                      BhxhDaemon            *self)
{
  GError *error = NULL;

  if (self->system &&
      _bhxh_daemon_caller_uid (self, g_dbus_method_invocation_get_sender (invocation)) != 0)
    {
      g_dbus_method_invocation_return_error_literal (invocation, BHXH_AUTH_ERROR,
                                                     BHXH_AUTH_ERROR_FORBIDDEN,
                                                     _("Only root sets up the first account"));
      return TRUE;
    }
  return _bhxh_daemon_reply (invocation,
                bhxh_store_init_accounts (self->store, login, display_name, password, &error),
                &error);
}

static gboolean
handle_sign_in (BhxhDesk1             *iface,
                GDBusMethodInvocation *invocation,
                const char            *login,
                const char            *password,
                BhxhDaemon            *self)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  g_autoptr(BhxhStore) store = NULL;
  GError *error = NULL;
  BhxhUser *user = NULL;
  Session *session;

  store = bhxh_store_open_with_key (self->db_path, self->key, &error);
  if (store == NULL)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  /* Without accounts (a 0.1 store, the demo) the library signs a known
   * login in with no password, audited; never on the system bus. */
  if (self->system && !bhxh_store_accounts_required (self->store))
    {
      g_set_error_literal (&error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED,
                           _("No account exists yet: the first one is made with "
                             "InitAccounts"));
      return _bhxh_daemon_reply (invocation, FALSE, &error);
    }
  if (!bhxh_store_authenticate (store, login, password, &user, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);

  end_session (self, caller_of (invocation), "signed in again");
  session = g_new0 (Session, 1);
  session->daemon = self;
  session->sender = g_strdup (caller_of (invocation));
  session->store = g_steal_pointer (&store);
  session->user = user;
  session->last_call = g_get_monotonic_time ();
  session->claims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (sender != NULL)
    session->watch_id = g_bus_watch_name_on_connection (self->connection, sender,
                                                        G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
                                                        caller_vanished, self, NULL);
  g_hash_table_insert (self->sessions, session->sender, session);
  bhxh_desk1_complete_sign_in (iface, invocation, user->display_name, user->role);
  return TRUE;
}

static gboolean
handle_sign_out (BhxhDesk1             *iface,
                 GDBusMethodInvocation *invocation,
                 BhxhDaemon            *self)
{
  end_session (self, caller_of (invocation), "signed out");
  bhxh_desk1_complete_sign_out (iface, invocation);
  return TRUE;
}

static gboolean
filter_from_options (GVariant         *options,
                     BhxhQueueFilter  *filter,
                     GError          **error)
{
  const char *text;
  guint limit;

  if (g_variant_lookup (options, "status", "&s", &text))
    {
      BhxhDeclarationStatus status;

      if (!bhxh_status_parse (text, &status))
        {
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                       _("“%s” is not a status (pending, approved, rejected, escalated, "
                         "cancelled)"), text);
          return FALSE;
        }
      filter->status = status;
    }
  if (g_variant_lookup (options, "kind", "&s", &text))
    {
      BhxhDeclarationKind kind;

      if (!bhxh_kind_parse (text, &kind))
        {
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                       _("“%s” is not a kind (register, adjust, stop)"), text);
          return FALSE;
        }
      filter->kind = kind;
    }
  if (g_variant_lookup (options, "sort", "&s", &text) &&
      !bhxh_queue_sort_parse (text, &filter->sort))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("“%s” is not an order (submitted, name)"), text);
      return FALSE;
    }
  g_variant_lookup (options, "office", "&s", &filter->office_code);
  g_variant_lookup (options, "search", "&s", &filter->search);
  if (g_variant_lookup (options, "limit", "u", &limit))
    filter->limit = limit;
  return TRUE;
}

static gboolean
handle_list_queue (BhxhDesk1             *iface,
                   GDBusMethodInvocation *invocation,
                   GVariant              *options,
                   BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  if (!filter_from_options (options, &filter, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  return _bhxh_daemon_reply_json (invocation, bhxh_answer_queue (session->store, &filter, &error), &error);
}

static gboolean
handle_verify (BhxhDesk1             *iface,
               GDBusMethodInvocation *invocation,
               const char            *payload,
               BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  g_autoptr(BhxhDocument) document = NULL;
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  if ((document = bhxh_document_parse_scan (payload, strlen (payload), &error)) == NULL)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  return _bhxh_daemon_reply_json (invocation,
                     bhxh_answer_verify (session->store, document, session->user->login,
                                         &error),
                     &error);
}

/* The document of @options: payload, post_copy or document (JSON); %NULL
 * without error when none is given. */
static gboolean
document_from_options (GVariant      *options,
                       BhxhDocument **document,
                       GError       **error)
{
  const char *payload = NULL, *post_copy = NULL, *json = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_variant_lookup (options, "payload", "&s", &payload);
  g_variant_lookup (options, "post_copy", "&s", &post_copy);
  g_variant_lookup (options, "document", "&s", &json);
  *document = NULL;
  if ((payload != NULL) + (post_copy != NULL) + (json != NULL) > 1)
    {
      g_set_error_literal (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                           _("Give either the scanned document or the post copy's ID number"));
      return FALSE;
    }
  if (payload != NULL)
    *document = bhxh_document_parse_scan (payload, strlen (payload), error);
  else if (post_copy != NULL)
    *document = bhxh_document_new_post_copy (post_copy, error);
  else if (json != NULL)
    {
      if (!bhxh_json_depth_ok (json, strlen (json), 8) ||
          (node = json_from_string (json, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                               _("The document is not in the expected form"));
          return FALSE;
        }
      *document = bhxh_document_from_json (json_node_get_object (node), error);
      /* A chip's authentication is checked here again, on its signed
       * files, against this service's trust store: never the client's word. */
      if (*document != NULL && (*document)->kind == BHXH_DOCUMENT_CCCD_CHIP)
        {
          g_autofree char *csca_dir = bhxh_chip_default_trust_dir ();
          g_autoptr(GDateTime) now = bhxh_clock_now ();

          if (!bhxh_chip_document_verify (*document, csca_dir, now, error))
            g_clear_pointer (document, bhxh_document_free);
        }
    }
  else
    return TRUE;
  return *document != NULL;
}

/* A decision request from the D-Bus options; the clerk is the caller. */
static gboolean
request_from_options (Session              *session,
                      const char           *declaration_id,
                      const char           *outcome,
                      GVariant             *options,
                      BhxhDecisionRequest  *request,
                      BhxhDocument        **document,
                      char               ***reasons,
                      GError              **error)
{
  guint hold = 0;

  if (!bhxh_outcome_parse (outcome, &request->outcome))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("“%s” is not an outcome (approve, reject, escalate)"), outcome);
      return FALSE;
    }
  request->declaration_id = declaration_id;
  request->clerk = session->user->login;
  g_variant_lookup (options, "reasons", "^as", reasons);
  request->reason_codes = (const char * const *) *reasons;
  g_variant_lookup (options, "note", "&s", &request->note);
  g_variant_lookup (options, "override", "b", &request->override);
  g_variant_lookup (options, "hold", "u", &hold);
  request->hold_seconds = MIN (hold, BHXH_STORE_MAX_HOLD_SECONDS);
  if (!document_from_options (options, document, error))
    return FALSE;
  request->document = *document;
  return TRUE;
}

static gboolean
handle_decide (BhxhDesk1             *iface,
               GDBusMethodInvocation *invocation,
               const char            *declaration_id,
               const char            *outcome,
               GVariant              *options,
               BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, NULL);
  g_autoptr(BhxhDocument) document = NULL;
  g_auto(GStrv) reasons = NULL;
  BhxhDecisionRequest request = { 0 };
  GError *error = NULL;
  JsonNode *node;

  if (session == NULL)
    return TRUE;
  if (!request_from_options (session, declaration_id, outcome, options, &request, &document,
                             &reasons, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  node = bhxh_answer_decide (session->store, &request, &error);
  if (node != NULL)
    {
      JsonObject *object = json_node_get_object (node);

      bhxh_desk1_emit_decision_recorded (iface, json_object_get_string_member (object, "uuid"),
                                         declaration_id, outcome);
      _bhxh_daemon_release_claims (self, session, declaration_id);
    }
  return _bhxh_daemon_reply_json (invocation, node, &error);
}

static gboolean
handle_undo (BhxhDesk1             *iface,
             GDBusMethodInvocation *invocation,
             const char            *uuid,
             BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, NULL);
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply_json (invocation,
                     bhxh_answer_undo (session->store, uuid, session->user->login, &error),
                     &error);
}

static gboolean
handle_release (BhxhDesk1             *iface,
                GDBusMethodInvocation *invocation,
                const char            *uuid,
                BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply (invocation,
                bhxh_store_release_decision (session->store, uuid, &error),
                &error);
}

static gboolean
handle_verify_audit (BhxhDesk1             *iface,
                     GDBusMethodInvocation *invocation,
                     BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "supervisor");
  GError *error = NULL;
  guint64 entries = 0;
  gint64 first_bad = 0;

  if (session == NULL)
    return TRUE;
  if (!bhxh_store_audit_check (session->store, &entries, &first_bad, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  bhxh_desk1_complete_verify_audit (iface, invocation, entries, first_bad);
  return TRUE;
}

static gboolean
handle_list_users (BhxhDesk1             *iface,
                   GDBusMethodInvocation *invocation,
                   BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "supervisor");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply_json (invocation, bhxh_answer_users (session->store, &error), &error);
}

static gboolean
handle_add_user (BhxhDesk1             *iface,
                 GDBusMethodInvocation *invocation,
                 const char            *login,
                 const char            *display_name,
                 const char            *role,
                 const char            *password,
                 BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "admin");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  /* The password is checked first: no half-made account. */
  return _bhxh_daemon_reply (invocation,
                bhxh_auth_check_password (password, &error) &&
                bhxh_store_add_user (session->store, login, display_name, role, &error) &&
                bhxh_store_set_password (session->store, login, password, &error),
                &error);
}

static gboolean
handle_set_password (BhxhDesk1             *iface,
                     GDBusMethodInvocation *invocation,
                     const char            *login,
                     const char            *password,
                     BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  /* Whose password one may set is the library's rule. */
  return _bhxh_daemon_reply (invocation,
                bhxh_auth_check_password (password, &error) &&
                bhxh_store_set_password (session->store, login, password, &error),
                &error);
}

static gboolean
handle_unlock_user (BhxhDesk1             *iface,
                    GDBusMethodInvocation *invocation,
                    const char            *login,
                    BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "admin");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply (invocation, bhxh_store_unlock_user (session->store, login, &error),
                             &error);
}

static gboolean
handle_set_user_disabled (BhxhDesk1             *iface,
                          GDBusMethodInvocation *invocation,
                          const char            *login,
                          gboolean               disabled,
                          BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "admin");
  GError *error = NULL;
  gboolean ok;

  if (session == NULL)
    return TRUE;
  ok = bhxh_store_set_user_disabled (session->store, login, disabled, &error);
  /* A disabled account's sessions end now, not at its next sign-in: its
   * next call is asked to sign in, which it can no longer do. */
  if (ok && disabled)
    end_sessions_of (self, login, "account disabled");
  return _bhxh_daemon_reply (invocation, ok, &error);
}

static gboolean
handle_get_settings (BhxhDesk1             *iface,
                     GDBusMethodInvocation *invocation,
                     BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "supervisor");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply_json (invocation, bhxh_answer_settings (session->store), &error);
}

static gboolean
handle_change_settings (BhxhDesk1             *iface,
                        GDBusMethodInvocation *invocation,
                        GVariant              *changes,
                        BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "admin");
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (guint));
  GError *error = NULL;
  GVariantIter iter;
  char *key;
  guint value;

  if (session == NULL)
    return TRUE;
  g_variant_iter_init (&iter, changes);
  while (g_variant_iter_next (&iter, "{su}", &key, &value))
    {
      g_ptr_array_add (keys, key);
      g_array_append_val (values, value);
    }
  g_ptr_array_add (keys, NULL);
  if (!bhxh_store_change_settings (session->store, (const char * const *) keys->pdata,
                                   (const guint *) (gpointer) values->data, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  return _bhxh_daemon_reply_json (invocation, bhxh_answer_settings (session->store), &error);
}

/* The file a caller passed open, as a path the library can read (the
 * library reads paths; the caller's file is open here only): close @fd
 * after use. */
static char *
caller_file (GUnixFDList  *fd_list,
             GVariant     *handle,
             int          *fd,
             GError      **error)
{
  GError *local = NULL;

  *fd = fd_list != NULL ? g_unix_fd_list_get (fd_list, g_variant_get_handle (handle), &local)
                        : -1;
  if (*fd < 0)
    {
      if (local == NULL)
        g_set_error_literal (&local, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                             _("No file was passed"));
      g_propagate_error (error, local);
      return NULL;
    }
  return g_strdup_printf ("/proc/self/fd/%d", *fd);
}

static gboolean
handle_import_mirror_snapshot (BhxhDesk1             *iface,
                               GDBusMethodInvocation *invocation,
                               GUnixFDList           *fd_list,
                               GVariant              *handle,
                               const char            *signature,
                               BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "admin");
  g_autofree char *path = NULL;
  GError *error = NULL;
  guint64 count = 0;
  gboolean ok;
  int fd;

  if (session == NULL)
    return TRUE;
  if ((path = caller_file (fd_list, handle, &fd, &error)) == NULL)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  ok = bhxh_store_import_mirror_snapshot (session->store, path, signature, NULL, &count,
                                          &error);
  close (fd);
  if (!ok)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  bhxh_desk1_complete_import_mirror_snapshot (iface, invocation, NULL, count);
  return TRUE;
}

static gboolean
handle_import (BhxhDesk1             *iface,
               GDBusMethodInvocation *invocation,
               GUnixFDList           *fd_list,
               const char            *kind,
               GVariant              *handle,
               BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "admin");
  g_autofree char *path = NULL;
  GError *error = NULL;
  guint64 count = 0;
  guint imported = 0;
  gboolean ok;
  int fd;

  if (session == NULL)
    return TRUE;
  if ((path = caller_file (fd_list, handle, &fd, &error)) == NULL)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  if (g_str_equal (kind, "mirror"))
    ok = bhxh_store_import_mirror (session->store, path, BHXH_MIRROR_FORMAT_AUTO, NULL, NULL,
                                   NULL, NULL, &count, &error);
  else if (g_str_equal (kind, "declarations"))
    {
      ok = bhxh_store_import_declarations (session->store, path, &imported, &error);
      count = imported;
    }
  else
    {
      ok = FALSE;
      g_set_error (&error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("“%s” is not something to import (mirror, declarations)"), kind);
    }
  close (fd);
  if (!ok)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  bhxh_desk1_complete_import (iface, invocation, NULL, count);
  return TRUE;
}

/* The counter's screens (the GUI, docs/service.md). */

static gboolean
handle_describe (BhxhDesk1             *iface,
                 GDBusMethodInvocation *invocation,
                 BhxhDaemon            *self)
{
  GError *error = NULL;

  return _bhxh_daemon_reply_json (invocation, bhxh_answer_describe (self->store, &error), &error);
}

static gboolean
handle_sign_in_status (BhxhDesk1             *iface,
                       GDBusMethodInvocation *invocation,
                       const char            *login,
                       BhxhDaemon            *self)
{
  g_autoptr(GPtrArray) statuses = bhxh_store_list_user_status (self->store, NULL);
  guint max = bhxh_store_get_setting (self->store, BHXH_META_MAX_FAILURES);
  g_autofree char *locked_until = NULL;
  guint attempts_left = 0;

  for (guint i = 0; statuses != NULL && i < statuses->len; i++)
    {
      const BhxhUserStatus *status = g_ptr_array_index (statuses, i);

      if (g_strcmp0 (status->login, login) != 0)
        continue;
      if (status->locked_until != NULL)
        {
          g_autoptr(GDateTime) office = bhxh_clock_to_office (status->locked_until);

          locked_until = bhxh_date_time_to_string (office);
        }
      else if (max > status->failures)
        attempts_left = max - status->failures;
    }
  bhxh_desk1_complete_sign_in_status (iface, invocation, attempts_left,
                                      locked_until != NULL ? locked_until : "");
  return TRUE;
}

static gboolean
handle_list_reason_codes (BhxhDesk1             *iface,
                          GDBusMethodInvocation *invocation,
                          BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply_json (invocation, bhxh_answer_reason_codes (session->store, &error), &error);
}

static gboolean
handle_list_offices (BhxhDesk1             *iface,
                     GDBusMethodInvocation *invocation,
                     BhxhDaemon            *self)
{
  GError *error = NULL;

  return _bhxh_daemon_reply_json (invocation, bhxh_answer_offices (self->store, &error), &error);
}

static gboolean
handle_find_open (BhxhDesk1             *iface,
                  GDBusMethodInvocation *invocation,
                  const char            *id_number,
                  BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply_json (invocation, bhxh_answer_find_open (session->store, id_number, &error),
                     &error);
}

static gboolean
handle_check (BhxhDesk1             *iface,
              GDBusMethodInvocation *invocation,
              const char            *declaration_id,
              GVariant              *options,
              BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  g_autoptr(BhxhDeclaration) declaration = NULL;
  g_autoptr(BhxhDocument) document = NULL;
  g_autoptr(BhxhCheck) check = NULL;
  BhxhDate today = bhxh_clock_today ();
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  if (!document_from_options (options, &document, &error) ||
      (declaration = bhxh_store_get_declaration (session->store, declaration_id,
                                                 &error)) == NULL ||
      (check = bhxh_store_check_declaration (session->store, declaration, document, &today,
                                             &error)) == NULL)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  return _bhxh_daemon_reply_json (invocation, bhxh_check_to_json (check), &error);
}

static gboolean
handle_note_viewed (BhxhDesk1             *iface,
                    GDBusMethodInvocation *invocation,
                    const char            *declaration_id,
                    BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply (invocation,
                bhxh_store_note_viewed (session->store, session->user->login, declaration_id,
                                        &error),
                &error);
}

static gboolean
handle_get_declaration_portrait (BhxhDesk1             *iface,
                                 GDBusMethodInvocation *invocation,
                                 const char            *declaration_id,
                                 BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  g_autoptr(GBytes) image = NULL;
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  if (!bhxh_store_dup_declaration_portrait (session->store, session->user->login,
                                            declaration_id, &image, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  if (image == NULL)
    image = g_bytes_new (NULL, 0);
  bhxh_desk1_complete_get_declaration_portrait (
    iface, invocation, g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, image, TRUE));
  return TRUE;
}

static gboolean
handle_day (BhxhDesk1             *iface,
            GDBusMethodInvocation *invocation,
            const char            *date_text,
            BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "supervisor");
  BhxhDate date;
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  if (!bhxh_date_parse (date_text, &date, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  return _bhxh_daemon_reply_json (invocation, bhxh_answer_day (session->store, &date, &error), &error);
}

static gboolean
handle_decide_many (BhxhDesk1             *iface,
                    GDBusMethodInvocation *invocation,
                    const char * const    *declaration_ids,
                    const char            *outcome,
                    GVariant              *options,
                    BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "supervisor");
  g_auto(GStrv) reasons = NULL;
  g_autoptr(BhxhDocument) document = NULL;
  BhxhDecisionRequest request = { 0 };
  GError *error = NULL;
  guint done = 0;

  if (session == NULL)
    return TRUE;
  if (!request_from_options (session, "", outcome, options, &request, &document, &reasons,
                             &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  for (guint i = 0; declaration_ids[i] != NULL; i++)
    {
      g_autoptr(BhxhDecision) decision = NULL;

      request.declaration_id = declaration_ids[i];
      if ((decision = bhxh_store_decide (session->store, &request, &error)) == NULL)
        return _bhxh_daemon_reply (invocation, FALSE, &error);
      bhxh_desk1_emit_decision_recorded (iface, decision->uuid, decision->declaration_id,
                                         outcome);
      done++;
    }
  bhxh_desk1_complete_decide_many (iface, invocation, done);
  return TRUE;
}

static gboolean
handle_reassign (BhxhDesk1             *iface,
                 GDBusMethodInvocation *invocation,
                 const char            *declaration_id,
                 const char            *clerk,
                 BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "supervisor");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply (invocation,
                bhxh_store_reassign (session->store, declaration_id, clerk,
                                     session->user->login, &error),
                &error);
}

static gboolean
handle_get_status (BhxhDesk1             *iface,
                   GDBusMethodInvocation *invocation,
                   BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  GError *error = NULL;

  if (session == NULL)
    return TRUE;
  return _bhxh_daemon_reply_json (invocation, bhxh_answer_status (session->store, &error), &error);
}

/* A file's bytes passed back open: a sealed memfd in the reply's fd list. */
static gboolean
reply_with_file (GDBusMethodInvocation  *invocation,
                 GBytes                 *bytes,
                 const char             *name,
                 GUnixFDList           **out,
                 gint32                 *handle,
                 GError                **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  int fd = bhxh_memfd_new_from_data (name, data, size, TRUE);
  int index;

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return FALSE;
    }
  *out = g_unix_fd_list_new ();
  index = g_unix_fd_list_append (*out, fd, error);
  close (fd);
  if (index < 0)
    {
      g_clear_object (out);
      return FALSE;
    }
  *handle = index;
  return TRUE;
}

static gboolean
handle_render_paper (BhxhDesk1             *iface,
                     GDBusMethodInvocation *invocation,
                     GUnixFDList           *fd_list,
                     const char            *kind_text,
                     const char            *key,
                     BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "clerk");
  g_autoptr(GUnixFDList) out = NULL;
  g_autoptr(GBytes) pdf = NULL;
  GError *error = NULL;
  BhxhPaperKind kind;
  guint pages = 0;
  gint32 handle = -1;

  if (session == NULL)
    return TRUE;
  if (!bhxh_paper_kind_parse (kind_text, &kind))
    {
      g_set_error (&error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("“%s” is not a paper (form01, receipt, rejection, daily-report)"),
                   kind_text);
      return _bhxh_daemon_reply (invocation, FALSE, &error);
    }
  if ((pdf = bhxh_paper_render_from_store (session->store, kind, key, &pages, &error)) == NULL)
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  if (!reply_with_file (invocation, pdf, "bhxh-paper", &out, &handle, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  bhxh_desk1_complete_render_paper (iface, invocation, out, g_variant_new_handle (handle), pages);
  return TRUE;
}

static gboolean
handle_export_decisions (BhxhDesk1             *iface,
                         GDBusMethodInvocation *invocation,
                         GUnixFDList           *fd_list,
                         const char            *date,
                         const char            *format_text,
                         BhxhDaemon            *self)
{
  Session *session = _bhxh_daemon_session_of (self, invocation, "supervisor");
  g_autoptr(GUnixFDList) out = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  BhxhExportFormat format;
  guint n_rows = 0;
  gint32 handle = -1;

  if (session == NULL)
    return TRUE;
  if (!bhxh_export_format_parse (format_text, &format))
    {
      g_set_error (&error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("“%s” is not an export format (csv, xlsx)"), format_text);
      return _bhxh_daemon_reply (invocation, FALSE, &error);
    }
  bytes = bhxh_export_decisions_from_store (session->store, date, format, &n_rows, &error);
  if (bytes == NULL || !reply_with_file (invocation, bytes, "bhxh-export", &out, &handle, &error))
    return _bhxh_daemon_reply (invocation, FALSE, &error);
  bhxh_desk1_complete_export_decisions (iface, invocation, out, g_variant_new_handle (handle),
                                        n_rows);
  return TRUE;
}

/* Public. */

BhxhDaemon *
bhxh_daemon_new (const char          *db_path,
                 const BhxhCryptKey  *key,
                 gboolean             system,
                 guint                idle_timeout,
                 GError             **error)
{
  g_autoptr(BhxhDaemon) self = g_object_new (BHXH_TYPE_DAEMON, NULL);

  g_return_val_if_fail (db_path != NULL, NULL);

  self->db_path = g_strdup (db_path);
  self->key = key;
  self->system = system;
  self->idle_timeout = MAX (idle_timeout, 1);
  self->store = bhxh_store_open_with_key (db_path, key, error);
  if (self->store == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
bhxh_daemon_export (BhxhDaemon       *self,
                    GDBusConnection  *connection,
                    GError          **error)
{
  g_return_val_if_fail (BHXH_IS_DAEMON (self), FALSE);

  bhxh_service_errors_register ();
  self->connection = g_object_ref (connection);
  self->skeleton = bhxh_desk1_skeleton_new ();
  bhxh_desk1_set_version (self->skeleton, PACKAGE_VERSION);
  bhxh_desk1_set_idle_timeout (self->skeleton, self->idle_timeout);
  g_signal_connect (self->skeleton, "handle-init-accounts",
                    G_CALLBACK (handle_init_accounts), self);
  g_signal_connect (self->skeleton, "handle-sign-in", G_CALLBACK (handle_sign_in), self);
  g_signal_connect (self->skeleton, "handle-sign-out", G_CALLBACK (handle_sign_out), self);
  g_signal_connect (self->skeleton, "handle-list-queue", G_CALLBACK (handle_list_queue), self);
  g_signal_connect (self->skeleton, "handle-verify", G_CALLBACK (handle_verify), self);
  g_signal_connect (self->skeleton, "handle-decide", G_CALLBACK (handle_decide), self);
  g_signal_connect (self->skeleton, "handle-undo", G_CALLBACK (handle_undo), self);
  g_signal_connect (self->skeleton, "handle-release", G_CALLBACK (handle_release), self);
  g_signal_connect (self->skeleton, "handle-verify-audit",
                    G_CALLBACK (handle_verify_audit), self);
  g_signal_connect (self->skeleton, "handle-list-users", G_CALLBACK (handle_list_users), self);
  g_signal_connect (self->skeleton, "handle-add-user", G_CALLBACK (handle_add_user), self);
  g_signal_connect (self->skeleton, "handle-set-password", G_CALLBACK (handle_set_password),
                    self);
  g_signal_connect (self->skeleton, "handle-unlock-user", G_CALLBACK (handle_unlock_user), self);
  g_signal_connect (self->skeleton, "handle-set-user-disabled",
                    G_CALLBACK (handle_set_user_disabled), self);
  g_signal_connect (self->skeleton, "handle-get-settings", G_CALLBACK (handle_get_settings),
                    self);
  g_signal_connect (self->skeleton, "handle-change-settings",
                    G_CALLBACK (handle_change_settings), self);
  g_signal_connect (self->skeleton, "handle-import", G_CALLBACK (handle_import), self);
  g_signal_connect (self->skeleton, "handle-import-mirror-snapshot",
                    G_CALLBACK (handle_import_mirror_snapshot), self);
  g_signal_connect (self->skeleton, "handle-describe", G_CALLBACK (handle_describe), self);
  g_signal_connect (self->skeleton, "handle-sign-in-status",
                    G_CALLBACK (handle_sign_in_status), self);
  g_signal_connect (self->skeleton, "handle-list-reason-codes",
                    G_CALLBACK (handle_list_reason_codes), self);
  g_signal_connect (self->skeleton, "handle-list-offices",
                    G_CALLBACK (handle_list_offices), self);
  g_signal_connect (self->skeleton, "handle-find-open", G_CALLBACK (handle_find_open), self);
  g_signal_connect (self->skeleton, "handle-check", G_CALLBACK (handle_check), self);
  g_signal_connect (self->skeleton, "handle-note-viewed", G_CALLBACK (handle_note_viewed), self);
  g_signal_connect (self->skeleton, "handle-day", G_CALLBACK (handle_day), self);
  g_signal_connect (self->skeleton, "handle-get-declaration-portrait",
                    G_CALLBACK (handle_get_declaration_portrait), self);
  g_signal_connect (self->skeleton, "handle-decide-many", G_CALLBACK (handle_decide_many), self);
  g_signal_connect (self->skeleton, "handle-reassign", G_CALLBACK (handle_reassign), self);
  g_signal_connect (self->skeleton, "handle-get-status", G_CALLBACK (handle_get_status), self);
  g_signal_connect (self->skeleton, "handle-render-paper",
                    G_CALLBACK (handle_render_paper), self);
  g_signal_connect (self->skeleton, "handle-export-decisions",
                    G_CALLBACK (handle_export_decisions), self);
  _bhxh_daemon_export_portal (self);
  self->idle_source = g_timeout_add_seconds (MAX (self->idle_timeout / 4, 1), expire_idle,
                                             self);
  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                           connection, BHXH_SERVICE_PATH, error);
}

/* The demo's store: filled with the demo office on first start (no user,
 * no person yet), as `bhxh-desk --demo` did in-process before. */
gboolean
bhxh_daemon_ensure_demo (BhxhDaemon  *self,
                         GError     **error)
{
  g_autoptr(GPtrArray) users = NULL;

  g_return_val_if_fail (BHXH_IS_DAEMON (self), FALSE);

  if ((users = bhxh_store_list_users (self->store, error)) == NULL)
    return FALSE;
  if (users->len > 0 || bhxh_store_count_persons (self->store) > 0)
    return TRUE;
  return bhxh_demo_create (self->store, NULL, 0, error);
}

guint
bhxh_daemon_get_n_sessions (BhxhDaemon *self)
{
  g_return_val_if_fail (BHXH_IS_DAEMON (self), 0);

  return g_hash_table_size (self->sessions);
}
