/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "core/bhxh-i18n.h"
#include "store/bhxh-crypt.h"
#include "bhxh-daemon.h"
#include "bhxh-service-errors.h"

/*
 * bhxh-deskd: the counter's data, keys and rules behind vn.bhxh.Desk1
 * (docs/service.md).
 *   --system   the packaged service: state in $STATE_DIRECTORY
 *              (/var/lib/bhxh-desk), key from the systemd credential
 *              "desk.key"; refuses to run without it.
 *   --session --db PATH [--key-file FILE]   serves PATH on the session
 *              bus (tests, the demo); the key defaults to PATH.key, made
 *              (0600) with a new store.
 *   --session --db PATH --peer-fd FD [--demo]   serves PATH to one client
 *              on a connected socket (the GUI's private service, started
 *              by `bhxh-desk`): no bus, no name; exits when the client
 *              closes. --demo fills an empty store with the demo office.
 */

#define DEFAULT_IDLE_TIMEOUT 900
#define SYSTEM_STATE_DIR "/var/lib/bhxh-desk"

typedef struct
{
  GMainLoop  *loop;
  BhxhDaemon *daemon;
  int         status;
} Run;

static void
bus_acquired (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!bhxh_daemon_export (run->daemon, connection, &error))
    {
      g_printerr ("bhxh-deskd: %s\n", error->message);
      run->status = 1;
      g_main_loop_quit (run->loop);
    }
}

static void
name_lost (GDBusConnection *connection,
           const char      *name,
           gpointer         user_data)
{
  Run *run = user_data;

  g_printerr ("bhxh-deskd: %s\n", connection == NULL ? _("cannot connect to the bus")
                                                     : _("the bus name is taken"));
  run->status = 1;
  g_main_loop_quit (run->loop);
}

static void
peer_closed (GDBusConnection *connection,
             gboolean         remote_peer_vanished,
             GError          *error,
             gpointer         user_data)
{
  g_main_loop_quit (((Run *) user_data)->loop);
}

/* One client on the socket @fd (its end of a socketpair). */
static GDBusConnection *
serve_peer (int      fd,
            Run     *run,
            GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, error);
  g_autoptr(GSocketConnection) stream = NULL;
  g_autofree char *guid = g_dbus_generate_guid ();
  GDBusConnection *connection;

  if (socket == NULL)
    return NULL;
  stream = g_socket_connection_factory_create_connection (socket);
  connection = g_dbus_connection_new_sync (G_IO_STREAM (stream), guid,
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_REQUIRE_SAME_USER |
                                           G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
                                           NULL, NULL, error);
  if (connection == NULL)
    return NULL;
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  g_signal_connect (connection, "closed", G_CALLBACK (peer_closed), run);
  if (!bhxh_daemon_export (run->daemon, connection, error))
    {
      g_object_unref (connection);
      return NULL;
    }
  g_dbus_connection_start_message_processing (connection);
  return connection;
}

static gboolean
quit_on_signal (gpointer user_data)
{
  g_main_loop_quit (((Run *) user_data)->loop);
  return G_SOURCE_REMOVE;
}

/* The system service's key: its systemd credential, nothing else. */
static const BhxhCryptKey *
system_key (GError **error)
{
  const char *dir = g_getenv ("CREDENTIALS_DIRECTORY");
  g_autofree char *file = NULL;

  if (dir == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("No systemd credential “desk.key”: the service runs only "
                             "with its key (bhxh-deskd.service)"));
      return NULL;
    }
  file = g_build_filename (dir, "desk.key", NULL);
  return bhxh_crypt_key_from_file (file, error);
}

/* The session service's key: the file given, or the store's own
 * (bhxh_crypt_key_for_store(): PATH.key, made for a new store; an old store
 * kept in clear opens in clear). */
static const BhxhCryptKey *
session_key (const char  *db,
             const char  *key_file,
             gboolean    *in_clear,
             GError     **error)
{
  *in_clear = FALSE;
  if (key_file == NULL)
    return bhxh_crypt_key_for_store (db, in_clear, error);
  if (!g_file_test (key_file, G_FILE_TEST_EXISTS) && !bhxh_crypt_generate_key_file (key_file, error))
    return NULL;
  return bhxh_crypt_key_from_file (key_file, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_file = NULL;
  gboolean system = FALSE;
  gboolean session = FALSE;
  gboolean in_clear = FALSE;
  gboolean demo = FALSE;
  int peer_fd = -1;
  int idle_timeout = DEFAULT_IDLE_TIMEOUT;
  g_autoptr(GDBusConnection) peer = NULL;
  const BhxhCryptKey *key;
  Run run = { 0 };
  guint owner;
  GOptionEntry entries[] = {
    { "system", 0, 0, G_OPTION_ARG_NONE, &system, "Serve on the system bus", NULL },
    { "session", 0, 0, G_OPTION_ARG_NONE, &session, "Serve on the session bus", NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (--session)", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "The store's key (--session)",
      "FILE" },
    { "peer-fd", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &peer_fd,
      "Serve one client on this connected socket (--session)", "FD" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Fill an empty store with the demo office "
      "(--session)", NULL },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Seconds without a call that end a session", "SECONDS" },
    { NULL }
  };

  bhxh_i18n_init (NULL);

  context = g_option_context_new ("- the bhxh-desk service");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || system == session ||
      idle_timeout <= 0 || (session && db == NULL) ||
      (system && (db != NULL || key_file || demo || peer_fd >= 0)))
    {
      g_printerr ("usage: bhxh-deskd --system | bhxh-deskd --session --db PATH "
                  "[--key-file FILE] [--demo] [--idle-timeout SECONDS]%s%s\n",
                  error != NULL ? "\n" : "", error != NULL ? error->message : "");
      return 2;
    }
  if (system)
    {
      const char *state = g_getenv ("STATE_DIRECTORY");

      db = g_build_filename (state != NULL ? state : SYSTEM_STATE_DIR, "desk.db", NULL);
      key = system_key (&error);
    }
  else
    key = session_key (db, key_file, &in_clear, &error);
  if (key == NULL && error != NULL)
    {
      g_printerr ("bhxh-deskd: %s\n", error->message);
      return 1;
    }
  if (in_clear)
    g_warning ("%s is kept in clear: encrypt it with “bhxh-deskctl crypt encrypt”", db);

  run.daemon = bhxh_daemon_new (db, key, system, (guint) idle_timeout, &error);
  if (run.daemon == NULL)
    {
      g_printerr ("bhxh-deskd: %s\n", error->message);
      return 1;
    }
  if (demo && !bhxh_daemon_ensure_demo (run.daemon, &error))
    {
      g_printerr ("bhxh-deskd: %s\n", error->message);
      return 1;
    }
  run.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_on_signal, &run);
  g_unix_signal_add (SIGINT, quit_on_signal, &run);
  if (peer_fd >= 0)
    {
      if ((peer = serve_peer (peer_fd, &run, &error)) == NULL)
        {
          g_printerr ("bhxh-deskd: %s\n", error->message);
          return 1;
        }
      g_main_loop_run (run.loop);
    }
  else
    {
      owner = g_bus_own_name (system ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION,
                              BHXH_SERVICE_NAME, G_BUS_NAME_OWNER_FLAGS_NONE, bus_acquired,
                              NULL, name_lost, &run, NULL);
      g_main_loop_run (run.loop);
      g_bus_unown_name (owner);
    }
  g_clear_object (&run.daemon);
  g_main_loop_unref (run.loop);
  return run.status;
}
