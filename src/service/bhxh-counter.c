/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gunixfdlist.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-date.h"
#include "core/bhxh-json.h"
#include "core/bhxh-memfd.h"
#include "store/bhxh-auth.h"
#include "sync/bhxh-sync.h"
#include "bhxh-counter.h"
#include "bhxh-desk1.h"
#include "bhxh-service-errors.h"

struct _BhxhCounter
{
  GObject      parent_instance;

  BhxhDesk1   *proxy;
  GSubprocess *service;        /* the private bhxh-deskd, or NULL */
  char        *login;
  char        *display_name;
  char        *role;
  GPtrArray   *reason_codes;   /* (element-type BhxhReasonCode) */
  guint        syncs;
  char        *today;          /* the service's day, YYYY-MM-DD */
  char        *held_uuid;      /* this session's decision in its undo window */
  guint        held_timeout_id;
  char        *block_message;  /* the safety stop's reason; set: approvals blocked */
};

enum {
  PROP_0,
  PROP_LOGIN,
  PROP_DISPLAY_NAME,
  PROP_ROLE,
  PROP_SUPERVISOR,
  PROP_REASON_CODES,
  PROP_SYNCING,
  PROP_TODAY,
  PROP_CAN_UNDO,
  PROP_APPROVALS_BLOCKED,
  PROP_BLOCK_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SYNC_PROGRESS,
  SESSION_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhCounter, bhxh_counter, G_TYPE_OBJECT)

static void
bhxh_counter_dispose (GObject *object)
{
  BhxhCounter *self = BHXH_COUNTER (object);

  if (self->proxy != NULL && self->service != NULL)
    {
      /* Closing the connection ends the private service. */
      g_dbus_connection_close (g_dbus_proxy_get_connection (G_DBUS_PROXY (self->proxy)),
                               NULL, NULL, NULL);
    }
  g_clear_handle_id (&self->held_timeout_id, g_source_remove);
  g_clear_object (&self->proxy);
  /* It closes the store and exits at once: wait, so that whoever comes
   * next (the app's exit, a test removing the folder) finds it closed. */
  if (self->service != NULL)
    g_subprocess_wait (self->service, NULL, NULL);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (bhxh_counter_parent_class)->dispose (object);
}

static void
bhxh_counter_finalize (GObject *object)
{
  BhxhCounter *self = BHXH_COUNTER (object);

  g_free (self->login);
  g_free (self->display_name);
  g_free (self->role);
  g_clear_pointer (&self->reason_codes, g_ptr_array_unref);
  g_free (self->today);
  g_free (self->held_uuid);
  g_free (self->block_message);

  G_OBJECT_CLASS (bhxh_counter_parent_class)->finalize (object);
}

static void
bhxh_counter_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BhxhCounter *self = BHXH_COUNTER (object);

  switch (prop_id)
    {
    case PROP_LOGIN:
      g_value_set_string (value, self->login);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    case PROP_SUPERVISOR:
      g_value_set_boolean (value, bhxh_counter_get_supervisor (self));
      break;
    case PROP_REASON_CODES:
      g_value_set_boxed (value, self->reason_codes);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncs > 0);
      break;
    case PROP_TODAY:
      g_value_set_string (value, self->today);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->held_uuid != NULL);
      break;
    case PROP_APPROVALS_BLOCKED:
      g_value_set_boolean (value, self->block_message != NULL);
      break;
    case PROP_BLOCK_MESSAGE:
      g_value_set_string (value, self->block_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_counter_class_init (BhxhCounterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bhxh_counter_dispose;
  object_class->finalize = bhxh_counter_finalize;
  object_class->get_property = bhxh_counter_get_property;

  properties[PROP_LOGIN] =
    g_param_spec_string ("login", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUPERVISOR] =
    g_param_spec_boolean ("supervisor", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON_CODES] =
    g_param_spec_boxed ("reason-codes", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The service's calendar day (YYYY-MM-DD): the queue's ages and the
   * supervisor's day follow it; it changes at midnight as GetStatus says. */
  properties[PROP_TODAY] =
    g_param_spec_string ("today", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* This session's last decision is in its undo window. */
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The safety stop holds approvals (too long without a sync, a stale
   * mirror); "block-message" says why. */
  properties[PROP_APPROVALS_BLOCKED] =
    g_param_spec_boolean ("approvals-blocked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOCK_MESSAGE] =
    g_param_spec_string ("block-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BhxhCounter::sync-progress:
   * @stage: the BhxhSyncStage the service is in
   * @done: how far it is
   * @total: out of how much (0: unknown)
   *
   * While a sync of this counter's service runs.
   */
  signals[SYNC_PROGRESS] =
    g_signal_new ("sync-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_UINT64, G_TYPE_UINT64);

  /**
   * BhxhCounter::session-ended:
   *
   * The service ended the signed-in user's session on its side (an admin
   * disabled the account, or it was idle past the service's limit): a
   * call answered "sign in first". Emitted once, before the call's own
   * error is returned; the counter is signed out afterwards.
   */
  signals[SESSION_ENDED] =
    g_signal_new ("session-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
proxy_sync_progress_cb (BhxhDesk1   *proxy,
                        const char  *stage_name,
                        guint64      done,
                        guint64      total,
                        BhxhCounter *self)
{
  BhxhSyncStage stage;

  if (bhxh_sync_stage_parse (stage_name, &stage))
    g_signal_emit (self, signals[SYNC_PROGRESS], 0, (int) stage, done, total);
}

static void
bhxh_counter_init (BhxhCounter *self)
{
  BhxhDate today = bhxh_clock_today ();

  self->today = bhxh_date_to_iso (&today);
}

static void
set_held (BhxhCounter *self,
          const char  *uuid,
          guint        seconds);

static gboolean
held_timeout_cb (gpointer user_data)
{
  BhxhCounter *self = user_data;

  self->held_timeout_id = 0;
  set_held (self, NULL, 0);
  return G_SOURCE_REMOVE;
}

/* The decision this session may still undo, for @seconds (NULL: none). */
static void
set_held (BhxhCounter *self,
          const char  *uuid,
          guint        seconds)
{
  gboolean could = self->held_uuid != NULL;

  g_clear_handle_id (&self->held_timeout_id, g_source_remove);
  g_free (self->held_uuid);
  self->held_uuid = g_strdup (uuid);
  /* A precise timer, not g_timeout_add_seconds(): that one may fire early
   * (its first call is rounded to the session's second), and the window
   * must not close here before the service's has (its hold ends within a
   * second of the decision, which came before this answer). */
  if (uuid != NULL)
    self->held_timeout_id = g_timeout_add (MAX (seconds, 1) * 1000, held_timeout_cb, self);
  if (could != (uuid != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
}

/* Ends the undo window of @uuid as soon as the service is asked to. */
static void
unhold (BhxhCounter *self,
        const char  *uuid)
{
  if (self->held_uuid != NULL && g_strcmp0 (self->held_uuid, uuid) == 0)
    set_held (self, NULL, 0);
}

static void
set_string_property (BhxhCounter  *self,
                     char        **field,
                     const char   *value,
                     guint         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Results. */

void
bhxh_counter_info_free (BhxhCounterInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->users, g_ptr_array_unref);
  g_free (info);
}

void
bhxh_counter_status_free (BhxhCounterStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->mirror_version);
  g_clear_pointer (&status->mirror_imported_at, g_date_time_unref);
  g_free (status->last_sync);
  g_free (status->office);
  g_free (status->last_attempt);
  g_free (status->portal_url);
  g_free (status->safety_message);
  g_free (status);
}

void
bhxh_counter_day_free (BhxhCounterDay *day)
{
  if (day == NULL)
    return;
  g_clear_pointer (&day->decisions, g_ptr_array_unref);
  g_clear_pointer (&day->escalations, g_ptr_array_unref);
  g_clear_pointer (&day->clerks, g_ptr_array_unref);
  g_clear_pointer (&day->reassignments, g_ptr_array_unref);
  g_free (day);
}

static void
reassignment_free (BhxhCounterReassignment *r)
{
  g_free (r->declaration_id);
  g_free (r->full_name);
  g_clear_pointer (&r->at, g_date_time_unref);
  g_free (r->by_name);
  g_free (r->to_name);
  g_free (r);
}

void
bhxh_counter_sync_free (BhxhCounterSync *sync)
{
  if (sync == NULL)
    return;
  g_clear_pointer (&sync->errors, g_ptr_array_unref);
  g_free (sync);
}

/* Starting. */

static void
proxy_ready (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhxhCounter *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->proxy = bhxh_desk1_proxy_new_finish (result, &error);
  if (self->proxy == NULL)
    g_task_return_error (task, error);
  else
    {
      /* The service answers as fast as the store does; never give up on
       * a long sync or a big paper. */
      g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (self->proxy), G_MAXINT);
      g_signal_connect_object (self->proxy, "sync-progress",
                               G_CALLBACK (proxy_sync_progress_cb), self, 0);
      g_task_return_pointer (task, g_object_ref (self), g_object_unref);
    }
}

static void
peer_ready (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GDBusConnection) connection = NULL;
  GError *error = NULL;

  connection = g_dbus_connection_new_finish (result, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  bhxh_desk1_proxy_new (connection, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES, NULL,
                        BHXH_SERVICE_PATH, g_task_get_cancellable (task), proxy_ready,
                        g_object_ref (task));
}

/* The service beside this program in the build tree, else the installed. */
static char *
find_service (void)
{
  const char *env = g_getenv ("BHXH_DESKD");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_build_filename (LIBEXECDIR, "bhxh-deskd", NULL);
}

void
bhxh_counter_new_private_async (const char          *db_path,
                                gboolean             demo,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(BhxhCounter) self = g_object_new (BHXH_TYPE_COUNTER, NULL);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) stream = NULL;
  g_autofree char *service = find_service ();
  GError *error = NULL;
  int fds[2];

  g_return_if_fail (db_path != NULL);

  bhxh_service_errors_register ();
  g_task_set_source_tag (task, bhxh_counter_new_private_async);
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               "%s", g_strerror (saved));
      return;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  self->service = g_subprocess_launcher_spawn (launcher, &error, service, "--session",
                                               "--db", db_path, "--peer-fd", "3",
                                               demo ? "--demo" : NULL, NULL);
  if (self->service == NULL)
    {
      close (fds[0]);
      g_prefix_error (&error, _("Cannot start the counter service: "));
      g_task_return_error (task, error);
      return;
    }
  socket = g_socket_new_from_fd (fds[0], &error);
  if (socket == NULL)
    {
      close (fds[0]);
      g_task_return_error (task, error);
      return;
    }
  stream = g_socket_connection_factory_create_connection (socket);
  g_dbus_connection_new (G_IO_STREAM (stream), NULL,
                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL, cancellable,
                         peer_ready, g_steal_pointer (&task));
}

void
bhxh_counter_new_system_async (GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(BhxhCounter) self = g_object_new (BHXH_TYPE_COUNTER, NULL);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  bhxh_service_errors_register ();
  g_task_set_source_tag (task, bhxh_counter_new_private_async);
  bhxh_desk1_proxy_new_for_bus (G_BUS_TYPE_SYSTEM, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                BHXH_SERVICE_NAME, BHXH_SERVICE_PATH, cancellable,
                                proxy_ready, task);
}

BhxhCounter *
bhxh_counter_new_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* State. */

const char *
bhxh_counter_get_login (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), NULL);
  return self->login;
}

const char *
bhxh_counter_get_display_name (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), NULL);
  return self->display_name;
}

const char *
bhxh_counter_get_role (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), NULL);
  return self->role;
}

/* An admin may do what a supervisor may (the service checks the roles). */
gboolean
bhxh_counter_get_supervisor (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), FALSE);
  return g_strcmp0 (self->role, "supervisor") == 0 || g_strcmp0 (self->role, "admin") == 0;
}

GPtrArray *
bhxh_counter_get_reason_codes (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), NULL);
  return self->reason_codes;
}

gboolean
bhxh_counter_get_syncing (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), FALSE);
  return self->syncs > 0;
}

BhxhDate
bhxh_counter_get_today (BhxhCounter *self)
{
  BhxhDate today = { 0 };

  g_return_val_if_fail (BHXH_IS_COUNTER (self), today);
  if (self->today == NULL || !bhxh_date_parse_iso_len (self->today, strlen (self->today), &today))
    today = bhxh_clock_today ();
  return today;
}

gboolean
bhxh_counter_get_can_undo (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), FALSE);
  return self->held_uuid != NULL;
}

gboolean
bhxh_counter_get_approvals_blocked (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), FALSE);
  return self->block_message != NULL;
}

const char *
bhxh_counter_get_block_message (BhxhCounter *self)
{
  g_return_val_if_fail (BHXH_IS_COUNTER (self), NULL);
  return self->block_message;
}

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **target,
         const char  *value)
{
  if (g_strcmp0 (*target, value) == 0)
    return FALSE;
  g_free (*target);
  *target = g_strdup (value);
  return TRUE;
}

static void
set_user (BhxhCounter *self,
          const char  *login,
          const char  *display_name,
          const char  *role)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (set_str (&self->login, login))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGIN]);
  if (set_str (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
  if (set_str (&self->role, role))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUPERVISOR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Calls: each one is a D-Bus call whose reply a Parse function turns into
 * the library's type, in the calling thread (small answers). */

typedef gpointer (*Parse) (BhxhCounter  *self,
                           GVariant     *reply,
                           GUnixFDList  *fds,
                           GTask        *task,
                           GError      **error);

typedef struct
{
  Parse           parse;
  GDestroyNotify  result_free;
} Call;

static void
strip_remote (GError *error)
{
  if (error != NULL && g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);
}

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhxhCounter *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;
  gpointer value;

  reply = g_dbus_proxy_call_with_unix_fd_list_finish (G_DBUS_PROXY (source), &fds, result,
                                                      &error);
  if (reply == NULL)
    {
      strip_remote (error);
      if (self->login != NULL &&
          g_error_matches (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED))
        {
          g_signal_emit (self, signals[SESSION_ENDED], 0);
          set_held (self, NULL, 0);
          set_user (self, NULL, NULL, NULL);
        }
      g_task_return_error (task, error);
      return;
    }
  value = call->parse (self, reply, fds, task, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, call->result_free);
}

static void
call (BhxhCounter         *self,
      gpointer             source_tag,
      const char          *method,
      GVariant            *parameters,
      Parse                parse,
      GDestroyNotify       result_free,
      gpointer             task_data,
      GDestroyNotify       task_data_free,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *data = g_new0 (Call, 1);

  data->parse = parse;
  data->result_free = result_free;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, g_free);
  if (task_data != NULL)
    g_object_set_data_full (G_OBJECT (task), "data", task_data, task_data_free);
  g_dbus_proxy_call_with_unix_fd_list (G_DBUS_PROXY (self->proxy), method, parameters,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, cancellable,
                                       call_done, task);
}

static gpointer
finish (BhxhCounter   *self,
        GAsyncResult  *result,
        gpointer       source_tag,
        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (BhxhCounter   *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_autoptr(GError) local = NULL;

  finish (self, result, source_tag, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static gpointer
parse_nothing (BhxhCounter  *self,
               GVariant     *reply,
               GUnixFDList  *fds,
               GTask        *task,
               GError      **error)
{
  return NULL;
}

/* The JSON answer "(s)" as a node of @type. */
static JsonNode *
reply_json (GVariant     *reply,
            JsonNodeType  type,
            GError      **error)
{
  const char *text;
  JsonNode *node;

  g_variant_get (reply, "(&s)", &text);
  node = json_from_string (text, NULL);
  if (node == NULL || JSON_NODE_TYPE (node) != type)
    {
      g_clear_pointer (&node, json_node_unref);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The counter service gave an answer this program cannot read"));
    }
  return node;
}

static GPtrArray *
users_from_json (JsonArray *array)
{
  GPtrArray *users = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_user_free);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      BhxhUser *user;

      if (object == NULL)
        continue;
      user = g_new0 (BhxhUser, 1);
      user->login = g_strdup (json_object_get_string_member_with_default (object, "login", ""));
      user->display_name = g_strdup (json_object_get_string_member_with_default (object,
                                                                                 "display_name",
                                                                                 user->login));
      user->role = g_strdup (json_object_get_string_member_with_default (object, "role",
                                                                         "clerk"));
      g_ptr_array_add (users, user);
    }
  return users;
}

static GPtrArray *
declarations_from_json (JsonArray   *array,
                        GHashTable  *assignments,
                        GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              bhxh_declaration_free);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      BhxhDeclaration *d = object != NULL ? bhxh_declaration_from_json (object, error) : NULL;
      const char *assignee;

      if (d == NULL)
        return NULL;
      g_ptr_array_add (list, d);
      assignee = json_object_get_string_member_with_default (object, "assignee", NULL);
      if (assignments != NULL && assignee != NULL)
        g_hash_table_insert (assignments, g_strdup (d->id), g_strdup (assignee));
    }
  return g_steal_pointer (&list);
}

/* Describe. */

static gpointer
parse_describe (BhxhCounter  *self,
                GVariant     *reply,
                GUnixFDList  *fds,
                GTask        *task,
                GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);
  BhxhCounterInfo *info;
  JsonObject *object;

  if (node == NULL)
    return NULL;
  object = json_node_get_object (node);
  info = g_new0 (BhxhCounterInfo, 1);
  info->accounts_required = json_object_get_boolean_member_with_default (object,
                                                                         "accounts_required",
                                                                         TRUE);
  info->idle_lock_minutes = json_object_get_int_member_with_default (object,
                                                                     "idle_lock_minutes", 0);
  info->users = users_from_json (bhxh_json_get_array (object, "users"));
  return info;
}

void
bhxh_counter_describe_async (BhxhCounter         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  call (self, bhxh_counter_describe_async, "Describe", NULL, parse_describe,
        (GDestroyNotify) bhxh_counter_info_free, NULL, NULL, cancellable, callback, user_data);
}

BhxhCounterInfo *
bhxh_counter_describe_finish (BhxhCounter   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish (self, result, bhxh_counter_describe_async, error);
}

/* Signing in and out. */

typedef struct
{
  char      *login;
  guint      attempts_left;
  GDateTime *locked_until;
  GError    *error;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->login);
  g_clear_pointer (&sign_in->locked_until, g_date_time_unref);
  g_clear_error (&sign_in->error);
  g_free (sign_in);
}

static void
sign_in_status_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autofree char *locked_until = NULL;

  if (bhxh_desk1_call_sign_in_status_finish (BHXH_DESK1 (source), &sign_in->attempts_left,
                                             &locked_until, result, NULL) &&
      locked_until[0] != '\0')
    sign_in->locked_until = g_date_time_new_from_iso8601 (locked_until, NULL);
  g_task_return_error (task, g_steal_pointer (&sign_in->error));
}

static void
sign_in_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhxhCounter *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autofree char *display_name = NULL, *role = NULL;

  if (!bhxh_desk1_call_sign_in_finish (BHXH_DESK1 (source), &display_name, &role, result,
                                       &sign_in->error))
    {
      strip_remote (sign_in->error);
      /* What the person may be told: attempts left, or until when. */
      bhxh_desk1_call_sign_in_status (self->proxy, sign_in->login, NULL, sign_in_status_done,
                                      g_steal_pointer (&task));
      return;
    }
  set_user (self, sign_in->login, display_name, role);
  g_task_return_boolean (task, TRUE);
}

void
bhxh_counter_sign_in_async (BhxhCounter         *self,
                            const char          *login,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SignIn *sign_in = g_new0 (SignIn, 1);

  sign_in->login = g_strdup (login);
  g_task_set_source_tag (task, bhxh_counter_sign_in_async);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  bhxh_desk1_call_sign_in (self->proxy, login, password != NULL ? password : "", cancellable,
                           sign_in_done, task);
}

gboolean
bhxh_counter_sign_in_finish (BhxhCounter   *self,
                             GAsyncResult  *result,
                             guint         *attempts_left,
                             GDateTime    **locked_until,
                             GError       **error)
{
  SignIn *sign_in;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  sign_in = g_task_get_task_data (G_TASK (result));
  if (attempts_left != NULL)
    *attempts_left = sign_in->attempts_left;
  if (locked_until != NULL)
    *locked_until = sign_in->locked_until != NULL ? g_date_time_ref (sign_in->locked_until)
                                                  : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bhxh_counter_sign_out (BhxhCounter *self)
{
  g_return_if_fail (BHXH_IS_COUNTER (self));

  if (self->login == NULL)
    return;
  bhxh_desk1_call_sign_out (self->proxy, NULL, NULL, NULL);
  set_held (self, NULL, 0);
  set_user (self, NULL, NULL, NULL);
}

/* Reference lists. */

static gpointer
parse_reason_codes (BhxhCounter  *self,
                    GVariant     *reply,
                    GUnixFDList  *fds,
                    GTask        *task,
                    GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_ARRAY, error);
  JsonArray *array;
  GPtrArray *codes;

  if (node == NULL)
    return NULL;
  array = json_node_get_array (node);
  codes = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_reason_code_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      BhxhReasonCode *code;

      if (object == NULL)
        continue;
      code = g_new0 (BhxhReasonCode, 1);
      code->code = g_strdup (json_object_get_string_member_with_default (object, "code", ""));
      code->label = g_strdup (json_object_get_string_member_with_default (object, "label",
                                                                          code->code));
      g_ptr_array_add (codes, code);
    }
  g_clear_pointer (&self->reason_codes, g_ptr_array_unref);
  self->reason_codes = g_ptr_array_ref (codes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON_CODES]);
  return codes;
}

void
bhxh_counter_list_reason_codes_async (BhxhCounter         *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  call (self, bhxh_counter_list_reason_codes_async, "ListReasonCodes", NULL,
        parse_reason_codes, (GDestroyNotify) g_ptr_array_unref, NULL, NULL, cancellable,
        callback, user_data);
}

GPtrArray *
bhxh_counter_list_reason_codes_finish (BhxhCounter   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return finish (self, result, bhxh_counter_list_reason_codes_async, error);
}

static gpointer
parse_offices (BhxhCounter  *self,
               GVariant     *reply,
               GUnixFDList  *fds,
               GTask        *task,
               GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_ARRAY, error);
  JsonArray *array;
  GPtrArray *offices;

  if (node == NULL)
    return NULL;
  array = json_node_get_array (node);
  offices = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_office_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      BhxhOffice *office;

      if (object == NULL)
        continue;
      office = g_new0 (BhxhOffice, 1);
      office->code = g_strdup (json_object_get_string_member_with_default (object, "code", ""));
      office->parent_code = g_strdup (json_object_get_string_member_with_default (object,
                                                                                  "parent_code",
                                                                                  NULL));
      office->name = g_strdup (json_object_get_string_member_with_default (object, "name",
                                                                           office->code));
      g_ptr_array_add (offices, office);
    }
  return offices;
}

void
bhxh_counter_list_offices_async (BhxhCounter         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  call (self, bhxh_counter_list_offices_async, "ListOffices", NULL, parse_offices,
        (GDestroyNotify) g_ptr_array_unref, NULL, NULL, cancellable, callback, user_data);
}

GPtrArray *
bhxh_counter_list_offices_finish (BhxhCounter   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish (self, result, bhxh_counter_list_offices_async, error);
}

/* The queue and a scan. */

typedef struct
{
  GPtrArray  *declarations;
  GHashTable *assignments;
  guint       n_persons;
} Listed;

static void
listed_free (Listed *listed)
{
  g_clear_pointer (&listed->declarations, g_ptr_array_unref);
  g_clear_pointer (&listed->assignments, g_hash_table_unref);
  g_free (listed);
}

static gpointer
parse_queue (BhxhCounter  *self,
             GVariant     *reply,
             GUnixFDList  *fds,
             GTask        *task,
             GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_ARRAY, error);
  Listed *listed;

  if (node == NULL)
    return NULL;
  listed = g_new0 (Listed, 1);
  listed->assignments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  listed->declarations = declarations_from_json (json_node_get_array (node),
                                                 listed->assignments, error);
  if (listed->declarations == NULL)
    g_clear_pointer (&listed, listed_free);
  return listed;
}

void
bhxh_counter_list_queue_async (BhxhCounter         *self,
                               const char          *office_code,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GVariantDict filter;

  g_variant_dict_init (&filter, NULL);
  if (office_code != NULL && office_code[0] != '\0')
    g_variant_dict_insert (&filter, "office", "s", office_code);
  call (self, bhxh_counter_list_queue_async, "ListQueue",
        g_variant_new ("(@a{sv})", g_variant_dict_end (&filter)), parse_queue,
        (GDestroyNotify) listed_free, NULL, NULL, cancellable, callback, user_data);
}

GPtrArray *
bhxh_counter_list_queue_finish (BhxhCounter   *self,
                                GAsyncResult  *result,
                                GHashTable   **assignments,
                                GError       **error)
{
  Listed *listed = finish (self, result, bhxh_counter_list_queue_async, error);
  GPtrArray *declarations;

  if (listed == NULL)
    return NULL;
  declarations = g_steal_pointer (&listed->declarations);
  if (assignments != NULL)
    *assignments = g_steal_pointer (&listed->assignments);
  listed_free (listed);
  return declarations;
}

static gpointer
parse_find_open (BhxhCounter  *self,
                 GVariant     *reply,
                 GUnixFDList  *fds,
                 GTask        *task,
                 GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);
  JsonObject *object;
  Listed *listed;

  if (node == NULL)
    return NULL;
  object = json_node_get_object (node);
  listed = g_new0 (Listed, 1);
  listed->n_persons = json_object_get_int_member_with_default (object, "persons", 0);
  listed->declarations = declarations_from_json (bhxh_json_get_array (object, "declarations"),
                                                 NULL, error);
  if (listed->declarations == NULL)
    g_clear_pointer (&listed, listed_free);
  return listed;
}

void
bhxh_counter_find_open_async (BhxhCounter         *self,
                              const char          *id_number,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  call (self, bhxh_counter_find_open_async, "FindOpen", g_variant_new ("(s)", id_number),
        parse_find_open, (GDestroyNotify) listed_free, NULL, NULL, cancellable, callback,
        user_data);
}

GPtrArray *
bhxh_counter_find_open_finish (BhxhCounter   *self,
                               GAsyncResult  *result,
                               guint         *n_persons,
                               GError       **error)
{
  Listed *listed = finish (self, result, bhxh_counter_find_open_async, error);
  GPtrArray *declarations;

  if (listed == NULL)
    return NULL;
  declarations = g_steal_pointer (&listed->declarations);
  if (n_persons != NULL)
    *n_persons = listed->n_persons;
  listed_free (listed);
  return declarations;
}

/* The document as the service takes it: a card as the text its code held
 * (the service parses it again), a post copy as its number, a typed birth
 * certificate as its fields. */
static void
add_document (GVariantDict       *options,
              const BhxhDocument *document)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (document == NULL)
    return;
  switch (document->kind)
    {
    case BHXH_DOCUMENT_CCCD:
    case BHXH_DOCUMENT_ID_CARD_OTHER:
      g_variant_dict_insert (options, "payload", "s", document->raw != NULL ? document->raw : "");
      return;
    case BHXH_DOCUMENT_POST_COPY:
      g_variant_dict_insert (options, "post_copy", "s",
                             document->id_number != NULL ? document->id_number : "");
      return;
    case BHXH_DOCUMENT_BIRTH_CERTIFICATE:
    default:
      node = bhxh_document_to_json (document);
      text = json_to_string (node, FALSE);
      g_variant_dict_insert (options, "document", "s", text);
      return;
    }
}

static gpointer
parse_check (BhxhCounter  *self,
             GVariant     *reply,
             GUnixFDList  *fds,
             GTask        *task,
             GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);

  return node != NULL ? bhxh_check_from_json (json_node_get_object (node), error) : NULL;
}

void
bhxh_counter_check_async (BhxhCounter         *self,
                          const char          *declaration_id,
                          const BhxhDocument  *document,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GVariantDict options;

  g_variant_dict_init (&options, NULL);
  add_document (&options, document);
  call (self, bhxh_counter_check_async, "Check",
        g_variant_new ("(s@a{sv})", declaration_id, g_variant_dict_end (&options)),
        parse_check, (GDestroyNotify) bhxh_check_free, NULL, NULL, cancellable, callback,
        user_data);
}

BhxhCheck *
bhxh_counter_check_finish (BhxhCounter   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish (self, result, bhxh_counter_check_async, error);
}

void
bhxh_counter_note_viewed_async (BhxhCounter         *self,
                                const char          *declaration_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  call (self, bhxh_counter_note_viewed_async, "NoteViewed",
        g_variant_new ("(s)", declaration_id), parse_nothing, NULL, NULL, NULL, cancellable,
        callback, user_data);
}

gboolean
bhxh_counter_note_viewed_finish (BhxhCounter   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_note_viewed_async, error);
}

void
bhxh_counter_set_portal_async (BhxhCounter         *self,
                               const char          *url,
                               const char          *office_code,
                               const char          *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  call (self, bhxh_counter_set_portal_async, "SetPortal",
        g_variant_new ("(sss)", url, office_code != NULL ? office_code : "", token),
        parse_nothing, NULL, NULL, NULL, cancellable, callback, user_data);
}

gboolean
bhxh_counter_set_portal_finish (BhxhCounter   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_set_portal_async, error);
}

void
bhxh_counter_set_portal_key_async (BhxhCounter         *self,
                                   const char          *key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  call (self, bhxh_counter_set_portal_key_async, "SetPortalKey", g_variant_new ("(s)", key),
        parse_nothing, NULL, NULL, NULL, cancellable, callback, user_data);
}

gboolean
bhxh_counter_set_portal_key_finish (BhxhCounter   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_set_portal_key_async, error);
}

static gpointer
parse_bytes (BhxhCounter  *self,
             GVariant     *reply,
             GUnixFDList  *fds,
             GTask        *task,
             GError      **error)
{
  g_autoptr(GVariant) image = g_variant_get_child_value (reply, 0);

  return g_variant_get_data_as_bytes (image);
}

void
bhxh_counter_get_declaration_portrait_async (BhxhCounter         *self,
                                             const char          *declaration_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  call (self, bhxh_counter_get_declaration_portrait_async, "GetDeclarationPortrait",
        g_variant_new ("(s)", declaration_id), parse_bytes, (GDestroyNotify) g_bytes_unref,
        NULL, NULL, cancellable, callback, user_data);
}

GBytes *
bhxh_counter_get_declaration_portrait_finish (BhxhCounter   *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  g_autoptr(GBytes) image = finish (self, result, bhxh_counter_get_declaration_portrait_async,
                                    error);

  return image != NULL && g_bytes_get_size (image) > 0 ? g_steal_pointer (&image) : NULL;
}

static gpointer
parse_claim (BhxhCounter  *self,
             GVariant     *reply,
             GUnixFDList  *fds,
             GTask        *task,
             GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);

  return node != NULL ? json_object_ref (json_node_get_object (node)) : NULL;
}

void
bhxh_counter_claim_async (BhxhCounter         *self,
                          const char          *declaration_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  call (self, bhxh_counter_claim_async, "Claim", g_variant_new ("(s)", declaration_id),
        parse_claim, (GDestroyNotify) json_object_unref, NULL, NULL, cancellable, callback,
        user_data);
}

gboolean
bhxh_counter_claim_finish (BhxhCounter   *self,
                           GAsyncResult  *result,
                           char         **holder,
                           GError       **error)
{
  JsonObject *answer = finish (self, result, bhxh_counter_claim_async, error);
  const char *state;

  if (answer == NULL)
    return FALSE;
  state = json_object_get_string_member_with_default (answer, "state", "");
  if (holder != NULL)
    *holder = g_str_equal (state, "held")
              ? g_strdup (json_object_get_string_member_with_default (answer, "holder", ""))
              : NULL;
  json_object_unref (answer);
  return TRUE;
}

/* Deciding. */

static GVariant *
request_options (const BhxhDecisionRequest *request)
{
  GVariantDict options;

  g_variant_dict_init (&options, NULL);
  if (request->reason_codes != NULL)
    g_variant_dict_insert_value (&options, "reasons",
                                 g_variant_new_strv (request->reason_codes, -1));
  if (request->note != NULL)
    g_variant_dict_insert (&options, "note", "s", request->note);
  if (request->override)
    g_variant_dict_insert (&options, "override", "b", TRUE);
  if (request->hold_seconds > 0)
    g_variant_dict_insert (&options, "hold", "u", request->hold_seconds);
  add_document (&options, request->document);
  return g_variant_dict_end (&options);
}

static gpointer
parse_decide (BhxhCounter  *self,
              GVariant     *reply,
              GUnixFDList  *fds,
              GTask        *task,
              GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);
  BhxhDecision *decision;
  JsonObject *object;

  if (node == NULL)
    return NULL;
  /* The answer of `decide`: the decision with the clerk left out. */
  object = json_node_get_object (node);
  json_object_set_string_member (object, "clerk", self->login != NULL ? self->login : "");
  json_object_set_string_member (object, "outbox_state", "pending");
  decision = bhxh_decision_from_json (object, error);
  if (decision != NULL && decision->hold_until != NULL)
    {
      g_autoptr(GDateTime) now = bhxh_clock_now ();
      GTimeSpan left = g_date_time_difference (decision->hold_until, now);

      /* Within the window the service gave (at most ten minutes). */
      set_held (self, decision->uuid,
                (guint) CLAMP ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1, 600));
    }
  return decision;
}

void
bhxh_counter_decide_async (BhxhCounter               *self,
                           const BhxhDecisionRequest *request,
                           GCancellable              *cancellable,
                           GAsyncReadyCallback        callback,
                           gpointer                   user_data)
{
  call (self, bhxh_counter_decide_async, "Decide",
        g_variant_new ("(ss@a{sv})", request->declaration_id,
                       bhxh_outcome_to_string (request->outcome), request_options (request)),
        parse_decide, (GDestroyNotify) bhxh_decision_free, NULL, NULL, cancellable, callback,
        user_data);
}

BhxhDecision *
bhxh_counter_decide_finish (BhxhCounter   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish (self, result, bhxh_counter_decide_async, error);
}

static gpointer
parse_count (BhxhCounter  *self,
             GVariant     *reply,
             GUnixFDList  *fds,
             GTask        *task,
             GError      **error)
{
  guint count;

  g_variant_get (reply, "(u)", &count);
  return GUINT_TO_POINTER (count);
}

void
bhxh_counter_decide_many_async (BhxhCounter               *self,
                                const char * const        *declaration_ids,
                                const BhxhDecisionRequest *request,
                                GCancellable              *cancellable,
                                GAsyncReadyCallback        callback,
                                gpointer                   user_data)
{
  call (self, bhxh_counter_decide_many_async, "DecideMany",
        g_variant_new ("(^ass@a{sv})", declaration_ids,
                       bhxh_outcome_to_string (request->outcome), request_options (request)),
        parse_count, NULL, NULL, NULL, cancellable, callback, user_data);
}

guint
bhxh_counter_decide_many_finish (BhxhCounter   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return GPOINTER_TO_UINT (finish (self, result, bhxh_counter_decide_many_async, error));
}

void
bhxh_counter_undo_async (BhxhCounter         *self,
                         const char          *uuid,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  unhold (self, uuid);
  call (self, bhxh_counter_undo_async, "Undo", g_variant_new ("(s)", uuid), parse_nothing,
        NULL, NULL, NULL, cancellable, callback, user_data);
}

gboolean
bhxh_counter_undo_finish (BhxhCounter   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_undo_async, error);
}

void
bhxh_counter_release_async (BhxhCounter         *self,
                            const char          *uuid,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  unhold (self, uuid);
  call (self, bhxh_counter_release_async, "Release", g_variant_new ("(s)", uuid),
        parse_nothing, NULL, NULL, NULL, cancellable, callback, user_data);
}

gboolean
bhxh_counter_release_finish (BhxhCounter   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_release_async, error);
}

void
bhxh_counter_reassign_async (BhxhCounter         *self,
                             const char          *declaration_id,
                             const char          *clerk,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  call (self, bhxh_counter_reassign_async, "Reassign",
        g_variant_new ("(ss)", declaration_id, clerk), parse_nothing, NULL, NULL, NULL,
        cancellable, callback, user_data);
}

gboolean
bhxh_counter_reassign_finish (BhxhCounter   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_reassign_async, error);
}

/* Accounts and the counter's rules (the preferences). */

static gpointer
parse_users (BhxhCounter  *self,
             GVariant     *reply,
             GUnixFDList  *fds,
             GTask        *task,
             GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_ARRAY, error);
  JsonArray *array;
  GPtrArray *users;

  if (node == NULL)
    return NULL;
  array = json_node_get_array (node);
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_user_status_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      BhxhUserStatus *user;

      if (object == NULL)
        continue;
      user = g_new0 (BhxhUserStatus, 1);
      user->login = bhxh_json_dup_string (object, "login", NULL);
      user->display_name = bhxh_json_dup_string (object, "display_name", NULL);
      user->role = bhxh_json_dup_string (object, "role", NULL);
      user->has_password = json_object_get_boolean_member_with_default (object, "has_password",
                                                                        FALSE);
      user->failures = json_object_get_int_member_with_default (object, "failures", 0);
      bhxh_json_get_date_time (object, "locked_until", &user->locked_until, NULL);
      user->disabled = json_object_get_boolean_member_with_default (object, "disabled", FALSE);
      if (user->login == NULL)
        {
          bhxh_user_status_free (user);
          continue;
        }
      if (user->display_name == NULL)
        user->display_name = g_strdup (user->login);
      g_ptr_array_add (users, user);
    }
  return users;
}

void
bhxh_counter_list_users_async (BhxhCounter         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  call (self, bhxh_counter_list_users_async, "ListUsers", NULL, parse_users,
        (GDestroyNotify) g_ptr_array_unref, NULL, NULL, cancellable, callback, user_data);
}

GPtrArray *
bhxh_counter_list_users_finish (BhxhCounter   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish (self, result, bhxh_counter_list_users_async, error);
}

void
bhxh_counter_add_user_async (BhxhCounter         *self,
                             const char          *login,
                             const char          *display_name,
                             const char          *role,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  call (self, bhxh_counter_add_user_async, "AddUser",
        g_variant_new ("(ssss)", login, display_name, role, password), parse_nothing,
        NULL, NULL, NULL, cancellable, callback, user_data);
}

gboolean
bhxh_counter_add_user_finish (BhxhCounter   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_add_user_async, error);
}

void
bhxh_counter_set_password_async (BhxhCounter         *self,
                                 const char          *login,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  call (self, bhxh_counter_set_password_async, "SetPassword",
        g_variant_new ("(ss)", login, password), parse_nothing, NULL, NULL, NULL,
        cancellable, callback, user_data);
}

gboolean
bhxh_counter_set_password_finish (BhxhCounter   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_set_password_async, error);
}

void
bhxh_counter_unlock_user_async (BhxhCounter         *self,
                                const char          *login,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  call (self, bhxh_counter_unlock_user_async, "UnlockUser", g_variant_new ("(s)", login),
        parse_nothing, NULL, NULL, NULL, cancellable, callback, user_data);
}

gboolean
bhxh_counter_unlock_user_finish (BhxhCounter   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_unlock_user_async, error);
}

void
bhxh_counter_set_user_disabled_async (BhxhCounter         *self,
                                      const char          *login,
                                      gboolean             disabled,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  call (self, bhxh_counter_set_user_disabled_async, "SetUserDisabled",
        g_variant_new ("(sb)", login, disabled), parse_nothing, NULL, NULL, NULL, cancellable,
        callback, user_data);
}

gboolean
bhxh_counter_set_user_disabled_finish (BhxhCounter   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_set_user_disabled_async, error);
}

/* The first run: the admin account, then signed in as it. */
void
bhxh_counter_init_accounts_async (BhxhCounter         *self,
                                  const char          *login,
                                  const char          *display_name,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  call (self, bhxh_counter_init_accounts_async, "InitAccounts",
        g_variant_new ("(sss)", login, display_name, password), parse_nothing, NULL, NULL, NULL,
        cancellable, callback, user_data);
}

gboolean
bhxh_counter_init_accounts_finish (BhxhCounter   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_boolean (self, result, bhxh_counter_init_accounts_async, error);
}

static gpointer
parse_settings (BhxhCounter  *self,
                GVariant     *reply,
                GUnixFDList  *fds,
                GTask        *task,
                GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);
  BhxhCounterSettings *settings;
  JsonObject *object;

  if (node == NULL)
    return NULL;
  object = json_node_get_object (node);
  settings = g_new0 (BhxhCounterSettings, 1);
  settings->accounts_required = json_object_get_boolean_member_with_default (object,
                                                                             "accounts_required",
                                                                             FALSE);
#define GET(field, key) \
  settings->field = (guint) MAX (json_object_get_int_member_with_default (object, key, 0), 0)
  GET (max_failures, BHXH_META_MAX_FAILURES);
  GET (lockout_minutes, BHXH_META_LOCKOUT_MINUTES);
  GET (idle_lock_minutes, BHXH_META_IDLE_LOCK_MINUTES);
  GET (retention_days, BHXH_META_RETENTION_DAYS);
  GET (chip_required, BHXH_META_CHIP_REQUIRED);
#undef GET
  return settings;
}

void
bhxh_counter_get_settings_async (BhxhCounter         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  call (self, bhxh_counter_get_settings_async, "GetSettings", NULL, parse_settings, g_free,
        NULL, NULL, cancellable, callback, user_data);
}

BhxhCounterSettings *
bhxh_counter_get_settings_finish (BhxhCounter   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish (self, result, bhxh_counter_get_settings_async, error);
}

void
bhxh_counter_change_settings_async (BhxhCounter         *self,
                                    const char * const  *keys,
                                    const guint         *values,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GVariantBuilder changes;

  g_variant_builder_init (&changes, G_VARIANT_TYPE ("a{su}"));
  for (guint i = 0; keys[i] != NULL; i++)
    g_variant_builder_add (&changes, "{su}", keys[i], values[i]);
  call (self, bhxh_counter_change_settings_async, "ChangeSettings",
        g_variant_new ("(a{su})", &changes), parse_settings, g_free, NULL, NULL,
        cancellable, callback, user_data);
}

BhxhCounterSettings *
bhxh_counter_change_settings_finish (BhxhCounter   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish (self, result, bhxh_counter_change_settings_async, error);
}

/* The supervisor's day. */

static gpointer
parse_day (BhxhCounter  *self,
           GVariant     *reply,
           GUnixFDList  *fds,
           GTask        *task,
           GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);
  g_autoptr(BhxhCounterDay) day = NULL;
  JsonObject *object;
  JsonArray *decisions;

  if (node == NULL)
    return NULL;
  object = json_node_get_object (node);
  day = g_new0 (BhxhCounterDay, 1);
  day->decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_decision_free);
  decisions = bhxh_json_get_array (object, "decisions");
  for (guint i = 0; decisions != NULL && i < json_array_get_length (decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (decisions, i);
      BhxhDecision *decision = d != NULL ? bhxh_decision_from_json (d, error) : NULL;

      if (decision == NULL)
        return NULL;
      g_ptr_array_add (day->decisions, decision);
    }
  day->escalations = declarations_from_json (bhxh_json_get_array (object, "escalations"),
                                             NULL, error);
  if (day->escalations == NULL)
    return NULL;
  day->clerks = users_from_json (bhxh_json_get_array (object, "clerks"));
  day->reassignments = g_ptr_array_new_with_free_func ((GDestroyNotify) reassignment_free);
  {
    JsonArray *list = bhxh_json_get_array (object, "reassignments");

    for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
      {
        JsonObject *o = json_array_get_object_element (list, i);
        BhxhCounterReassignment *r;

        if (o == NULL)
          continue;
        r = g_new0 (BhxhCounterReassignment, 1);
        r->declaration_id = bhxh_json_dup_string (o, "declaration_id", NULL);
        r->full_name = bhxh_json_dup_string (o, "full_name", NULL);
        r->by_name = bhxh_json_dup_string (o, "by_name", NULL);
        r->to_name = bhxh_json_dup_string (o, "to_name", NULL);
        bhxh_json_get_date_time (o, "at", &r->at, NULL);
        g_ptr_array_add (day->reassignments, r);
      }
  }
  return g_steal_pointer (&day);
}

void
bhxh_counter_day_async (BhxhCounter         *self,
                        const BhxhDate      *date,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *text = bhxh_date_to_iso (date);

  call (self, bhxh_counter_day_async, "Day", g_variant_new ("(s)", text), parse_day,
        (GDestroyNotify) bhxh_counter_day_free, NULL, NULL, cancellable, callback, user_data);
}

BhxhCounterDay *
bhxh_counter_day_finish (BhxhCounter   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish (self, result, bhxh_counter_day_async, error);
}

/* The status bar. */

static gpointer
parse_status (BhxhCounter  *self,
              GVariant     *reply,
              GUnixFDList  *fds,
              GTask        *task,
              GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);
  BhxhCounterStatus *status;
  JsonObject *object;
  const char *safety;

  if (node == NULL)
    return NULL;
  object = json_node_get_object (node);
  status = g_new0 (BhxhCounterStatus, 1);
  status->mirror_version = bhxh_json_dup_string (object, "mirror_version", NULL);
  bhxh_json_get_date_time (object, "mirror_imported_at", &status->mirror_imported_at, NULL);
  status->persons = json_object_get_int_member_with_default (object, "persons", 0);
  status->last_sync = bhxh_json_dup_string (object, "last_sync", NULL);
  status->office = bhxh_json_dup_string (object, "office", NULL);
  status->last_attempt = bhxh_json_dup_string (object, "last_attempt", NULL);
  status->portal_url = bhxh_json_dup_string (object, "portal", NULL);
  status->unsynced = json_object_get_int_member_with_default (object, "unsynced", 0);
  status->needs_person = json_object_get_int_member_with_default (object, "needs_person", 0);
  safety = json_object_get_string_member_with_default (object, "safety", NULL);
  if (safety != NULL)
    {
      status->has_safety = TRUE;
      status->safety = g_str_equal (safety, "ok") ? BHXH_SAFETY_OK
                     : g_str_equal (safety, "warn") ? BHXH_SAFETY_WARN : BHXH_SAFETY_BLOCK;
      status->safety_message = g_strdup (json_object_get_string_member_with_default (object,
                                                                                     "safety_message",
                                                                                     ""));
    }
  /* The counter's own state follows what the service says. */
  if (json_object_has_member (object, "today"))
    set_string_property (self, &self->today,
                         json_object_get_string_member_with_default (object, "today", NULL),
                         PROP_TODAY);
  /* Approvals are blocked exactly while there is a block message. */
  {
    gboolean was_blocked = self->block_message != NULL;

    set_string_property (self, &self->block_message,
                         status->safety == BHXH_SAFETY_BLOCK && status->has_safety
                           ? status->safety_message : NULL,
                         PROP_BLOCK_MESSAGE);
    if (was_blocked != (self->block_message != NULL))
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPROVALS_BLOCKED]);
  }
  return status;
}

void
bhxh_counter_get_status_async (BhxhCounter         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  call (self, bhxh_counter_get_status_async, "GetStatus", NULL, parse_status,
        (GDestroyNotify) bhxh_counter_status_free, NULL, NULL, cancellable, callback,
        user_data);
}

BhxhCounterStatus *
bhxh_counter_get_status_finish (BhxhCounter   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish (self, result, bhxh_counter_get_status_async, error);
}

/* Sync. */

static void
sync_ended (BhxhCounter *self)
{
  if (--self->syncs == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
}

static gpointer
parse_sync (BhxhCounter  *self,
            GVariant     *reply,
            GUnixFDList  *fds,
            GTask        *task,
            GError      **error)
{
  g_autoptr(JsonNode) node = reply_json (reply, JSON_NODE_OBJECT, error);
  BhxhCounterSync *sync;
  JsonObject *object, *pulled, *pushed;
  JsonArray *errors;

  if (node == NULL)
    return NULL;
  object = json_node_get_object (node);
  pulled = json_object_get_object_member (object, "pulled");
  pushed = json_object_get_object_member (object, "pushed");
  sync = g_new0 (BhxhCounterSync, 1);
  sync->errors = g_ptr_array_new_with_free_func (g_free);
  if (pulled != NULL)
    sync->declarations = json_object_get_int_member_with_default (pulled, "declarations", 0);
  if (pushed != NULL)
    {
      sync->acknowledged = json_object_get_int_member_with_default (pushed, "acknowledged", 0);
      sync->refused = json_object_get_int_member_with_default (pushed, "refused", 0);
      sync->conflict = json_object_get_int_member_with_default (pushed, "conflict", 0);
      sync->pending = json_object_get_int_member_with_default (pushed, "pending", 0);
    }
  errors = bhxh_json_get_array (object, "errors");
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    g_ptr_array_add (sync->errors, g_strdup (json_array_get_string_element (errors, i)));
  return sync;
}

void
bhxh_counter_sync_async (BhxhCounter         *self,
                         const char          *portal_url,
                         const char          *token_file,
                         const char          *office_code,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GVariantDict options;

  g_variant_dict_init (&options, NULL);
  if (portal_url != NULL && portal_url[0] != '\0')
    g_variant_dict_insert (&options, "portal", "s", portal_url);
  if (token_file != NULL && token_file[0] != '\0')
    g_variant_dict_insert (&options, "token_file", "s", token_file);
  if (office_code != NULL && office_code[0] != '\0')
    g_variant_dict_insert (&options, "office", "s", office_code);
  if (self->syncs++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  call (self, bhxh_counter_sync_async, "Sync",
        g_variant_new ("(@a{sv})", g_variant_dict_end (&options)), parse_sync,
        (GDestroyNotify) bhxh_counter_sync_free, NULL, NULL, cancellable, callback, user_data);
}

BhxhCounterSync *
bhxh_counter_sync_finish (BhxhCounter   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  sync_ended (self);
  return finish (self, result, bhxh_counter_sync_async, error);
}

/* Papers. */

typedef struct
{
  char  *path;
  guint  pages;
} Paper;

static void
paper_free (Paper *paper)
{
  g_free (paper->path);
  g_free (paper);
}

static gpointer
parse_paper (BhxhCounter  *self,
             GVariant     *reply,
             GUnixFDList  *fds,
             GTask        *task,
             GError      **error)
{
  const char *name = g_object_get_data (G_OBJECT (task), "data");
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  Paper *paper;
  gint32 handle;
  guint pages;
  int fd;

  g_variant_get (reply, "(hu)", &handle, &pages);
  fd = fds != NULL ? g_unix_fd_list_get (fds, handle, error) : -1;
  if (fd < 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("The counter service gave an answer this program cannot read"));
      return NULL;
    }
  in = g_unix_input_stream_new (fd, TRUE);
  if ((dir = g_dir_make_tmp ("bhxh-paper-XXXXXX", error)) == NULL)
    return NULL;
  path = g_build_filename (dir, name, NULL);
  file = g_file_new_for_path (path);
  out = g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, error);
  if (out == NULL ||
      g_output_stream_splice (G_OUTPUT_STREAM (out), in,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                              G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    {
      bhxh_counter_remove_paper (path);
      return NULL;
    }
  paper = g_new0 (Paper, 1);
  paper->path = g_steal_pointer (&path);
  paper->pages = pages;
  return paper;
}

/* Removes a PDF of bhxh_counter_render_paper_finish() and its folder. */
void
bhxh_counter_remove_paper (const char *pdf_path)
{
  g_autofree char *dir = NULL;

  if (pdf_path == NULL)
    return;
  dir = g_path_get_dirname (pdf_path);
  g_unlink (pdf_path);
  g_rmdir (dir);
}

void
bhxh_counter_render_paper_async (BhxhCounter         *self,
                                 const char          *kind,
                                 const char          *key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  char *name = g_strdup_printf ("%s-%s.pdf", kind, key);

  g_strdelimit (name, "/\\", '_');
  call (self, bhxh_counter_render_paper_async, "RenderPaper",
        g_variant_new ("(ss)", kind, key), parse_paper, (GDestroyNotify) paper_free, name,
        g_free, cancellable, callback, user_data);
}

char *
bhxh_counter_render_paper_finish (BhxhCounter   *self,
                                  GAsyncResult  *result,
                                  guint         *n_pages,
                                  GError       **error)
{
  Paper *paper = finish (self, result, bhxh_counter_render_paper_async, error);
  char *path;

  if (paper == NULL)
    return NULL;
  if (n_pages != NULL)
    *n_pages = paper->pages;
  path = g_steal_pointer (&paper->path);
  paper_free (paper);
  return path;
}

/* Exports. */

typedef struct
{
  GBytes *bytes;
  guint   n_decisions;
} Export;

static void
export_free (Export *export)
{
  g_bytes_unref (export->bytes);
  g_free (export);
}

static gpointer
parse_export (BhxhCounter  *self,
              GVariant     *reply,
              GUnixFDList  *fds,
              GTask        *task,
              GError      **error)
{
  GBytes *bytes;
  Export *export;
  gint32 handle;
  guint n;
  int fd;

  g_variant_get (reply, "(hu)", &handle, &n);
  fd = fds != NULL ? g_unix_fd_list_get (fds, handle, error) : -1;
  if (fd < 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("The counter service gave an answer this program cannot read"));
      return NULL;
    }
  /* A sealed memfd of a day's rows: small, and read at once. */
  if ((bytes = bhxh_memfd_read_all (fd, error)) == NULL)
    return NULL;
  export = g_new0 (Export, 1);
  export->bytes = bytes;
  export->n_decisions = n;
  return export;
}

void
bhxh_counter_export_decisions_async (BhxhCounter         *self,
                                     const char          *date,
                                     const char          *format,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  call (self, bhxh_counter_export_decisions_async, "ExportDecisions",
        g_variant_new ("(ss)", date, format), parse_export, (GDestroyNotify) export_free, NULL,
        NULL, cancellable, callback, user_data);
}

GBytes *
bhxh_counter_export_decisions_finish (BhxhCounter   *self,
                                      GAsyncResult  *result,
                                      guint         *n_decisions,
                                      GError       **error)
{
  Export *export = finish (self, result, bhxh_counter_export_decisions_async, error);
  GBytes *bytes;

  if (export == NULL)
    return NULL;
  if (n_decisions != NULL)
    *n_decisions = export->n_decisions;
  bytes = g_steal_pointer (&export->bytes);
  g_free (export);
  return bytes;
}
