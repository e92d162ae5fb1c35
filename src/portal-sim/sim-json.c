/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sim-json.h"

/* Deeper than any decision nests; keeps the reader's recursion bounded. */
#define MAX_DEPTH 64

static const char * const field_names[SIM_N_FIELDS] = {
  "uuid", "declaration_id", "outcome", "clerk", "decided_at", "note",
};

typedef struct
{
  const char *p;
  const char *end;
  guint       depth;
} Reader;

static gboolean read_value (Reader *r, SimJsonType *type, GString *text);

static void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

/* Skips white space; TRUE (and consumed) when the next character is @c. */
static gboolean
accept (Reader *r,
        char    c)
{
  skip_space (r);
  if (r->p < r->end && *r->p == c)
    {
      r->p++;
      return TRUE;
    }
  return FALSE;
}

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* The end of the run of characters a string holds as they are, from @p:
 * up to its closing quote, an escape, or a character that must not appear. */
static const char *
plain_run (const char *p,
           const char *end)
{
  while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
    p++;
  return p;
}

/* A string at r->p; its unescaped text appended to @text when not NULL.
 * Refused: raw control characters, unknown escapes, lone surrogates, and
 * \u0000 (the text is used as a C string). */
static gboolean
read_string (Reader  *r,
             GString *text)
{
  const char *p = r->p;

  if (p >= r->end || *p != '"')
    return FALSE;
  p++;
  for (;;)
    {
      const char *run = p;
      char c;

      p = plain_run (p, r->end);
      if (text != NULL)
        g_string_append_len (text, run, p - run);
      if (p >= r->end || (guchar) *p < 0x20)
        return FALSE;
      if (*p == '"')
        {
          r->p = p + 1;
          return TRUE;
        }
      if (++p >= r->end)
        return FALSE;
      switch (*p)
        {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          {
            int high, low;
            gunichar ch;

            if (r->end - p < 5 || (high = hex4 (p + 1)) <= 0)
              return FALSE;
            p += 5;
            ch = (gunichar) high;
            if (high >= 0xDC00 && high <= 0xDFFF)
              return FALSE;
            if (high >= 0xD800 && high <= 0xDBFF)
              {
                if (r->end - p < 6 || p[0] != '\\' || p[1] != 'u')
                  return FALSE;
                low = hex4 (p + 2);
                if (low < 0xDC00 || low > 0xDFFF)
                  return FALSE;
                ch = 0x10000 + (((gunichar) high - 0xD800) << 10) + ((gunichar) low - 0xDC00);
                p += 6;
              }
            if (text != NULL)
              g_string_append_unichar (text, ch);
            continue;
          }
        default:
          return FALSE;
        }
      if (text != NULL)
        g_string_append_c (text, c);
      p++;
    }
}

static const char *
skip_digits (const char *p,
             const char *end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;
  return p;
}

static gboolean
read_number (Reader *r)
{
  const char *p = r->p, *end = r->end;

  if (p < end && *p == '-')
    p++;
  if (p >= end || !g_ascii_isdigit (*p))
    return FALSE;
  p = *p == '0' ? p + 1 : skip_digits (p, end);
  if (p < end && *p == '.')
    {
      if (++p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      p = skip_digits (p, end);
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      if (++p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      p = skip_digits (p, end);
    }
  r->p = p;
  return TRUE;
}

static gboolean
read_literal (Reader     *r,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return FALSE;
  r->p += len;
  return TRUE;
}

typedef gboolean (*MemberFunc) (Reader     *r,
                                const char *key,
                                gpointer    data);

/* The object at r->p, @member called for each member with the reader at
 * its value (which it must read); NULL @member skips them. */
static gboolean
read_object (Reader     *r,
             MemberFunc  member,
             gpointer    data)
{
  g_autoptr(GString) key = NULL;

  skip_space (r);
  if (r->p >= r->end || *r->p != '{' || ++r->depth > MAX_DEPTH)
    return FALSE;
  r->p++;
  if (!accept (r, '}'))
    {
      key = g_string_new (NULL);
      do
        {
          SimJsonType type;

          g_string_truncate (key, 0);
          skip_space (r);
          if (!read_string (r, key) || !accept (r, ':'))
            return FALSE;
          if (member != NULL ? !member (r, key->str, data) : !read_value (r, &type, NULL))
            return FALSE;
        }
      while (accept (r, ','));
      if (!accept (r, '}'))
        return FALSE;
    }
  r->depth--;
  return TRUE;
}

typedef gboolean (*ElementFunc) (Reader   *r,
                                 gpointer  data);

static gboolean
read_array (Reader      *r,
            ElementFunc  element,
            gpointer     data)
{
  skip_space (r);
  if (r->p >= r->end || *r->p != '[' || ++r->depth > MAX_DEPTH)
    return FALSE;
  r->p++;
  if (!accept (r, ']'))
    {
      do
        {
          SimJsonType type;

          if (element != NULL ? !element (r, data) : !read_value (r, &type, NULL))
            return FALSE;
        }
      while (accept (r, ','));
      if (!accept (r, ']'))
        return FALSE;
    }
  r->depth--;
  return TRUE;
}

/* Any value; a string's text appended to @text when not NULL. */
static gboolean
read_value (Reader      *r,
            SimJsonType *type,
            GString     *text)
{
  skip_space (r);
  if (r->p >= r->end)
    return FALSE;
  switch (*r->p)
    {
    case '"':
      *type = SIM_JSON_STRING;
      return read_string (r, text);
    case '{':
      *type = SIM_JSON_OBJECT;
      return read_object (r, NULL, NULL);
    case '[':
      *type = SIM_JSON_ARRAY;
      return read_array (r, NULL, NULL);
    case 't':
      *type = SIM_JSON_TRUE;
      return read_literal (r, "true");
    case 'f':
      *type = SIM_JSON_FALSE;
      return read_literal (r, "false");
    case 'n':
      *type = SIM_JSON_NULL;
      return read_literal (r, "null");
    default:
      *type = SIM_JSON_NUMBER;
      return read_number (r);
    }
}

/* A value kept only when it is a string (copied as it is when it has no
 * escapes: most have none). */
static gboolean
read_string_value (Reader       *r,
                   SimJsonType  *type,
                   char        **out)
{
  g_autoptr(GString) text = NULL;
  const char *p;

  g_clear_pointer (out, g_free);
  skip_space (r);
  if (r->p < r->end && *r->p == '"')
    {
      p = plain_run (r->p + 1, r->end);
      if (p < r->end && *p == '"')
        {
          *type = SIM_JSON_STRING;
          *out = g_strndup (r->p + 1, p - r->p - 1);
          r->p = p + 1;
          return TRUE;
        }
    }
  text = g_string_new (NULL);
  if (!read_value (r, type, text))
    return FALSE;
  if (*type == SIM_JSON_STRING)
    *out = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

static gboolean
reason_element (Reader   *r,
                gpointer  data)
{
  SimJsonType type;
  char *text = NULL;

  if (!read_string_value (r, &type, &text))
    return FALSE;
  g_ptr_array_add (data, text);
  return TRUE;
}

static gboolean
decision_member (Reader     *r,
                 const char *key,
                 gpointer    data)
{
  SimDecisionIn *d = data;

  for (guint i = 0; i < SIM_N_FIELDS; i++)
    if (strcmp (key, field_names[i]) == 0)
      return read_string_value (r, &d->field_type[i], &d->field[i]);
  if (strcmp (key, "override") == 0)
    return read_value (r, &d->override_type, NULL);
  if (strcmp (key, "reason_codes") == 0)
    {
      g_clear_pointer (&d->reasons, g_ptr_array_unref);
      skip_space (r);
      if (r->p < r->end && *r->p == '[')
        {
          d->reasons_type = SIM_JSON_ARRAY;
          d->reasons = g_ptr_array_new_with_free_func (g_free);
          return read_array (r, reason_element, d->reasons);
        }
      return read_value (r, &d->reasons_type, NULL);
    }
  {
    SimJsonType type;

    return read_value (r, &type, NULL);
  }
}

/* One element of the decisions: an object's members, or any other value. */
static gboolean
read_decision (Reader        *r,
               SimDecisionIn *d)
{
  const char *start;

  memset (d, 0, sizeof *d);
  skip_space (r);
  start = r->p;
  if (r->p < r->end && *r->p == '{')
    {
      d->type = SIM_JSON_OBJECT;
      if (!read_object (r, decision_member, d))
        return FALSE;
      d->body = g_strndup (start, r->p - start);
      return TRUE;
    }
  return read_value (r, &d->type, NULL);
}

static gboolean
decision_element (Reader   *r,
                  gpointer  data)
{
  GArray *decisions = data;
  SimDecisionIn d;

  if (!read_decision (r, &d))
    {
      sim_decision_in_clear (&d);
      return FALSE;
    }
  g_array_append_val (decisions, d);
  return TRUE;
}

typedef struct
{
  GArray *decisions;
  char   *audit;
} Batch;

static gboolean
batch_member (Reader     *r,
              const char *key,
              gpointer    data)
{
  Batch *batch = data;
  SimJsonType type;

  skip_space (r);
  if (strcmp (key, "decisions") == 0)
    {
      g_clear_pointer (&batch->decisions, g_array_unref);
      if (r->p < r->end && *r->p == '[')
        {
          batch->decisions = g_array_sized_new (FALSE, FALSE, sizeof (SimDecisionIn), 64);
          g_array_set_clear_func (batch->decisions, (GDestroyNotify) sim_decision_in_clear);
          return read_array (r, decision_element, batch->decisions);
        }
    }
  else if (strcmp (key, "audit") == 0)
    {
      const char *start = r->p;

      g_clear_pointer (&batch->audit, g_free);
      if (!read_value (r, &type, NULL))
        return FALSE;
      if (type == SIM_JSON_ARRAY)
        batch->audit = g_strndup (start, r->p - start);
      return TRUE;
    }
  return read_value (r, &type, NULL);
}

static gboolean
read_document (Reader     *r,
               const char *text,
               gsize       len)
{
  r->p = text;
  r->end = text + len;
  r->depth = 0;
  return g_utf8_validate_len (text, len, NULL);
}

static gboolean
at_end (Reader *r)
{
  skip_space (r);
  return r->p == r->end;
}

GArray *
sim_json_parse_batch (const char  *text,
                      gsize        len,
                      char       **audit)
{
  Batch batch = { NULL, NULL };
  Reader r;

  *audit = NULL;
  if (!read_document (&r, text, len) || !read_object (&r, batch_member, &batch) || !at_end (&r))
    {
      g_clear_pointer (&batch.decisions, g_array_unref);
      g_free (batch.audit);
      return NULL;
    }
  if (batch.decisions != NULL)
    *audit = batch.audit;
  else
    g_free (batch.audit);
  return batch.decisions;
}

gboolean
sim_json_parse_decision (const char    *text,
                         gsize          len,
                         SimDecisionIn *out)
{
  Reader r;

  memset (out, 0, sizeof *out);
  if (read_document (&r, text, len) && read_decision (&r, out) && at_end (&r))
    return TRUE;
  sim_decision_in_clear (out);
  return FALSE;
}

void
sim_decision_in_clear (SimDecisionIn *d)
{
  g_clear_pointer (&d->body, g_free);
  for (guint i = 0; i < SIM_N_FIELDS; i++)
    g_clear_pointer (&d->field[i], g_free);
  g_clear_pointer (&d->reasons, g_ptr_array_unref);
}

void
sim_json_append_string (GString    *out,
                        const char *text)
{
  const char *run = text;

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '"' || *p == '\\' || (guchar) *p < 0x20)
      {
        g_string_append_len (out, run, p - run);
        if (*p == '"' || *p == '\\')
          {
            g_string_append_c (out, '\\');
            g_string_append_c (out, *p);
          }
        else
          g_string_append_printf (out, "\\u%04x", (guchar) *p);
        run = p + 1;
      }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}
