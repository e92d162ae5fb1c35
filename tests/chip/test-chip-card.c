/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chip end to end: a real pcscd (private: its own reader.conf.d and,
 * in a mount namespace, its own /run/pcscd), the real vpcd reader driver,
 * an emulated ICAO card on it (chip-card-emu.py) holding the files of
 * chip-mkcard (a synthetic person, a test CSCA), and the real
 * bhxh-deskctl chip read / verify / decide. The clock is pinned: nothing
 * depends on today or the time zone. Skipped where pcscd, vpcd, python3's
 * cryptography or a mount namespace (root) are missing. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "chip/bhxh-chip.h"
#include "chip-fixtures.h"

#define NOW "2026-11-23T09:00:00+07:00"
#define VPCD_DRIVER "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
#define QR_GENUINE \
  "079188004321|025123456|Phạm Thị Thu Hà|12071988|Nữ|" \
  "Số 7 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|05092021"
/* Printed by someone else: same number and dates, another name. */
#define QR_FORGED \
  "079188004321|025123456|Phạm Thị Thu Hằng|12071988|Nữ|" \
  "Số 7 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|05092021"
#define MRZ_GENUINE "188004321:880712:280712"
#define MRZ_WRONG   "188004321:880712:280713"

static struct
{
  char        *skip;       /* why the tests are skipped, or NULL */
  char        *dir;
  char        *socket;
  guint16      port;
  GSubprocess *pcscd;
  GSubprocess *card;
} env;

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  JsonNode *json;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_clear_pointer (&run->json, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_argv (Run                *run,
          const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) g_getenv ("BHXH_DESKCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "BHXH_DESK_NOW", NOW, TRUE);
  g_subprocess_launcher_setenv (launcher, "PCSCLITE_CSOCK_NAME", env.socket, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  if (run->status == 0)
    {
      run->json = json_from_string (run->out, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_test_message ("exit %d: %s", run->status, run->err);
      /* The contract: one line starting "error: ", nothing on stdout. */
      g_assert_true (g_str_has_prefix (run->err, "error: "));
      g_assert_cmpint (strchr (run->err, '\n') - run->err, ==, strlen (run->err) - 1);
      g_assert_cmpstr (run->out, ==, "");
    }
}

#define RUN(run, ...) run_argv ((run), (const char * const []) { __VA_ARGS__, NULL })

static JsonObject *
object (Run *run)
{
  g_assert_nonnull (run->json);
  return json_node_get_object (run->json);
}

static JsonObject *
authentication (Run *run)
{
  return json_object_get_object_member (object (run), "authentication");
}

/* ---- the private pcscd ---- */

/* A test that fails aborts: its pcscd and card must not outlive it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
missing_part (void)
{
  g_autofree char *pcscd = g_find_program_in_path ("pcscd");
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_autofree char *python = g_find_program_in_path ("python3");
  const char *argv[] = { "python3", "-c", "import cryptography", NULL };
  int status = 1;

  if (pcscd == NULL && !g_file_test ("/usr/sbin/pcscd", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("pcscd is not installed");
  if (!g_file_test (VPCD_DRIVER, G_FILE_TEST_EXISTS))
    return g_strdup ("vsmartcard-vpcd is not installed");
  if (python == NULL ||
      !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) || status != 0)
    return g_strdup ("python3-cryptography is not installed");
  if (unshare == NULL || geteuid () != 0)
    return g_strdup ("a private pcscd needs root and unshare (a mount namespace)");
  return NULL;
}

static guint16
free_port (void)
{
  /* vpcd listens on the port and the next one (its two slots). */
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      guint16 port = g_random_int_range (20000, 60000);
      gboolean free = TRUE;

      for (guint i = 0; i < 2 && free; i++)
        {
          g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                    G_SOCKET_PROTOCOL_TCP, NULL);
          g_autoptr(GInetAddress) any = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
          g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, port + i);

          free = socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
        }
      if (free)
        return port;
    }
  g_error ("no free port");
}

static gboolean
start_pcscd (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf_dir = g_build_filename (env.dir, "reader.conf.d", NULL);
  g_autofree char *run_dir = g_build_filename (env.dir, "run", NULL);
  g_autofree char *conf = NULL;
  g_autofree char *conf_path = g_build_filename (conf_dir, "vpcd", NULL);
  g_autofree char *script = NULL;
  g_autofree char *log = g_build_filename (env.dir, "pcscd.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  env.port = free_port ();
  g_mkdir_with_parents (conf_dir, 0700);
  g_mkdir_with_parents (run_dir, 0755);
  conf = g_strdup_printf ("FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:%u\n"
                          "LIBPATH %s\nCHANNELID %u\n", env.port, VPCD_DRIVER, env.port);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  env.socket = g_build_filename (run_dir, "pcscd.comm", NULL);

  /* pcscd's socket directory is compiled in (/run/pcscd): in its own mount
   * namespace a private directory is bound there, so neither a system
   * pcscd nor another test run is disturbed. */
  if (g_mkdir_with_parents ("/run/pcscd", 0755) != 0)
    return FALSE;
  script = g_strdup_printf ("mount --bind '%s' /run/pcscd && exec pcscd --foreground "
                            "--config '%s'", run_dir, conf_dir);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "PATH", "/usr/sbin:/usr/bin:/sbin:/bin", TRUE);
  env.pcscd = g_subprocess_launcher_spawn (launcher, &error, "unshare", "--mount", "sh", "-c",
                                           script, NULL);
  if (env.pcscd == NULL)
    return FALSE;
  for (guint i = 0; i < 200 && !g_file_test (env.socket, G_FILE_TEST_EXISTS); i++)
    g_usleep (50 * 1000);
  return g_file_test (env.socket, G_FILE_TEST_EXISTS);
}

static void
stop_card (void)
{
  if (env.card == NULL)
    return;
  g_subprocess_force_exit (env.card);
  g_subprocess_wait (env.card, NULL, NULL);
  g_clear_object (&env.card);
  /* vpcd notices the card gone when it next polls it. */
  g_usleep (G_USEC_PER_SEC / 2);
}

static void
stop_pcscd (void)
{
  stop_card ();
  if (env.pcscd != NULL)
    {
      g_subprocess_send_signal (env.pcscd, SIGTERM);
      g_subprocess_wait (env.pcscd, NULL, NULL);
      g_clear_object (&env.pcscd);
    }
}

/* ---- cards ---- */

static char *
card_dir (const char *variant)
{
  return chip_fixture_card (env.dir, variant);
}

/* Puts the card on the reader; @remove_after: it leaves after so many
 * commands (0: never). */
static void
place_card (const char *variant,
            guint       remove_after)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = card_dir (variant);
  g_autofree char *port = g_strdup_printf ("%u", env.port);
  g_autofree char *after = g_strdup_printf ("%u", remove_after);

  g_autofree char *log = g_build_filename (env.dir, "card.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

  stop_card ();
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  env.card = g_subprocess_launcher_spawn (launcher, &error, "python3", g_getenv ("BHXH_CHIP_EMU"),
                                          "--port", port, "--dir", dir,
                                          "--remove-after", after, NULL);
  g_assert_no_error (error);
}

static gboolean
skipped (void)
{
  if (env.skip == NULL)
    return FALSE;
  g_test_skip (env.skip);
  return TRUE;
}

static char *
csca_dir (const char *variant)
{
  g_autofree char *dir = card_dir (variant);

  return g_build_filename (dir, "csca", NULL);
}

static void
read_genuine (Run        *run,
              const char *portrait)
{
  g_autofree char *csca = csca_dir ("genuine");

  if (portrait != NULL)
    RUN (run, "chip", "read", "--wait", "10", "--payload", QR_GENUINE, "--csca", csca,
         "--portrait", portrait, "--force");
  else
    RUN (run, "chip", "read", "--wait", "10", "--payload", QR_GENUINE, "--csca", csca);
}

/* ---- the tests ---- */

static void
test_readers (void)
{
  g_auto(Run) run = { 0 };
  JsonArray *readers;

  if (skipped ())
    return;
  RUN (&run, "chip", "readers");
  g_assert_cmpint (run.status, ==, 0);
  readers = json_object_get_array_member (object (&run), "readers");
  g_assert_cmpuint (json_array_get_length (readers), >=, 1);
  g_assert_true (g_str_has_prefix (json_array_get_string_element (readers, 0), "Virtual PCD"));
}

static void
test_genuine (void)
{
  g_auto(Run) run = { 0 };
  JsonObject *o, *auth;

  if (skipped ())
    return;
  place_card ("genuine", 0);
  read_genuine (&run, NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = object (&run);
  g_assert_cmpstr (json_object_get_string_member (o, "document"), ==, "cccd-chip");
  g_assert_cmpstr (json_object_get_string_member (o, "id_number"), ==, "079188004321");
  g_assert_cmpstr (json_object_get_string_member (o, "full_name"), ==, "Phạm Thị Thu Hà");
  g_assert_cmpstr (json_object_get_string_member (o, "birth_date"), ==, "1988-07-12");
  g_assert_cmpstr (json_object_get_string_member (o, "sex"), ==, "female");
  g_assert_cmpstr (json_object_get_string_member (o, "issue_date"), ==, "2021-09-05");
  g_assert_cmpstr (json_object_get_string_member (o, "expiry_date"), ==, "2028-07-12");
  g_assert_cmpstr (json_object_get_string_member (o, "father_name"), ==, "Phạm Văn Bình");
  g_assert_cmpstr (json_object_get_string_member (o, "mother_name"), ==, "Lê Thị Cúc");
  g_assert_cmpstr (json_object_get_string_member (o, "spouse_name"), ==, "Trần Minh Đức");
  g_assert_cmpstr (json_object_get_string_member (o, "old_id_number"), ==, "025123456");
  g_assert_cmpstr (json_object_get_string_member (o, "ethnicity"), ==, "Kinh");
  g_assert_cmpstr (json_object_get_string_member (o, "place_of_origin"), ==,
                   "Xã Tân Phú, Huyện Đức Hòa, Long An");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "qr_mismatch")),
                    ==, 0);
  auth = authentication (&run);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "absent");
  g_assert_cmpstr (json_object_get_string_member (auth, "signer"), ==,
                   "CN=Test Document Signer,O=Synthetic test authority,C=VN");
  g_assert_false (json_object_has_member (auth, "reason"));
  /* The QR's dates gave the right expiry at the first try. */
  g_assert_cmpint (json_object_get_int_member (auth, "bac_attempts"), ==, 1);
}

/* Read times on the emulated reader: BAC, EF.COM, DG1, DG13 and EF.SOD;
 * then with DG2 (a 15 kB JPEG 2000 portrait). */
static void
test_timing (void)
{
  g_autofree char *portrait = NULL;
  gint64 plain = 0, with_portrait = 0;

  if (skipped ())
    return;
  portrait = g_build_filename (env.dir, "portrait.jp2", NULL);
  place_card ("genuine", 0);
  for (guint i = 0; i < 3; i++)
    {
      g_auto(Run) run = { 0 };
      g_auto(Run) run2 = { 0 };
      g_autofree char *image = NULL;
      gsize len;

      read_genuine (&run, NULL);
      g_assert_cmpint (run.status, ==, 0);
      plain += json_object_get_int_member (object (&run), "read_ms");
      read_genuine (&run2, portrait);
      g_assert_cmpint (run2.status, ==, 0);
      with_portrait += json_object_get_int_member (object (&run2), "read_ms");
      g_assert_cmpstr (json_object_get_string_member (object (&run2), "portrait_type"), ==,
                       "image/jp2");
      g_assert_true (g_file_get_contents (portrait, &image, &len, NULL));
      g_assert_cmpuint (len, >, 12000);
      g_assert_cmpmem (image, 8, "\0\0\0\x0cjP  ", 8);
    }
  g_test_message ("read time, mean of 3: %" G_GINT64_FORMAT " ms (BAC + DG1 + DG13 + SOD), "
                  "%" G_GINT64_FORMAT " ms with DG2", plain / 3, with_portrait / 3);
}

static void
test_wrong_key (void)
{
  g_auto(Run) run = { 0 };

  if (skipped ())
    return;
  place_card ("genuine", 0);
  RUN (&run, "chip", "read", "--wait", "10", "--mrz", MRZ_WRONG);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "BAC"));
}

/* A typed MRZ opens the chip too; without --csca nothing is checked. */
static void
test_mrz_unchecked (void)
{
  g_auto(Run) run = { 0 };

  if (skipped ())
    return;
  place_card ("genuine", 0);
  RUN (&run, "chip", "read", "--wait", "10", "--mrz", MRZ_GENUINE);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (authentication (&run), "passive"), ==,
                   "not-checked");
  g_assert_false (json_object_has_member (object (&run), "qr"));
}

static void
check_variant (const char *variant,
               const char *passive,
               const char *reason)
{
  g_auto(Run) run = { 0 };
  g_autofree char *csca = csca_dir (variant);
  JsonObject *auth;

  place_card (variant, 0);
  RUN (&run, "chip", "read", "--wait", "10", "--mrz", MRZ_GENUINE, "--csca", csca);
  g_assert_cmpint (run.status, ==, 0);
  auth = authentication (&run);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, passive);
  g_assert_cmpstr (json_object_get_string_member_with_default (auth, "reason", NULL), ==,
                   reason);
}

static void
test_altered (void)
{
  if (!skipped ())
    check_variant ("altered-dg13", "invalid", "dg13-hash-mismatch");
}

static void
test_unknown_csca (void)
{
  if (!skipped ())
    check_variant ("unknown-csca", "untrusted", "no-matching-csca");
}

static void
test_expired_ds (void)
{
  if (!skipped ())
    check_variant ("expired-ds", "invalid", "ds-expired");
}

/* A chip with DG15 proves it is the chip the files were signed for. */
static void
test_active_authentication (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) clone = { 0 };
  g_autofree char *csca = NULL;
  g_autofree char *clone_csca = NULL;
  JsonObject *auth;

  if (skipped ())
    return;
  csca = csca_dir ("aa");
  place_card ("aa", 0);
  RUN (&run, "chip", "read", "--wait", "10", "--mrz", MRZ_GENUINE, "--csca", csca);
  g_assert_cmpint (run.status, ==, 0);
  auth = authentication (&run);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "valid");

  /* The signed files copied onto another chip: the data checks out, the
   * chip does not. */
  clone_csca = csca_dir ("aa-clone");
  place_card ("aa-clone", 0);
  RUN (&clone, "chip", "read", "--wait", "10", "--mrz", MRZ_GENUINE, "--csca", clone_csca);
  g_assert_cmpint (clone.status, ==, 0);
  auth = authentication (&clone);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "invalid");
  g_assert_cmpstr (json_object_get_string_member (auth, "reason"), ==,
                   "active-authentication-failed");
}

/* Reads @variant's card with the MRZ and its CSCA: the authentication object. */
static JsonObject *
read_variant (Run        *run,
              const char *variant,
              const char *mrz)
{
  g_autofree char *csca = csca_dir (variant);

  place_card (variant, 0);
  RUN (run, "chip", "read", "--wait", "10", "--mrz", mrz, "--csca", csca);
  g_assert_cmpint (run->status, ==, 0);
  return authentication (run);
}

/* EF.CardAccess offers PACE (brainpoolP256r1): the chip is opened with
 * PACE, the files come under AES secure messaging. */
static void
test_pace (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) p256 = { 0 };
  g_autofree char *csca = NULL;
  JsonObject *auth;

  if (skipped ())
    return;
  csca = csca_dir ("pace");
  place_card ("pace", 0);
  RUN (&run, "chip", "read", "--wait", "10", "--payload", QR_GENUINE, "--csca", csca);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object (&run), "full_name"), ==,
                   "Phạm Thị Thu Hà");
  auth = authentication (&run);
  g_assert_cmpstr (json_object_get_string_member (auth, "access"), ==, "pace");
  g_assert_false (json_object_has_member (auth, "access_fallback"));
  g_assert_cmpint (json_object_get_int_member (auth, "bac_attempts"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (auth, "pace_attempts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "absent");

  /* The other standardized curve, secp256r1. */
  auth = read_variant (&p256, "pace-p256", MRZ_GENUINE);
  g_assert_cmpstr (json_object_get_string_member (auth, "access"), ==, "pace");
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
}

/* A wrong key fails PACE's token check: counted like BAC's, said so. */
static void
test_pace_wrong_key (void)
{
  g_auto(Run) run = { 0 };

  if (skipped ())
    return;
  place_card ("pace", 0);
  RUN (&run, "chip", "read", "--wait", "10", "--mrz", MRZ_WRONG);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "PACE"));
  g_assert_nonnull (strstr (run.err, "1"));
}

/* PACE offered with the integrated mapping only: BAC, and the fallback
 * reported. */
static void
test_pace_unsupported (void)
{
  g_auto(Run) run = { 0 };
  JsonObject *auth;

  if (skipped ())
    return;
  auth = read_variant (&run, "pace-unsupported", MRZ_GENUINE);
  g_assert_cmpstr (json_object_get_string_member (auth, "access"), ==, "bac");
  g_assert_cmpstr (json_object_get_string_member (auth, "access_fallback"), ==,
                   "pace-unsupported");
  g_assert_cmpint (json_object_get_int_member (auth, "pace_attempts"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (auth, "bac_attempts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
}

/* A chip that refuses the PACE it offers (here: AES-256, which the
 * emulated chip does not speak): BAC with the same key, counted once. */
static void
test_pace_refused (void)
{
  g_auto(Run) run = { 0 };
  JsonObject *auth;

  if (skipped ())
    return;
  auth = read_variant (&run, "pace-refused", MRZ_GENUINE);
  g_assert_cmpstr (json_object_get_string_member (auth, "access"), ==, "bac");
  g_assert_cmpstr (json_object_get_string_member (auth, "access_fallback"), ==, "pace-failed");
  g_assert_cmpint (json_object_get_int_member (auth, "pace_attempts"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (auth, "bac_attempts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
}

/* DG14: chip authentication after BAC (3DES, explicit domain parameters)
 * and after PACE (AES); a copy of the files on a chip without DG14's
 * private key is caught. */
static void
test_chip_authentication (void)
{
  g_auto(Run) bac = { 0 };
  g_auto(Run) pace = { 0 };
  g_auto(Run) clone = { 0 };
  JsonObject *auth;

  if (skipped ())
    return;
  auth = read_variant (&bac, "ca", MRZ_GENUINE);
  g_assert_cmpstr (json_object_get_string_member (auth, "access"), ==, "bac");
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip_method"), ==, "ca");
  g_assert_false (json_object_has_member (auth, "reason"));
  g_assert_true (json_object_has_member (json_object_get_object_member (auth, "files"),
                                         "dg14"));

  auth = read_variant (&pace, "pace-ca", MRZ_GENUINE);
  g_assert_cmpstr (json_object_get_string_member (auth, "access"), ==, "pace");
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip_method"), ==, "ca");

  auth = read_variant (&clone, "ca-clone", MRZ_GENUINE);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "invalid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip_method"), ==, "ca");
  g_assert_cmpstr (json_object_get_string_member (auth, "reason"), ==,
                   "chip-authentication-failed");
}

/* DG15 with an EC key: ECDSA (SHA-384 from DG14), r || s. */
static void
test_active_authentication_ec (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) clone = { 0 };
  JsonObject *auth;

  if (skipped ())
    return;
  auth = read_variant (&run, "aa-ec", MRZ_GENUINE);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip_method"), ==, "aa");

  auth = read_variant (&clone, "aa-ec-clone", MRZ_GENUINE);
  g_assert_cmpstr (json_object_get_string_member (auth, "passive"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (auth, "chip"), ==, "invalid");
  g_assert_cmpstr (json_object_get_string_member (auth, "reason"), ==,
                   "active-authentication-failed");
}

/* The same reads in this process, through the library (for the leak and
 * sanitizer checks to see PACE, chip and active authentication). */
static void
test_library (void)
{
  static const struct
  {
    const char     *variant;
    const char     *access;
    const char     *method;
    BhxhAuthResult  chip;
  } cases[] = {
    { "pace-ca", "pace", "ca", BHXH_AUTH_VALID },
    { "ca-clone", "bac", "ca", BHXH_AUTH_INVALID },
    { "aa-ec", "bac", "aa", BHXH_AUTH_VALID },
    { "pace-unsupported", "bac", NULL, BHXH_AUTH_ABSENT },
  };

  if (skipped ())
    return;
  g_setenv ("PCSCLITE_CSOCK_NAME", env.socket, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(BhxhChipReadOptions) options = { NULL };
      g_autoptr(BhxhChipResult) result = NULL;
      g_autoptr(GError) error = NULL;
      BhxhChipKey key;

      place_card (cases[i].variant, 0);
      g_assert_true (bhxh_chip_key_parse (MRZ_GENUINE, &key, &error));
      options.keys = g_array_new (FALSE, TRUE, sizeof (BhxhChipKey));
      g_array_append_val (options.keys, key);
      options.csca_dir = csca_dir (cases[i].variant);
      options.now = g_date_time_new_from_iso8601 (NOW, NULL);
      options.wait_ms = 10000;
      result = bhxh_chip_read (&options, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (result->document->chip.passive, ==, BHXH_AUTH_VALID);
      g_assert_cmpstr (result->document->chip.access, ==, cases[i].access);
      g_assert_cmpstr (result->document->chip.chip_method, ==, cases[i].method);
      g_assert_cmpint (result->document->chip.chip, ==, cases[i].chip);
      g_assert_cmpuint (result->document->chip.pace_attempts, ==,
                        g_str_equal (cases[i].access, "pace") ? 1 : 0);
    }
  g_unsetenv ("PCSCLITE_CSOCK_NAME");
}

/* Read times on the emulated reader, mean of 3: BAC against PACE with chip
 * authentication (no assertion on them: printed for the report). */
static void
test_timing_pace (void)
{
  static const char *const variants[] = { "genuine", "pace", "pace-ca" };
  gint64 total[G_N_ELEMENTS (variants)] = { 0 };

  if (skipped ())
    return;
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      place_card (variants[v], 0);
      for (guint i = 0; i < 3; i++)
        {
          g_auto(Run) run = { 0 };

          RUN (&run, "chip", "read", "--wait", "10", "--mrz", MRZ_GENUINE);
          g_assert_cmpint (run.status, ==, 0);
          total[v] += json_object_get_int_member (object (&run), "read_ms");
        }
    }
  g_test_message ("read time, mean of 3: BAC %" G_GINT64_FORMAT " ms, PACE %" G_GINT64_FORMAT
                  " ms, PACE + chip authentication %" G_GINT64_FORMAT " ms",
                  total[0] / 3, total[1] / 3, total[2] / 3);
}

static void
test_removed (void)
{
  if (skipped ())
    return;
  /* Lifted after BAC and a few files: in the middle of DG2. */
  for (guint after = 8; after <= 20; after += 12)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *portrait = g_build_filename (env.dir, "removed.jpg", NULL);

      place_card ("genuine", after);
      read_genuine (&run, portrait);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.err, "taken off the reader"));
    }
}

static void
test_no_card (void)
{
  g_auto(Run) run = { 0 };

  if (skipped ())
    return;
  stop_card ();
  /* The reader notices the card gone within moments. */
  g_usleep (300 * 1000);
  RUN (&run, "chip", "read", "--mrz", MRZ_GENUINE);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "No card"));
}

static void
test_no_service (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *saved = NULL;

  if (skipped ())
    return;
  saved = g_steal_pointer (&env.socket);
  env.socket = g_build_filename (env.dir, "no-such-socket", NULL);
  RUN (&run, "chip", "read", "--mrz", MRZ_GENUINE);
  g_free (env.socket);
  env.socket = g_steal_pointer (&saved);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "pcscd"));
}

/* The library's own call, as the GUI makes it: in a thread, the main loop
 * free meanwhile. */
static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_auto(BhxhChipReadOptions) options = { NULL };
  g_autoptr(BhxhDocument) qr = NULL;
  g_autoptr(BhxhChipResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint ticks = 0;

  if (skipped ())
    return;
  place_card ("genuine", 0);
  g_setenv ("PCSCLITE_CSOCK_NAME", env.socket, TRUE);
  qr = bhxh_document_parse_scan (QR_GENUINE, -1, &error);
  g_assert_no_error (error);
  options.keys = bhxh_chip_keys_from_document (qr, &error);
  g_assert_no_error (error);
  options.csca_dir = csca_dir ("genuine");
  options.now = g_date_time_new_from_iso8601 (NOW, NULL);
  options.wait_ms = 10000;
  bhxh_chip_read_async (&options, cancellable, read_done_cb, &async_result);
  while (async_result == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      ticks++;
      g_usleep (1000);
    }
  g_assert_cmpuint (ticks, >, 1);
  result = bhxh_chip_read_finish (async_result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->document->chip.passive, ==, BHXH_AUTH_VALID);
  g_assert_cmpstr (result->document->full_name, ==, "Phạm Thị Thu Hà");
  g_clear_pointer (&result, bhxh_chip_result_free);
  g_clear_object (&async_result);

  /* Cancelled: a clear error, nothing half read. */
  g_cancellable_cancel (cancellable);
  bhxh_chip_read_async (&options, cancellable, read_done_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = bhxh_chip_read_finish (async_result, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_unsetenv ("PCSCLITE_CSOCK_NAME");
}

/* The read's steps through the progress callback, from the reading
 * thread: in order, the fraction never going back, DG2's bytes moving it
 * in many small steps, done at 1. */
typedef struct
{
  GMutex  lock;
  GArray *steps;       /* (element-type BhxhChipStep) */
  GArray *fractions;   /* (element-type double) */
  GThread *main;
  gboolean other_thread;
} Steps;

static void
progress_cb (BhxhChipStep step,
             double       fraction,
             gpointer     user_data)
{
  Steps *steps = user_data;

  g_mutex_lock (&steps->lock);
  g_array_append_val (steps->steps, step);
  g_array_append_val (steps->fractions, fraction);
  steps->other_thread |= g_thread_self () != steps->main;
  g_mutex_unlock (&steps->lock);
}

static void
test_progress (void)
{
  g_auto(BhxhChipReadOptions) options = { NULL };
  g_autoptr(BhxhDocument) qr = NULL;
  g_autoptr(BhxhChipResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GError) error = NULL;
  Steps steps = { .main = g_thread_self () };
  guint in_portrait = 0;
  BhxhChipStep last = BHXH_CHIP_STEP_OPENING;

  if (skipped ())
    return;
  g_mutex_init (&steps.lock);
  steps.steps = g_array_new (FALSE, FALSE, sizeof (BhxhChipStep));
  steps.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  place_card ("genuine", 0);
  g_setenv ("PCSCLITE_CSOCK_NAME", env.socket, TRUE);
  qr = bhxh_document_parse_scan (QR_GENUINE, -1, &error);
  g_assert_no_error (error);
  options.keys = bhxh_chip_keys_from_document (qr, &error);
  options.csca_dir = csca_dir ("genuine");
  options.now = g_date_time_new_from_iso8601 (NOW, NULL);
  options.wait_ms = 10000;
  options.flags = BHXH_CHIP_READ_PORTRAIT;
  options.progress = progress_cb;
  options.progress_data = &steps;
  bhxh_chip_read_async (&options, NULL, read_done_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = bhxh_chip_read_finish (async_result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result->portrait);

  g_assert_true (steps.other_thread);
  g_assert_cmpuint (steps.steps->len, >, 10);
  g_assert_cmpint (g_array_index (steps.steps, BhxhChipStep, 0), ==, BHXH_CHIP_STEP_OPENING);
  for (guint i = 0; i < steps.steps->len; i++)
    {
      BhxhChipStep step = g_array_index (steps.steps, BhxhChipStep, i);

      g_assert_cmpint (step, >=, last);
      last = step;
      in_portrait += step == BHXH_CHIP_STEP_PORTRAIT;
      if (i > 0)
        g_assert_cmpfloat (g_array_index (steps.fractions, double, i), >=,
                           g_array_index (steps.fractions, double, i - 1));
    }
  g_assert_cmpint (last, ==, BHXH_CHIP_STEP_SIGNATURE);
  g_assert_cmpuint (in_portrait, >, 10);
  g_assert_cmpfloat (g_array_index (steps.fractions, double, steps.fractions->len - 1), ==, 1.0);
  g_array_unref (steps.steps);
  g_array_unref (steps.fractions);
  g_mutex_clear (&steps.lock);
  g_unsetenv ("PCSCLITE_CSOCK_NAME");
}

/* ---- the chip's result at the counter ---- */

#define MIRROR_CSV \
  "bhxh_code,id_number,old_id_number,full_name,birth_date,sex,address,office_code," \
  "account_status,account_since\n" \
  "7918800432,079188004321,025123456,Phạm Thị Thu Hà,1988-07-12,female," \
  "\"Số 7 đường Lê Lợi, Quận 1\",07901,,\n"
#define DECLARATIONS_JSON \
  "{\"format\": \"bhxh-declarations/1\", \"declarations\": [" \
  "{\"id\": \"TK01-07901-000101\", \"kind\": \"register\", \"status\": \"pending\", " \
  "\"office_code\": \"07901\", \"submitted_at\": \"2026-11-20T08:15:00+07:00\", " \
  "\"confirmed_at\": \"2026-11-20T08:20:00+07:00\", \"full_name\": \"Phạm Thị Thu Hà\", " \
  "\"bhxh_code\": \"7918800432\", \"id_number\": \"079188004321\", " \
  "\"birth_date\": \"1988-07-12\", \"sex\": \"female\", \"address\": \"Quận 1\", " \
  "\"handin\": \"office\", \"start_date\": \"2026-12-01\", \"channel\": \"portal\"}]}\n"

static char *
new_store (const char *name)
{
  g_autofree char *dir = g_build_filename (env.dir, name, NULL);
  g_autofree char *mirror = g_build_filename (dir, "mirror.csv", NULL);
  g_autofree char *declarations = g_build_filename (dir, "declarations.json", NULL);
  char *db = g_build_filename (dir, "desk.db", NULL);
  g_auto(Run) m = { 0 };
  g_auto(Run) d = { 0 };

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (mirror, MIRROR_CSV, -1, NULL));
  g_assert_true (g_file_set_contents (declarations, DECLARATIONS_JSON, -1, NULL));
  RUN (&m, "mirror", "import", db, mirror, "--version", "2026-11");
  g_assert_cmpint (m.status, ==, 0);
  RUN (&d, "declarations", "import", db, declarations);
  g_assert_cmpint (d.status, ==, 0);
  return db;
}

static char *
save_chip_read (const char *qr,
                const char *name)
{
  g_auto(Run) run = { 0 };
  g_autofree char *csca = csca_dir ("genuine");
  char *path = g_build_filename (env.dir, name, NULL);

  place_card ("genuine", 0);
  RUN (&run, "chip", "read", "--wait", "10", "--payload", qr, "--csca", csca);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_set_contents (path, run.out, -1, NULL));
  return path;
}

static gboolean
has_reason (JsonObject *check,
            const char *code)
{
  JsonArray *reasons = json_object_get_array_member (check, "reasons");

  for (guint i = 0; i < json_array_get_length (reasons); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (reasons, i),
                                                    "code"), code))
      return TRUE;
  return FALSE;
}

/* verify answers with the candidate declarations, each with its check. */
static JsonObject *
first_check (Run *run)
{
  JsonArray *candidates = json_object_get_array_member (object (run), "candidates");

  g_assert_cmpuint (json_array_get_length (candidates), ==, 1);
  return json_array_get_object_element (candidates, 0);
}

/* A genuine chip, agreeing with its QR: approved, evidence chip-verified. */
static void
test_decide_chip_verified (void)
{
  g_autofree char *db = NULL;
  g_autofree char *chip = NULL;
  g_autofree char *csca = NULL;
  g_auto(Run) verify = { 0 };
  g_auto(Run) decide = { 0 };

  if (skipped ())
    return;
  db = new_store ("store-verified");
  chip = save_chip_read (QR_GENUINE, "chip-genuine.json");
  csca = csca_dir ("genuine");
  RUN (&verify, "verify", db, "--chip", chip, "--csca", csca);
  g_assert_cmpint (verify.status, ==, 0);
  g_assert_true (has_reason (first_check (&verify), "chip-verified"));
  RUN (&decide, "decide", db, "TK01-07901-000101", "approve", "--chip", chip, "--csca", csca,
       "--clerk", "lan");
  g_assert_cmpint (decide.status, ==, 0);
  g_assert_nonnull (strstr (decide.out, "\"chip-verified\""));
}

/* What a chip's JSON claims is not believed: its signed files are checked
 * again. Fields edited in the file come back as the chip signed them;
 * without its files (or without a trust store) it is not authenticated. */
static void
test_decide_forged_json (void)
{
  g_autofree char *db = NULL;
  g_autofree char *chip = NULL;
  g_autofree char *csca = NULL;
  g_autofree char *text = NULL;
  g_autofree char *edited_path = NULL;
  g_autofree char *bare_path = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(Run) edited = { 0 };
  g_auto(Run) bare = { 0 };
  g_auto(Run) no_trust = { 0 };
  g_auto(Run) decide = { 0 };
  JsonObject *o, *auth;

  if (skipped ())
    return;
  db = new_store ("store-forged");
  chip = save_chip_read (QR_GENUINE, "chip-to-forge.json");
  csca = csca_dir ("genuine");
  g_assert_true (g_file_get_contents (chip, &text, NULL, NULL));
  node = json_from_string (text, NULL);
  o = json_node_get_object (node);
  json_object_set_string_member (o, "full_name", "Phạm Thị Thu Hằng");
  edited_path = g_build_filename (env.dir, "chip-edited.json", NULL);
  g_clear_pointer (&text, g_free);
  text = json_to_string (node, FALSE);
  g_assert_true (g_file_set_contents (edited_path, text, -1, NULL));
  RUN (&edited, "verify", db, "--chip", edited_path, "--csca", csca);
  g_assert_cmpint (edited.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (object (&edited), "document"), "full_name"),
                   ==, "Phạm Thị Thu Hà");
  g_assert_true (has_reason (first_check (&edited), "chip-verified"));

  /* Without its files, what the JSON says stays a claim: not authenticated
   * (and the edited name stands, to disagree with the QR). */
  json_object_set_string_member (o, "full_name", "Phạm Thị Thu Hà");
  auth = json_object_get_object_member (o, "authentication");
  json_object_remove_member (auth, "files");
  bare_path = g_build_filename (env.dir, "chip-bare.json", NULL);
  g_clear_pointer (&text, g_free);
  text = json_to_string (node, FALSE);
  g_assert_true (g_file_set_contents (bare_path, text, -1, NULL));
  RUN (&bare, "verify", db, "--chip", bare_path, "--csca", csca);
  g_assert_cmpint (bare.status, ==, 0);
  g_assert_true (has_reason (first_check (&bare), "chip-not-checked"));
  g_assert_false (has_reason (first_check (&bare), "chip-verified"));
  RUN (&no_trust, "verify", db, "--chip", chip);
  g_assert_cmpint (no_trust.status, ==, 0);
  g_assert_true (has_reason (first_check (&no_trust), "chip-not-checked"));
  RUN (&decide, "decide", db, "TK01-07901-000101", "approve", "--chip", bare_path, "--clerk",
       "lan");
  g_assert_cmpint (decide.status, ==, 0);
  g_assert_nonnull (strstr (decide.out, "\"card-qr\""));
}

/* The QR says another name than the chip: blocked, no override approves. */
static void
test_decide_qr_mismatch (void)
{
  g_autofree char *db = NULL;
  g_autofree char *chip = NULL;
  g_auto(Run) verify = { 0 };
  g_auto(Run) decide = { 0 };
  g_auto(Run) override = { 0 };

  if (skipped ())
    return;
  db = new_store ("store-mismatch");
  chip = save_chip_read (QR_FORGED, "chip-forged-qr.json");
  RUN (&verify, "verify", db, "--chip", chip);
  g_assert_cmpint (verify.status, ==, 0);
  g_assert_true (has_reason (first_check (&verify), "chip-qr-mismatch"));
  RUN (&decide, "decide", db, "TK01-07901-000101", "approve", "--chip", chip, "--clerk", "lan");
  g_assert_cmpint (decide.status, ==, 1);
  g_assert_nonnull (strstr (decide.err, "chip-qr-mismatch"));
  RUN (&override, "decide", db, "TK01-07901-000101", "approve", "--chip", chip,
       "--override", "--note", "looks fine", "--clerk", "lan");
  g_assert_cmpint (override.status, ==, 1);
}

/* A chip whose DG13 was altered after signing blocks approval too. */
static void
test_decide_chip_invalid (void)
{
  g_autofree char *db = NULL;
  g_autofree char *path = NULL;
  g_autofree char *csca = NULL;
  g_auto(Run) read = { 0 };
  g_auto(Run) decide = { 0 };

  if (skipped ())
    return;
  db = new_store ("store-invalid");
  csca = csca_dir ("altered-dg13");
  place_card ("altered-dg13", 0);
  RUN (&read, "chip", "read", "--wait", "10", "--mrz", MRZ_GENUINE, "--csca", csca);
  g_assert_cmpint (read.status, ==, 0);
  path = g_build_filename (env.dir, "chip-altered.json", NULL);
  g_assert_true (g_file_set_contents (path, read.out, -1, NULL));
  RUN (&decide, "decide", db, "TK01-07901-000101", "approve", "--chip", path, "--clerk", "lan");
  g_assert_cmpint (decide.status, ==, 1);
  g_assert_nonnull (strstr (decide.err, "chip-invalid"));
}

/* A chip read with PACE and chip authentication, received as JSON: its
 * files (DG14 among them) pass passive authentication again; a copy that
 * failed chip authentication stays invalid, named as such. */
static void
test_decide_chip_authentication (void)
{
  g_autofree char *db = NULL;
  g_autofree char *csca = NULL, *clone_csca = NULL;
  g_autofree char *path = NULL, *clone_path = NULL;
  g_auto(Run) read = { 0 };
  g_auto(Run) clone_read = { 0 };
  g_auto(Run) verify = { 0 };
  g_auto(Run) clone_verify = { 0 };
  g_auto(Run) decide = { 0 };

  if (skipped ())
    return;
  db = new_store ("store-ca");
  csca = csca_dir ("pace-ca");
  place_card ("pace-ca", 0);
  RUN (&read, "chip", "read", "--wait", "10", "--payload", QR_GENUINE, "--csca", csca);
  g_assert_cmpint (read.status, ==, 0);
  path = g_build_filename (env.dir, "chip-pace-ca.json", NULL);
  g_assert_true (g_file_set_contents (path, read.out, -1, NULL));
  RUN (&verify, "verify", db, "--chip", path, "--csca", csca);
  g_assert_cmpint (verify.status, ==, 0);
  g_assert_true (has_reason (first_check (&verify), "chip-verified"));

  clone_csca = csca_dir ("ca-clone");
  place_card ("ca-clone", 0);
  RUN (&clone_read, "chip", "read", "--wait", "10", "--payload", QR_GENUINE, "--csca",
       clone_csca);
  g_assert_cmpint (clone_read.status, ==, 0);
  clone_path = g_build_filename (env.dir, "chip-ca-clone.json", NULL);
  g_assert_true (g_file_set_contents (clone_path, clone_read.out, -1, NULL));
  RUN (&clone_verify, "verify", db, "--chip", clone_path, "--csca", clone_csca);
  g_assert_cmpint (clone_verify.status, ==, 0);
  g_assert_true (has_reason (first_check (&clone_verify), "chip-invalid"));
  g_assert_nonnull (strstr (clone_verify.out, "Chip authentication failed"));
  RUN (&decide, "decide", db, "TK01-07901-000101", "approve", "--chip", clone_path, "--csca",
       clone_csca, "--clerk", "lan");
  g_assert_cmpint (decide.status, ==, 1);
  g_assert_nonnull (strstr (decide.err, "chip-invalid"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  env.skip = missing_part ();
  if (env.skip == NULL)
    {
      env.dir = g_dir_make_tmp ("bhxh-chip-XXXXXX", NULL);
      g_assert_nonnull (env.dir);
      if (!start_pcscd ())
        env.skip = g_strdup ("the private pcscd did not start (no mount namespace?)");
    }

  g_test_add_func ("/chip/card/readers", test_readers);
  g_test_add_func ("/chip/card/genuine", test_genuine);
  g_test_add_func ("/chip/card/timing", test_timing);
  g_test_add_func ("/chip/card/wrong-key", test_wrong_key);
  g_test_add_func ("/chip/card/mrz-unchecked", test_mrz_unchecked);
  g_test_add_func ("/chip/card/altered-dg13", test_altered);
  g_test_add_func ("/chip/card/unknown-csca", test_unknown_csca);
  g_test_add_func ("/chip/card/expired-ds", test_expired_ds);
  g_test_add_func ("/chip/card/removed", test_removed);
  g_test_add_func ("/chip/card/active-authentication", test_active_authentication);
  g_test_add_func ("/chip/card/async", test_async);
  g_test_add_func ("/chip/card/progress", test_progress);
  g_test_add_func ("/chip/card/pace", test_pace);
  g_test_add_func ("/chip/card/pace-wrong-key", test_pace_wrong_key);
  g_test_add_func ("/chip/card/pace-unsupported", test_pace_unsupported);
  g_test_add_func ("/chip/card/pace-refused", test_pace_refused);
  g_test_add_func ("/chip/card/chip-authentication", test_chip_authentication);
  g_test_add_func ("/chip/card/active-authentication-ec", test_active_authentication_ec);
  g_test_add_func ("/chip/card/library", test_library);
  g_test_add_func ("/chip/card/timing-pace", test_timing_pace);
  g_test_add_func ("/chip/decide/chip-verified", test_decide_chip_verified);
  g_test_add_func ("/chip/decide/qr-mismatch", test_decide_qr_mismatch);
  g_test_add_func ("/chip/decide/chip-invalid", test_decide_chip_invalid);
  g_test_add_func ("/chip/decide/forged-json", test_decide_forged_json);
  g_test_add_func ("/chip/decide/chip-authentication", test_decide_chip_authentication);
  g_test_add_func ("/chip/card/no-card", test_no_card);
  g_test_add_func ("/chip/card/no-service", test_no_service);
  status = g_test_run ();

  stop_pcscd ();
  if (env.dir != NULL)
    chip_fixture_rmtree (env.dir);
  g_free (env.dir);
  g_free (env.skip);
  g_free (env.socket);
  return status;
}
