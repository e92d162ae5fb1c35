/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Validation of the files that integrate bhxh-desk with the desktop and the
 * distributions: the built .desktop and metainfo files, the GSettings schema,
 * the icons, the translations and the packaging manifests. Each check runs
 * the distribution's own validator where one exists. */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

/* The source files carry the release ID; a .Devel build renames the
 * installed copies to APP_ID. */
#define BASE_APP_ID "vn.bhxh.Desk"

/* ---- helpers ------------------------------------------------------------ */

typedef struct
{
  int   status;
  char *out;
  char *err;
} RunResult;

static void
run_result_clear (RunResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs argv (searched in PATH) to completion; fails the test if the program
 * cannot be started at all. */
static void
run (const char * const *argv,
     const char         *cwd,
     RunResult          *r)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  memset (r, 0, sizeof *r);
  if (!g_spawn_sync (cwd, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &r->out, &r->err, &wait_status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  if (g_spawn_check_wait_status (wait_status, &error))
    r->status = 0;
  else if (error->domain == G_SPAWN_EXIT_ERROR)
    r->status = error->code;
  else
    r->status = -1;  /* killed by a signal */
}

static char *
src_path (const char *first, ...)
{
  va_list ap;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *p;

  g_ptr_array_add (parts, (gpointer) TOP_SRCDIR);
  va_start (ap, first);
  for (p = first; p != NULL; p = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

/* A built file that another part of the tree produces; skips the test while
 * that part does not exist yet. */
static char *
require_built (const char *rel)
{
  g_autofree char *path = g_build_filename (TOP_BUILDDIR, rel, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *msg = g_strdup_printf ("%s is not built (yet)", rel);
      g_test_skip (msg);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static void
assert_tool (const char *program)
{
  g_autofree char *found = g_find_program_in_path (program);

  if (found == NULL)
    g_error ("%s is not installed (see .ci/install-deps)", program);
}

/* ---- a small XML reader: every element as "a/b/c", its attributes as
 * "a/b/c@name=value" and its text as "a/b/c=text" ----------------------- */

typedef struct
{
  GString   *path;
  GString   *text;
  GPtrArray *facts;
} XmlFacts;

static void
xml_start_cb (GMarkupParseContext  *context,
              const char           *element,
              const char          **names,
              const char          **values,
              gpointer              user_data,
              GError              **error)
{
  XmlFacts *x = user_data;

  if (x->path->len > 0)
    g_string_append_c (x->path, '/');
  g_string_append (x->path, element);
  g_ptr_array_add (x->facts, g_strdup (x->path->str));
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (x->facts, g_strdup_printf ("%s@%s=%s", x->path->str, names[i], values[i]));
  g_string_truncate (x->text, 0);
}

static void
xml_end_cb (GMarkupParseContext  *context,
            const char           *element,
            gpointer              user_data,
            GError              **error)
{
  XmlFacts *x = user_data;
  const char *slash;
  g_autofree char *text = g_strstrip (g_strdup (x->text->str));

  if (*text != '\0')
    g_ptr_array_add (x->facts, g_strdup_printf ("%s=%s", x->path->str, text));
  g_string_truncate (x->text, 0);
  slash = strrchr (x->path->str, '/');
  g_string_truncate (x->path, slash != NULL ? (gsize) (slash - x->path->str) : 0);
}

static void
xml_text_cb (GMarkupParseContext  *context,
             const char           *text,
             gsize                 len,
             gpointer              user_data,
             GError              **error)
{
  XmlFacts *x = user_data;

  g_string_append_len (x->text, text, len);
}

static GPtrArray *
xml_facts (const char *file)
{
  static const GMarkupParser parser = { xml_start_cb, xml_end_cb, xml_text_cb, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  XmlFacts x = {
    g_string_new (NULL), g_string_new (NULL), g_ptr_array_new_with_free_func (g_free)
  };
  GMarkupParseContext *ctx;

  g_assert_true (g_file_get_contents (file, &contents, &len, &error));
  ctx = g_markup_parse_context_new (&parser, G_MARKUP_IGNORE_QUALIFIED, &x, NULL);
  if (!g_markup_parse_context_parse (ctx, contents, len, &error) ||
      !g_markup_parse_context_end_parse (ctx, &error))
    g_error ("%s is not well-formed XML: %s", file, error->message);
  g_markup_parse_context_free (ctx);
  g_string_free (x.path, TRUE);
  g_string_free (x.text, TRUE);
  return x.facts;
}

static gboolean
has_fact (GPtrArray  *facts,
          const char *fact)
{
  for (guint i = 0; i < facts->len; i++)
    if (g_str_equal (g_ptr_array_index (facts, i), fact))
      return TRUE;
  return FALSE;
}

static guint
count_prefix (GPtrArray  *facts,
              const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < facts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (facts, i), prefix))
      n++;
  return n;
}

/* ---- desktop file ------------------------------------------------------- */

static void
test_desktop_validate (void)
{
  g_autofree char *file = require_built ("data/" APP_ID ".desktop");
  const char *argv[] = { "desktop-file-validate", NULL, NULL };
  RunResult r;

  if (file == NULL)
    return;
  assert_tool (argv[0]);
  argv[1] = file;
  run (argv, NULL, &r);
  if (r.status != 0)
    g_printerr ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.out, "error:"));
  run_result_clear (&r);
}

static void
test_desktop_keys (void)
{
  g_autofree char *file = require_built ("data/" APP_ID ".desktop");
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *categories = NULL;

  if (file == NULL)
    return;
  g_assert_true (g_key_file_load_from_file (kf, file, G_KEY_FILE_KEEP_TRANSLATIONS, &error));
  g_assert_no_error (error);
  icon = g_key_file_get_string (kf, "Desktop Entry", "Icon", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (icon, ==, APP_ID);
  exec = g_key_file_get_string (kf, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (exec, "bhxh-desk"));
  categories = g_key_file_get_string (kf, "Desktop Entry", "Categories", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (categories, !=, "");
}

/* ---- metainfo ----------------------------------------------------------- */

static void
test_metainfo_validate (void)
{
  g_autofree char *file = require_built ("data/" APP_ID ".metainfo.xml");
  const char *argv[] = { "appstreamcli", "validate", "--no-net", "--explain", NULL, NULL };
  RunResult r;

  if (file == NULL)
    return;
  assert_tool (argv[0]);
  argv[4] = file;
  run (argv, NULL, &r);
  if (r.status != 0)
    g_printerr ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  run_result_clear (&r);
}

/* What the issue asks of the metainfo beyond validity: screenshots, release
 * notes for this version, a content rating, the desktop file as launchable. */
static void
test_metainfo_content (void)
{
  g_autofree char *file = require_built ("data/" APP_ID ".metainfo.xml");
  g_autoptr(GPtrArray) facts = NULL;

  if (file == NULL)
    return;
  facts = xml_facts (file);
  g_assert_true (has_fact (facts, "component/id=" APP_ID));
  g_assert_true (has_fact (facts, "component/launchable=" APP_ID ".desktop"));
  g_assert_true (has_fact (facts, "component/metadata_license=CC0-1.0") ||
                 has_fact (facts, "component/metadata_license=FSFAP"));
  g_assert_true (has_fact (facts, "component/project_license=GPL-3.0-or-later"));
  g_assert_cmpuint (count_prefix (facts, "component/screenshots/screenshot/image="), >=, 1);
  g_assert_true (has_fact (facts, "component/releases/release@version=" PACKAGE_VERSION));
  g_assert_cmpuint (count_prefix (facts, "component/releases/release/description"), >=, 1);
  g_assert_true (has_fact (facts, "component/content_rating@type=oars-1.1") ||
                 has_fact (facts, "component/content_rating@type=oars-1.0"));
}

/* ---- GSettings schema --------------------------------------------------- */

static void
test_schemas_compile (void)
{
  g_autofree char *dir = src_path ("data", NULL);
  g_autofree char *schema = src_path ("data", BASE_APP_ID ".gschema.xml", NULL);
  const char *argv[] = { "glib-compile-schemas", "--strict", "--dry-run", dir, NULL };
  g_autoptr(GPtrArray) facts = NULL;
  RunResult r;

  if (!g_file_test (schema, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("no GSettings schema yet");
      return;
    }
  assert_tool (argv[0]);
  run (argv, NULL, &r);
  if (r.status != 0)
    g_printerr ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  run_result_clear (&r);

  facts = xml_facts (schema);
  g_assert_true (has_fact (facts, "schemalist/schema@id=" BASE_APP_ID));
  g_assert_cmpuint (count_prefix (facts, "schemalist/schema/key@name="), >=, 1);
}

/* ---- icons: real drawings of the right size, rendered ------------------- */

static void
check_icon (const char *rel_dir,
            const char *name,
            int         size,
            guint       min_shapes)
{
  g_autofree char *file = src_path ("data", "icons", "hicolor", rel_dir, "apps", name, NULL);
  g_autofree char *size_box = g_strdup_printf ("svg@viewBox=0 0 %d %d", size, size);
  g_autofree char *size_w = g_strdup_printf ("svg@width=%d", size);
  g_autoptr(GPtrArray) facts = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  guint shapes = 0, opaque = 0;
  const guchar *pixels;
  int stride;

  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *msg = g_strdup_printf ("%s not there yet", name);
      g_test_skip (msg);
      return;
    }
  facts = xml_facts (file);
  g_assert_true (has_fact (facts, size_box) || has_fact (facts, size_w));
  for (guint i = 0; i < facts->len; i++)
    {
      const char *f = g_ptr_array_index (facts, i);
      const char *leaf = strrchr (f, '/');

      leaf = leaf != NULL ? leaf + 1 : f;
      if (g_str_equal (leaf, "path") || g_str_equal (leaf, "rect") ||
          g_str_equal (leaf, "circle") || g_str_equal (leaf, "ellipse") ||
          g_str_equal (leaf, "polygon"))
        shapes++;
    }
  g_assert_cmpuint (shapes, >=, min_shapes);

  /* Rendered at its own size, a drawing covers a good part of the canvas but
   * not all of it (a filled square is a placeholder). */
  pixbuf = gdk_pixbuf_new_from_file_at_size (file, size, size, &error);
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      if (pixels[y * stride + x * 4 + 3] > 127)
        opaque++;
  g_test_message ("%s: %u shapes, %u of %d pixels drawn", name, shapes, opaque, size * size);
  g_assert_cmpuint (opaque, >, (guint) (size * size) / 10);
  g_assert_cmpuint (opaque, <, (guint) (size * size) * 95 / 100);
}

static void
test_icons_scalable (void)
{
  check_icon ("scalable", BASE_APP_ID ".svg", 128, 3);
}

static void
test_icons_symbolic (void)
{
  check_icon ("symbolic", BASE_APP_ID "-symbolic.svg", 16, 1);
}

/* ---- translations ------------------------------------------------------- */

static GPtrArray *
po_files (void)
{
  g_autofree char *dir = src_path ("po", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".po"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  return files;
}

static void
test_po_msgfmt (void)
{
  g_autoptr(GPtrArray) files = po_files ();

  assert_tool ("msgfmt");
  g_assert_cmpuint (files->len, >=, 1);
  for (guint i = 0; i < files->len; i++)
    {
      const char *argv[] = { "msgfmt", "--check", "-o", "/dev/null", NULL, NULL };
      RunResult r;

      argv[4] = g_ptr_array_index (files, i);
      run (argv, NULL, &r);
      if (r.status != 0)
        g_printerr ("%s%s", r.out, r.err);
      g_assert_cmpint (r.status, ==, 0);
      run_result_clear (&r);
    }
}

static void
test_po_linguas (void)
{
  g_autofree char *linguas_file = src_path ("po", "LINGUAS", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) files = po_files ();
  g_auto(GStrv) langs = NULL;
  guint n_langs = 0;

  g_assert_true (g_file_get_contents (linguas_file, &contents, NULL, NULL));
  langs = g_regex_split_simple ("\\s+", g_strstrip (contents), 0, 0);
  for (guint i = 0; langs[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *po = NULL;

      if (*langs[i] == '\0' || *langs[i] == '#')
        continue;
      n_langs++;
      name = g_strdup_printf ("%s.po", langs[i]);
      po = src_path ("po", name, NULL);
      if (!g_file_test (po, G_FILE_TEST_IS_REGULAR))
        g_error ("po/LINGUAS lists %s but po/%s does not exist", langs[i], name);
    }
  g_assert_cmpuint (n_langs, ==, files->len);
  g_assert_true (g_strv_contains ((const char * const *) langs, "vi"));
}

/* POTFILES.in entries, comments and blank lines dropped. */
static GPtrArray *
potfiles (void)
{
  g_autofree char *file = src_path ("po", "POTFILES.in", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#' && *line != '[')
        g_ptr_array_add (entries, g_strdup (line));
    }
  return entries;
}

/* C source without its comments and with empty string literals, so that a
 * comment or a string mentioning _() is not taken for a translatable string. */
static char *
strip_c_comments_and_strings (const char *s)
{
  GString *out = g_string_sized_new (strlen (s));

  while (*s != '\0')
    {
      if (s[0] == '/' && s[1] == '*')
        {
          const char *end = strstr (s + 2, "*/");
          s = end != NULL ? end + 2 : s + strlen (s);
          g_string_append_c (out, ' ');
        }
      else if (s[0] == '/' && s[1] == '/')
        s += strcspn (s, "\n");
      else if (*s == '"' || *s == '\'')
        {
          char quote = *s++;

          while (*s != '\0' && *s != quote)
            s += (*s == '\\' && s[1] != '\0') ? 2 : 1;
          if (*s != '\0')
            s++;
          g_string_append_c (out, quote);
          g_string_append_c (out, quote);
        }
      else
        g_string_append_c (out, *s++);
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_translatable_strings (const char *rel,
                          const char *contents)
{

  if (g_str_has_suffix (rel, ".desktop.in") || g_str_has_suffix (rel, ".metainfo.xml.in") ||
      g_str_has_suffix (rel, ".appdata.xml.in"))
    return TRUE;
  if (g_str_has_suffix (rel, ".gschema.xml"))
    return strstr (contents, "gettext-domain") != NULL;
  if (g_str_has_suffix (rel, ".ui") || g_str_has_suffix (rel, ".xml") ||
      g_str_has_suffix (rel, ".blp"))
    return strstr (contents, "translatable=\"yes\"") != NULL ||
           strstr (contents, "translatable='yes'") != NULL ||
           strstr (contents, "_(\"") != NULL;
  if (g_str_has_suffix (rel, ".c") || g_str_has_suffix (rel, ".h") ||
      g_str_has_suffix (rel, ".cpp"))
    {
      g_autofree char *code = strip_c_comments_and_strings (contents);

      /* _( N_( C_( NC_( Q_( and the plural forms, not foo_( */
      return g_regex_match_simple ("(^|[^A-Za-z0-9_])(N?C?_|Q_|g_dngettext|ngettext)\\s*\\(",
                                   code, 0, 0);
    }
  return FALSE;
}

static void
collect_translatable (const char *rel_dir,
                      GPtrArray  *found)
{
  g_autofree char *dir = src_path (rel_dir, NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *rel = g_build_filename (rel_dir, name, NULL);
      g_autofree char *path = g_build_filename (TOP_SRCDIR, rel, NULL);
      g_autofree char *contents = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_translatable (rel, found);
      else if (g_file_get_contents (path, &contents, NULL, NULL) &&
               has_translatable_strings (rel, contents))
        g_ptr_array_add (found, g_steal_pointer (&rel));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
str_in_array (GPtrArray  *array,
              const char *s)
{
  return g_ptr_array_find_with_equal_func (array, s, g_str_equal, NULL);
}

static void
test_potfiles_complete (void)
{
  g_autoptr(GPtrArray) listed = potfiles ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  const char *roots[] = { "src", "ui", "data" };

  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    collect_translatable (roots[i], found);
  g_ptr_array_sort (found, compare_strings);
  g_test_message ("%u files with translatable strings, %u listed", found->len, listed->len);
  for (guint i = 0; i < found->len; i++)
    if (!str_in_array (listed, g_ptr_array_index (found, i)))
      g_string_append_printf (missing, " %s", (const char *) g_ptr_array_index (found, i));
  if (missing->len > 0)
    g_error ("files with translatable strings missing from po/POTFILES.in:%s", missing->str);
}

static void
test_potfiles_exist (void)
{
  g_autoptr(GPtrArray) listed = potfiles ();

  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *path = src_path (g_ptr_array_index (listed, i), NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_error ("po/POTFILES.in lists %s, which does not exist",
                 (const char *) g_ptr_array_index (listed, i));
    }
}

/* Counts from msgfmt --statistics: "N translated messages, M fuzzy
 * translations, K untranslated messages." (the last two may be absent). */
static void
po_statistics (const char *po,
               guint      *translated,
               guint      *fuzzy,
               guint      *untranslated)
{
  const char *argv[] = { "msgfmt", "--statistics", "-o", "/dev/null", po, NULL };
  g_autoptr(GMatchInfo) m = NULL;
  g_autoptr(GRegex) re = g_regex_new ("(\\d+) (translated|fuzzy|untranslated)", 0, 0, NULL);
  RunResult r;

  *translated = *fuzzy = *untranslated = 0;
  run (argv, NULL, &r);
  g_assert_cmpint (r.status, ==, 0);
  for (g_regex_match (re, r.err, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      g_autofree char *n = g_match_info_fetch (m, 1);
      g_autofree char *what = g_match_info_fetch (m, 2);
      guint v = (guint) g_ascii_strtoull (n, NULL, 10);

      if (g_str_equal (what, "translated"))
        *translated = v;
      else if (g_str_equal (what, "fuzzy"))
        *fuzzy = v;
      else
        *untranslated = v;
    }
  run_result_clear (&r);
}

/* Every catalogue translates every message the sources have today: a fresh
 * template is extracted from POTFILES.in (with the keywords of meson's glib
 * preset) and merged into a copy of each .po. */
static void
test_po_complete (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("test-po-XXXXXX", &error);
  g_autofree char *pot = g_build_filename (tmp, "fresh.pot", NULL);
  g_autofree char *potfiles_in = src_path ("po", "POTFILES.in", NULL);
  g_autoptr(GPtrArray) files = po_files ();
  g_autoptr(GPtrArray) listed = potfiles ();
  const char *xgettext[] = {
    "xgettext", "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
    "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3", "--package-name=bhxh-desk",
    "-D", TOP_SRCDIR, "-f", potfiles_in, "-o", pot, NULL
  };
  RunResult r;

  g_assert_no_error (error);
  if (listed->len == 0)
    {
      g_test_skip ("po/POTFILES.in lists no file yet");
      g_rmdir (tmp);
      return;
    }
  assert_tool ("xgettext");
  assert_tool ("msgmerge");
  run (xgettext, NULL, &r);
  if (r.status != 0)
    g_printerr ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  run_result_clear (&r);

  for (guint i = 0; i < files->len; i++)
    {
      const char *po = g_ptr_array_index (files, i);
      g_autofree char *base = g_path_get_basename (po);
      g_autofree char *merged = g_build_filename (tmp, base, NULL);
      const char *msgmerge[] = { "msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged,
                                 po, pot, NULL };
      guint translated, fuzzy, untranslated;

      run (msgmerge, NULL, &r);
      g_assert_cmpint (r.status, ==, 0);
      run_result_clear (&r);
      po_statistics (merged, &translated, &fuzzy, &untranslated);
      g_test_message ("%s: %u translated, %u fuzzy, %u untranslated",
                      base, translated, fuzzy, untranslated);
      if (fuzzy != 0 || untranslated != 0)
        g_error ("%s is incomplete against the sources: %u translated, %u fuzzy, %u untranslated "
                 "(meson compile bhxh-desk-update-po, then translate)",
                 base, translated, fuzzy, untranslated);
      g_remove (merged);
    }
  g_remove (pot);
  g_rmdir (tmp);
}

/* ---- Flatpak manifest --------------------------------------------------- */

static JsonObject *
find_module (JsonArray  *modules,
             const char *name)
{
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *m = json_array_get_object_element (modules, i);

      if (g_str_equal (json_object_get_string_member_with_default (m, "name", ""), name))
        return m;
    }
  return NULL;
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *s)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_str_equal (json_array_get_string_element (array, i), s))
      return TRUE;
  return FALSE;
}

/* Every downloaded source is pinned by a checksum, every git source by a
 * commit. */
static void
assert_sources_pinned (JsonObject *module)
{
  JsonArray *sources = json_object_get_array_member (module, "sources");

  g_assert_nonnull (sources);
  for (guint i = 0; i < json_array_get_length (sources); i++)
    {
      JsonObject *s = json_array_get_object_element (sources, i);
      const char *type = json_object_get_string_member (s, "type");

      if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
        {
          const char *sha = json_object_get_string_member_with_default (s, "sha256", "");

          g_assert_true (g_str_has_prefix (json_object_get_string_member (s, "url"), "https://"));
          g_assert_true (g_regex_match_simple ("^[0-9a-f]{64}$", sha, 0, 0));
        }
      else if (g_str_equal (type, "git"))
        g_assert_true (json_object_has_member (s, "commit") || json_object_has_member (s, "tag"));
    }
}

static void
test_flatpak_manifest (void)
{
  g_autofree char *file = src_path ("packaging", "flatpak", BASE_APP_ID ".json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *m;
  JsonArray *args, *modules, *opts;
  const char *want_args[] = {
    "--socket=wayland", "--socket=fallback-x11", "--share=ipc", "--share=network",
    "--device=all",
  };
  gboolean exports = FALSE;

  json_parser_load_from_file (parser, file, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "id"), ==, BASE_APP_ID);
  g_assert_cmpstr (json_object_get_string_member (root, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (root, "sdk"), ==, "org.gnome.Sdk");
  g_assert_cmpstr (json_object_get_string_member (root, "command"), ==, "bhxh-desk");

  args = json_object_get_array_member (root, "finish-args");
  for (guint i = 0; i < G_N_ELEMENTS (want_args); i++)
    if (!array_has_string (args, want_args[i]))
      g_error ("finish-args lack %s", want_args[i]);
  for (guint i = 0; i < json_array_get_length (args); i++)
    exports |= g_str_has_prefix (json_array_get_string_element (args, i), "--filesystem=");
  g_assert_true (exports);

  modules = json_object_get_array_member (root, "modules");
  m = find_module (modules, "libharu");
  g_assert_nonnull (m);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (m, "buildsystem"), "cmake"));
  assert_sources_pinned (m);
  m = find_module (modules, "zbar");
  g_assert_nonnull (m);
  g_assert_cmpstr (json_object_get_string_member_with_default (m, "buildsystem", "autotools"),
                   ==, "autotools");
  opts = json_object_get_array_member (m, "config-opts");
  g_assert_true (array_has_string (opts, "--without-imagemagick"));
  g_assert_true (array_has_string (opts, "--without-qt"));
  g_assert_true (array_has_string (opts, "--without-gtk"));
  g_assert_true (array_has_string (opts, "--disable-video"));
  assert_sources_pinned (m);
  m = find_module (modules, "libqrencode");
  g_assert_nonnull (m);
  assert_sources_pinned (m);

  /* the application itself comes last, built from this tree with meson */
  m = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  g_assert_cmpstr (json_object_get_string_member (m, "name"), ==, "bhxh-desk");
  g_assert_cmpstr (json_object_get_string_member (m, "buildsystem"), ==, "meson");
}

/* flatpak-builder's own parser, when it is installed (no runtime needed). */
static void
test_flatpak_builder (void)
{
  g_autofree char *file = src_path ("packaging", "flatpak", BASE_APP_ID ".json", NULL);
  g_autofree char *found = g_find_program_in_path ("flatpak-builder");
  const char *argv[] = { "flatpak-builder", "--show-manifest", file, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  RunResult r;

  if (found == NULL)
    {
      g_test_skip ("flatpak-builder is not installed");
      return;
    }
  run (argv, NULL, &r);
  if (r.status != 0)
    g_printerr ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  /* it prints the manifest back as JSON, modules resolved */
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  run_result_clear (&r);
}

/* ---- Debian packaging (static; the build itself is the "deb" test) ------ */

static void
test_debian_static (void)
{
  g_autofree char *dir = src_path ("packaging", "debian", NULL);
  g_autofree char *changelog = g_build_filename (dir, "changelog", NULL);
  g_autofree char *rules = g_build_filename (dir, "rules", NULL);
  g_autofree char *copyright = g_build_filename (dir, "copyright", NULL);
  g_autofree char *contents = NULL;
  const char *parse[] = { "dpkg-parsechangelog", "-l", changelog, "-S", "Version", NULL };
  RunResult r;

  g_assert_true (g_file_test (rules, G_FILE_TEST_IS_EXECUTABLE));
  assert_tool ("dpkg-parsechangelog");
  run (parse, NULL, &r);
  g_assert_cmpint (r.status, ==, 0);
  /* the package's upstream version is the project's */
  g_assert_true (g_str_has_prefix (r.out, PACKAGE_VERSION "-"));
  run_result_clear (&r);

  g_assert_true (g_file_get_contents (copyright, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents,
                 "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"));
  g_assert_nonnull (strstr (contents, "License: GPL-3.0-or-later"));
}

/* The names Build-Depends lists, without versions, alternatives' bars,
 * architectures or build profiles. */
static GPtrArray *
build_depends (void)
{
  g_autofree char *control = src_path ("packaging", "debian", "control", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GRegex) field = g_regex_new ("^Build-Depends:((?:.*\\n?(?:[ \\t].*\\n?)*))",
                                         G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  g_autofree char *value = NULL;
  g_auto(GStrv) items = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (control, &contents, NULL, NULL));
  g_assert_true (g_regex_match (field, contents, 0, &m));
  value = g_match_info_fetch (m, 1);
  items = g_regex_split_simple ("[,|]", value, 0, 0);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *name = g_strstrip (items[i]);

      name[strcspn (name, " \t\n(<[:")] = '\0';
      if (*name != '\0')
        g_ptr_array_add (names, g_strdup (name));
    }
  return names;
}

/* Every meson.build of the tree, build directories left out. */
static void
collect_meson_files (const char *rel_dir,
                     GPtrArray  *found)
{
  g_autofree char *dir = src_path (rel_dir, NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *rel = g_build_filename (rel_dir, name, NULL);
      g_autofree char *path = g_build_filename (TOP_SRCDIR, rel, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (*name != '.' && *name != '_' && !g_str_has_prefix (name, "build") &&
              !g_str_equal (name, "subprojects"))
            collect_meson_files (rel, found);
        }
      else if (g_str_equal (name, "meson.build"))
        g_ptr_array_add (found, g_steal_pointer (&path));
    }
}

/* The Debian package that owns a file (dpkg -S), or NULL. */
static char *
owning_package (const char *path_or_pattern)
{
  const char *argv[] = { "dpkg-query", "-S", path_or_pattern, NULL };
  RunResult r;
  char *package = NULL;

  run (argv, NULL, &r);
  if (r.status == 0)
    package = g_strndup (r.out, strcspn (r.out, ":,"));
  run_result_clear (&r);
  return package;
}

/* The libraries the build asks meson for, as "dependency:NAME" or
 * "find_library:NAME": every meson.build of the tree, optional ones (with a
 * fallback) and the C library's libm left out. */
static GPtrArray *
meson_libraries (void)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRegex) call = g_regex_new ("(dependency|find_library)\\(\\s*'([^']+)'([^)]*)",
                                        0, 0, NULL);
  GPtrArray *libs = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (files, src_path ("meson.build", NULL));
  collect_meson_files ("src", files);
  collect_meson_files ("tests", files);
  collect_meson_files ("bench", files);
  collect_meson_files ("data", files);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GMatchInfo) m = NULL;

      g_assert_true (g_file_get_contents (g_ptr_array_index (files, i), &contents, NULL, NULL));
      for (g_regex_match (call, contents, 0, &m); g_match_info_matches (m);
           g_match_info_next (m, NULL))
        {
          g_autofree char *kind = g_match_info_fetch (m, 1);
          g_autofree char *name = g_match_info_fetch (m, 2);
          g_autofree char *rest = g_match_info_fetch (m, 3);
          g_autofree char *lib = g_strdup_printf ("%s:%s", kind, name);

          if (strstr (rest, "required: false") == NULL && !g_str_equal (name, "m") &&
              !str_in_array (libs, lib))
            g_ptr_array_add (libs, g_steal_pointer (&lib));
        }
    }
  return libs;
}

/* Each library the build asks meson for comes from a package that
 * debian/control's Build-Depends lists, so the package build cannot break on
 * a clean machine when someone adds one. */
static void
test_debian_build_depends (void)
{
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) libs = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autofree char *dpkg_query = g_find_program_in_path ("dpkg-query");
  guint checked = 0;

  if (dpkg_query == NULL)
    {
      g_test_skip ("not a Debian system");
      return;
    }
  assert_tool ("pkg-config");
  listed = build_depends ();
  libs = meson_libraries ();
  for (guint i = 0; i < libs->len; i++)
    {
      const char *lib = g_ptr_array_index (libs, i);
      const char *name = strchr (lib, ':') + 1;
      g_autofree char *file = NULL;
      g_autofree char *package = NULL;

      if (g_str_has_prefix (lib, "dependency:"))
        {
          const char *argv[] = { "pkg-config", "--path", name, NULL };
          RunResult r;

          run (argv, NULL, &r);
          if (r.status == 0)
            file = g_strdup (g_strstrip (r.out));
          run_result_clear (&r);
        }
      else
        file = g_strdup_printf ("*/lib%s.so", name);
      if (file == NULL)
        {
          g_test_message ("%s is not installed here: not checked", name);
          continue;
        }
      package = owning_package (file);
      g_test_message ("%s -> %s", lib, package ? package : "(no package)");
      checked++;
      if (package == NULL || !str_in_array (listed, package))
        g_string_append_printf (missing, " %s (for %s)", package ? package : file, name);
    }
  g_assert_cmpuint (checked, >=, 10);
  if (missing->len > 0)
    g_error ("packaging/debian/control's Build-Depends lacks:%s", missing->str);
}

/* The Flatpak builds, as modules, every library the GNOME runtime lacks: a
 * library the meson files ask for is either in the runtime (this list, GNOME
 * 44) or built by the module named here. */
static void
test_flatpak_modules (void)
{
  static const char * const in_runtime[] = {
    "glib-2.0", "gio-2.0", "gobject-2.0", "gio-unix-2.0", "gmodule-2.0", "gdk-pixbuf-2.0", "gtk4",
    "gtk4-unix-print", "libadwaita-1", "json-glib-1.0", "sqlite3", "libcurl", "libsoup-3.0",
    "gstreamer-1.0", "gstreamer-app-1.0", "gstreamer-video-1.0", "libcrypto", "libjpeg",
    "libopenjp2", "epoxy", NULL
  };
  static const char * const modules[][2] = {
    { "zbar", "zbar" }, { "libqrencode", "libqrencode" }, { "zxing", "zxing-cpp" },
    { "libsodium", "libsodium" }, { "hpdf", "libharu" }, { "xlsxwriter", "libxlsxwriter" },
    { "libpcsclite", "pcsc-lite" },
  };
  g_autofree char *file = src_path ("packaging", "flatpak", BASE_APP_ID ".json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) libs = meson_libraries ();
  g_autoptr(GString) missing = g_string_new (NULL);
  JsonArray *manifest_modules;

  json_parser_load_from_file (parser, file, &error);
  g_assert_no_error (error);
  manifest_modules = json_object_get_array_member (json_node_get_object (json_parser_get_root
                                                                         (parser)), "modules");
  for (guint i = 0; i < libs->len; i++)
    {
      const char *name = strchr (g_ptr_array_index (libs, i), ':') + 1;
      const char *module = NULL;

      if (g_strv_contains (in_runtime, name))
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (modules); j++)
        if (g_str_equal (modules[j][0], name))
          module = modules[j][1];
      if (module == NULL || find_module (manifest_modules, module) == NULL)
        g_string_append_printf (missing, " %s", name);
      else
        g_test_message ("%s -> module %s", name, module);
    }
  if (missing->len > 0)
    g_error ("the Flatpak manifest builds no module for:%s (add one, or list the library as "
             "in the runtime in this test)", missing->str);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/desktop/validate", test_desktop_validate);
  g_test_add_func ("/desktop/keys", test_desktop_keys);
  g_test_add_func ("/metainfo/validate", test_metainfo_validate);
  g_test_add_func ("/metainfo/content", test_metainfo_content);
  g_test_add_func ("/schemas/compile", test_schemas_compile);
  g_test_add_func ("/icons/scalable", test_icons_scalable);
  g_test_add_func ("/icons/symbolic", test_icons_symbolic);
  g_test_add_func ("/po/msgfmt", test_po_msgfmt);
  g_test_add_func ("/po/linguas", test_po_linguas);
  g_test_add_func ("/po/complete", test_po_complete);
  g_test_add_func ("/potfiles/complete", test_potfiles_complete);
  g_test_add_func ("/potfiles/exist", test_potfiles_exist);
  g_test_add_func ("/flatpak/manifest", test_flatpak_manifest);
  g_test_add_func ("/flatpak/builder", test_flatpak_builder);
  g_test_add_func ("/flatpak/modules", test_flatpak_modules);
  g_test_add_func ("/debian/static", test_debian_static);
  g_test_add_func ("/debian/build-depends", test_debian_build_depends);

  return g_test_run ();
}
