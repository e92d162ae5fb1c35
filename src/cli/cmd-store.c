/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "chip/bhxh-chip.h"
#include "core/bhxh-clock.h"
#include "core/bhxh-document.h"
#include "core/bhxh-error.h"
#include "core/bhxh-json.h"
#include "store/bhxh-store.h"
#include "store/bhxh-store-answers.h"
#include "bhxh-cli.h"

/* The commands over the local database: mirror import, declarations
 * import, queue, verify, decide. */

#define MIRROR_USAGE "mirror import DB FILE [--format csv|jsonl|snapshot] [--version V]" \
  " [--user LOGIN [--password-file FILE]]"
#define DECLARATIONS_USAGE "declarations import DB FILE [--user LOGIN [--password-file FILE]]"
#define QUEUE_USAGE \
  "queue DB [--status STATUS] [--kind K] [--office CODE] [--search TEXT] [--limit N]" \
  " [--sort submitted|name] [--user LOGIN [--password-file FILE]]"
#define VERIFY_USAGE \
  "verify DB PAYLOAD|- [--user LOGIN] [--password-file FILE] | " \
  "verify DB [PAYLOAD] --chip FILE|- [--csca DIR]"
#define DECIDE_USAGE \
  "decide DB DECLARATION-ID approve|reject|escalate [--reason CODE]… [--note TEXT] " \
  "[--override] [--payload PAYLOAD] [--chip FILE [--csca DIR]] [--post-copy ID-NUMBER] " \
  "[--hold SECONDS] " \
  "--clerk USER " \
  "[--user LOGIN] [--password-file FILE]"
#define UNDO_USAGE "undo DB DECISION-UUID --clerk USER [--user LOGIN] [--password-file FILE]"

static BhxhStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  BhxhStore *store = bhxh_store_open (path, &error);

  if (store == NULL)
    bhxh_cli_fail_error (error);
  return store;
}

static char *
read_payload (const char  *arg,
              gsize       *len,
              GError     **error)
{
  if (g_str_equal (arg, "-"))
    return bhxh_cli_read_stdin (len, error);

  *len = strlen (arg);
  return g_strdup (arg);
}

/* The chip's data as bhxh-deskctl chip read printed it (FILE, or "-" for
 * standard input); a QR scanned now (@qr_payload) replaces the one it
 * carries, for the check to compare with the chip. What the file claims is
 * not believed: its signed files are checked again against @csca_dir (none:
 * not authenticated). */
static BhxhDocument *
read_chip_document (const char  *path,
                    const char  *qr_payload,
                    const char  *csca_dir,
                    GError     **error)
{
  g_autoptr(GDateTime) now = bhxh_clock_now ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BhxhDocument) document = NULL;
  gsize len;

  if (g_str_equal (path, "-"))
    text = bhxh_cli_read_stdin (&len, error);
  else if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  if (text == NULL || (node = json_from_string (text, error)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node),
                                                             "document", ""),
                 "cccd-chip") != 0)
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                   _("“%s” is not what bhxh-deskctl chip read prints"), path);
      return NULL;
    }
  if ((document = bhxh_document_from_json (json_node_get_object (node), error)) == NULL ||
      !bhxh_chip_document_verify (document, csca_dir, now, error))
    return NULL;
  if (qr_payload != NULL)
    {
      bhxh_document_free (document->qr);
      if ((document->qr = bhxh_document_parse_scan (qr_payload, -1, error)) == NULL)
        return NULL;
    }
  return g_steal_pointer (&document);
}

/* mirror import */

int
bhxh_cmd_mirror (int    argc,
                 char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autofree char *format = NULL;
  g_autofree char *version = NULL;
  g_autofree char *stored_version = NULL;
  BhxhMirrorFormat mirror_format = BHXH_MIRROR_FORMAT_AUTO;
  guint64 rows = 0;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, NULL, "csv|jsonl|snapshot" },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version, NULL, "V" },
    { NULL }
  };
  int rc = bhxh_cli_parse_session_options (entries, MIRROR_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 4 || !g_str_equal (argv[1], "import"))
    return bhxh_cli_usage (MIRROR_USAGE);
  if (format != NULL && g_str_equal (format, "csv"))
    mirror_format = BHXH_MIRROR_FORMAT_CSV;
  else if (format != NULL && g_str_equal (format, "jsonl"))
    mirror_format = BHXH_MIRROR_FORMAT_JSONL;
  else if (format != NULL && g_str_equal (format, "snapshot"))
    mirror_format = BHXH_MIRROR_FORMAT_SNAPSHOT;
  else if (format != NULL)
    return bhxh_cli_usage (MIRROR_USAGE);

  /* The registry everyone checks against: a supervisor's to replace. */
  if ((store = bhxh_cli_open_session (argv[2], "supervisor")) == NULL)
    return BHXH_EXIT_INPUT;
  timer = g_timer_new ();
  if (!bhxh_store_import_mirror (store, argv[3], mirror_format, version,
                                 NULL, NULL, NULL, &rows, &error))
    return bhxh_cli_fail_error (error);
  stored_version = bhxh_store_dup_mirror_version (store);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, rows);
  bhxh_json_add_string (b, "version", stored_version);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, g_timer_elapsed (timer, NULL));
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);

  return BHXH_EXIT_OK;
}

/* declarations import */

int
bhxh_cmd_declarations (int    argc,
                       char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  guint imported = 0;
  int rc = bhxh_cli_parse_session_options (NULL, DECLARATIONS_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 4 || !g_str_equal (argv[1], "import"))
    return bhxh_cli_usage (DECLARATIONS_USAGE);
  if ((store = bhxh_cli_open_session (argv[2], "supervisor")) == NULL)
    return BHXH_EXIT_INPUT;
  if (!bhxh_store_import_declarations (store, argv[3], &imported, &error))
    return bhxh_cli_fail_error (error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "imported");
  json_builder_add_int_value (b, imported);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  bhxh_cli_print_json (node);

  return BHXH_EXIT_OK;
}

/* queue */

int
bhxh_cmd_queue (int    argc,
                char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *status = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *office = NULL;
  g_autofree char *search = NULL;
  g_autofree char *sort = NULL;
  BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;
  int limit = 0;
  GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, NULL, "STATUS" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, NULL, "K" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, NULL, "CODE" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, NULL, "TEXT" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, NULL, "N" },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort, NULL, "submitted|name" },
    { NULL }
  };
  int rc = bhxh_cli_parse_session_options (entries, QUEUE_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (argc != 2 || limit < 0)
    return bhxh_cli_usage (QUEUE_USAGE);
  if (status != NULL)
    {
      BhxhDeclarationStatus value;

      if (!bhxh_status_parse (status, &value))
        return bhxh_cli_fail (BHXH_EXIT_USAGE, _("“%s” is not a status (pending, approved, "
                                                 "rejected, escalated, cancelled)"), status);
      filter.status = value;
    }
  if (kind != NULL)
    {
      BhxhDeclarationKind value;

      if (!bhxh_kind_parse (kind, &value))
        return bhxh_cli_fail (BHXH_EXIT_USAGE,
                              _("“%s” is not a kind (register, adjust, stop)"), kind);
      filter.kind = value;
    }
  if (sort != NULL && !bhxh_queue_sort_parse (sort, &filter.sort))
    return bhxh_cli_fail (BHXH_EXIT_USAGE, _("“%s” is not an order (submitted, name)"), sort);
  if (search != NULL && !g_utf8_validate (search, -1, NULL))
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("The search text is not valid UTF-8"));
  filter.office_code = office;
  filter.search = search;
  filter.limit = limit;

  if ((store = bhxh_cli_open_session (argv[1], "clerk")) == NULL)
    return BHXH_EXIT_INPUT;
  node = bhxh_answer_queue (store, &filter, &error);
  if (node == NULL)
    return bhxh_cli_fail_error (error);
  bhxh_cli_print_json (node);

  return BHXH_EXIT_OK;
}

/* verify */

int
bhxh_cmd_verify (int    argc,
                 char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) document = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *chip = NULL;
  g_autofree char *csca = NULL;
  gsize len = 0;
  GOptionEntry entries[] = {
    { "chip", 0, 0, G_OPTION_ARG_FILENAME, &chip, NULL, "FILE" },
    { "csca", 0, 0, G_OPTION_ARG_FILENAME, &csca, NULL, "DIR" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, NULL, "FILE" },
    { NULL }
  };

  /* Options are parsed only beyond DB PAYLOAD, so that a bare payload that
   * starts with "-" keeps its old meaning. */
  if (argc > 3 && bhxh_cli_parse_options (entries, VERIFY_USAGE, &argc, &argv) != BHXH_EXIT_OK)
    return BHXH_EXIT_USAGE;
  if (argc != 3 && !(chip != NULL && argc == 2))
    return bhxh_cli_usage (VERIFY_USAGE);
  if (argc == 3 && (payload = read_payload (argv[2], &len, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  /* The chip's data, with the QR given to compare; or the QR alone. */
  if (chip != NULL)
    document = read_chip_document (chip, payload, csca, &error);
  else
    document = bhxh_document_parse_scan (payload, len, &error);
  if (document == NULL)
    return bhxh_cli_fail_error (error);
  if ((store = open_store (argv[1])) == NULL)
    return BHXH_EXIT_INPUT;
  /* Accounts required (docs/security.md): who looks is signed in. */
  if ((user != NULL || bhxh_store_accounts_required (store)) &&
      !bhxh_cli_sign_in (store, user, password_file, &error))
    return bhxh_cli_fail_error (error);

  node = bhxh_answer_verify (store, document, user, &error);
  if (node == NULL)
    return bhxh_cli_fail_error (error);
  bhxh_cli_print_json (node);

  return BHXH_EXIT_OK;
}

/* decide, undo */

/* Accounts required (docs/security.md): the clerk signs in, as --user, or
 * as --clerk when only that is given; a --user is checked in any mode. */
static gboolean
sign_in_clerk (BhxhStore   *store,
               const char  *user,
               const char  *clerk,
               const char  *password_file,
               GError     **error)
{
  if (user == NULL && !bhxh_store_accounts_required (store))
    return TRUE;
  return bhxh_cli_sign_in (store, user != NULL ? user : clerk, password_file, error);
}

int
bhxh_cmd_decide (int    argc,
                 char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) document = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) reasons = NULL;
  g_autofree char *note = NULL;
  g_autofree char *payload_arg = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *clerk = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  BhxhDecisionRequest request = { 0 };
  g_autofree char *post_copy = NULL;
  g_autofree char *chip = NULL;
  g_autofree char *csca = NULL;
  gboolean override = FALSE;
  int hold = 0;
  gsize len;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING_ARRAY, &reasons, NULL, "CODE" },
    { "post-copy", 0, 0, G_OPTION_ARG_STRING, &post_copy, NULL, "ID-NUMBER" },
    { "hold", 0, 0, G_OPTION_ARG_INT, &hold, NULL, "SECONDS" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, NULL, "TEXT" },
    { "override", 0, 0, G_OPTION_ARG_NONE, &override, NULL, NULL },
    { "payload", 0, 0, G_OPTION_ARG_STRING, &payload_arg, NULL, "PAYLOAD" },
    { "chip", 0, 0, G_OPTION_ARG_FILENAME, &chip, NULL, "FILE" },
    { "csca", 0, 0, G_OPTION_ARG_FILENAME, &csca, NULL, "DIR" },
    { "clerk", 0, 0, G_OPTION_ARG_STRING, &clerk, NULL, "USER" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, NULL, "FILE" },
    { NULL }
  };
  int rc = bhxh_cli_parse_options (entries, DECIDE_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (clerk == NULL && user != NULL)
    clerk = g_strdup (user);
  if (argc != 4 || clerk == NULL || *clerk == '\0' ||
      !bhxh_outcome_parse (argv[3], &request.outcome) ||
      hold < 0 || hold > BHXH_STORE_MAX_HOLD_SECONDS || (payload_arg && post_copy) ||
      (chip && post_copy))
    return bhxh_cli_usage (DECIDE_USAGE);
  if (payload_arg != NULL && (payload = read_payload (payload_arg, &len, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  /* The chip's data (with the QR, when given, to compare), or the QR. */
  if (chip != NULL && (document = read_chip_document (chip, payload, csca, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (chip == NULL && payload != NULL &&
      (document = bhxh_document_parse_scan (payload, len, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  /* A declaration handed in by post: the ID number from the copy received. */
  if (post_copy != NULL && (document = bhxh_document_new_post_copy (post_copy, &error)) == NULL)
    return bhxh_cli_fail_error (error);
  if (note != NULL && !g_utf8_validate (note, -1, NULL))
    return bhxh_cli_fail (BHXH_EXIT_INPUT, _("The note is not valid UTF-8"));

  if ((store = open_store (argv[1])) == NULL)
    return BHXH_EXIT_INPUT;
  if (!sign_in_clerk (store, user, clerk, password_file, &error))
    return bhxh_cli_fail_error (error);
  request.declaration_id = argv[2];
  request.clerk = clerk;
  request.reason_codes = (const char * const *) reasons;
  request.note = note;
  request.override = override;
  request.document = document;
  request.hold_seconds = (guint) hold;
  node = bhxh_answer_decide (store, &request, &error);
  if (node == NULL)
    return bhxh_cli_fail_error (error);
  bhxh_cli_print_json (node);

  return BHXH_EXIT_OK;
}

/* undo: withdraws a decision still in its hold (the counter's undo). */

int
bhxh_cmd_undo (int    argc,
               char **argv)
{
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *clerk = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  GOptionEntry entries[] = {
    { "clerk", 0, 0, G_OPTION_ARG_STRING, &clerk, NULL, "USER" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, NULL, "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, NULL, "FILE" },
    { NULL }
  };
  int rc = bhxh_cli_parse_options (entries, UNDO_USAGE, &argc, &argv);

  if (rc != BHXH_EXIT_OK)
    return rc;
  if (clerk == NULL && user != NULL)
    clerk = g_strdup (user);
  if (argc != 3 || clerk == NULL || *clerk == '\0')
    return bhxh_cli_usage (UNDO_USAGE);
  if ((store = open_store (argv[1])) == NULL)
    return BHXH_EXIT_INPUT;
  if (!sign_in_clerk (store, user, clerk, password_file, &error))
    return bhxh_cli_fail_error (error);
  node = bhxh_answer_undo (store, argv[2], clerk, &error);
  if (node == NULL)
    return bhxh_cli_fail_error (error);
  bhxh_cli_print_json (node);

  return BHXH_EXIT_OK;
}
