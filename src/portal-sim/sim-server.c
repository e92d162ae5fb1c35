/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "core/bhxh-audit-chain.h"
#include "core/bhxh-clock.h"
#include "sync/bhxh-bundle.h"
#include "sync/bhxh-sync-error.h"

#include "sim-server.h"
#include "sim-snapshot.h"

#define MAX_BATCH 1000
#define PAGE_DEFAULT 100
#define PAGE_MAX 1000

struct _SimServer
{
  SoupServer *server;
  SimStore   *store;
  SimFaults   faults;
  GRand      *rand;
  gboolean    verbose;

  /* Counters for /admin/stats. */
  guint64     requests;
  guint64     batch_requests;
  guint64     single_requests;
  guint64     decision_items;
  guint64     injected_5xx;
  guint64     injected_drops;
  guint64     injected_truncations;
  guint64     injected_conflicts;
  guint64     range_requests;
  guint64     sqlite_builds;
  guint64     sqlite_requests;

  /* Signed sqlite snapshots (NULL: not offered, as an older portal). */
  char       *snapshot_dir;
  GHashTable *snapshots;      /* version → SimSqlite */
  gboolean    tamper_sqlite;  /* serve it with a byte flipped (admin fault) */
  gboolean    withhold_sqlite; /* offer it, then answer 404 (admin fault) */
  struct _SimSqlite *tampered;
};

/* A built snapshot as served: its bytes (mapped), digest and signature. */
typedef struct _SimSqlite
{
  GBytes *bytes;
  char   *sha256;
  char   *signature;
} SimSqlite;

static void
sim_sqlite_free (gpointer data)
{
  SimSqlite *sqlite = data;

  g_bytes_unref (sqlite->bytes);
  g_free (sqlite->sha256);
  g_free (sqlite->signature);
  g_free (sqlite);
}

typedef struct
{
  guint        status;
  const char  *content_type;
  GBytes      *body;
  char        *content_range;
  char        *etag;
  gboolean     compressible;
} SimResponse;

static void
sim_response_clear (SimResponse *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->content_range, g_free);
  g_clear_pointer (&r->etag, g_free);
}

static void
respond_json (SimResponse *r,
              guint        status,
              JsonNode    *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  r->status = status;
  r->content_type = "application/json";
  r->body = g_bytes_new_take (text, len);
  r->compressible = TRUE;
}

static void
respond_object (SimResponse *r,
                guint        status,
                JsonObject  *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  respond_json (r, status, node);
}

static void
respond_error (SimResponse *r,
               guint        status,
               const char  *code,
               const char  *message)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "error", code);
  json_object_set_string_member (object, "message", message);
  respond_object (r, status, object);
  json_object_unref (object);
}

static JsonNode *
parse_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
query_get (GHashTable *query,
           const char *key)
{
  return query ? g_hash_table_lookup (query, key) : NULL;
}

/* ---- faults ------------------------------------------------------------ */

static gboolean
roll (SimServer *self,
      guint     *next,
      double     rate)
{
  if (*next > 0)
    {
      (*next)--;
      return TRUE;
    }
  return rate > 0 && g_rand_double (self->rand) < rate;
}

/* ---- delivery ---------------------------------------------------------- */

typedef struct
{
  SimServer         *self;
  SoupServerMessage *msg;
  SimResponse        response;
  gboolean           drop;
  gboolean           truncate;
} Delivery;

static GBytes *
gzip_bytes (GBytes *bytes)
{
  /* Level 1: on a batch's answer zlib's default level cost the simulator
   * more than the decisions themselves, for a few percent less to send. */
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                                  1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory,
                                                                G_CONVERTER (compressor));
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static gboolean
wants_gzip (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_list (
    soup_server_message_get_request_headers (msg), "Accept-Encoding");

  return accept && strstr (accept, "gzip") != NULL;
}

/* A lost answer: the request was carried out but the reply never arrives
 * whole. The client must not take that as "not done". */
static void
deliver_broken (Delivery *d)
{
  g_autoptr(GIOStream) io = soup_server_message_steal_connection (d->msg);

  if (io == NULL)
    return;
  if (d->truncate)
    {
      GOutputStream *out = g_io_stream_get_output_stream (io);
      gsize len;
      const char *data = g_bytes_get_data (d->response.body, &len);
      g_autofree char *head = g_strdup_printf (
        "HTTP/1.1 %u %s\r\nContent-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
        "Connection: close\r\n\r\n",
        d->response.status, soup_status_get_phrase (d->response.status),
        d->response.content_type, len);

      g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
      g_output_stream_write_all (out, data, len / 2, NULL, NULL, NULL);
      g_output_stream_flush (out, NULL, NULL);
    }
  g_io_stream_close (io, NULL, NULL);
}

static void
deliver (Delivery *d)
{
  SimResponse *r = &d->response;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (d->msg);
  g_autoptr(GBytes) body = NULL;

  if (d->drop || d->truncate)
    {
      deliver_broken (d);
      return;
    }
  body = g_bytes_ref (r->body);
  if (r->compressible && g_bytes_get_size (body) >= 512 && wants_gzip (d->msg))
    {
      g_autoptr(GBytes) compressed = gzip_bytes (body);

      g_bytes_unref (body);
      body = g_steal_pointer (&compressed);
      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
    }
  if (r->content_range)
    soup_message_headers_replace (headers, "Content-Range", r->content_range);
  if (r->etag)
    soup_message_headers_replace (headers, "ETag", r->etag);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  soup_server_message_set_status (d->msg, r->status, NULL);
  soup_server_message_set_response (d->msg, r->content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
delivery_free (Delivery *d)
{
  sim_response_clear (&d->response);
  g_object_unref (d->msg);
  g_free (d);
}

static gboolean
delayed_deliver_cb (gpointer user_data)
{
  Delivery *d = user_data;

  deliver (d);
  soup_server_message_unpause (d->msg);
  delivery_free (d);
  return G_SOURCE_REMOVE;
}

/* ---- handlers ---------------------------------------------------------- */

static void
handle_account (SimServer   *self,
                SimAccount  *account,
                SimResponse *r)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "workstation", account->workstation);
  json_object_set_string_member (object, "office_code", account->office_code);
  json_object_set_string_member (object, "status", account->status);
  respond_object (r, 200, object);
  json_object_unref (object);
}

static void
handle_list (SimResponse *r,
             const char  *member,
             JsonNode    *list)
{
  JsonObject *object = json_object_new ();

  json_object_set_member (object, member, list);
  respond_object (r, 200, object);
  json_object_unref (object);
}

static gboolean
parse_cursor (const char *text,
              gint64     *seq)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    {
      *seq = 0;
      return TRUE;
    }
  if (!g_str_has_prefix (text, "s") || !g_ascii_string_to_unsigned (text + 1, 10, 0, G_MAXINT64,
                                                                    &value, NULL))
    return FALSE;
  *seq = (gint64) value;
  return TRUE;
}

static void
handle_declarations (SimServer   *self,
                     SimAccount  *account,
                     GHashTable  *query,
                     SimResponse *r)
{
  const char *office = query_get (query, "office");
  const char *limit_text = query_get (query, "limit");
  guint64 limit = PAGE_DEFAULT;
  gint64 after, next;
  gboolean has_more;
  g_autofree char *cursor = NULL;
  JsonObject *object;

  if (!parse_cursor (query_get (query, "cursor"), &after)
      || (limit_text && !g_ascii_string_to_unsigned (limit_text, 10, 1, PAGE_MAX, &limit, NULL)))
    {
      respond_error (r, 400, "bad-request", "Tham số cursor hoặc limit không hợp lệ.");
      return;
    }
  object = json_object_new ();
  json_object_set_string_member (object, "format", "bhxh-declarations/1");
  json_object_set_member (object, "declarations",
                          sim_store_list_declarations (self->store,
                                                       office ? office : account->office_code,
                                                       after, limit, &next, &has_more));
  cursor = g_strdup_printf ("s%" G_GINT64_FORMAT, next);
  json_object_set_string_member (object, "next_cursor", cursor);
  json_object_set_boolean_member (object, "has_more", has_more);
  respond_object (r, 200, object);
  json_object_unref (object);
}

static void
handle_portrait (SimServer   *self,
                 const char  *declaration_id,
                 SimResponse *r)
{
  GBytes *image = sim_store_get_portrait (self->store, declaration_id);

  if (image == NULL)
    {
      respond_error (r, 404, "not-found", "Tờ khai không có ảnh chân dung.");
      return;
    }
  r->status = 200;
  r->content_type = "image/jpeg";
  r->body = image;
}

/* A file's bytes, the whole or the Range asked (resumable downloads). */
static void
respond_ranged (SimServer         *self,
                SoupServerMessage *msg,
                GBytes            *bytes,
                const char        *sha,
                const char        *content_type,
                SimResponse       *r)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  gsize total = g_bytes_get_size (bytes);

  r->status = 200;
  r->content_type = content_type;
  r->etag = g_strdup_printf ("\"%s\"", sha);
  if (soup_message_headers_get_ranges (headers, total, &ranges, &n_ranges))
    {
      goffset start = ranges[0].start, end = ranges[0].end;

      soup_message_headers_free_ranges (headers, ranges);
      if (start >= (goffset) total || end < start)
        {
          respond_error (r, 416, "bad-range", "Khoảng byte yêu cầu không hợp lệ.");
          return;
        }
      self->range_requests++;
      r->status = 206;
      r->content_range = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GOFFSET_FORMAT
                                          "/%" G_GSIZE_FORMAT, start, end, total);
      r->body = g_bytes_new_from_bytes (bytes, start, end - start + 1);
      return;
    }
  r->body = g_bytes_ref (bytes);
}

static void
handle_snapshot (SimServer         *self,
                 SoupServerMessage *msg,
                 const char        *version,
                 SimResponse       *r)
{
  g_autofree char *sha = NULL;
  g_autoptr(GBytes) bytes = sim_store_mirror_snapshot (self->store, version, &sha);

  if (bytes == NULL)
    {
      respond_error (r, 404, "not-found", "Không có phiên bản dữ liệu này.");
      return;
    }
  respond_ranged (self, msg, bytes, sha, "application/x-ndjson", r);
}

/* The signed sqlite snapshot of @version, built on first use. With the
 * tamper fault, a copy with one byte flipped, its digest its own: what a
 * desk must refuse by the signature, not by the transfer's checksum. */
static SimSqlite *
lookup_sqlite (SimServer   *self,
               const char  *version,
               GError     **error)
{
  SimSqlite *sqlite;
  g_autofree char *path = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GMappedFile) mapped = NULL;

  if (self->snapshot_dir == NULL)
    {
      g_set_error_literal (error, SIM_ERROR, SIM_ERROR_NOT_FOUND, "no sqlite snapshots");
      return NULL;
    }
  sqlite = g_hash_table_lookup (self->snapshots, version);
  if (sqlite == NULL)
    {
      if (!sim_snapshot_ensure (self->store, self->snapshot_dir, version, &path, &signature,
                                error))
        return NULL;
      mapped = g_mapped_file_new (path, FALSE, error);
      if (mapped == NULL)
        return NULL;
      self->sqlite_builds++;
      sqlite = g_new0 (SimSqlite, 1);
      sqlite->bytes = g_mapped_file_get_bytes (mapped);
      sqlite->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, sqlite->bytes);
      sqlite->signature = g_steal_pointer (&signature);
      g_hash_table_insert (self->snapshots, g_strdup (version), sqlite);
    }
  if (self->tamper_sqlite)
    {
      gsize size = g_bytes_get_size (sqlite->bytes);
      guint8 *copy = g_memdup2 (g_bytes_get_data (sqlite->bytes, NULL), size);
      SimSqlite *tampered = g_new0 (SimSqlite, 1);

      copy[size / 2] ^= 0x01;
      tampered->bytes = g_bytes_new_take (copy, size);
      tampered->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, tampered->bytes);
      tampered->signature = g_strdup (sqlite->signature);
      g_clear_pointer (&self->tampered, sim_sqlite_free);
      self->tampered = tampered;
      return tampered;
    }
  return sqlite;
}

static void
handle_sqlite (SimServer         *self,
               SoupServerMessage *msg,
               const char        *version,
               SimResponse       *r)
{
  SimSqlite *sqlite = lookup_sqlite (self, version, NULL);

  self->sqlite_requests++;
  if (sqlite == NULL || self->withhold_sqlite)
    {
      respond_error (r, 404, "not-found", "Không có bản dữ liệu sqlite của phiên bản này.");
      return;
    }
  respond_ranged (self, msg, sqlite->bytes, sqlite->sha256, "application/vnd.sqlite3", r);
}

/* GET /v1/mirror: the latest version, and its signed sqlite snapshot when
 * this portal offers them. */
static void
handle_mirror_info (SimServer   *self,
                    SimResponse *r)
{
  g_autoptr(JsonNode) info = sim_store_mirror_info (self->store);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  SimSqlite *sqlite;
  const char *version;

  if (info == NULL)
    {
      respond_error (r, 404, "not-found", "Chưa có dữ liệu quản lý nào được phát hành.");
      return;
    }
  object = json_node_get_object (info);
  version = json_object_get_string_member (object, "version");
  if (self->snapshot_dir != NULL)
    {
      sqlite = lookup_sqlite (self, version, &error);
      if (sqlite != NULL)
        {
          JsonObject *offer = json_object_new ();
          g_autofree char *escaped = g_uri_escape_string (version, NULL, FALSE);
          g_autofree char *href = g_strdup_printf ("/v1/mirror/snapshots/%s/sqlite", escaped);

          json_object_set_string_member (offer, "href", href);
          json_object_set_string_member (offer, "format", "sqlite");
          json_object_set_int_member (offer, "size", g_bytes_get_size (sqlite->bytes));
          json_object_set_string_member (offer, "sha256", sqlite->sha256);
          json_object_set_string_member (offer, "signature", sqlite->signature);
          json_object_set_object_member (object, "sqlite", offer);
        }
      else
        g_printerr ("bhxh-portal-sim: no sqlite snapshot of %s: %s\n", version, error->message);
    }
  respond_json (r, 200, info);
}

static void
handle_delta (SimServer   *self,
              GHashTable  *query,
              SimResponse *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) delta = NULL;
  const char *since = query_get (query, "since");

  if (since == NULL)
    {
      respond_error (r, 400, "bad-request", "Thiếu tham số since.");
      return;
    }
  delta = sim_store_mirror_delta (self->store, since, &error);
  if (delta == NULL)
    respond_error (r, 410, "delta-unavailable",
                   "Không có dữ liệu thay đổi từ phiên bản này; hãy tải bản đầy đủ.");
  else
    respond_json (r, 200, delta);
}

static gboolean
roll_conflict (gpointer user_data)
{
  SimServer *self = user_data;

  return self->faults.conflict_rate > 0
         && g_rand_double (self->rand) < self->faults.conflict_rate;
}

/* The decisions' results, in order, counted for /admin/stats. */
static GArray *
submit (SimServer  *self,
        SimAccount *account,
        GArray     *decisions)
{
  GArray *results = sim_store_submit_decisions (self->store, account->workstation, decisions,
                                                roll_conflict, self);

  for (guint i = 0; i < results->len; i++)
    self->injected_conflicts += g_array_index (results, SimResult, i).forced;
  self->decision_items += results->len;
  return results;
}

/* {"results": [...]} and, when given, the audit trail's verdict. */
static void
respond_results (SimResponse *r,
                 GArray      *results,
                 JsonObject  *audit)
{
  GString *out = g_string_sized_new (64 + 200 * results->len);

  g_string_append (out, "{\"results\":[");
  for (guint i = 0; i < results->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      sim_result_append_json (&g_array_index (results, SimResult, i), out);
    }
  g_string_append_c (out, ']');
  if (audit != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), audit);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, ",\"audit\":");
      g_string_append (out, text);
    }
  g_string_append_c (out, '}');
  r->status = 200;
  r->content_type = "application/json";
  r->body = g_string_free_to_bytes (out);
  r->compressible = TRUE;
}

static GBytes *
request_bytes (SoupServerMessage *msg)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (msg));
}

static void
handle_batch (SimServer         *self,
              SimAccount        *account,
              SoupServerMessage *msg,
              SimResponse       *r)
{
  g_autoptr(GBytes) body = request_bytes (msg);
  g_autoptr(GArray) decisions = NULL;
  g_autoptr(GArray) results = NULL;
  g_autofree char *audit_text = NULL;
  g_autoptr(JsonObject) audit = NULL;
  gsize len;
  const char *text = g_bytes_get_data (body, &len);

  self->batch_requests++;
  decisions = text != NULL ? sim_json_parse_batch (text, len, &audit_text) : NULL;
  if (decisions == NULL)
    {
      respond_error (r, 400, "bad-request", "Nội dung yêu cầu không phải một lô quyết định.");
      return;
    }
  if (decisions->len > MAX_BATCH)
    {
      respond_error (r, 413, "batch-too-large", "Một lô không được quá 1000 quyết định.");
      return;
    }
  results = submit (self, account, decisions);
  /* The audit entries that ride along are checked against the desk's
   * registered key and what it sent before. */
  if (audit_text != NULL)
    {
      g_autoptr(JsonNode) entries = json_from_string (audit_text, NULL);

      if (entries != NULL && JSON_NODE_HOLDS_ARRAY (entries))
        audit = sim_store_check_audit (self->store, account->workstation,
                                       json_node_get_array (entries));
    }
  respond_results (r, results, audit);
}

static void
handle_audit_key (SimServer         *self,
                  SimAccount        *account,
                  SoupServerMessage *msg,
                  SimResponse       *r)
{
  g_autoptr(JsonNode) body = parse_body (msg);
  JsonObject *object = body != NULL && JSON_NODE_HOLDS_OBJECT (body)
                       ? json_node_get_object (body) : NULL;
  const char *id = object ? json_object_get_string_member_with_default (object, "key_id", NULL)
                          : NULL;
  const char *text = object ? json_object_get_string_member_with_default (object, "key", NULL)
                            : NULL;
  g_autofree guchar *key = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;

  if (text != NULL)
    key = g_base64_decode (text, &len);
  if (id == NULL || key == NULL || len != BHXH_AUDIT_KEY_BYTES)
    {
      respond_error (r, 400, "bad-request", "Khóa nhật ký không đúng định dạng.");
      return;
    }
  bytes = g_bytes_new (key, len);
  sim_store_set_audit_key (self->store, account->workstation, id, bytes,
                           json_object_get_int_member_with_default (object, "keyed_from",
                                                                    G_MAXINT64), NULL);
  r->status = 204;
  r->content_type = "application/json";
  r->body = g_bytes_new (NULL, 0);
}

static void
handle_single (SimServer         *self,
               SimAccount        *account,
               SoupServerMessage *msg,
               const char        *uuid,
               SimResponse       *r)
{
  g_autoptr(GBytes) body = request_bytes (msg);
  g_autoptr(GArray) decisions = g_array_sized_new (FALSE, TRUE, sizeof (SimDecisionIn), 1);
  g_autoptr(GArray) results = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  SimDecisionIn decision;
  const SimResult *result;
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  guint code;

  self->single_requests++;
  g_array_set_clear_func (decisions, (GDestroyNotify) sim_decision_in_clear);
  if (text != NULL && sim_json_parse_decision (text, len, &decision))
    g_array_append_val (decisions, decision);
  if (decisions->len == 0 || decision.type != SIM_JSON_OBJECT
      || g_strcmp0 (decision.field[SIM_FIELD_UUID], uuid) != 0)
    {
      respond_error (r, 400, "bad-request", "UUID trong đường dẫn và trong nội dung khác nhau.");
      return;
    }
  results = submit (self, account, decisions);
  result = &g_array_index (results, SimResult, 0);
  if (g_str_equal (result->status, "accepted"))
    code = result->replayed == TRUE ? 200 : 201;
  else if (g_str_equal (result->status, "conflict"))
    code = 409;
  else
    code = 422;
  sim_result_append_json (result, out);
  r->status = code;
  r->content_type = "application/json";
  r->body = g_bytes_new (out->str, out->len);
  r->compressible = TRUE;
}

static void
handle_claim (SimServer         *self,
              SimAccount        *account,
              SoupServerMessage *msg,
              const char        *id,
              gboolean           release,
              GHashTable        *query,
              SimResponse       *r)
{
  g_autoptr(JsonNode) body = release ? NULL : parse_body (msg);
  const char *clerk = release ? query_get (query, "clerk")
    : (body && JSON_NODE_HOLDS_OBJECT (body))
      ? json_object_get_string_member_with_default (json_node_get_object (body), "clerk", NULL)
      : NULL;
  const char *clerk_name = release || body == NULL || !JSON_NODE_HOLDS_OBJECT (body) ? NULL
    : json_object_get_string_member_with_default (json_node_get_object (body), "clerk_name", NULL);
  g_autofree char *holder = NULL;
  g_autofree char *holder_name = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *until_text = NULL;
  gint64 expires = 0;
  gboolean ok;
  JsonObject *object;

  if (clerk == NULL || *clerk == '\0')
    {
      respond_error (r, 400, "bad-request", "Thiếu tên cán bộ (clerk).");
      return;
    }
  if (!sim_store_has_declaration (self->store, id))
    {
      respond_error (r, 404, "not-found", "Không tìm thấy tờ khai này trên Cổng dịch vụ công.");
      return;
    }
  if (release)
    {
      sim_store_release (self->store, id, clerk, NULL);
      r->status = 204;
      r->content_type = "application/json";
      r->body = g_bytes_new (NULL, 0);
      return;
    }
  ok = sim_store_claim (self->store, id, clerk, clerk_name, account->workstation,
                        bhxh_clock_now_unix (), 30 * 60, &holder, &holder_name, &expires, NULL);
  until = g_date_time_new_from_unix_local (expires);
  until_text = g_date_time_format (until, "%FT%T%:z");
  object = json_object_new ();
  json_object_set_string_member (object, "declaration_id", id);
  json_object_set_string_member (object, "claimed_by", holder);
  if (holder_name != NULL)
    json_object_set_string_member (object, "claimed_by_name", holder_name);
  json_object_set_string_member (object, "expires_at", until_text);
  if (!ok)
    json_object_set_string_member (object, "message",
                                   "Tờ khai đang được một cán bộ khác xử lý.");
  respond_object (r, ok ? 200 : 409, object);
  json_object_unref (object);
}

/* A desk registers the key that signs the decision bundles it exports. */
static void
handle_bundle_key (SimServer         *self,
                   SimAccount        *account,
                   SoupServerMessage *msg,
                   SimResponse       *r)
{
  g_autoptr(JsonNode) body = parse_body (msg);
  JsonObject *object = body != NULL && JSON_NODE_HOLDS_OBJECT (body)
                       ? json_node_get_object (body) : NULL;
  const char *id = object ? json_object_get_string_member_with_default (object, "key_id", NULL)
                          : NULL;
  const char *algorithm = object ? json_object_get_string_member_with_default (object,
                                                                               "algorithm", NULL)
                                 : NULL;
  const char *text = object ? json_object_get_string_member_with_default (object, "public_key",
                                                                          NULL)
                            : NULL;
  g_autoptr(GBytes) key = text ? bhxh_bundle_key_from_text (text, BHXH_BUNDLE_PUBLIC_KEY_BYTES,
                                                            NULL)
                               : NULL;
  g_autofree char *computed = key ? bhxh_bundle_key_id (key) : NULL;

  if (key == NULL || g_strcmp0 (algorithm, "ed25519") != 0 || g_strcmp0 (id, computed) != 0)
    {
      respond_error (r, 400, "bad-request", "Khóa ký của máy trạm không đúng định dạng.");
      return;
    }
  sim_store_add_bundle_key (self->store, account->workstation, id, key, NULL);
  r->status = 204;
  r->content_type = "application/json";
  r->body = g_bytes_new (NULL, 0);
}

/* A decision bundle carried from an offline desk: signed by that desk's
 * registered key, made for it, not expired. Decisions are idempotent by
 * UUID, so a bundle uploaded twice changes nothing. */
static void
handle_bundle_upload (SimServer         *self,
                      SimAccount        *account,
                      SoupServerMessage *msg,
                      SimResponse       *r)
{
  g_autoptr(GBytes) file = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *key_id = bhxh_bundle_peek_key_id (file);
  g_autoptr(GBytes) key = key_id ? sim_store_lookup_bundle_key (self->store, account->workstation,
                                                                key_id)
                                 : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhBundle) bundle = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *text = NULL;
  g_autofree char *audit = NULL;
  g_autoptr(GArray) decisions = NULL;
  g_autoptr(GArray) results = NULL;

  if (key == NULL)
    {
      respond_error (r, 422, "unknown-key",
                     "Tệp gói quyết định được ký bằng khóa chưa đăng ký cho máy trạm này.");
      return;
    }
  bundle = bhxh_bundle_decode (file, key, &error);
  if (bundle == NULL
      || !bhxh_bundle_check (bundle, BHXH_BUNDLE_KIND_DECISIONS, account->workstation,
                             bhxh_clock_now_unix (), &error)
      || (payload = bhxh_bundle_parse_payload (bundle, "bhxh-decisions/1", &error)) == NULL
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (payload),
                                                         "decisions")))
    {
      if (self->verbose)
        g_printerr ("sim: bundle refused: %s\n", error ? error->message : "no decisions");
      respond_error (r, 422, g_error_matches (error, BHXH_SYNC_ERROR,
                                              BHXH_SYNC_ERROR_BUNDLE_EXPIRED)
                             ? "expired" : "bad-bundle",
                     "Tệp gói quyết định không hợp lệ, sai chữ ký hoặc đã hết hạn.");
      return;
    }
  /* One reader for every way decisions arrive. */
  text = json_to_string (payload, FALSE);
  decisions = sim_json_parse_batch (text, strlen (text), &audit);
  if (decisions == NULL)
    {
      respond_error (r, 422, "bad-bundle",
                     "Tệp gói quyết định không hợp lệ, sai chữ ký hoặc đã hết hạn.");
      return;
    }
  results = submit (self, account, decisions);
  respond_results (r, results, NULL);
}

static JsonNode *
inbound_mirror (SimServer  *self,
                const char *since)
{
  g_autoptr(JsonNode) info = sim_store_mirror_info (self->store);
  JsonObject *mirror;
  const char *latest;
  g_autofree char *sha = NULL;
  g_autoptr(GBytes) snapshot = NULL;

  if (info == NULL)
    return json_node_init_null (json_node_alloc ());
  latest = json_object_get_string_member (json_node_get_object (info), "version");
  if (since)
    {
      JsonNode *delta = sim_store_mirror_delta (self->store, since, NULL);

      if (delta)
        {
          mirror = json_object_new ();
          json_object_set_member (mirror, "delta", delta);
          return json_node_init_object (json_node_alloc (), mirror);
        }
    }
  snapshot = sim_store_mirror_snapshot (self->store, latest, &sha);
  mirror = json_object_new ();
  {
    JsonObject *snap = json_object_new ();
    g_autofree char *text = g_strndup (g_bytes_get_data (snapshot, NULL),
                                       g_bytes_get_size (snapshot));

    json_object_set_string_member (snap, "version", latest);
    json_object_set_string_member (snap, "jsonl", text);
    json_object_set_object_member (mirror, "snapshot", snap);
  }
  return json_node_init_object (json_node_alloc (), mirror);
}

/* What an inbound bundle says; the admin endpoint overrides some of it to
 * make the bundles a desk must refuse. */
typedef struct
{
  const char *workstation;   /* in the header */
  guint64     seq;           /* 0: the next one */
  gint64      expires_in;    /* seconds from now */
  guint       depth;         /* > 0: a payload nested that deep instead */
} InboundSpec;

#define INBOUND_LIFETIME (14 * 24 * 3600)

/* A USB bundle travels where the portal cannot be reached: the photos the
 * declarations name go inside it ("data"), not apart as online. */
static void
inline_portraits (SimServer *self,
                  JsonArray *declarations)
{
  for (guint i = 0; i < json_array_get_length (declarations); i++)
    {
      JsonObject *d = json_array_get_object_element (declarations, i);
      JsonNode *node = json_object_get_member (d, "portrait");
      g_autoptr(GBytes) image = NULL;
      g_autofree char *data = NULL;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
          (image = sim_store_get_portrait (self->store,
                                           json_object_get_string_member (d, "id"))) == NULL)
        continue;
      data = g_base64_encode (g_bytes_get_data (image, NULL), g_bytes_get_size (image));
      json_object_set_string_member (json_node_get_object (node), "data", data);
    }
}

static GBytes *
inbound_payload (SimServer  *self,
                 SimAccount *account,
                 GHashTable *query)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *created = bhxh_clock_now_iso ();
  g_autofree char *cursor = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *object = json_object_new ();
  JsonObject *declarations = json_object_new ();
  JsonNode *list;
  gint64 after, next;
  gboolean has_more;
  gsize len;
  char *text;

  if (!parse_cursor (query_get (query, "cursor"), &after))
    after = 0;
  json_object_set_string_member (object, "format", "bhxh-inbound/1");
  json_object_set_string_member (object, "created_at", created);
  json_object_set_string_member (object, "office_code", account->office_code);
  json_object_set_string_member (declarations, "format", "bhxh-declarations/1");
  list = sim_store_list_declarations (self->store, account->office_code, after, G_MAXINT32,
                                      &next, &has_more);
  inline_portraits (self, json_node_get_array (list));
  json_object_set_member (declarations, "declarations", list);
  json_object_set_object_member (object, "declarations", declarations);
  cursor = g_strdup_printf ("s%" G_GINT64_FORMAT, next);
  json_object_set_string_member (object, "next_cursor", cursor);
  json_object_set_member (object, "offices", sim_store_list_offices (self->store));
  json_object_set_member (object, "reason_codes", sim_store_list_reasons (self->store));
  json_object_set_member (object, "mirror", inbound_mirror (self, query_get (query,
                                                                            "mirror_since")));
  payload = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  json_generator_set_root (generator, payload);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static void
respond_inbound (SimServer         *self,
                 SimAccount        *account,
                 GHashTable        *query,
                 const InboundSpec *spec,
                 SimResponse       *r)
{
  g_autoptr(GBytes) public_key = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GBytes) payload = NULL;

  if (!sim_store_dup_signing_key (self->store, &public_key, &secret))
    {
      respond_error (r, 500, "internal", "Cổng không ký được gói dữ liệu.");
      return;
    }
  if (spec->depth > 0)
    {
      GString *deep = g_string_sized_new (2 * spec->depth);

      for (guint i = 0; i < spec->depth; i++)
        g_string_append_c (deep, '[');
      for (guint i = 0; i < spec->depth; i++)
        g_string_append_c (deep, ']');
      payload = g_string_free_to_bytes (deep);
    }
  else
    payload = inbound_payload (self, account, query);
  r->status = 200;
  r->content_type = "application/vnd.bhxh.bundle";
  r->body = bhxh_bundle_encode (BHXH_BUNDLE_KIND_INBOUND, spec->workstation,
                                spec->seq > 0 ? spec->seq
                                : sim_store_next_bundle_seq (self->store, account->workstation),
                                bhxh_clock_now_unix () + spec->expires_in, payload, secret);
  if (r->body == NULL)
    respond_error (r, 400, "bad-request", "Mã máy trạm không dùng được trong gói dữ liệu.");
}

static void
handle_bundle_inbound (SimServer         *self,
                       SimAccount        *account,
                       GHashTable        *query,
                       SimResponse       *r)
{
  InboundSpec spec = { account->workstation, 0, INBOUND_LIFETIME, 0 };

  respond_inbound (self, account, query, &spec, r);
}

static gboolean
route_v1 (SimServer         *self,
          SimAccount        *account,
          SoupServerMessage *msg,
          const char        *method,
          char             **parts,
          GHashTable        *query,
          SimResponse       *r)
{
  guint n = g_strv_length (parts);
  gboolean get = g_str_equal (method, "GET");

  if (n == 1 && get && g_str_equal (parts[0], "account"))
    handle_account (self, account, r);
  else if (n == 1 && get && g_str_equal (parts[0], "offices"))
    handle_list (r, "offices", sim_store_list_offices (self->store));
  else if (n == 1 && get && g_str_equal (parts[0], "reason-codes"))
    handle_list (r, "reason_codes", sim_store_list_reasons (self->store));
  else if (n == 1 && get && g_str_equal (parts[0], "rules"))
    handle_list (r, "rules", sim_store_list_rules (self->store));
  else if (n == 1 && get && g_str_equal (parts[0], "declarations"))
    handle_declarations (self, account, query, r);
  else if (n == 3 && g_str_equal (parts[0], "declarations") && g_str_equal (parts[2], "claim")
           && (g_str_equal (method, "POST") || g_str_equal (method, "DELETE")))
    handle_claim (self, account, msg, parts[1], g_str_equal (method, "DELETE"), query, r);
  else if (n == 3 && get && g_str_equal (parts[0], "declarations")
           && g_str_equal (parts[2], "portrait"))
    handle_portrait (self, parts[1], r);
  else if (n == 1 && get && g_str_equal (parts[0], "mirror"))
    handle_mirror_info (self, r);
  else if (n == 3 && get && g_str_equal (parts[0], "mirror")
           && g_str_equal (parts[1], "snapshots"))
    handle_snapshot (self, msg, parts[2], r);
  else if (n == 4 && get && g_str_equal (parts[0], "mirror")
           && g_str_equal (parts[1], "snapshots") && g_str_equal (parts[3], "sqlite"))
    {
      g_autofree char *version = g_uri_unescape_string (parts[2], NULL);

      handle_sqlite (self, msg, version ? version : parts[2], r);
    }
  else if (n == 2 && get && g_str_equal (parts[0], "mirror") && g_str_equal (parts[1], "deltas"))
    handle_delta (self, query, r);
  else if (n == 2 && g_str_equal (method, "POST") && g_str_equal (parts[0], "decisions")
           && g_str_equal (parts[1], "batch"))
    handle_batch (self, account, msg, r);
  else if (n == 2 && g_str_equal (method, "PUT") && g_str_equal (parts[0], "decisions"))
    handle_single (self, account, msg, parts[1], r);
  else if (n == 2 && g_str_equal (method, "PUT") && g_str_equal (parts[0], "workstation")
           && g_str_equal (parts[1], "audit-key"))
    handle_audit_key (self, account, msg, r);
  else if (n == 1 && g_str_equal (method, "POST") && g_str_equal (parts[0], "bundles"))
    handle_bundle_upload (self, account, msg, r);
  else if (n == 2 && get && g_str_equal (parts[0], "bundles") && g_str_equal (parts[1], "inbound"))
    handle_bundle_inbound (self, account, query, r);
  else if (n == 2 && g_str_equal (method, "PUT") && g_str_equal (parts[0], "workstation")
           && g_str_equal (parts[1], "bundle-key"))
    handle_bundle_key (self, account, msg, r);
  else
    return FALSE;
  return TRUE;
}

/* ---- admin ------------------------------------------------------------- */

static void
read_rate (JsonObject *object,
           const char *name,
           double     *rate)
{
  if (json_object_has_member (object, name))
    *rate = CLAMP (json_object_get_double_member (object, name), 0.0, 1.0);
}

static void
read_count (JsonObject *object,
            const char *name,
            guint      *count)
{
  if (json_object_has_member (object, name))
    *count = (guint) MAX (json_object_get_int_member (object, name), 0);
}

static JsonObject *
faults_to_json (SimFaults *f)
{
  JsonObject *object = json_object_new ();

  json_object_set_double_member (object, "fail_rate", f->fail_rate);
  json_object_set_double_member (object, "drop_rate", f->drop_rate);
  json_object_set_double_member (object, "truncate_rate", f->truncate_rate);
  json_object_set_double_member (object, "conflict_rate", f->conflict_rate);
  json_object_set_int_member (object, "latency_ms", f->latency_ms);
  json_object_set_int_member (object, "fail_next", f->fail_next);
  json_object_set_int_member (object, "drop_next", f->drop_next);
  json_object_set_int_member (object, "truncate_next", f->truncate_next);
  if (f->path_prefix)
    json_object_set_string_member (object, "path_prefix", f->path_prefix);
  else
    json_object_set_null_member (object, "path_prefix");
  return object;
}

static void
admin_faults (SimServer         *self,
              SoupServerMessage *msg,
              SimResponse       *r)
{
  g_autoptr(JsonNode) body = parse_body (msg);
  JsonObject *object;

  if (body && JSON_NODE_HOLDS_OBJECT (body))
    {
      object = json_node_get_object (body);
      read_rate (object, "fail_rate", &self->faults.fail_rate);
      read_rate (object, "drop_rate", &self->faults.drop_rate);
      read_rate (object, "truncate_rate", &self->faults.truncate_rate);
      read_rate (object, "conflict_rate", &self->faults.conflict_rate);
      read_count (object, "latency_ms", &self->faults.latency_ms);
      read_count (object, "fail_next", &self->faults.fail_next);
      read_count (object, "drop_next", &self->faults.drop_next);
      read_count (object, "truncate_next", &self->faults.truncate_next);
      if (json_object_has_member (object, "path_prefix"))
        {
          g_free (self->faults.path_prefix);
          self->faults.path_prefix = g_strdup (
            json_object_get_string_member_with_default (object, "path_prefix", NULL));
        }
      if (json_object_has_member (object, "tamper_sqlite"))
        self->tamper_sqlite = json_object_get_boolean_member (object, "tamper_sqlite");
      if (json_object_has_member (object, "withhold_sqlite"))
        self->withhold_sqlite = json_object_get_boolean_member (object, "withhold_sqlite");
      if (json_object_has_member (object, "seed"))
        g_rand_set_seed (self->rand, (guint32) json_object_get_int_member (object, "seed"));
    }
  object = faults_to_json (&self->faults);
  json_object_set_boolean_member (object, "tamper_sqlite", self->tamper_sqlite);
  json_object_set_boolean_member (object, "withhold_sqlite", self->withhold_sqlite);
  respond_object (r, 200, object);
  json_object_unref (object);
}

static void
admin_stats (SimServer   *self,
             SimResponse *r)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "requests", self->requests);
  json_object_set_int_member (object, "batch_requests", self->batch_requests);
  json_object_set_int_member (object, "single_requests", self->single_requests);
  json_object_set_int_member (object, "decision_items", self->decision_items);
  json_object_set_int_member (object, "decisions_stored",
                              sim_store_count_decisions (self->store));
  json_object_set_int_member (object, "injected_5xx", self->injected_5xx);
  json_object_set_int_member (object, "injected_drops", self->injected_drops);
  json_object_set_int_member (object, "injected_truncations", self->injected_truncations);
  json_object_set_int_member (object, "injected_conflicts", self->injected_conflicts);
  json_object_set_int_member (object, "range_requests", self->range_requests);
  json_object_set_int_member (object, "sqlite_builds", self->sqlite_builds);
  json_object_set_int_member (object, "sqlite_requests", self->sqlite_requests);
  json_object_set_object_member (object, "audit", sim_store_audit_status (self->store));
  respond_object (r, 200, object);
  json_object_unref (object);
}

static void
admin_put (SimServer         *self,
           SoupServerMessage *msg,
           const char        *what,
           GHashTable        *query,
           SimResponse       *r)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  if (g_str_equal (what, "declarations"))
    {
      g_autoptr(JsonNode) body = parse_body (msg);

      ok = body && sim_store_put_declarations (self->store, body, NULL, &error);
    }
  else if (g_str_equal (what, "mirror") && query_get (query, "version"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (
        soup_server_message_get_request_body (msg));

      ok = sim_store_publish_mirror (self->store, query_get (query, "version"), body, &error);
    }
  else if (g_str_equal (what, "account"))
    {
      g_autoptr(JsonNode) body = parse_body (msg);
      const char *status = body && JSON_NODE_HOLDS_OBJECT (body)
        ? json_object_get_string_member_with_default (json_node_get_object (body), "status", NULL)
        : NULL;

      ok = status && sim_store_set_account_status (self->store, NULL, status, &error);
    }
  if (ok)
    respond_error (r, 200, "ok", "ok");
  else
    respond_error (r, 400, "bad-request", error ? error->message : "bad admin request");
}

static void
admin_signing_key (SimServer   *self,
                   SimResponse *r)
{
  g_autoptr(GBytes) public_key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;

  if (!sim_store_dup_signing_key (self->store, &public_key, NULL))
    {
      respond_error (r, 500, "internal", "no signing key");
      return;
    }
  text = bhxh_bundle_key_to_text (public_key);
  id = bhxh_bundle_key_id (public_key);
  object = json_object_new ();
  json_object_set_string_member (object, "public_key", text);
  json_object_set_string_member (object, "key_id", id);
  respond_object (r, 200, object);
  json_object_unref (object);
}

/* GET /admin/bundles/inbound?workstation=WS: a signed inbound bundle for
 * that workstation's account, as GET /v1/bundles/inbound makes it, with
 * what a test needs changed: as=WS (another workstation in the header),
 * seq=N, expires_in=SECONDS (negative: already expired), depth=N (a
 * payload nested N deep), plus cursor and mirror_since. */
static void
admin_inbound (SimServer   *self,
               GHashTable  *query,
               SimResponse *r)
{
  const char *workstation = query_get (query, "workstation");
  g_autoptr(SimAccount) account = workstation ? sim_store_lookup_workstation (self->store,
                                                                              workstation)
                                              : NULL;
  InboundSpec spec = { NULL, 0, INBOUND_LIFETIME, 0 };
  const char *text;

  if (account == NULL)
    {
      respond_error (r, 404, "not-found", "no such workstation");
      return;
    }
  spec.workstation = query_get (query, "as") ? query_get (query, "as") : account->workstation;
  if ((text = query_get (query, "seq")) != NULL)
    spec.seq = g_ascii_strtoull (text, NULL, 10);
  if ((text = query_get (query, "expires_in")) != NULL)
    spec.expires_in = g_ascii_strtoll (text, NULL, 10);
  if ((text = query_get (query, "depth")) != NULL)
    spec.depth = (guint) MIN (g_ascii_strtoull (text, NULL, 10), 10000000);
  respond_inbound (self, account, query, &spec, r);
}

static void
route_admin (SimServer         *self,
             SoupServerMessage *msg,
             const char        *method,
             const char        *what,
             GHashTable        *query,
             SimResponse       *r)
{
  if (g_str_equal (what, "faults"))
    admin_faults (self, msg, r);
  else if (g_str_equal (what, "stats"))
    admin_stats (self, r);
  else if (g_str_equal (what, "signing-key"))
    admin_signing_key (self, r);
  else if (g_str_equal (what, "bundles/inbound"))
    admin_inbound (self, query, r);
  else if (g_str_equal (what, "decisions"))
    {
      g_autoptr(JsonNode) list = sim_store_list_decisions (self->store);

      respond_json (r, 200, list);
    }
  else if (g_str_equal (method, "POST"))
    admin_put (self, msg, what, query, r);
  else
    respond_error (r, 404, "not-found", "no such admin endpoint");
}

/* ---- entry ------------------------------------------------------------- */

static SimAccount *
authenticate (SimServer         *self,
              SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization");

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer "))
    return NULL;
  return sim_store_lookup_token (self->store, auth + strlen ("Bearer "));
}

static void
handle_v1 (SimServer         *self,
           SoupServerMessage *msg,
           const char        *method,
           const char        *path,
           GHashTable        *query,
           Delivery          *d)
{
  g_autoptr(SimAccount) account = NULL;
  g_auto(GStrv) parts = NULL;
  gboolean targeted = self->faults.path_prefix == NULL
                      || g_str_has_prefix (path, self->faults.path_prefix);

  if (targeted && roll (self, &self->faults.fail_next, self->faults.fail_rate))
    {
      self->injected_5xx++;
      respond_error (&d->response, 503, "unavailable", "Cổng dịch vụ công đang bận, thử lại sau.");
      return;
    }
  account = authenticate (self, msg);
  if (account == NULL)
    {
      respond_error (&d->response, 401, "unauthorized", "Mã truy cập của máy trạm không hợp lệ.");
      return;
    }
  parts = g_strsplit (path + strlen ("/v1/"), "/", -1);
  if (g_str_equal (account->status, "suspended") && !g_str_equal (path, "/v1/account"))
    {
      respond_error (&d->response, 403, "account-suspended",
                     "Tài khoản máy trạm đang bị tạm khóa.");
      return;
    }
  if (!route_v1 (self, account, msg, method, parts, query, &d->response))
    {
      respond_error (&d->response, 404, "not-found", "Không có tài nguyên này.");
      return;
    }
  if (!targeted)
    return;
  d->drop = roll (self, &self->faults.drop_next, self->faults.drop_rate);
  d->truncate = !d->drop && roll (self, &self->faults.truncate_next,
                                  self->faults.truncate_rate);
  self->injected_drops += d->drop;
  self->injected_truncations += d->truncate;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  SimServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  Delivery *d = g_new0 (Delivery, 1);

  d->self = self;
  d->msg = g_object_ref (msg);
  if (g_str_has_prefix (path, "/admin/"))
    route_admin (self, msg, method, path + strlen ("/admin/"), query, &d->response);
  else if (g_str_has_prefix (path, "/v1/"))
    {
      self->requests++;
      handle_v1 (self, msg, method, path, query, d);
    }
  else
    respond_error (&d->response, 404, "not-found", "Không có tài nguyên này.");

  if (self->verbose)
    g_printerr ("sim: %s %s → %u%s%s\n", method, path, d->response.status,
                d->drop ? " (dropped)" : "", d->truncate ? " (truncated)" : "");

  /* A lost answer is lost at once; only real answers are delayed. */
  if (self->faults.latency_ms > 0 && g_str_has_prefix (path, "/v1/") && !d->drop && !d->truncate)
    {
      soup_server_message_pause (msg);
      g_timeout_add (self->faults.latency_ms, delayed_deliver_cb, d);
      return;
    }
  deliver (d);
  delivery_free (d);
}

SimServer *
sim_server_new (SimStore        *store,
                const SimFaults *faults,
                guint32          seed,
                gboolean         verbose)
{
  SimServer *self = g_new0 (SimServer, 1);

  self->store = store;
  self->faults = *faults;
  self->faults.path_prefix = g_strdup (faults->path_prefix);
  self->rand = g_rand_new_with_seed (seed);
  self->verbose = verbose;
  self->snapshots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, sim_sqlite_free);
  return self;
}

void
sim_server_set_snapshot_dir (SimServer  *self,
                             const char *dir)
{
  g_free (self->snapshot_dir);
  self->snapshot_dir = g_strdup (dir);
}

gboolean
sim_server_listen (SimServer        *self,
                   guint             port,
                   GTlsCertificate  *certificate,
                   char            **url,
                   GError          **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  self->server = soup_server_new ("server-header", "bhxh-portal-sim ",
                                  "tls-certificate", certificate, NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  /* Its own socket for a longer queue of connections than GLib's default
   * 10: a fleet of 200 desks connecting at once had its SYNs dropped and
   * retried after 1, 3, 7, 15 s. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, 1024);
  /* As soup_server_listen_local() makes it: a blocking listening socket
   * hung up some connections (the contract test's proxy saw it, 3 runs in
   * 5). */
  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->server, socket,
                                  certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  *url = g_strdup_printf ("%s://127.0.0.1:%d", certificate ? "https" : "http",
                          g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

void
sim_server_free (SimServer *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->server);
  g_rand_free (self->rand);
  g_free (self->faults.path_prefix);
  g_free (self->snapshot_dir);
  g_hash_table_unref (self->snapshots);
  g_clear_pointer (&self->tampered, sim_sqlite_free);
  g_free (self);
}
