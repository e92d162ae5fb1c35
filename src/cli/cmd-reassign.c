/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-json.h"
#include "store/bhxh-store.h"
#include "bhxh-cli.h"

/* The supervisor hands an open declaration to a clerk. */

#define REASSIGN_USAGE \
  "reassign DB DECLARATION-ID --to CLERK [--user LOGIN [--password-file FILE]]"

int
bhxh_cmd_reassign (int    argc,
                   char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDeclaration) declaration = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *to = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *assignee = NULL;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, NULL, "CLERK" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, NULL, "FILE" },
    { NULL }
  };
  int rc = bhxh_cli_parse_options (entries, REASSIGN_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 3 || to == NULL || *to == '\0')
    return bhxh_cli_usage (REASSIGN_USAGE);

  store = bhxh_store_open (argv[1], &error);
  if (store == NULL)
    return bhxh_cli_fail_error (error);
  /* Accounts required (docs/security.md): the supervisor signs in. */
  if (!bhxh_cli_sign_in (store, user, password_file, &error))
    return bhxh_cli_fail_error (error);
  if (!bhxh_store_reassign (store, argv[2], to, user, &error))
    return bhxh_cli_fail_error (error);
  declaration = bhxh_store_get_declaration (store, argv[2], &error);
  if (declaration == NULL)
    return bhxh_cli_fail_error (error);
  assignee = bhxh_store_dup_assignee (store, argv[2]);

  json_builder_begin_object (b);
  bhxh_json_add_string (b, "declaration_id", declaration->id);
  bhxh_json_add_string (b, "status", bhxh_status_to_string (declaration->status));
  bhxh_json_add_string (b, "assigned_to", assignee);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);

  return BHXH_EXIT_OK;
}
