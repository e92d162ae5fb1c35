/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/bhxh-json.h"
#include "core/bhxh-memfd.h"
#include "bhxh-store-private.h"
#include "bhxh-crypt.h"

/* Importing the registry mirror.
 *
 * The new mirror is built in "<db>-mirror.new" on its own connection with
 * no journal and no syncs (a crash only loses that file), indexed after the
 * load, fsync'd, and renamed over the old mirror: readers see either the
 * old file or the complete new one. */

#define READ_BUFFER_SIZE (4 << 20)
#define MAX_FIELDS 256
#define PROGRESS_ROWS 65536
#define CANCEL_CHECK_ROWS 4096

enum
{
  COL_BHXH_CODE,
  COL_ID_NUMBER,
  COL_OLD_ID_NUMBER,
  COL_FULL_NAME,
  COL_BIRTH_DATE,
  COL_SEX,
  COL_ADDRESS,
  COL_OFFICE_CODE,
  COL_ACCOUNT_STATUS,
  COL_ACCOUNT_SINCE,
  COL_LEGACY_BHXH_CODE,
  N_COLS
};

static const char * const column_names[N_COLS] = {
  "bhxh_code", "id_number", "old_id_number", "full_name", "birth_date",
  "sex", "address", "office_code", "account_status", "account_since", "legacy_bhxh_code",
};

typedef struct
{
  const char *ptr[N_COLS];   /* NULL: column absent */
  gsize       len[N_COLS];
} Row;

typedef struct
{
  BhxhProgressFunc  progress;
  gpointer          user_data;
  GCancellable     *cancellable;
  guint64           total_bytes;

  sqlite3          *db;
  sqlite3_stmt     *insert;
  guint64           rows;
  const char       *vfs;        /* bhxh-crypt's when the store encrypts */
} Import;

static void
import_clear (Import *import)
{
  if (import->insert != NULL)
    sqlite3_finalize (import->insert);
  if (import->db != NULL)
    sqlite3_close_v2 (import->db);
  import->insert = NULL;
  import->db = NULL;
}

static gboolean G_GNUC_PRINTF (3, 4)
line_error (GError     **error,
            guint64      line,
            const char  *format,
            ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
               _("Line %llu of the mirror file: %s"), (unsigned long long) line, detail);

  return FALSE;
}

static gboolean
is_digits (const char *p,
           gsize       len,
           gsize       wanted)
{
  if (len != wanted)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (p[i] < '0' || p[i] > '9')
      return FALSE;

  return TRUE;
}

/* YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date: core's one check. */
static gboolean
is_valid_date (const char *p,
               gsize       len)
{
  return bhxh_date_parse_iso_len (p, len, NULL);
}

static gboolean
text_equal (const char *p,
            gsize       len,
            const char *literal)
{
  return len == strlen (literal) && memcmp (p, literal, len) == 0;
}

static gboolean
has_combining_marks (const char *p,
                     gsize       len)
{
  /* U+0300..U+036F start with 0xCC or 0xCD: NFD or stray marks. */
  return memchr (p, 0xCC, len) != NULL || memchr (p, 0xCD, len) != NULL;
}

/* Core's sex check (male/female, Nam/Nữ, M/F, any case or form): "" when
 * empty, NULL when not a sex. */
static const char *
parse_sex (const char *p,
           gsize       len)
{
  BhxhSex sex;

  if (len == 0)
    return "";
  if (!bhxh_sex_parse_len (p, len, &sex))
    return NULL;
  return bhxh_sex_to_string (sex);
}

/* Validated rows, copied out of the read buffer: the parser fills a batch,
 * the thread that owns the sqlite connection inserts it. The values are in
 * the order of the INSERT's parameters ?2…?13. */

#define BATCH_ROWS 8192
#define BATCHES_IN_FLIGHT 4
#define NO_VALUE G_MAXUINT32

enum
{
  VAL_BHXH_CODE,
  VAL_ID_NUMBER,
  VAL_OLD_ID_NUMBER,
  VAL_FULL_NAME,
  VAL_NAME_FOLDED,
  VAL_BIRTH_DATE,
  VAL_ADDRESS,
  VAL_OFFICE_CODE,
  VAL_SEX,
  VAL_ACCOUNT_STATUS,
  VAL_ACCOUNT_SINCE,
  VAL_LEGACY_BHXH_CODE,
  N_VALUES
};

typedef struct
{
  guint64 line;
  guint32 off[N_VALUES];   /* into the batch's data; NO_VALUE: SQL NULL */
  guint32 len[N_VALUES];
} ParsedRow;

typedef struct
{
  GByteArray *data;
  GArray     *rows;          /* ParsedRow */
  guint64     done_bytes;    /* of the file, up to the last row */
} Batch;

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->data = g_byte_array_sized_new (BATCH_ROWS * 192);
  batch->rows = g_array_sized_new (FALSE, FALSE, sizeof (ParsedRow), BATCH_ROWS);
  return batch;
}

static void
batch_free (gpointer data)
{
  Batch *batch = data;

  g_byte_array_unref (batch->data);
  g_array_unref (batch->rows);
  g_free (batch);
}

static void
batch_reset (Batch *batch)
{
  g_byte_array_set_size (batch->data, 0);
  g_array_set_size (batch->rows, 0);
}

static void
batch_set (Batch      *batch,
           ParsedRow  *row,
           int         value,
           const char *p,
           gsize       len)
{
  if (p == NULL || len == 0)
    {
      row->off[value] = NO_VALUE;
      row->len[value] = 0;
      return;
    }
  row->off[value] = batch->data->len;
  row->len[value] = len;
  g_byte_array_append (batch->data, (const guint8 *) p, len);
}

/* Scratch space of whoever parses: one parser per import. */
typedef struct
{
  GString *folded;
  GString *nfc;
} Scratch;

/* Checks a text column is UTF-8 and stores it, NFC where @normalize. */
static gboolean
set_text (Batch       *batch,
          ParsedRow   *parsed,
          int          value,
          const Row   *row,
          int          column,
          gboolean     normalize,
          Scratch     *scratch,
          GError     **error)
{
  const char *p = row->ptr[column];
  gsize len = p != NULL ? row->len[column] : 0;

  if (len > 0 && !g_utf8_validate_len (p, len, NULL))
    return line_error (error, parsed->line, _("the column “%s” is not valid UTF-8"),
                       column_names[column]);
  if (normalize && len > 0 && has_combining_marks (p, len))
    {
      g_autofree char *nfc = g_utf8_normalize (p, len, G_NORMALIZE_NFC);

      g_string_assign (scratch->nfc, nfc);
      p = scratch->nfc->str;
      len = scratch->nfc->len;
    }
  batch_set (batch, parsed, value, p, len);

  return TRUE;
}

/* Validates one record and appends it to @batch. */
static gboolean
parse_row (const Row   *row,
           guint64      line,
           Batch       *batch,
           Scratch     *scratch,
           GError     **error)
{
  ParsedRow parsed = { line };
  const char *sex;
  const char *status;
  const char *id_number;
  gsize id_len;
  const guint8 *name;

#define LEN(col) (row->ptr[col] != NULL ? row->len[col] : 0)
  /* The 10-digit code, or since 1 July 2025 the 12-digit ID number. */
  if (!is_digits (row->ptr[COL_BHXH_CODE], LEN (COL_BHXH_CODE), 10) &&
      !is_digits (row->ptr[COL_BHXH_CODE], LEN (COL_BHXH_CODE), 12))
    return line_error (error, line, _("the mã số BHXH “%.*s” is neither 10 digits nor a "
                                      "12-digit ID number"),
                       (int) MIN (LEN (COL_BHXH_CODE), 40), row->ptr[COL_BHXH_CODE]);
  if (LEN (COL_ID_NUMBER) != 0 && !is_digits (row->ptr[COL_ID_NUMBER], LEN (COL_ID_NUMBER), 12))
    return line_error (error, line, _("the ID number “%.*s” is not 12 digits"),
                       (int) MIN (LEN (COL_ID_NUMBER), 40), row->ptr[COL_ID_NUMBER]);
  id_number = row->ptr[COL_ID_NUMBER];
  id_len = LEN (COL_ID_NUMBER);
  if (LEN (COL_BHXH_CODE) == 12)
    {
      /* Keyed by the ID number: it is the person's ID number too. */
      if (id_len != 0 && memcmp (id_number, row->ptr[COL_BHXH_CODE], 12) != 0)
        return line_error (error, line, _("the mã số BHXH “%.*s” is an ID number, but not "
                                          "the person’s (“%.*s”)"),
                           12, row->ptr[COL_BHXH_CODE], (int) MIN (id_len, 40), id_number);
      id_number = row->ptr[COL_BHXH_CODE];
      id_len = 12;
    }
  if (LEN (COL_LEGACY_BHXH_CODE) != 0 &&
      !is_digits (row->ptr[COL_LEGACY_BHXH_CODE], LEN (COL_LEGACY_BHXH_CODE), 10))
    return line_error (error, line, _("the former mã số BHXH “%.*s” is not 10 digits"),
                       (int) MIN (LEN (COL_LEGACY_BHXH_CODE), 40),
                       row->ptr[COL_LEGACY_BHXH_CODE]);
  if (LEN (COL_FULL_NAME) == 0)
    return line_error (error, line, _("the full name is empty"));
  if (!is_valid_date (row->ptr[COL_BIRTH_DATE], LEN (COL_BIRTH_DATE)))
    return line_error (error, line, _("the birth date “%.*s” is not a real date "
                                      "(YYYY-MM-DD, YYYY-MM or YYYY)"),
                       (int) MIN (LEN (COL_BIRTH_DATE), 40), row->ptr[COL_BIRTH_DATE]);
  if ((sex = parse_sex (row->ptr[COL_SEX], LEN (COL_SEX))) == NULL)
    return line_error (error, line, _("the sex “%.*s” is neither male nor female"),
                       (int) MIN (LEN (COL_SEX), 40), row->ptr[COL_SEX]);
  status = row->ptr[COL_ACCOUNT_STATUS];
  if (LEN (COL_ACCOUNT_STATUS) != 0 &&
      !text_equal (status, LEN (COL_ACCOUNT_STATUS), "active") &&
      !text_equal (status, LEN (COL_ACCOUNT_STATUS), "suspended") &&
      !text_equal (status, LEN (COL_ACCOUNT_STATUS), "stopped"))
    return line_error (error, line, _("the account status “%.*s” is not active, "
                                      "suspended or stopped"),
                       (int) MIN (LEN (COL_ACCOUNT_STATUS), 40), status);
  if (LEN (COL_ACCOUNT_SINCE) != 0 &&
      !is_valid_date (row->ptr[COL_ACCOUNT_SINCE], LEN (COL_ACCOUNT_SINCE)))
    return line_error (error, line, _("the account date “%.*s” is not a real date"),
                       (int) MIN (LEN (COL_ACCOUNT_SINCE), 40), row->ptr[COL_ACCOUNT_SINCE]);

  batch_set (batch, &parsed, VAL_BHXH_CODE, row->ptr[COL_BHXH_CODE], LEN (COL_BHXH_CODE));
  batch_set (batch, &parsed, VAL_ID_NUMBER, id_number, id_len);
  batch_set (batch, &parsed, VAL_LEGACY_BHXH_CODE, row->ptr[COL_LEGACY_BHXH_CODE],
             LEN (COL_LEGACY_BHXH_CODE));
  batch_set (batch, &parsed, VAL_BIRTH_DATE, row->ptr[COL_BIRTH_DATE], LEN (COL_BIRTH_DATE));
  batch_set (batch, &parsed, VAL_SEX, sex, strlen (sex));
  batch_set (batch, &parsed, VAL_ACCOUNT_STATUS, status, LEN (COL_ACCOUNT_STATUS));
  batch_set (batch, &parsed, VAL_ACCOUNT_SINCE, row->ptr[COL_ACCOUNT_SINCE],
             LEN (COL_ACCOUNT_SINCE));
  if (!set_text (batch, &parsed, VAL_OLD_ID_NUMBER, row, COL_OLD_ID_NUMBER, FALSE, scratch,
                 error) ||
      !set_text (batch, &parsed, VAL_OFFICE_CODE, row, COL_OFFICE_CODE, FALSE, scratch,
                 error) ||
      !set_text (batch, &parsed, VAL_ADDRESS, row, COL_ADDRESS, TRUE, scratch, error) ||
      !set_text (batch, &parsed, VAL_FULL_NAME, row, COL_FULL_NAME, TRUE, scratch, error))
    return FALSE;
#undef LEN

  /* Fold the name as stored (NFC). */
  name = batch->data->data + parsed.off[VAL_FULL_NAME];
  _bhxh_store_fold_into (scratch->folded, (const char *) name, parsed.len[VAL_FULL_NAME]);
  if (scratch->folded->len == 0)
    return line_error (error, line, _("the full name is empty"));
  batch_set (batch, &parsed, VAL_NAME_FOLDED, scratch->folded->str, scratch->folded->len);
  g_array_append_val (batch->rows, parsed);

  return TRUE;
}

static gboolean
row_done (Import   *import,
          guint64   done_bytes,
          GError  **error)
{
  import->rows++;
  if (import->rows % CANCEL_CHECK_ROWS == 0 &&
      g_cancellable_set_error_if_cancelled (import->cancellable, error))
    return FALSE;
  if (import->rows % PROGRESS_ROWS == 0 && import->progress != NULL)
    {
      import->progress (done_bytes, import->total_bytes, import->rows, import->user_data);
      /* The callback may have cancelled. */
      if (g_cancellable_set_error_if_cancelled (import->cancellable, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_batch (Import      *import,
              Batch       *batch,
              GError     **error)
{
  sqlite3_stmt *stmt = import->insert;
  const char *data = (const char *) batch->data->data;

  for (guint i = 0; i < batch->rows->len; i++)
    {
      const ParsedRow *row = &g_array_index (batch->rows, ParsedRow, i);
      int rc;

      sqlite3_bind_int64 (stmt, 1, row->line);
      for (int v = 0; v < N_VALUES; v++)
        if (row->off[v] == NO_VALUE)
          sqlite3_bind_null (stmt, v + 2);
        else
          sqlite3_bind_text (stmt, v + 2, data + row->off[v], row->len[v], SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _bhxh_store_set_error (error, import->db, rc,
                                 _("cannot write the new registry mirror"));
          return FALSE;
        }
      if (!row_done (import, batch->done_bytes, error))
        return FALSE;
    }

  return TRUE;
}

/* CSV (RFC 4180) over one large buffer: fields point into the buffer,
 * quoted fields are unescaped in place. */

typedef struct
{
  int         fd;
  char       *buf;
  gsize       cap;
  gsize       pos;
  gsize       end;
  gboolean    eof;
  guint64     consumed;     /* bytes before buf[0] */
  guint64     next_line;    /* line the next record starts on */
  const char *field[MAX_FIELDS];
  gsize       len[MAX_FIELDS];
  guint       n_fields;
} CsvReader;

static gboolean
csv_fill (CsvReader  *r,
          GError    **error)
{
  gssize n;

  if (r->pos > 0)
    {
      memmove (r->buf, r->buf + r->pos, r->end - r->pos);
      r->end -= r->pos;
      r->consumed += r->pos;
      r->pos = 0;
    }
  if (r->end + 1 >= r->cap)
    {
      r->cap *= 2;
      r->buf = g_realloc (r->buf, r->cap);
    }

  do
    n = read (r->fd, r->buf + r->end, r->cap - 1 - r->end);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;

      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                   _("Cannot read the mirror file: %s"), g_strerror (saved));
      return FALSE;
    }
  if (n == 0)
    r->eof = TRUE;
  r->end += n;

  return TRUE;
}

static gboolean
csv_add_field (CsvReader   *r,
               const char  *start,
               gsize        len,
               guint64      line,
               GError     **error)
{
  if (r->n_fields == MAX_FIELDS)
    return line_error (error, line, _("more than %d columns"), MAX_FIELDS);
  r->field[r->n_fields] = start;
  r->len[r->n_fields] = len;
  r->n_fields++;

  return TRUE;
}

/* Splits [start, stop) that has no quotes. */
static gboolean
csv_split_plain (CsvReader   *r,
                 char        *start,
                 char        *stop,
                 guint64      line,
                 GError     **error)
{
  char *p = start;

  for (;;)
    {
      char *comma = memchr (p, ',', stop - p);

      if (comma == NULL)
        return csv_add_field (r, p, stop - p, line, error);
      if (!csv_add_field (r, p, comma - p, line, error))
        return FALSE;
      p = comma + 1;
    }
}

/* Splits [start, stop) with quoted fields, unescaping them in place. */
static gboolean
csv_split_quoted (CsvReader   *r,
                  char        *start,
                  char        *stop,
                  guint64      line,
                  GError     **error)
{
  char *p = start;

  for (;;)
    {
      char *field_start = p;

      if (p < stop && *p == '"')
        {
          char *w = p;

          p++;
          for (;;)
            {
              if (p >= stop)
                return line_error (error, line, _("a quoted field is not closed"));
              if (*p == '"')
                {
                  if (p + 1 < stop && p[1] == '"')
                    {
                      *w++ = '"';
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              *w++ = *p++;
            }
          if (p < stop && *p != ',')
            return line_error (error, line, _("text after the closing quote of a field"));
          if (!csv_add_field (r, field_start, w - field_start, line, error))
            return FALSE;
        }
      else
        {
          char *comma = memchr (p, ',', stop - p);
          char *field_end = comma != NULL ? comma : stop;

          if (!csv_add_field (r, p, field_end - p, line, error))
            return FALSE;
          p = field_end;
        }
      if (p >= stop)
        return TRUE;
      p++;   /* the comma */
      if (p == stop)
        return csv_add_field (r, p, 0, line, error);
    }
}

/* Finds the end of a quoted record: the first newline outside quotes.
 * Returns 1 found, 0 needs more data, -1 unterminated at end of file. */
static int
csv_find_quoted_end (CsvReader  *r,
                     char       *start,
                     char      **newline,
                     guint      *n_lines)
{
  char *limit = r->buf + r->end;
  gboolean in_quotes = FALSE;

  *n_lines = 1;
  for (char *p = start; p < limit; p++)
    {
      if (*p == '"')
        in_quotes = !in_quotes;   /* "" toggles twice */
      else if (*p == '\n')
        {
          if (!in_quotes)
            {
              *newline = p;
              return 1;
            }
          (*n_lines)++;
        }
    }
  *newline = NULL;
  if (!r->eof)
    return 0;

  return in_quotes ? -1 : 1;
}

/* Returns 1 with a record in r->field, 0 at the end, -1 on error. */
static int
csv_next (CsvReader  *r,
          guint64    *line,
          GError    **error)
{
  for (;;)
    {
      char *start = r->buf + r->pos;
      char *limit = r->buf + r->end;
      char *newline;
      char *stop;
      char *quote;
      guint n_lines = 1;

      if (start == limit)
        {
          if (r->eof)
            return 0;
          if (!csv_fill (r, error))
            return -1;
          continue;
        }

      newline = memchr (start, '\n', limit - start);
      quote = memchr (start, '"', (newline != NULL ? newline : limit) - start);
      if (quote != NULL)
        {
          int found = csv_find_quoted_end (r, start, &newline, &n_lines);

          if (found < 0)
            {
              line_error (error, r->next_line, _("a quoted field is not closed"));
              return -1;
            }
          if (found == 0)
            {
              if (!csv_fill (r, error))
                return -1;
              continue;
            }
        }
      else if (newline == NULL && !r->eof)
        {
          if (!csv_fill (r, error))
            return -1;
          continue;
        }

      stop = newline != NULL ? newline : limit;
      r->pos = (newline != NULL ? newline + 1 : limit) - r->buf;
      *line = r->next_line;
      r->next_line += n_lines;
      if (stop > start && stop[-1] == '\r')
        stop--;
      if (stop == start)
        continue;   /* a blank line */

      r->n_fields = 0;
      if (!(quote != NULL ? csv_split_quoted (r, start, stop, *line, error)
                          : csv_split_plain (r, start, stop, *line, error)))
        return -1;
      return 1;
    }
}

static gboolean
map_header (const char * const *names,
            const gsize        *lens,
            guint               n,
            int                *map,
            GError            **error)
{
  gboolean seen[N_COLS] = { FALSE };

  for (guint i = 0; i < n; i++)
    {
      const char *name = names[i];
      gsize len = lens[i];

      if (i == 0 && len >= 3 && memcmp (name, "\xEF\xBB\xBF", 3) == 0)
        {
          name += 3;
          len -= 3;
        }
      /* Header names are matched trimmed and without regard to case. */
      while (len > 0 && g_ascii_isspace (*name))
        {
          name++;
          len--;
        }
      while (len > 0 && g_ascii_isspace (name[len - 1]))
        len--;
      map[i] = -1;
      for (int c = 0; c < N_COLS; c++)
        if (len == strlen (column_names[c]) &&
            g_ascii_strncasecmp (name, column_names[c], len) == 0)
          {
            if (seen[c])
              {
                g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                             _("The mirror file has the column “%s” twice"), column_names[c]);
                return FALSE;
              }
            seen[c] = TRUE;
            map[i] = c;
          }
    }

  for (int c = COL_BHXH_CODE; c <= COL_BIRTH_DATE; c++)
    if ((c == COL_BHXH_CODE || c == COL_FULL_NAME || c == COL_BIRTH_DATE) && !seen[c])
      {
        g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                     _("The mirror file has no column “%s” in its header line"),
                     column_names[c]);
        return FALSE;
      }

  return TRUE;
}

/* The CSV parser runs in a thread of its own, a few batches ahead of the
 * inserts: parsing and checking cost about as much as sqlite's work. */

typedef struct
{
  int          fd;
  GAsyncQueue *full;       /* Batch*, &end_of_batches last */
  GAsyncQueue *empty;      /* Batch* */
  gint         stop;       /* atomic: the inserting side gave up */
  GError      *error;      /* the parser's; read after the join */
  Scratch      scratch;
} CsvParser;

static Batch end_of_batches;

static gboolean
csv_parse_all (CsvParser  *parser,
               CsvReader  *r,
               GError    **error)
{
  Batch *batch = g_async_queue_pop (parser->empty);
  int map[MAX_FIELDS];
  guint n_columns;
  guint64 line;
  int got;

  got = csv_next (r, &line, error);
  if (got == 0)
    g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                 _("The mirror file is empty: it has no header line"));
  if (got <= 0 || !map_header (r->field, r->len, r->n_fields, map, error))
    goto fail;
  n_columns = r->n_fields;

  while ((got = csv_next (r, &line, error)) > 0)
    {
      Row row = { { NULL } };

      if (r->n_fields != n_columns)
        {
          line_error (error, line, _("%u fields where the header has %u"),
                      r->n_fields, n_columns);
          goto fail;
        }
      for (guint i = 0; i < n_columns; i++)
        if (map[i] >= 0)
          {
            row.ptr[map[i]] = r->field[i];
            row.len[map[i]] = r->len[i];
          }
      if (!parse_row (&row, line, batch, &parser->scratch, error))
        goto fail;
      if (batch->rows->len == BATCH_ROWS)
        {
          batch->done_bytes = r->consumed + r->pos;
          g_async_queue_push (parser->full, batch);
          if (g_atomic_int_get (&parser->stop))
            return TRUE;
          batch = g_async_queue_pop (parser->empty);
        }
    }
  if (got < 0)
    goto fail;
  batch->done_bytes = r->consumed + r->pos;
  g_async_queue_push (parser->full, batch);
  return TRUE;

fail:
  g_async_queue_push (parser->empty, batch);
  return FALSE;
}

static gpointer
csv_parser_thread (gpointer data)
{
  CsvParser *parser = data;
  CsvReader r = { .fd = parser->fd, .cap = READ_BUFFER_SIZE, .next_line = 1 };

  r.buf = g_malloc (r.cap);
  csv_parse_all (parser, &r, &parser->error);
  g_free (r.buf);
  g_async_queue_push (parser->full, &end_of_batches);

  return NULL;
}

static gboolean
load_csv (Import   *import,
          int       fd,
          GError  **error)
{
  CsvParser parser = { .fd = fd };
  GThread *thread;
  Batch *batch;
  gboolean ok = TRUE;

  parser.full = g_async_queue_new ();
  parser.empty = g_async_queue_new_full (batch_free);
  parser.scratch.folded = g_string_sized_new (128);
  parser.scratch.nfc = g_string_sized_new (256);
  for (guint i = 0; i < BATCHES_IN_FLIGHT; i++)
    g_async_queue_push (parser.empty, batch_new ());

  thread = g_thread_new ("bhxh-mirror-csv", csv_parser_thread, &parser);
  while ((batch = g_async_queue_pop (parser.full)) != &end_of_batches)
    {
      if (ok && !insert_batch (import, batch, error))
        {
          ok = FALSE;
          g_atomic_int_set (&parser.stop, 1);
        }
      batch_reset (batch);
      g_async_queue_push (parser.empty, batch);
    }
  g_thread_join (thread);

  if (parser.error != NULL)
    {
      if (ok)
        g_propagate_error (error, g_steal_pointer (&parser.error));
      g_clear_error (&parser.error);
      ok = FALSE;
    }
  g_async_queue_unref (parser.full);
  g_async_queue_unref (parser.empty);
  g_string_free (parser.scratch.folded, TRUE);
  g_string_free (parser.scratch.nfc, TRUE);

  return ok;
}

/* JSON Lines: one object per line, the same keys as the CSV columns. */

/* A person object's columns: strings or null. */
static gboolean
object_row (JsonObject  *object,
            guint64      line,
            Row         *row,
            GError     **error)
{
  for (int c = 0; c < N_COLS; c++)
    {
      JsonNode *member = json_object_get_member (object, column_names[c]);

      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        continue;
      if (json_node_get_value_type (member) != G_TYPE_STRING)
        return line_error (error, line, _("the key “%s” is not a string"), column_names[c]);
      row->ptr[c] = json_node_get_string (member);
      row->len[c] = strlen (row->ptr[c]);
    }

  return TRUE;
}


static gboolean
jsonl_row (JsonParser  *parser,
           const char  *text,
           gsize        len,
           guint64      line,
           Row         *row,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;

  if (!bhxh_json_depth_ok (text, len, 16))
    return line_error (error, line, _("nested too deeply"));
  if (!json_parser_load_from_data (parser, text, len, &local_error))
    return line_error (error, line, "%s", local_error->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return line_error (error, line, _("not a JSON object"));
  object = json_node_get_object (root);

  return object_row (object, line, row, error);
}

static gboolean
load_jsonl (Import   *import,
            int       fd,
            GError  **error)
{
  CsvReader r = { .fd = fd, .cap = READ_BUFFER_SIZE, .next_line = 1 };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) folded = g_string_sized_new (128);
  g_autoptr(GString) nfc = g_string_sized_new (256);
  Scratch scratch = { folded, nfc };
  Batch *batch = batch_new ();
  gboolean ok = FALSE;

  r.buf = g_malloc (r.cap);
  for (;;)
    {
      char *start = r.buf + r.pos;
      char *newline = memchr (start, '\n', r.end - r.pos);
      char *stop;
      guint64 line = r.next_line;
      Row row = { { NULL } };

      if (newline == NULL && !r.eof)
        {
          if (!csv_fill (&r, error))
            goto out;
          continue;
        }
      if (newline == NULL && r.pos == r.end)
        break;
      stop = newline != NULL ? newline : r.buf + r.end;
      r.pos = (newline != NULL ? newline + 1 : stop) - r.buf;
      r.next_line++;
      if (line == 1 && stop - start >= 3 && memcmp (start, "\xEF\xBB\xBF", 3) == 0)
        start += 3;
      while (stop > start && g_ascii_isspace (stop[-1]))
        stop--;
      if (stop == start)
        continue;
      if (!jsonl_row (parser, start, stop - start, line, &row, error) ||
          !parse_row (&row, line, batch, &scratch, error))
        goto out;
      if (batch->rows->len == BATCH_ROWS)
        {
          batch->done_bytes = r.consumed + r.pos;
          if (!insert_batch (import, batch, error))
            goto out;
          batch_reset (batch);
        }
    }
  batch->done_bytes = r.consumed + r.pos;
  ok = insert_batch (import, batch, error);

out:
  batch_free (batch);
  g_free (r.buf);
  return ok;
}

/* Building and swapping the file. */

static int
cancel_handler_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

static void
remove_with_journals (const char *path)
{
  static const char * const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

static gboolean
set_db_error (Import      *import,
              int          rc,
              GError     **error)
{
  if (rc == SQLITE_INTERRUPT &&
      g_cancellable_set_error_if_cancelled (import->cancellable, error))
    return FALSE;
  _bhxh_store_set_error (error, import->db, rc, _("cannot build the new registry mirror"));
  return FALSE;
}

static gboolean
open_new_mirror (Import      *import,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(GBytes) schema = _bhxh_store_lookup_sql ("mirror-schema.sql");
  int rc;

  rc = sqlite3_open_v2 (path, &import->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        import->vfs);
  if (rc == SQLITE_OK)
    rc = _bhxh_crypt_prepare (import->db, "main");
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (import->db,
                       /* Fewer pages to encrypt, read and decrypt again
                        * for each index built: ~15% faster on 1M rows. */
                       "PRAGMA page_size = 16384;"
                       "PRAGMA journal_mode = OFF;"
                       "PRAGMA synchronous = OFF;"
                       "PRAGMA locking_mode = EXCLUSIVE;"
                       /* A small cache (sqlite's default 2 MiB) sorts the index
                        * keys in short runs merged from temporary files: on
                        * 1M rows ~2x faster than a 256 MiB cache, and worker
                        * threads did not help on 2 busy cores. */
                       "PRAGMA cache_size = -2000;"
                       "PRAGMA threads = 0;",
                       NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (import->db, g_bytes_get_data (schema, NULL), NULL, NULL, NULL);
  /* Few persons have a former code: this partial index costs the load
   * little, where built afterwards it read the whole table once more. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (import->db, BHXH_MIRROR_LEGACY_INDEX_SQL, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (import->db, "BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (import->db,
                             "INSERT INTO persons (rowid, bhxh_code, id_number, old_id_number, "
                             "full_name, name_folded, birth_date, address, office_code, sex, "
                             "account_status, account_since, legacy_bhxh_code) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                             -1, &import->insert, NULL);
  if (rc != SQLITE_OK)
    return set_db_error (import, rc, error);
  if (import->cancellable != NULL)
    sqlite3_progress_handler (import->db, 100000, cancel_handler_cb, import->cancellable);

  return TRUE;
}

static gboolean
report_duplicate (Import  *import,
                  GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  sqlite3_progress_handler (import->db, 0, NULL, NULL);
  if (sqlite3_prepare_v2 (import->db,
                          "SELECT bhxh_code, min(rowid), max(rowid) FROM persons "
                          "GROUP BY bhxh_code HAVING count(*) > 1 ORDER BY 3 LIMIT 1",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      line_error (error, sqlite3_column_int64 (stmt, 2),
                  _("the mã số BHXH %s is already on line %lld"),
                  (const char *) sqlite3_column_text (stmt, 0),
                  (long long) sqlite3_column_int64 (stmt, 1));
      found = TRUE;
    }
  sqlite3_finalize (stmt);

  return found;
}

static gboolean
finish_new_mirror (Import      *import,
                   const char  *version,
                   GError     **error)
{
  g_autoptr(GBytes) indexes = _bhxh_store_lookup_sql ("mirror-indexes.sql");
  g_autofree char *now = bhxh_clock_now_iso ();
  g_autofree char *rows = g_strdup_printf ("%" G_GUINT64_FORMAT, import->rows);
  sqlite3_stmt *meta = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (import->db,
                           "INSERT INTO mirror_meta (key, value) VALUES "
                           "('version', ?1), ('imported_at', ?2), ('rows', ?3)",
                           -1, &meta, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (meta, 1, version, -1, SQLITE_STATIC);
      sqlite3_bind_text (meta, 2, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (meta, 3, rows, -1, SQLITE_STATIC);
      rc = sqlite3_step (meta);
      rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
  sqlite3_finalize (meta);
  /* Commit the rows first: the index builds then have the whole page cache
   * (no journal: the file is only ever used after the rename). */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (import->db, "COMMIT", NULL, NULL, NULL);
  /* Two sorter threads: on 2 cores the four index builds ~20% faster
   * (with the 16 KiB pages below; with 4 KiB pages and five indexes they
   * did not help). */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (import->db, "PRAGMA threads = 2", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (import->db, g_bytes_get_data (indexes, NULL), NULL, NULL, NULL);
  if ((rc & 0xff) == SQLITE_CONSTRAINT && report_duplicate (import, error))
    return FALSE;
  if (rc != SQLITE_OK)
    return set_db_error (import, rc, error);

  sqlite3_finalize (import->insert);
  import->insert = NULL;
  rc = sqlite3_close (import->db);
  import->db = NULL;
  if (rc != SQLITE_OK)
    {
      _bhxh_store_set_error (error, NULL, rc, _("cannot close the new registry mirror"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
fsync_path (const char  *path,
            gboolean     directory,
            GError     **error)
{
  int fd = open (path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  int saved = 0;

  if (fd < 0 || fsync (fd) != 0)
    saved = errno;
  if (fd >= 0)
    close (fd);
  if (saved != 0)
    {
      g_set_error (error, BHXH_STORE_ERROR,
                   saved == ENOSPC ? BHXH_STORE_ERROR_FULL : BHXH_STORE_ERROR_IO,
                   _("Cannot write %s to disk: %s"), path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

static gboolean
swap_mirror (BhxhStore   *self,
             const char  *new_path,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (self->mirror_path);
  g_autofree char *old_journal = g_strconcat (self->mirror_path, "-journal", NULL);
  int saved;

  if (!fsync_path (new_path, FALSE, error) ||
      !_bhxh_store_detach_mirror (self, error))
    return FALSE;

  /* A journal left by the old file must never be replayed into the new one. */
  g_unlink (old_journal);
  if (g_rename (new_path, self->mirror_path) != 0)
    {
      saved = errno;
      g_set_error (error, BHXH_STORE_ERROR,
                   saved == EROFS || saved == EACCES ? BHXH_STORE_ERROR_READ_ONLY
                                                     : BHXH_STORE_ERROR_IO,
                   _("Cannot replace the registry mirror %s: %s"),
                   self->mirror_path, g_strerror (saved));
      _bhxh_store_attach_mirror (self, NULL);
      return FALSE;
    }
  if (!fsync_path (dir, TRUE, error))
    {
      _bhxh_store_attach_mirror (self, NULL);
      return FALSE;
    }

  return _bhxh_store_attach_mirror (self, error);
}

static char *
default_version (const char *file)
{
  g_autofree char *base = g_path_get_basename (file);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

static BhxhMirrorFormat
guess_format (const char *file)
{
  if (g_str_has_suffix (file, ".jsonl") || g_str_has_suffix (file, ".ndjson") ||
      g_str_has_suffix (file, ".json"))
    return BHXH_MIRROR_FORMAT_JSONL;

  return BHXH_MIRROR_FORMAT_CSV;
}

/* One import at a time per mirror, across processes: the lock goes with
 * the process, so a killed import never leaves it held. */
static int
lock_mirror (BhxhStore  *self,
             GError    **error)
{
  g_autofree char *path = g_strconcat (self->mirror_path, ".lock", NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  int saved;

  if (fd >= 0 && flock (fd, LOCK_EX | LOCK_NB) == 0)
    return fd;
  saved = errno;
  if (fd >= 0)
    close (fd);
  if (saved == EWOULDBLOCK)
    g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                 _("Another import of the registry mirror is running"));
  else
    g_set_error (error, BHXH_STORE_ERROR,
                 saved == EROFS || saved == EACCES ? BHXH_STORE_ERROR_READ_ONLY
                                                   : BHXH_STORE_ERROR_IO,
                 _("Cannot lock %s: %s"), path, g_strerror (saved));
  return -1;
}

/* A snapshot the sync kept sealed with the store's key (labelled with its
 * version) is read in memory (a memfd), never written out in clear.
 * Returns the fd to read (@fd itself for a file in clear), or -1 with
 * @error set; @st then describes what is read. */
static int
open_if_sealed (BhxhStore    *self,
                const char   *file,
                const char   *version,
                int           fd,
                struct stat  *st,
                GError      **error)
{
  g_autoptr(GBytes) plain = NULL;
  guint8 head[16];
  const guint8 *data;
  gsize length;
  int mem;

  if (pread (fd, head, sizeof head, 0) != (ssize_t) sizeof head ||
      !bhxh_crypt_is_sealed (head, (gsize) st->st_size))
    return fd;
  close (fd);
  plain = bhxh_store_read_sealed (self, version, file, error);
  if (plain == NULL)
    return -1;
  data = g_bytes_get_data (plain, &length);
  mem = bhxh_memfd_new_from_data ("bhxh-mirror", data, length, FALSE);
  if (mem < 0 || fstat (mem, st) != 0)
    {
      int saved = errno;

      if (mem >= 0)
        close (mem);
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                   _("Cannot open the mirror file %s: %s"), file, g_strerror (saved));
      return -1;
    }
  return mem;
}

static gboolean
import_mirror_locked (BhxhStore         *self,
                      const char        *file,
                      const char        *signature,
                      BhxhMirrorFormat   format,
                      const char        *version,
                      BhxhProgressFunc   progress,
                      gpointer           user_data,
                      GCancellable      *cancellable,
                      guint64           *n_rows,
                      GError           **error)
{
  g_autofree char *new_path = NULL;
  g_autofree char *fallback_version = NULL;
  g_autofree char *snapshot_version = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GTimer) timer = NULL;
  double loaded, indexed;
  Import import = { progress, user_data, cancellable };
  struct stat st;
  gboolean ok;
  int fd;

  new_path = g_strconcat (self->mirror_path, ".new", NULL);
  import.vfs = _bhxh_crypt_vfs_of (self->db);
  remove_with_journals (new_path);   /* stale, from an interrupted import */

  if (version != NULL && *version == '\0')
    version = NULL;
  fd = open (file, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                   _("Cannot open the mirror file %s: %s"), file, g_strerror (saved));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }
  if (format == BHXH_MIRROR_FORMAT_AUTO && _bhxh_mirror_file_is_snapshot (file, fd))
    format = BHXH_MIRROR_FORMAT_SNAPSHOT;
  if (signature != NULL && (format != BHXH_MIRROR_FORMAT_SNAPSHOT ||
                            !_bhxh_mirror_file_is_snapshot (file, fd)))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("%s is not a registry snapshot"), file);
      close (fd);
      return FALSE;
    }
  if (format != BHXH_MIRROR_FORMAT_SNAPSHOT)
    {
      if (version == NULL)
        version = fallback_version = default_version (file);
      fd = open_if_sealed (self, file, version, fd, &st, error);
      if (fd < 0)
        return FALSE;
    }
  import.total_bytes = st.st_size;
  if (format == BHXH_MIRROR_FORMAT_AUTO)
    format = guess_format (file);

  timer = g_timer_new ();
  if (format == BHXH_MIRROR_FORMAT_SNAPSHOT)
    {
      /* Signed by the portal, indexed already: verified and copied. */
      close (fd);
      ok = _bhxh_store_build_mirror_from_snapshot (self, file, signature, new_path, import.vfs,
                                                   version,
                                                   cancellable, &snapshot_version,
                                                   &import.rows, error);
      version = snapshot_version;
      loaded = indexed = g_timer_elapsed (timer, NULL);
      if (ok && progress != NULL)
        progress (import.total_bytes, import.total_bytes, import.rows, user_data);
    }
  else
    {
      ok = open_new_mirror (&import, new_path, error) &&
           (format == BHXH_MIRROR_FORMAT_JSONL ? load_jsonl (&import, fd, error)
                                               : load_csv (&import, fd, error)) &&
           !g_cancellable_set_error_if_cancelled (cancellable, error);
      close (fd);
      loaded = g_timer_elapsed (timer, NULL);
      if (ok && progress != NULL)
        progress (import.total_bytes, import.total_bytes, import.rows, user_data);
      ok = ok && finish_new_mirror (&import, version, error);
      indexed = g_timer_elapsed (timer, NULL);
    }
  ok = ok && !g_cancellable_set_error_if_cancelled (cancellable, error) &&
       swap_mirror (self, new_path, error);
  g_debug ("mirror: %" G_GUINT64_FORMAT " rows loaded in %.2f s, indexed at %.2f s, "
           "synced and swapped at %.2f s", import.rows, loaded, indexed,
           g_timer_elapsed (timer, NULL));
  import_clear (&import);
  if (!ok)
    {
      remove_with_journals (new_path);
      if (error != NULL && *error != NULL && (*error)->domain == G_IO_ERROR &&
          (*error)->code == G_IO_ERROR_CANCELLED)
        {
          g_clear_error (error);
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CANCELLED,
                       _("The mirror import was cancelled; the previous mirror is kept"));
        }
      return FALSE;
    }

  if (n_rows != NULL)
    *n_rows = import.rows;
  detail = g_strdup_printf ("version=%s rows=%" G_GUINT64_FORMAT, version, import.rows);
  if (_bhxh_store_begin (self, NULL))
    {
      if (_bhxh_store_audit_append (self, "system", "mirror.import", file, detail, NULL))
        _bhxh_store_commit (self, NULL);
      else
        _bhxh_store_rollback (self);
    }

  return TRUE;
}

/* One import at a time per mirror file (a lock beside it). */
static gboolean
import_mirror (BhxhStore         *self,
               const char        *file,
               const char        *signature,
               BhxhMirrorFormat   format,
               const char        *version,
               BhxhProgressFunc   progress,
               gpointer           user_data,
               GCancellable      *cancellable,
               guint64           *n_rows,
               GError           **error)
{
  gboolean ok;
  int lock = lock_mirror (self, error);

  if (lock < 0)
    return FALSE;
  ok = import_mirror_locked (self, file, signature, format, version, progress, user_data,
                             cancellable, n_rows, error);
  close (lock);
  return ok;
}

/**
 * bhxh_store_import_mirror:
 * @file: a CSV or JSON Lines file, or a registry snapshot signed by the
 *   portal with FILE.sig beside it (docs/formats.md)
 * @format: its format, or %BHXH_MIRROR_FORMAT_AUTO: a snapshot by its first
 *   bytes, else by the file name
 * @version: (nullable): the mirror's version; %NULL: the file's base name (a
 *   snapshot's own; given, a snapshot of another version is refused)
 * @progress: (nullable): called every 65536 rows
 * @cancellable: (nullable): cancels the import, also from @progress
 * @n_rows: (out) (optional): the number of persons imported
 *
 * Replaces the registry mirror with the file's content, all or nothing:
 * on any error, cancellation or crash the previous mirror stays in use.
 */
gboolean
bhxh_store_import_mirror (BhxhStore         *self,
                          const char        *file,
                          BhxhMirrorFormat   format,
                          const char        *version,
                          BhxhProgressFunc   progress,
                          gpointer           user_data,
                          GCancellable      *cancellable,
                          guint64           *n_rows,
                          GError           **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  return import_mirror (self, file, NULL, format, version, progress, user_data, cancellable,
                        n_rows, error);
}

/**
 * bhxh_store_import_mirror_snapshot:
 * @file: a registry snapshot signed by the portal
 * @signature: the text of its signature (what FILE.sig holds), for a caller
 *   that has the file open only (the service: the caller's descriptor)
 * @n_rows: (out) (optional): the number of persons imported
 *
 * bhxh_store_import_mirror() of a snapshot whose signature comes as text;
 * anything but a snapshot is refused. All or nothing, as that one.
 */
gboolean
bhxh_store_import_mirror_snapshot (BhxhStore     *self,
                                   const char    *file,
                                   const char    *signature,
                                   GCancellable  *cancellable,
                                   guint64       *n_rows,
                                   GError       **error)
{
  return bhxh_store_import_mirror_snapshot_version (self, file, signature, NULL, NULL, NULL,
                                                    cancellable, n_rows, error);
}

/**
 * bhxh_store_import_mirror_snapshot_version:
 * @version: (nullable): the version the caller was promised (the sync: the
 *   portal's latest); a signed snapshot of another version is refused
 * @progress: (nullable): called once the copy is done
 *
 * bhxh_store_import_mirror_snapshot() for the sync, which downloaded the
 * snapshot into memory (@file: "/proc/self/fd/N") and knows its version.
 */
gboolean
bhxh_store_import_mirror_snapshot_version (BhxhStore         *self,
                                           const char        *file,
                                           const char        *signature,
                                           const char        *version,
                                           BhxhProgressFunc   progress,
                                           gpointer           user_data,
                                           GCancellable      *cancellable,
                                           guint64           *n_rows,
                                           GError           **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  return import_mirror (self, file, signature, BHXH_MIRROR_FORMAT_SNAPSHOT, version, progress,
                        user_data, cancellable, n_rows, error);
}

/* ---- deltas applied in place ------------------------------------------ */

static gboolean
delta_error (guint       number,
             GError    **error)
{
  g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
               _("The mirror delta has a malformed change (number %u)"), number);
  return FALSE;
}

/* Validates every change (as an import validates a line) before the
 * mirror is touched: the upserts' rows in @batch, the deletions' codes in
 * @deletions. */
static gboolean
parse_delta (JsonArray   *changes,
             Batch       *batch,
             GPtrArray   *deletions,
             GError     **error)
{
  g_autoptr(GString) folded = g_string_sized_new (128);
  g_autoptr(GString) nfc = g_string_sized_new (256);
  Scratch scratch = { folded, nfc };

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *op = change ? json_object_get_string_member_with_default (change, "op", "")
                              : "";
      JsonNode *person = change ? json_object_get_member (change, "person") : NULL;
      const char *code;

      if (g_str_equal (op, "upsert") && person != NULL && JSON_NODE_HOLDS_OBJECT (person))
        {
          Row row = { { NULL } };

          if (!object_row (json_node_get_object (person), i + 1, &row, error) ||
              !parse_row (&row, i + 1, batch, &scratch, error))
            return FALSE;
        }
      else if (g_str_equal (op, "delete") &&
               (code = json_object_get_string_member_with_default (change, "bhxh_code",
                                                                   NULL)) != NULL)
        g_ptr_array_add (deletions, (gpointer) code);
      else
        return delta_error (i + 1, error);
    }

  return TRUE;
}

static gboolean
step_done (BhxhStore     *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot update the registry mirror"));
      return FALSE;
    }

  return TRUE;
}

/**
 * bhxh_store_apply_mirror_delta:
 * @from: the version the delta starts from: the mirror's own
 * @to: the version it brings
 * @changes: the delta's changes (docs/portal-api.yaml, MirrorDelta): an
 *   "upsert" with its person, a "delete" with its bhxh_code
 * @n_rows: (out) (optional): the number of persons after
 *
 * Applies a delta to the mirror in place, in one transaction with its
 * version: all or nothing. Every person is validated as an import does;
 * a mirror of another version than @from is left alone. What keeps a
 * mirror that came as a signed snapshot (no JSON Lines base) up to date.
 */
gboolean
bhxh_store_apply_mirror_delta (BhxhStore    *self,
                               const char   *from,
                               const char   *to,
                               JsonArray    *changes,
                               guint64      *n_rows,
                               GError      **error)
{
  g_autoptr(GPtrArray) deletions = g_ptr_array_new ();
  g_autofree char *current = NULL;
  g_autofree char *now = bhxh_clock_now_iso ();
  g_autofree char *rows_text = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *remove, *insert, *meta;
  Batch *batch;
  gint64 rows;
  gboolean ok = FALSE;
  int lock;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && changes != NULL, FALSE);

  batch = batch_new ();
  if (!parse_delta (changes, batch, deletions, error))
    {
      batch_free (batch);
      return FALSE;
    }
  lock = lock_mirror (self, error);
  if (lock < 0)
    {
      batch_free (batch);
      return FALSE;
    }
  current = bhxh_store_dup_mirror_version (self);
  rows = (gint64) bhxh_store_count_persons (self);
  if (g_strcmp0 (current, from) != 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The mirror delta starts from version %s, but the registry mirror is "
                     "version %s"), from, current != NULL ? current : "-");
      goto out;
    }
  if (!_bhxh_store_begin (self, error))
    goto out;
  remove = _bhxh_store_prepare (self, "DELETE FROM mirror.persons WHERE bhxh_code = ?1", error);
  insert = remove == NULL ? NULL : _bhxh_store_prepare (self,
    "INSERT INTO mirror.persons (bhxh_code, id_number, old_id_number, full_name, "
    "name_folded, birth_date, address, office_code, sex, account_status, account_since, "
    "legacy_bhxh_code) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", error);
  meta = insert == NULL ? NULL : _bhxh_store_prepare (self,
    "INSERT OR REPLACE INTO mirror.mirror_meta (key, value) VALUES (?1, ?2)", error);
  if (meta == NULL)
    goto rollback;
  for (guint i = 0; i < deletions->len; i++)
    {
      sqlite3_bind_text (remove, 1, g_ptr_array_index (deletions, i), -1, SQLITE_STATIC);
      if (!step_done (self, remove, error))
        goto rollback;
      rows -= sqlite3_changes (self->db);
    }
  for (guint i = 0; i < batch->rows->len; i++)
    {
      const ParsedRow *row = &g_array_index (batch->rows, ParsedRow, i);
      const char *data = (const char *) batch->data->data;

      sqlite3_bind_text (remove, 1, data + row->off[VAL_BHXH_CODE], row->len[VAL_BHXH_CODE],
                         SQLITE_STATIC);
      if (!step_done (self, remove, error))
        goto rollback;
      rows -= sqlite3_changes (self->db);
      for (int v = 0; v < N_VALUES; v++)
        if (row->off[v] == NO_VALUE)
          sqlite3_bind_null (insert, v + 2);
        else
          sqlite3_bind_text (insert, v + 2, data + row->off[v], row->len[v], SQLITE_STATIC);
      if (!step_done (self, insert, error))
        goto rollback;
      rows++;
    }
  rows_text = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (rows, 0));
  {
    const char *pairs[] = { "version", to, "rows", rows_text, "imported_at", now };

    for (guint i = 0; i < G_N_ELEMENTS (pairs); i += 2)
      {
        sqlite3_bind_text (meta, 1, pairs[i], -1, SQLITE_STATIC);
        sqlite3_bind_text (meta, 2, pairs[i + 1], -1, SQLITE_STATIC);
        if (!step_done (self, meta, error))
          goto rollback;
      }
  }
  detail = g_strdup_printf ("version=%s from=%s changes=%u rows=%s", to, from,
                            json_array_get_length (changes), rows_text);
  if (!_bhxh_store_audit_append (self, "system", "mirror.delta", to, detail, error) ||
      !_bhxh_store_commit (self, error))
    goto rollback;
  if (n_rows != NULL)
    *n_rows = (guint64) MAX (rows, 0);
  ok = TRUE;
  goto out;

rollback:
  _bhxh_store_rollback (self);
out:
  close (lock);
  batch_free (batch);
  return ok;
}
