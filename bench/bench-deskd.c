/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-document.h"
#include "demo/bhxh-demo.h"
#include "service/bhxh-desk1.h"
#include "service/bhxh-service-errors.h"
#include "store/bhxh-store.h"
#include "store/bhxh-store-answers.h"

/* What the service boundary costs a clerk: a verify (scan → candidates) and
 * a decide (a rejection, committed and audited) through bhxh-deskd on a
 * private D-Bus, against the same library calls in this process, on two
 * copies of the same demo store (encrypted, as every store is). Prints
 * p50/p99 of each and the ratio D-Bus / in-process; asserts nothing.
 *
 *   bench-deskd [N=300]        (needs BHXH_DESKD, or runs src/service/bhxh-deskd)
 */

#define PASSWORD "bench-password-123"

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *samples,
            double  p)
{
  g_array_sort (samples, cmp_double);
  return g_array_index (samples, double, (guint) ((samples->len - 1) * p));
}

static BhxhStore *
demo_store (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  BhxhStore *store = bhxh_store_open (path, &error);

  if (store == NULL || !bhxh_demo_create (store, NULL, 20000, &error) ||
      !bhxh_store_init_accounts (store, "admin", "Quản trị", PASSWORD, &error) ||
      !bhxh_store_authenticate (store, "admin", PASSWORD, NULL, &error) ||
      !bhxh_store_set_password (store, "lan.nguyen", PASSWORD, &error))
    g_error ("demo store: %s", error->message);
  bhxh_store_sign_out (store);
  return store;
}

static void
report (const char *what,
        GArray     *direct,
        GArray     *bus)
{
  double d50 = percentile (direct, 0.5), d99 = percentile (direct, 0.99);
  double b50 = percentile (bus, 0.5), b99 = percentile (bus, 0.99);

  printf ("%-7s in-process p50 %8.0f µs  p99 %8.0f µs | D-Bus p50 %8.0f µs  p99 %8.0f µs | "
          "added p50 %+7.0f µs  ×%.2f  p99 ×%.2f\n",
          what, d50, d99, b50, b99, b50 - d50, b50 / d50, b99 / d99);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 300;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-bench-deskd-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "served.db", NULL);
  const char *deskd = g_getenv ("BHXH_DESKD") ? g_getenv ("BHXH_DESKD") : "src/service/bhxh-deskd";
  g_autoptr(BhxhStore) direct = NULL;
  g_autoptr(BhxhStore) served = NULL;
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(BhxhDesk1) proxy = NULL;
  g_autoptr(BhxhDemo) demo = NULL;
  GArray *t_verify[2], *t_decide[2];
  BhxhDate today = bhxh_clock_today ();
  GPtrArray *payloads;
  guint decided = 0;

  for (guint i = 0; i < 2; i++)
    {
      t_verify[i] = g_array_new (FALSE, FALSE, sizeof (double));
      t_decide[i] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  bhxh_service_errors_register ();
  direct = demo_store (dir, "direct.db");
  served = demo_store (dir, "served.db");
  g_clear_object (&served);
  if (!bhxh_store_authenticate (direct, "lan.nguyen", PASSWORD, NULL, &error))
    g_error ("%s", error->message);
  demo = bhxh_demo_new (&today, 20000, BHXH_DEMO_DEFAULT_SEED, &error);
  payloads = bhxh_demo_get_payloads (demo);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, deskd, "--session", "--db", db,
                             NULL);
  if (daemon == NULL)
    g_error ("%s: %s", deskd, error->message);
  for (int i = 0; i < 200 && proxy == NULL; i++)
    {
      g_autoptr(BhxhDesk1) p = bhxh_desk1_proxy_new_for_bus_sync (
        G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, BHXH_SERVICE_NAME,
        BHXH_SERVICE_PATH, NULL, NULL);

      if (p != NULL && g_dbus_proxy_get_name_owner (G_DBUS_PROXY (p)) != NULL)
        proxy = g_steal_pointer (&p);
      else
        g_usleep (50000);
    }
  if (proxy == NULL ||
      !bhxh_desk1_call_sign_in_sync (proxy, "lan.nguyen", PASSWORD, NULL, NULL, NULL, &error))
    g_error ("bhxh-deskd: %s", error ? error->message : "did not start");

  /* Verify: every demo card in turn, alternating the two paths. */
  for (guint i = 0; i < n; i++)
    {
      const BhxhDemoPayload *p = g_ptr_array_index (payloads, i % payloads->len);
      g_autoptr(BhxhDocument) doc = bhxh_document_parse_cccd (p->payload, -1, NULL);
      g_autoptr(JsonNode) a = NULL;
      g_autofree char *b = NULL;
      double us;
      gint64 t0;

      if (doc == NULL)
        continue;   /* a birth certificate: the same path, a different parser */
      t0 = g_get_monotonic_time ();
      a = bhxh_answer_verify (direct, doc, "lan.nguyen", &error);
      us = (double) (g_get_monotonic_time () - t0);
      g_array_append_val (t_verify[0], us);
      t0 = g_get_monotonic_time ();
      if (!bhxh_desk1_call_verify_sync (proxy, p->payload, &b, NULL, &error) || a == NULL)
        g_error ("verify: %s", error->message);
      us = (double) (g_get_monotonic_time () - t0);
      g_array_append_val (t_verify[1], us);
    }

  /* Decide: a rejection of each still-open demo declaration, both paths. */
  for (guint i = 0; i < payloads->len && decided < n; i++)
    {
      const BhxhDemoPayload *p = g_ptr_array_index (payloads, i);
      const char *reasons[] = { "person-absent", NULL };
      BhxhDecisionRequest request = {
        .declaration_id = p->declaration_id, .outcome = BHXH_OUTCOME_REJECT,
        .clerk = "lan.nguyen", .reason_codes = reasons,
      };
      GVariantBuilder options;
      g_autoptr(JsonNode) a = NULL;
      g_autofree char *b = NULL;
      double us;
      gint64 t0;

      t0 = g_get_monotonic_time ();
      a = bhxh_answer_decide (direct, &request, NULL);
      us = (double) (g_get_monotonic_time () - t0);
      g_array_append_val (t_decide[0], us);
      g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&options, "{sv}", "reasons", g_variant_new_strv (reasons, -1));
      t0 = g_get_monotonic_time ();
      if (!bhxh_desk1_call_decide_sync (proxy, p->declaration_id, "reject",
                                        g_variant_builder_end (&options), &b, NULL, NULL))
        g_clear_pointer (&a, json_node_unref);
      us = (double) (g_get_monotonic_time () - t0);
      g_array_append_val (t_decide[1], us);
      if (a == NULL)
        {
          /* Not open (a case the demo decided already): not a sample. */
          g_array_set_size (t_decide[0], t_decide[0]->len - 1);
          g_array_set_size (t_decide[1], t_decide[1]->len - 1);
          continue;
        }
      decided++;
    }

  printf ("bhxh-deskd vs in-process, %u verifies, %u decides (demo, 20000 persons, encrypted)\n",
          t_verify[0]->len, t_decide[0]->len);
  report ("verify", t_verify[0], t_verify[1]);
  if (t_decide[0]->len > 0)
    report ("decide", t_decide[0], t_decide[1]);

  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, NULL);
  g_clear_object (&proxy);
  g_test_dbus_down (bus);
  g_clear_object (&direct);
  for (guint i = 0; i < 2; i++)
    {
      g_array_unref (t_verify[i]);
      g_array_unref (t_decide[i]);
    }
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      g_warning ("left %s", dir);
  }
  return 0;
}
