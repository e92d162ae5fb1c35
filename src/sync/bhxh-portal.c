/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <sys/mman.h>
#include <stdio.h>
#include <string.h>
#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/bhxh-json.h"
#include "store/bhxh-crypt.h"
#include "bhxh-portal.h"

struct _BhxhPortal
{
  BhxhPortalConfig *config;
  CURL             *curl;
  GRand            *rand;
  BhxhPortalStats   stats;
};

/* One transfer's state, seen by the libcurl callbacks. */
typedef struct
{
  BhxhPortal       *portal;
  GByteArray       *body;          /* the answer, unless written to @file */
  FILE             *file;
  guint64           file_offset;   /* bytes already in @file before this transfer */
  gboolean          ranged;
  GCancellable     *cancellable;
  BhxhTransferFunc  progress;
  gpointer          progress_data;
  guint64           expected_total;
  BhxhSpool        *spool;         /* @file writes into it: truncated through it */
} Transfer;

BhxhPortalConfig *
bhxh_portal_config_new (void)
{
  BhxhPortalConfig *config = g_new0 (BhxhPortalConfig, 1);

  config->connect_timeout_ms = 10000;
  config->timeout_ms = 60000;
  config->max_retries = 5;
  config->backoff_ms = 500;
  config->backoff_max_ms = 30000;
  return config;
}

BhxhPortalConfig *
bhxh_portal_config_copy (const BhxhPortalConfig *config)
{
  BhxhPortalConfig *copy = g_memdup2 (config, sizeof *config);

  copy->portal_url = g_strdup (config->portal_url);
  copy->token = g_strdup (config->token);
  copy->ca_file = g_strdup (config->ca_file);
  copy->client_cert = g_strdup (config->client_cert);
  copy->client_key = g_strdup (config->client_key);
  copy->proxy = g_strdup (config->proxy);
  return copy;
}

void
bhxh_portal_config_free (BhxhPortalConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->portal_url);
  if (config->token)
    memset (config->token, 0, strlen (config->token));
  g_free (config->token);
  g_free (config->ca_file);
  g_free (config->client_cert);
  g_free (config->client_key);
  g_free (config->proxy);
  g_free (config);
}

BhxhPortal *
bhxh_portal_new (const BhxhPortalConfig *config)
{
  static gsize curl_ready = 0;
  BhxhPortal *self = g_new0 (BhxhPortal, 1);

  if (g_once_init_enter (&curl_ready))
    g_once_init_leave (&curl_ready, curl_global_init (CURL_GLOBAL_DEFAULT) == CURLE_OK ? 1 : 2);
  self->config = bhxh_portal_config_copy (config);
  self->curl = curl_easy_init ();
  self->rand = g_rand_new ();
  return self;
}

void
bhxh_portal_free (BhxhPortal *self)
{
  if (self == NULL)
    return;
  curl_easy_cleanup (self->curl);
  bhxh_portal_config_free (self->config);
  g_rand_free (self->rand);
  g_free (self);
}

const BhxhPortalStats *
bhxh_portal_get_stats (BhxhPortal *self)
{
  return &self->stats;
}

/* ---- libcurl callbacks ------------------------------------------------- */

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n,
          void   *user_data)
{
  Transfer *t = user_data;
  long code = 0;

  curl_easy_getinfo (t->portal->curl, CURLINFO_RESPONSE_CODE, &code);
  t->portal->stats.bytes_received += size * n;
  if (t->file && (code == 200 || code == 206))
    {
      /* A 200 to a Range request is the whole file again: start over. */
      if (code == 200 && t->ranged)
        {
          if (fflush (t->file) != 0
              || (t->spool != NULL ? !bhxh_spool_truncate (t->spool)
                                   : ftruncate (fileno (t->file), 0) != 0)
              || fseek (t->file, 0, SEEK_SET) != 0)
            return 0;
          t->ranged = FALSE;
          t->file_offset = 0;
        }
      return fwrite (data, size, n, t->file) == n ? size * n : 0;
    }
  g_byte_array_append (t->body, (const guint8 *) data, size * n);
  return size * n;
}

static int
xferinfo_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Transfer *t = user_data;

  if (g_cancellable_is_cancelled (t->cancellable))
    return 1;
  if (t->progress && dlnow > 0)
    t->progress (t->file_offset + dlnow,
                 t->expected_total ? t->expected_total : t->file_offset + dltotal,
                 t->progress_data);
  return 0;
}

/* ---- one attempt ------------------------------------------------------- */

static void
setup_common (BhxhPortal *self,
              Transfer   *t,
              const char *url)
{
  BhxhPortalConfig *c = self->config;
  CURL *curl = self->curl;

  curl_easy_reset (curl);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (c->ca_file)
    curl_easy_setopt (curl, CURLOPT_CAINFO, c->ca_file);
  if (c->client_cert)
    {
      curl_easy_setopt (curl, CURLOPT_SSLCERT, c->client_cert);
      curl_easy_setopt (curl, CURLOPT_SSLKEY, c->client_key ? c->client_key : c->client_cert);
    }
  if (c->proxy)
    curl_easy_setopt (curl, CURLOPT_PROXY, c->proxy);
  curl_easy_setopt (curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS,
                    (long) (c->connect_timeout_ms ? c->connect_timeout_ms : 10000));
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "bhxh-desk/" PACKAGE_VERSION);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, t);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, t);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
}

static struct curl_slist *
auth_headers (BhxhPortal *self,
              const char *content_type,
              const char *accept)
{
  struct curl_slist *headers = NULL;
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s",
                                           self->config->token ? self->config->token : "");
  g_autofree char *ctype = content_type ? g_strdup_printf ("Content-Type: %s", content_type)
                                        : NULL;
  g_autofree char *acc = g_strdup_printf ("Accept: %s", accept);

  headers = curl_slist_append (headers, auth);
  headers = curl_slist_append (headers, acc);
  if (ctype)
    headers = curl_slist_append (headers, ctype);
  /* Small bodies: no "100-continue" round trip. */
  headers = curl_slist_append (headers, "Expect:");
  memset (auth, 0, strlen (auth));
  return headers;
}

static gboolean
is_transient_curl (CURLcode code)
{
  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_tls_curl (CURLcode code)
{
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CONNECT_ERROR
         || code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CACERT_BADFILE
         || code == CURLE_SSL_CIPHER || code == CURLE_SSL_ISSUER_ERROR;
}

/* What went wrong, in the words of the desk's language (curl's own text
 * is English only). */
static const char *
curl_words (CURLcode code)
{
  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return _("its address cannot be found (check the network and the address)");
    case CURLE_COULDNT_CONNECT:
      return _("it does not answer (the connection was refused or the network is down)");
    case CURLE_OPERATION_TIMEDOUT:
      return _("it did not answer in time");
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return _("the connection broke off");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return _("its certificate cannot be trusted");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
      return _("the secure connection failed");
    default:
      return curl_easy_strerror (code);
    }
}

static gboolean
is_transient_status (long status)
{
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

/* Waits, or returns FALSE at once when cancelled. */
static gboolean
sleep_cancellable (guint         ms,
                   GCancellable *cancellable)
{
  GPollFD pollfd;

  if (cancellable && g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_poll (&pollfd, 1, ms);
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) ms * 1000);
  return !g_cancellable_is_cancelled (cancellable);
}

static guint
backoff_delay (BhxhPortal *self,
               guint       attempt)
{
  guint64 delay = self->config->backoff_ms;
  guint64 limit = self->config->backoff_max_ms ? self->config->backoff_max_ms : 30000;

  for (guint i = 0; i < attempt && delay < limit; i++)
    delay *= 2;
  delay = MIN (delay, limit);
  /* "Equal jitter": never less than half, so retries keep spreading out. */
  return (guint) (delay / 2 + g_rand_int_range (self->rand, 0, (gint32) (delay / 2 + 1)));
}

typedef enum
{
  ATTEMPT_DONE,
  ATTEMPT_RETRY,
  ATTEMPT_FAILED,
} AttemptResult;

static AttemptResult
classify (BhxhPortal  *self,
          Transfer    *t,
          CURLcode     code,
          long         status,
          GError     **last_error)
{
  g_clear_error (last_error);
  if (code == CURLE_ABORTED_BY_CALLBACK || g_cancellable_is_cancelled (t->cancellable))
    {
      g_set_error_literal (last_error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CANCELLED,
                           _("Synchronisation was cancelled."));
      return ATTEMPT_FAILED;
    }
  if (code != CURLE_OK)
    {
      g_set_error (last_error, BHXH_SYNC_ERROR,
                   is_tls_curl (code) ? BHXH_SYNC_ERROR_TLS : BHXH_SYNC_ERROR_UNREACHABLE,
                   _("Cannot reach the portal: %s"), curl_words (code));
      return is_transient_curl (code) ? ATTEMPT_RETRY : ATTEMPT_FAILED;
    }
  if (is_transient_status (status))
    {
      g_set_error (last_error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_UNREACHABLE,
                   _("The portal is unavailable (HTTP %ld)."), status);
      return ATTEMPT_RETRY;
    }
  if (status == 401)
    {
      g_set_error_literal (last_error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_UNAUTHORIZED,
                           _("The portal refused this workstation's token."));
      return ATTEMPT_FAILED;
    }
  return ATTEMPT_DONE;
}

static gboolean
perform (BhxhPortal   *self,
         Transfer     *t,
         long         *status,
         GError      **error)
{
  g_autoptr(GError) last_error = NULL;

  if (!bhxh_portal_url_check (self->config->portal_url, error))
    return FALSE;
  for (guint attempt = 0;; attempt++)
    {
      CURLcode code;
      AttemptResult result;

      g_byte_array_set_size (t->body, 0);
      self->stats.requests++;
      code = curl_easy_perform (self->curl);
      *status = 0;
      curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, status);
      result = classify (self, t, code, *status, &last_error);
      if (result == ATTEMPT_DONE)
        return TRUE;
      /* A download resumes from its new size: its caller retries it. */
      if (result == ATTEMPT_FAILED || attempt >= self->config->max_retries || t->file)
        break;
      self->stats.retries++;
      g_debug ("retry %u after: %s", attempt + 1, last_error->message);
      if (!sleep_cancellable (backoff_delay (self, attempt), t->cancellable))
        {
          g_clear_error (&last_error);
          g_set_error_literal (&last_error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CANCELLED,
                               _("Synchronisation was cancelled."));
          break;
        }
    }
  g_propagate_error (error, g_steal_pointer (&last_error));
  return FALSE;
}

/* ---- the address ------------------------------------------------------- */

char *
bhxh_portal_url_for_display (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL)
    return g_strdup ("…");
  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY
                                       | G_URI_HIDE_FRAGMENT);
}

gboolean
bhxh_portal_url_check (const char  *url,
                       GError     **error)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0'
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_autofree char *shown = bhxh_portal_url_for_display (url);

      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_INSECURE,
                   _("“%s” is not a portal address (https://…)."), shown);
      return FALSE;
    }
  /* The token, the decisions and the audit trail never travel in clear:
   * plain http only to this machine (the simulator, a local proxy). */
  if (g_ascii_strcasecmp (scheme, "http") == 0
      && g_ascii_strcasecmp (host, "localhost") != 0
      && g_strcmp0 (host, "::1") != 0
      && !g_str_has_prefix (host, "127."))
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_INSECURE,
                   _("The portal must be reached over https: plain http is refused for %s."),
                   host);
      return FALSE;
    }
  return TRUE;
}

/* ---- JSON and raw calls ------------------------------------------------ */

static char *
make_url (BhxhPortal *self,
          const char *path)
{
  const char *base = self->config->portal_url ? self->config->portal_url : "";
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    len--;
  return g_strdup_printf ("%.*s%s", (int) len, base, path);
}

static gboolean
check_suspended (guint        status,
                 GBytes      *answer,
                 GError     **error)
{
  if (status == 403 && answer
      && g_strstr_len (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                       "account-suspended"))
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_SUSPENDED,
                           _("The portal has suspended this workstation's account."));
      return FALSE;
    }
  return TRUE;
}

GBytes *
bhxh_portal_call_bytes (BhxhPortal    *self,
                        const char    *method,
                        const char    *path,
                        const char    *content_type,
                        GBytes        *body,
                        guint         *status,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *url = make_url (self, path);
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  Transfer t = { self, answer, NULL, 0, FALSE, cancellable, NULL, NULL, 0 };
  struct curl_slist *headers;
  long code = 0;
  gboolean ok;
  g_autoptr(GBytes) result = NULL;

  setup_common (self, &t, url);
  headers = auth_headers (self, body ? content_type : NULL, "application/json");
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (self->curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt (self->curl, CURLOPT_TIMEOUT_MS,
                    (long) (self->config->timeout_ms ? self->config->timeout_ms : 60000));
  if (body)
    {
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, g_bytes_get_data (body, NULL));
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE,
                        (curl_off_t) g_bytes_get_size (body));
    }
  ok = perform (self, &t, &code, error);
  curl_slist_free_all (headers);
  if (!ok)
    return NULL;
  result = g_byte_array_free_to_bytes (g_steal_pointer (&answer));
  if (!check_suspended (code, result, error))
    return NULL;
  *status = (guint) code;
  return g_steal_pointer (&result);
}

JsonNode *
bhxh_portal_call (BhxhPortal    *self,
                  const char    *method,
                  const char    *path,
                  JsonNode      *body,
                  guint         *status,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;

  if (body)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize len;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &len);
      request = g_bytes_new_take (text, len);
    }

  /* A 2xx answer that does not parse was cut short somewhere the HTTP
   * layer did not notice: treat it like a dropped connection. */
  for (guint attempt = 0;; attempt++)
    {
      g_clear_pointer (&answer, g_bytes_unref);
      answer = bhxh_portal_call_bytes (self, method, path, "application/json", request, status,
                                       cancellable, error);
      if (answer == NULL)
        return NULL;
      if (g_bytes_get_size (answer) == 0)
        return json_node_init_null (json_node_alloc ());
      g_clear_error (&parse_error);
      /* The portal's answers nest a few levels; refuse a pathological one
       * before json-glib's recursive parser can exhaust the stack. */
      if (!bhxh_json_depth_ok (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), 64))
        break;
      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                      g_bytes_get_size (answer), &parse_error))
        return json_parser_steal_root (parser);   /* a batch's answer: no deep copy */
      if (*status >= 300 || attempt >= self->config->max_retries)
        break;
      self->stats.retries++;
    }
  g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
               _("The portal's answer to %s %s is not valid JSON (HTTP %u)."),
               method, path, *status);
  return NULL;
}

/* ---- downloads --------------------------------------------------------- */

/* What arrived against what the portal announced. */
static gboolean
check_download (guint64      len,
                const char  *sha,
                guint64      expected_size,
                const char  *expected_sha256,
                GError     **error)
{
  if ((expected_size && len != expected_size)
      || (expected_sha256 && g_ascii_strcasecmp (sha, expected_sha256) != 0))
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                   _("The downloaded file is damaged (%lu bytes, checksum %.12s…)."),
                   (unsigned long) len, sha);
      return FALSE;
    }
  return TRUE;
}

static gboolean
verify_file (const char  *file,
             guint64      expected_size,
             const char  *expected_sha256,
             GError     **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (file, FALSE, error);
  g_autofree char *sha = NULL;
  gsize len;

  if (mapped == NULL)
    return FALSE;
  len = g_mapped_file_get_length (mapped);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                     (const guchar *) g_mapped_file_get_contents (mapped), len);
  return check_download (len, sha, expected_size, expected_sha256, error);
}

static gboolean
download_attempts (BhxhPortal   *self,
                   const char   *url,
                   FILE         *file,
                   Transfer     *t,
                   GError      **error)
{
  /* Each pass resumes from what the file holds; perform() retries the
   * transport inside a pass, this loop restarts a pass from the new size. */
  for (guint pass = 0;; pass++)
    {
      struct curl_slist *headers = auth_headers (self, NULL, "application/x-ndjson");
      g_autoptr(GError) local = NULL;
      long code = 0;
      gboolean ok;

      fseek (file, 0, SEEK_END);
      t->file_offset = (guint64) ftell (file);
      t->ranged = t->file_offset > 0;
      setup_common (self, t, url);
      curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, headers);
      /* No total timeout for a big file: give up only when it stalls. */
      curl_easy_setopt (self->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt (self->curl, CURLOPT_LOW_SPEED_TIME,
                        (long) MAX (self->config->timeout_ms / 1000, 5));
      if (t->ranged)
        {
          g_autofree char *range = g_strdup_printf ("%" G_GUINT64_FORMAT "-", t->file_offset);

          curl_easy_setopt (self->curl, CURLOPT_RANGE, range);
        }
      ok = perform (self, t, &code, &local);
      curl_slist_free_all (headers);
      fflush (file);
      if (ok && (code == 200 || code == 206))
        return TRUE;
      if (ok)
        {
          g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_HTTP,
                       _("The portal refused the download (HTTP %ld)."), code);
          return FALSE;
        }
      if (local->code != BHXH_SYNC_ERROR_UNREACHABLE || pass >= self->config->max_retries)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      self->stats.retries++;
      if (!sleep_cancellable (backoff_delay (self, pass), t->cancellable))
        {
          g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_CANCELLED,
                               _("Synchronisation was cancelled."));
          return FALSE;
        }
    }
}

/* Size and SHA-256 of what a spool holds, deciphered. */
static gboolean
verify_spool (BhxhSpool    *spool,
              guint64       expected_size,
              const char   *expected_sha256,
              GError      **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *chunk = g_malloc (4 << 20);
  guint64 offset = 0;
  gssize n;

  while ((n = bhxh_spool_read (spool, offset, chunk, 4 << 20)) > 0)
    {
      g_checksum_update (checksum, chunk, n);
      offset += n;
    }
  memset (chunk, 0, 4 << 20);
  if (n < 0)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot read %s: %s"),
                   bhxh_spool_get_path (spool), g_strerror (errno));
      return FALSE;
    }
  return check_download (offset, g_checksum_get_string (checksum), expected_size,
                         expected_sha256, error);
}

/**
 * bhxh_portal_download_spool:
 * @spool: where the file lands, enciphered as it arrives (bhxh-crypt.h)
 *
 * Like bhxh_portal_download(), into a spool: nothing in clear on disk, and
 * not the whole file in memory. It resumes within this call's retries (the
 * spool's key lives no longer than the spool).
 */
gboolean
bhxh_portal_download_spool (BhxhPortal        *self,
                            const char        *path,
                            BhxhSpool         *spool,
                            guint64            expected_size,
                            const char        *expected_sha256,
                            BhxhTransferFunc   progress,
                            gpointer           user_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autofree char *url = make_url (self, path);
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  Transfer t = { self, answer, NULL, 0, FALSE, cancellable, progress, user_data, expected_size };
  FILE *file = bhxh_spool_open_writer (spool);
  gboolean ok;

  if (file == NULL)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot write %s: %s"),
                   bhxh_spool_get_path (spool), g_strerror (errno));
      return FALSE;
    }
  t.file = file;
  t.spool = spool;
  ok = download_attempts (self, url, file, &t, error);
  if (fclose (file) != 0 && ok)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot write %s: %s"),
                   bhxh_spool_get_path (spool), g_strerror (errno));
      return FALSE;
    }
  return ok && verify_spool (spool, expected_size, expected_sha256, error);
}

/**
 * bhxh_portal_download_bytes:
 *
 * Like bhxh_portal_download(), into memory (a memfd: nothing on disk; it
 * resumes within this call's retries, not across runs) — for a store whose
 * snapshot must never be written in clear.
 *
 * Returns: (transfer full): the verified contents, or %NULL with @error set
 */
GBytes *
bhxh_portal_download_bytes (BhxhPortal        *self,
                            const char        *path,
                            guint64            expected_size,
                            const char        *expected_sha256,
                            BhxhTransferFunc   progress,
                            gpointer           user_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autofree char *url = make_url (self, path);
  g_autofree char *mem_path = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GMappedFile) mapped = NULL;
  Transfer t = { self, answer, NULL, 0, FALSE, cancellable, progress, user_data, expected_size };
  GBytes *bytes = NULL;
  FILE *file = NULL;
  int fd;

  fd = memfd_create ("bhxh-download", MFD_CLOEXEC);
  if (fd >= 0)
    file = fdopen (fd, "w+b");
  if (file == NULL)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot write %s: %s"),
                   "memfd", g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return NULL;
    }
  t.file = file;
  mem_path = g_strdup_printf ("/proc/self/fd/%d", fd);
  if (download_attempts (self, url, file, &t, error) && fflush (file) == 0 &&
      verify_file (mem_path, expected_size, expected_sha256, error))
    {
      mapped = g_mapped_file_new (mem_path, FALSE, error);
      if (mapped != NULL)
        bytes = g_mapped_file_get_bytes (mapped);
    }
  fclose (file);
  return bytes;
}

gboolean
bhxh_portal_download (BhxhPortal        *self,
                      const char        *path,
                      const char        *dest,
                      guint64            expected_size,
                      const char        *expected_sha256,
                      BhxhTransferFunc   progress,
                      gpointer           user_data,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autofree char *url = make_url (self, path);
  g_autofree char *part = g_strconcat (dest, ".part", NULL);
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  Transfer t = { self, answer, NULL, 0, FALSE, cancellable, progress, user_data, expected_size };
  FILE *file;
  gboolean ok;

  file = g_fopen (part, "a+b");
  if (file == NULL)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot write %s: %s"),
                   part, g_strerror (errno));
      return FALSE;
    }
  t.file = file;
  ok = download_attempts (self, url, file, &t, error);
  if (fclose (file) != 0 && ok)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot write %s: %s"),
                   part, g_strerror (errno));
      return FALSE;
    }
  if (!ok)
    return FALSE;
  if (!verify_file (part, expected_size, expected_sha256, error))
    {
      /* Start afresh next time rather than resume a bad file. */
      g_unlink (part);
      return FALSE;
    }
  if (g_rename (part, dest) != 0)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, _("Cannot write %s: %s"),
                   dest, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}
