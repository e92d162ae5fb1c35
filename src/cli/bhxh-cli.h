/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit codes of bhxh-deskctl: a contract other tools depend on. */
enum
{
  BHXH_EXIT_OK    = 0,
  BHXH_EXIT_INPUT = 1,   /* bad input, or something needs a person */
  BHXH_EXIT_USAGE = 2,
};

typedef int (*BhxhCommandFunc) (int argc, char **argv);

typedef struct
{
  const char      *name;
  BhxhCommandFunc  run;
  const char      *usage;   /* one line, after "bhxh-deskctl " */
} BhxhCommand;

int   bhxh_cli_fail          (int             exit_code,
                              const char     *format,
                              ...) G_GNUC_PRINTF (2, 3);
int   bhxh_cli_fail_error    (const GError   *error);
int   bhxh_cli_check_new_output (const char *path,
                                 gboolean    force);
int   bhxh_cli_usage         (const char     *usage);
void  bhxh_cli_print_json    (JsonNode       *node);
void  bhxh_cli_print_json_line (JsonNode     *node);
int   bhxh_cli_parse_options (GOptionEntry   *entries,
                              const char     *usage,
                              int            *argc,
                              char         ***argv);
/* Commands over citizens' data take --user LOGIN and --password-file FILE
 * (or BHXH_DESK_PASSWORD); in accounts-required mode they need them
 * (docs/security.md). */
int   bhxh_cli_parse_session_options (GOptionEntry *entries,
                                      const char   *usage,
                                      int          *argc,
                                      char       ***argv);
struct _BhxhStore *bhxh_cli_open_session (const char *path,
                                          const char *role);
gboolean bhxh_cli_require_session (struct _BhxhStore *store,
                                   const char        *role,
                                   GError           **error);
/* --token-file FILE, trimmed; refused when others may read it (see
 * bhxh_secret_file_read); empty bytes without a file. */
GBytes *bhxh_cli_read_token  (const char     *file,
                              GError        **error);
char *bhxh_cli_read_stdin    (gsize          *len,
                              GError        **error);

/* Answers printed alike by the direct commands and the service mode. */
int bhxh_cli_print_audit_check   (guint64     n,
                                  gint64      first_bad);
int bhxh_cli_print_accounts_init (const char *admin);
int bhxh_cli_print_user_done     (const char *login,
                                  const char *what);
int bhxh_cli_print_export_done   (const char *output,
                                  const char *format,
                                  guint       n_decisions);
int bhxh_cli_print_user_added    (const char *login,
                                  const char *role,
                                  gboolean    has_password);
/* --password-file FILE, else $BHXH_DESK_PASSWORD; %NULL (@error unset)
 * when neither is given (cmd-users.c). */
char *bhxh_cli_given_password    (const char  *file,
                                  GError     **error);

/* --system|--session COMMAND …: through bhxh-deskd (cmd-service.c);
 * @argv[0] is "--system" or "--session". */
int bhxh_cli_run_service (GBusType bus, int argc, char **argv);

/* One function per command group, each in its own file. */
int bhxh_cmd_qr           (int argc, char **argv);
int bhxh_cmd_chip         (int argc, char **argv);
int bhxh_cmd_compare      (int argc, char **argv);
int bhxh_cmd_demo         (int argc, char **argv);
int bhxh_cmd_mirror       (int argc, char **argv);
int bhxh_cmd_declarations (int argc, char **argv);
int bhxh_cmd_queue        (int argc, char **argv);
int bhxh_cmd_verify       (int argc, char **argv);
int bhxh_cmd_decide       (int argc, char **argv);
int bhxh_cmd_undo         (int argc, char **argv);
int bhxh_cmd_print        (int argc, char **argv);
int bhxh_cmd_export       (int argc, char **argv);
int bhxh_cmd_scan         (int argc, char **argv);
int bhxh_cmd_sync         (int argc, char **argv);
int bhxh_cmd_portal       (int argc, char **argv);
int bhxh_cmd_bundle       (int argc, char **argv);
int bhxh_cmd_users        (int argc, char **argv);
int bhxh_cmd_audit        (int argc, char **argv);
int bhxh_cmd_purge        (int argc, char **argv);
int bhxh_cmd_crypt        (int argc, char **argv);
int bhxh_cmd_reassign     (int argc, char **argv);
int bhxh_cmd_clock        (int argc, char **argv);

/* Sign-in for databases in "accounts required" mode (cmd-users.c):
 * --user LOGIN, password from --password-file or $BHXH_DESK_PASSWORD. */
struct _BhxhStore;
char     *bhxh_cli_read_password (const char         *file,
                                  GError            **error);
gboolean  bhxh_cli_sign_in       (struct _BhxhStore  *store,
                                  const char         *login,
                                  const char         *password_file,
                                  GError            **error);

G_END_DECLS
