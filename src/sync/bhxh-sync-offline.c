/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/bhxh-clock.h"
#include "bhxh-bundle.h"
#include "bhxh-sync-log.h"
#include "bhxh-sync-offline.h"
#include "store/bhxh-crypt.h"
#include "bhxh-sync-private.h"

#define CLAIM_CHUNK 1000

static GBytes *
node_to_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/* Every waiting decision, read through the outbox (claim) and put back
 * at once: the caller holds the sync lock, so nobody else is sending. */
static JsonNode *
collect_waiting (BhxhStore  *store,
                 guint      *n,
                 GError    **error)
{
  JsonArray *array = json_array_new ();
  JsonNode *node;
  gboolean ok = TRUE;

  for (;;)
    {
      g_autoptr(GPtrArray) chunk = bhxh_store_outbox_claim (store, CLAIM_CHUNK, error);

      if (chunk == NULL)
        {
          ok = FALSE;
          break;
        }
      if (chunk->len == 0)
        break;
      for (guint i = 0; i < chunk->len; i++)
        json_array_add_element (array, bhxh_sync_decision_to_wire (g_ptr_array_index (chunk,
                                                                                       i)));
    }
  if (!bhxh_store_outbox_requeue_sending (store, ok ? error : NULL) || !ok)
    {
      json_array_unref (array);
      return NULL;
    }
  *n = json_array_get_length (array);
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return node;
}

/* Decision bundles stay good for a month: the trip to the provincial
 * office may take a while; an older one is refused (made again instead). */
#define EXPORT_LIFETIME_DAYS 30
#define META_OUTBOUND_SEQ "bundle.outbound_seq"
#define META_INBOUND_SEQ  "bundle.inbound_seq"

static guint64
meta_seq (BhxhStore  *store,
          const char *key)
{
  g_autofree char *text = bhxh_store_dup_meta (store, key);

  return text != NULL ? g_ascii_strtoull (text, NULL, 10) : 0;
}

static gboolean
set_meta_seq (BhxhStore  *store,
              const char *key,
              guint64     seq,
              GError    **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, seq);

  return bhxh_store_set_meta (store, key, text, error);
}

/* Which workstation this counter is: the portal says it at each sync;
 * @given serves a counter that never reached it. */
static char *
dup_workstation (BhxhStore   *store,
                 const char  *given,
                 GError     **error)
{
  g_autofree char *known = bhxh_store_dup_meta (store, "sync.workstation");

  if (known != NULL && *known != '\0')
    return g_steal_pointer (&known);
  if (given != NULL && *given != '\0')
    return g_strdup (given);
  g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                       _("The workstation identifier is unknown: synchronise once online, "
                         "or give it explicitly."));
  return NULL;
}

static GBytes *
sign_decisions (BhxhStore   *store,
                const char  *ws,
                JsonNode    *decisions,
                guint64      seq,
                GError     **error)
{
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *created = bhxh_clock_now_iso ();
  GBytes *bundle;
  JsonObject *object;

  if (!_bhxh_sync_desk_key (store, NULL, &secret, error))
    return NULL;
  object = json_object_new ();
  json_object_set_string_member (object, "format", "bhxh-decisions/1");
  json_object_set_string_member (object, "workstation", ws);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_member (object, "decisions", json_node_ref (decisions));
  payload = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  bytes = node_to_bytes (payload);
  bundle = bhxh_bundle_encode (BHXH_BUNDLE_KIND_DECISIONS, ws, seq,
                               bhxh_clock_now_unix () + EXPORT_LIFETIME_DAYS * 24 * 3600,
                               bytes, secret);
  if (bundle == NULL)
    g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                         _("The workstation identifier cannot be used in a bundle."));
  return bundle;
}

gboolean
bhxh_sync_export_decisions (BhxhStore   *store,
                            const char  *file,
                            const char  *workstation,
                            guint       *n_exported,
                            GError     **error)
{
  g_autofree char *ws = NULL;
  g_autoptr(JsonNode) decisions = NULL;
  g_autoptr(GBytes) bundle = NULL;
  const char *db_path = bhxh_store_get_path (store);
  guint64 seq;
  guint n = 0;
  int lock;

  /* The workstation given wins here: a bundle for the office that asks. */
  ws = workstation != NULL ? g_strdup (workstation) : dup_workstation (store, NULL, error);
  if (ws == NULL)
    return FALSE;
  if (!bhxh_store_check_output (store, file, error))
    return FALSE;
  lock = _bhxh_sync_lock (db_path, error);
  if (lock < 0)
    return FALSE;
  decisions = collect_waiting (store, &n, error);
  seq = meta_seq (store, META_OUTBOUND_SEQ) + 1;
  if (decisions != NULL)
    bundle = sign_decisions (store, ws, decisions, seq, error);
  if (bundle != NULL && !set_meta_seq (store, META_OUTBOUND_SEQ, seq, error))
    g_clear_pointer (&bundle, g_bytes_unref);
  _bhxh_sync_unlock (lock);
  if (bundle == NULL)
    return FALSE;
  if (!g_file_set_contents_full (file, g_bytes_get_data (bundle, NULL),
                                 g_bytes_get_size (bundle),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;
  if (n_exported)
    *n_exported = n;
  bhxh_sync_log_append (db_path, BHXH_SYNC_LOG_INFO, "bundle-export",
                        _("Exported %u decisions to %s."), n, file);
  {
    g_autofree char *detail = g_strdup_printf ("decisions=%u seq=%" G_GUINT64_FORMAT, n, seq);

    /* Audited (docs/security.md); best effort, the bundle is written. */
    bhxh_store_note_export (store, "bundle", file, detail, NULL);
  }
  return TRUE;
}

static gboolean
import_mirror_part (BhxhStore       *store,
                    JsonObject      *mirror,
                    BhxhSyncReport  *report,
                    GCancellable    *cancellable,
                    GError         **error)
{
  const char *db_path = bhxh_store_get_path (store);
  g_autofree char *local = bhxh_store_dup_mirror_version (store);
  g_autofree char *out = NULL;
  const char *version;

  if (json_object_has_member (mirror, "delta"))
    {
      JsonObject *delta = json_object_get_object_member (mirror, "delta");
      const char *from = json_object_get_string_member_with_default (delta, "from", "");

      version = json_object_get_string_member_with_default (delta, "to", NULL);
      if (version == NULL || g_strcmp0 (local, version) == 0)
        return TRUE;
      if (g_strcmp0 (local, from) != 0)
        {
          g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                       _("The bundle's mirror delta starts from version %s, but this counter "
                         "has version %s."), from, local ? local : "—");
          return FALSE;
        }
      if (!_bhxh_sync_mirror_delta (store, from, version,
                                    json_object_get_array_member (delta, "changes"), NULL, NULL,
                                    cancellable, &report->mirror_rows, error))
        return FALSE;
      report->mirror_from_delta = TRUE;
      report->mirror_format = "delta";
      report->mirror_version = g_strdup (version);
      return TRUE;
    }
  else if (json_object_has_member (mirror, "snapshot"))
    {
      JsonObject *snapshot = json_object_get_object_member (mirror, "snapshot");
      const char *jsonl = json_object_get_string_member_with_default (snapshot, "jsonl", "");

      version = json_object_get_string_member_with_default (snapshot, "version", NULL);
      if (version == NULL || g_strcmp0 (local, version) == 0)
        return TRUE;
      out = _bhxh_sync_snapshot_path (db_path, version);
      if (!bhxh_store_write_sealed (store, version, jsonl, strlen (jsonl), out, error))
        return FALSE;
    }
  else
    return TRUE;

  if (!bhxh_store_import_mirror (store, out, BHXH_MIRROR_FORMAT_JSONL, version, NULL, NULL,
                                 cancellable, &report->mirror_rows, error))
    return FALSE;
  report->mirror_version = g_strdup (version);
  report->mirror_format = "jsonl";
  _bhxh_sync_prune_snapshots (db_path, version);
  return TRUE;
}

static gboolean
import_payload (BhxhStore       *store,
                JsonObject      *root,
                BhxhSyncReport  *report,
                GCancellable    *cancellable,
                GError         **error)
{
  JsonNode *declarations = json_object_get_member (root, "declarations");
  JsonNode *mirror = json_object_get_member (root, "mirror");
  const char *cursor = json_object_get_string_member_with_default (root, "next_cursor", NULL);
  const char *office = json_object_get_string_member_with_default (root, "office_code", NULL);

  if (json_object_has_member (root, "offices")
      && !_bhxh_sync_save_offices (store, json_object_get_array_member (root, "offices"),
                                   &report->offices, error))
    return FALSE;
  if (json_object_has_member (root, "reason_codes")
      && !_bhxh_sync_save_reasons (store, json_object_get_array_member (root, "reason_codes"),
                                   &report->reason_codes, error))
    return FALSE;
  if (declarations && !bhxh_store_import_declarations_json (store, declarations,
                                                            &report->declarations, error))
    return FALSE;
  if (cursor && office
      && (!bhxh_store_set_meta (store, "sync.declarations_cursor", cursor, error)
          || !bhxh_store_set_meta (store, "sync.declarations_office", office, error)))
    return FALSE;
  if (mirror && JSON_NODE_HOLDS_OBJECT (mirror))
    return import_mirror_part (store, json_node_get_object (mirror), report, cancellable,
                               error);
  return TRUE;
}

/* Read whole (a USB stick pulled out must not fault a mapping), but only
 * once its size is known to be within the limit; never more than that. */
static GBytes *
read_bundle_file (const char  *file,
                  GError     **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  struct stat st;
  gsize done = 0;
  int fd = g_open (file, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot read %s: %s"), file,
                   g_strerror (saved));
      return NULL;
    }
  if (!bhxh_bundle_size_ok ((guint64) st.st_size, error))
    {
      close (fd);
      return NULL;
    }
  bytes = g_byte_array_sized_new ((guint) st.st_size + 1);
  g_byte_array_set_size (bytes, (guint) st.st_size + 1);
  for (;;)
    {
      gssize n = read (fd, bytes->data + done, bytes->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          if (n == 0)
            break;
          g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot read %s: %s"),
                       file, g_strerror (saved));
          return NULL;
        }
      done += (gsize) n;
      if (done == bytes->len)
        {
          /* It grew while being read: refuse rather than read on. */
          close (fd);
          g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO,
                       _("%s changed while it was read."), file);
          return NULL;
        }
    }
  g_byte_array_set_size (bytes, (guint) done);
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* Replay and rollback: only a bundle newer than the last one installed
 * (its sequence number), and not older than the last synchronisation
 * online (what it carries is already superseded). */
static gboolean
check_fresh (BhxhStore         *store,
             const BhxhBundle  *bundle,
             JsonObject        *root,
             GError           **error)
{
  guint64 last = meta_seq (store, META_INBOUND_SEQ);
  g_autofree char *synced_text = bhxh_store_dup_meta (store, "sync.last_success_at");
  g_autoptr(GDateTime) synced = synced_text ? g_date_time_new_from_iso8601 (synced_text, NULL)
                                            : NULL;
  g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (
    json_object_get_string_member_with_default (root, "created_at", ""), NULL);

  if (bundle->seq <= last)
    {
      g_autofree char *seq = g_strdup_printf ("%" G_GUINT64_FORMAT, bundle->seq);
      g_autofree char *installed = g_strdup_printf ("%" G_GUINT64_FORMAT, last);

      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_STALE,
                   _("This bundle (number %s) is not newer than the last one installed here "
                     "(number %s): an old or copied bundle is refused."), seq, installed);
      return FALSE;
    }
  if (created == NULL)
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                           _("This bundle does not say when it was made."));
      return FALSE;
    }
  if (synced != NULL && g_date_time_compare (created, synced) < 0)
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_STALE,
                           _("This bundle was made before this counter last synchronised "
                             "online: what it carries is out of date."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
install_bundle (BhxhStore        *store,
                const BhxhBundle *bundle,
                BhxhSyncReport   *report,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(JsonNode) root = NULL;

  root = bhxh_bundle_parse_payload (bundle, "bhxh-inbound/1", error);
  return root != NULL
         && check_fresh (store, bundle, json_node_get_object (root), error)
         && import_payload (store, json_node_get_object (root), report, cancellable, error)
         /* Installed: the same bundle, or an older one, is refused from now on. */
         && set_meta_seq (store, META_INBOUND_SEQ, bundle->seq, error);
}

BhxhSyncReport *
bhxh_sync_import_bundle (BhxhStore     *store,
                         const char    *file,
                         const char    *workstation,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GBytes) portal_key = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(BhxhBundle) bundle = NULL;
  g_autoptr(BhxhSyncReport) report = _bhxh_sync_report_new ();
  g_autofree char *ws = NULL;
  g_autofree char *seq = NULL;
  gboolean ok;
  int lock;

  if ((portal_key = _bhxh_sync_dup_portal_key (store, error)) == NULL
      || (ws = dup_workstation (store, workstation, error)) == NULL
      || (bytes = read_bundle_file (file, error)) == NULL
      || (bundle = bhxh_bundle_decode (bytes, portal_key, error)) == NULL
      || !bhxh_bundle_check (bundle, BHXH_BUNDLE_KIND_INBOUND, ws, bhxh_clock_now_unix (),
                             error))
    return NULL;
  lock = _bhxh_sync_lock (bhxh_store_get_path (store), error);
  if (lock < 0)
    return NULL;
  ok = install_bundle (store, bundle, report, cancellable, error);
  _bhxh_sync_unlock (lock);
  if (!ok)
    return NULL;
  report->pending = bhxh_store_outbox_count (store, BHXH_OUTBOX_PENDING);
  seq = g_strdup_printf ("%" G_GUINT64_FORMAT, bundle->seq);
  bhxh_sync_log_append (bhxh_store_get_path (store), BHXH_SYNC_LOG_INFO, "bundle-import",
                        _("Imported portal bundle number %s: %u declarations, mirror %s."),
                        seq, report->declarations,
                        report->mirror_version ? report->mirror_version : _("unchanged"));
  return g_steal_pointer (&report);
}
