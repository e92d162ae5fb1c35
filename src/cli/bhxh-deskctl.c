/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "core/bhxh-i18n.h"
#include "bhxh-cli.h"

/* Each command's own file parses the rest of the command line. */
static const BhxhCommand commands[] = {
  { "qr",           bhxh_cmd_qr,           "qr parse [PAYLOAD]" },
  { "chip",         bhxh_cmd_chip,
    "chip readers | chip read [--reader NAME] (--payload QR | --mrz DOCNO:YYMMDD:YYMMDD) "
    "[--csca DIR] [--portrait FILE [--force]] [--wait SECONDS]" },
  { "scan",         bhxh_cmd_scan,
    "scan [--parse [--birth-certificate]] [--engine auto|zbar|zxing] FILE…" },
  { "compare",      bhxh_cmd_compare,      "compare name|date A B | compare code DECLARED CODE…" },
  { "demo",         bhxh_cmd_demo,
    "demo DB [--today YYYY-MM-DD] [--persons N] [--payloads FILE] [--force]" },
  { "mirror",       bhxh_cmd_mirror,       "mirror import DB FILE" },
  { "declarations", bhxh_cmd_declarations, "declarations import DB FILE" },
  { "queue",        bhxh_cmd_queue,        "queue DB [--status STATUS] [--sort name]" },
  { "verify",       bhxh_cmd_verify,
    "verify DB PAYLOAD | verify DB [PAYLOAD] --chip FILE [--csca DIR]" },
  { "decide",       bhxh_cmd_decide,
    "decide DB DECLARATION-ID approve|reject|escalate [--reason CODE]… [--note TEXT] [--override] "
    "[--payload PAYLOAD] [--chip FILE [--csca DIR] | --post-copy ID-NUMBER] [--hold SECONDS] "
    "--clerk USER" },
  { "undo",         bhxh_cmd_undo,         "undo DB DECISION-UUID --clerk USER" },
  { "reassign",     bhxh_cmd_reassign,
    "reassign DB DECLARATION-ID --to CLERK [--user LOGIN [--password-file FILE]]" },
  { "print",        bhxh_cmd_print,
    "print form01|receipt|rejection DB DECLARATION-ID --output FILE.pdf [--force] | "
    "print daily-report DB --date YYYY-MM-DD --output FILE.pdf [--force]" },
  { "export",       bhxh_cmd_export,
    "export decisions DB --date YYYY-MM-DD --output FILE.csv|FILE.xlsx [--force]" },
  { "sync",         bhxh_cmd_sync,
    "sync DB [--portal URL --token-file FILE] [--pull] [--push] | sync DB --status|--log" },
  { "portal",       bhxh_cmd_portal,
    "portal set DB --url URL --token-file FILE [--office CODE] [--portal-key FILE] | "
    "portal show DB" },
  { "bundle",       bhxh_cmd_bundle,
    "bundle export|import DB FILE [--workstation ID] [--force]" },
  { "users",        bhxh_cmd_users,
    "users init|add|passwd|list|unlock|disable|enable|settings DB … "
    "(bhxh-deskctl users for details)" },
  { "audit",        bhxh_cmd_audit,
    "audit verify DB | audit list DB [--date YYYY-MM-DD] [--user LOGIN]" },
  { "purge",        bhxh_cmd_purge,        "purge DB [--days N] [--user LOGIN]" },
  { "crypt",        bhxh_cmd_crypt,
    "crypt status DB | crypt encrypt DB [--key-file FILE] | "
    "crypt rekey DB [--key-file FILE] --new-key-file FILE" },
  { "clock",        bhxh_cmd_clock,        "clock" },
};

static int
print_help (void)
{
  fputs ("Usage:\n", stdout);
  fputs ("  bhxh-deskctl --system|--session COMMAND … (through bhxh-deskd, no DB: queue, "
         "verify, decide, undo, audit verify, users init|list|add, mirror|declarations "
         "import)\n", stdout);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    printf ("  bhxh-deskctl %s\n", commands[i].usage);
  return BHXH_EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  bhxh_i18n_init (NULL);

  if (argc < 2)
    return bhxh_cli_fail (BHXH_EXIT_USAGE,
                          "usage: bhxh-deskctl COMMAND … (bhxh-deskctl --help lists them)");
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "help"))
    return print_help ();
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("bhxh-deskctl %s\n", PACKAGE_VERSION);
      return BHXH_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--system") || g_str_equal (argv[1], "--session"))
    return bhxh_cli_run_service (g_str_equal (argv[1], "--system") ? G_BUS_TYPE_SYSTEM
                                                                    : G_BUS_TYPE_SESSION,
                                 argc - 1, argv + 1);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  return bhxh_cli_fail (BHXH_EXIT_USAGE,
                        "unknown command '%s' (bhxh-deskctl --help lists them)", argv[1]);
}
