/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Declaration | document | mirror side by side. A level is always shown
 * three ways (icon, words, colour) and differing characters are marked,
 * so a diacritics difference stands out even to a tired eye. */
#include "config.h"

#include "bhxh-gui-util.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-compare.h"
#include "core/bhxh-id.h"
#include "core/bhxh-text.h"

#include "bhxh-compare-page.h"
#include "bhxh-portrait-pair.h"
#include "bhxh-text-diff.h"

struct _BhxhComparePage
{
  GtkWidget              parent_instance;

  GtkWidget             *back_button;
  GtkLabel              *name_label;
  GtkLabel              *subtitle_label;
  GtkWidget             *minor_badge;
  GtkLabel              *days_badge;
  GtkWidget             *verdict_box;
  GtkImage              *verdict_icon;
  GtkLabel              *verdict_label;
  GtkWidget             *reasons_box;
  GtkSpinner            *spinner;
  BhxhPortraitPair      *portrait_pair;
  GtkLabel              *document_hint;
  GtkLabel              *claim_label;
  GtkLabel              *office_label;
  GtkLabel              *escalation_label;
  GtkScrolledWindow     *scroller;
  GtkGrid               *fields_grid;
  GtkWidget             *warnings_box;
  GtkWidget             *warnings_list;
  AdwPreferencesGroup   *details_group;
  GPtrArray             *detail_rows;   /* (element-type AdwActionRow): kept, hidden when unused */
  GPtrArray             *field_rows;    /* (element-type FieldRow): kept, hidden when unused */

  BhxhCounter           *counter;
  GCancellable          *cancellable;
  GCancellable          *claim_cancellable;

  BhxhDeclarationObject *object;
  BhxhDocument          *document;
  BhxhCheck             *check;
};

enum {
  CHECKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhComparePage, bhxh_compare_page, GTK_TYPE_WIDGET)

static const char *
field_title (const char *field)
{
  static const struct { const char *field; const char *title; } titles[] = {
    { "full_name", N_("Full name") },
    { "id_number", N_("ID number") },
    { "birth_date", N_("Date of birth") },
    { "sex", N_("Sex") },
    { "bhxh_code", N_("Mã số BHXH") },
    { "address", N_("Address") },
    { "old_id_number", N_("Old ID number") },
    { "guardian_bhxh_code", N_("Guardian’s mã số BHXH") },
    { "guardian_id_number", N_("Guardian’s ID number") },
    { "guardian_name", N_("Parent or guardian") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (field, titles[i].field) == 0)
      return _(titles[i].title);
  return field;
}

static void
level_presentation (BhxhLevel    level,
                    const char **icon,
                    const char **words,
                    const char **css)
{
  switch (level)
    {
    case BHXH_LEVEL_MATCH:
      *icon = "emblem-ok-symbolic", *words = _("Match"), *css = "level-match";
      break;
    case BHXH_LEVEL_EQUIVALENT:
      *icon = "emblem-ok-symbolic", *words = _("Same, written differently"), *css = "level-match";
      break;
    case BHXH_LEVEL_PARTIAL:
      *icon = "dialog-information-symbolic", *words = _("Partly known"), *css = "level-partial";
      break;
    case BHXH_LEVEL_DIACRITICS:
      *icon = "dialog-warning-symbolic", *words = _("Diacritics differ"), *css = "level-diacritics";
      break;
    case BHXH_LEVEL_MISSING:
      *icon = "dialog-question-symbolic", *words = _("Missing"), *css = "level-missing";
      break;
    case BHXH_LEVEL_MISMATCH:
    default:
      *icon = "dialog-error-symbolic", *words = _("Does not match"), *css = "level-mismatch";
      break;
    }
}

static void
verdict_presentation (BhxhVerdict  verdict,
                      const char **icon,
                      const char **title,
                      const char **css)
{
  switch (verdict)
    {
    case BHXH_VERDICT_CAN_APPROVE:
      *icon = "emblem-ok-symbolic", *title = _("Can be approved"), *css = "can-approve";
      break;
    case BHXH_VERDICT_NEEDS_ATTENTION:
      *icon = "dialog-warning-symbolic", *title = _("Needs your attention"), *css = "attention";
      break;
    case BHXH_VERDICT_BLOCKED:
    default:
      *icon = "dialog-error-symbolic", *title = _("Blocked: cannot be approved as it is");
      *css = "blocked";
      break;
    }
}

/* The page is filled again for every check (twice a scan: "Checking…",
 * then the verdict). Its widgets are made once and updated in place, and
 * a text is set only when it changed: a scan costs no widget creation, no
 * style lookup and no relayout of the rows that stay the same. */

static void
label_update (GtkLabel   *label,
              const char *text,
              gboolean    markup)
{
  if (gtk_label_get_use_markup (label) == markup &&
      g_strcmp0 (gtk_label_get_label (label), text) == 0)
    return;
  if (markup)
    gtk_label_set_markup (label, text);
  else
    gtk_label_set_text (label, text);
}

static void
image_update (GtkImage   *image,
              const char *icon_name)
{
  if (gtk_image_get_storage_type (image) != GTK_IMAGE_ICON_NAME ||
      g_strcmp0 (gtk_image_get_icon_name (image), icon_name) != 0)
    gtk_image_set_from_icon_name (image, icon_name);
}

static void
css_class_update (GtkWidget  *widget,
                  const char *css_class,
                  gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

/* Swaps the one class of a set that @widget carries (static strings). */
static void
css_choice_update (GtkWidget  *widget,
                   const char *css)
{
  const char *old = g_object_get_data (G_OBJECT (widget), "bhxh-css-choice");

  if (g_strcmp0 (old, css) == 0)
    return;
  if (old != NULL)
    gtk_widget_remove_css_class (widget, old);
  if (css != NULL)
    gtk_widget_add_css_class (widget, css);
  g_object_set_data (G_OBJECT (widget), "bhxh-css-choice", (gpointer) css);
}

/* An icon beside words that may wrap. A grid, not a horizontal box: a box
 * asks a wrapping label for its width at a given height, which GTK answers
 * by laying the text out again and again (a binary search); a grid asks
 * the width first, then the height for that width, as the page flows. */
static GtkWidget *
icon_line_new (void)
{
  GtkWidget *box = gtk_grid_new ();
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_grid_set_column_spacing (GTK_GRID (box), 8);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  /* The icon stays beside the first line when the words wrap. */
  gtk_widget_set_valign (image, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_set_margin_top (image, 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_grid_attach (GTK_GRID (box), image, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (box), label, 1, 0, 1, 1);
  return box;
}

/* @css: (nullable): a static string */
static void
icon_line_update (GtkWidget  *line,
                  const char *icon_name,
                  const char *text,
                  const char *css)
{
  image_update (GTK_IMAGE (gtk_widget_get_first_child (line)), icon_name);
  label_update (GTK_LABEL (gtk_widget_get_last_child (line)), text, FALSE);
  css_choice_update (line, css);
  gtk_widget_set_visible (line, TRUE);
}

/* The line after @previous in @box (the first with %NULL), made when
 * there is none yet. */
static GtkWidget *
box_next_line (GtkWidget *box,
               GtkWidget *previous)
{
  GtkWidget *line = previous != NULL ? gtk_widget_get_next_sibling (previous)
                                     : gtk_widget_get_first_child (box);

  if (line == NULL)
    {
      line = icon_line_new ();
      gtk_box_append (GTK_BOX (box), line);
    }
  return line;
}

/* Hides the lines of @box after @last (all with %NULL). */
static void
box_hide_after (GtkWidget *box,
                GtkWidget *last)
{
  for (GtkWidget *line = last != NULL ? gtk_widget_get_next_sibling (last)
                                      : gtk_widget_get_first_child (box);
       line != NULL; line = gtk_widget_get_next_sibling (line))
    gtk_widget_set_visible (line, FALSE);
}

static gboolean
equivalent_text (const char *a,
                 const char *b)
{
  g_autofree char *ka = NULL;
  g_autofree char *kb = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  ka = bhxh_text_equivalence_key (a);
  kb = bhxh_text_equivalence_key (b);
  return g_strcmp0 (ka, kb) == 0;
}

/* The check carries values as stored (ISO dates, "male"): show them the
 * way the clerk reads them on the card. */
static char *
display_value (const char *field,
               const char *value)
{
  BhxhDate date;
  BhxhSex sex;

  if (value == NULL)
    return NULL;
  if (g_str_has_suffix (field, "date") && bhxh_date_parse (value, &date, NULL))
    return bhxh_date_to_display (&date);
  if (g_str_equal (field, "sex") && bhxh_sex_parse (value, &sex))
    return g_strdup (bhxh_sex_to_display (sex));
  return g_strdup (value);
}

/* A comparison row: the field, its three values and its level. */
typedef struct
{
  GtkWidget *title;
  GtkWidget *values[3];    /* declaration, document, mirror */
  GtkWidget *level;        /* an icon line */
} FieldRow;

static void
field_row_set_visible (FieldRow *row,
                       gboolean  visible)
{
  gtk_widget_set_visible (row->title, visible);
  for (guint c = 0; c < G_N_ELEMENTS (row->values); c++)
    gtk_widget_set_visible (row->values[c], visible);
  gtk_widget_set_visible (row->level, visible);
}

static FieldRow *
field_row_new (GtkGrid *grid,
               int      row)
{
  FieldRow *self = g_new0 (FieldRow, 1);

  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_widget_add_css_class (self->title, "field-title");
  gtk_grid_attach (grid, self->title, 0, row, 1, 1);
  for (guint c = 0; c < G_N_ELEMENTS (self->values); c++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "value");
      gtk_grid_attach (grid, label, c + 1, row, 1, 1);
      self->values[c] = label;
    }
  self->level = icon_line_new ();
  gtk_widget_set_valign (self->level, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->level, "level");
  gtk_grid_attach (grid, self->level, 4, row, 1, 1);
  return self;
}

/* A value cell: the text, its differing characters marked against the
 * declared value when the field's level says they matter. */
static void
value_cell_update (GtkWidget            *cell,
                   const char           *raw_value,
                   const char           *raw_declared,
                   const BhxhFieldCheck *field,
                   gboolean              is_declared)
{
  g_autofree char *value = display_value (field->field, raw_value);
  g_autofree char *declared = display_value (field->field, raw_declared);
  GtkLabel *label = GTK_LABEL (cell);
  gboolean mark = !is_declared && !field->advisory && field->level >= BHXH_LEVEL_DIACRITICS &&
                  value != NULL && declared != NULL && !equivalent_text (value, declared);
  gboolean empty = value == NULL || value[0] == '\0';

  css_class_update (cell, "dim-label", empty);
  if (empty)
    {
      label_update (label, "—", FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Not given"), -1);
    }
  else if (mark)
    {
      guint n_marked = 0;
      gboolean names = g_strcmp0 (field->field, "full_name") == 0;
      g_autofree char *markup = bhxh_text_diff_markup (declared, value, names, &n_marked);
      g_autofree char *a11y = g_strdup_printf (ngettext ("%s (%u character differs)",
                                                         "%s (%u characters differ)",
                                                         n_marked),
                                               value, n_marked);

      label_update (label, markup, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      a11y, -1);
    }
  else
    {
      label_update (label, value, FALSE);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
}

static void
level_cell_update (GtkWidget            *cell,
                   const BhxhFieldCheck *field)
{
  const char *icon, *words, *css;
  g_autofree char *text = NULL;

  level_presentation (field->level, &icon, &words, &css);
  text = field->advisory ? g_strdup_printf (_("%s (for information)"), words) : g_strdup (words);
  icon_line_update (cell, icon, text, css);
  if (g_strcmp0 (gtk_widget_get_tooltip_text (cell), bhxh_level_describe (field->level)) != 0)
    gtk_widget_set_tooltip_text (cell, bhxh_level_describe (field->level));
}

static GtkWidget *
header_cell_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
fill_fields (BhxhComparePage *self)
{
  guint n = self->check != NULL ? self->check->fields->len : 0;

  for (guint i = 0; i < n; i++)
    {
      const BhxhFieldCheck *field = g_ptr_array_index (self->check->fields, i);
      FieldRow *row;

      if (i == self->field_rows->len)
        g_ptr_array_add (self->field_rows, field_row_new (self->fields_grid, i + 1));
      row = g_ptr_array_index (self->field_rows, i);
      label_update (GTK_LABEL (row->title), field_title (field->field), FALSE);
      value_cell_update (row->values[0], field->declared, field->declared, field, TRUE);
      value_cell_update (row->values[1], field->document, field->declared, field, FALSE);
      value_cell_update (row->values[2], field->mirror, field->declared, field, FALSE);
      level_cell_update (row->level, field);
      field_row_set_visible (row, TRUE);
    }
  for (guint i = n; i < self->field_rows->len; i++)
    field_row_set_visible (g_ptr_array_index (self->field_rows, i), FALSE);
}

static void
fill_verdict (BhxhComparePage *self)
{
  const char *icon, *title, *css;
  GtkWidget *line = NULL;

  if (self->check == NULL)
    {
      box_hide_after (self->reasons_box, NULL);
      css_choice_update (self->verdict_box, NULL);
      image_update (self->verdict_icon, "content-loading-symbolic");
      label_update (self->verdict_label, _("Checking…"), FALSE);
      return;
    }

  verdict_presentation (self->check->verdict, &icon, &title, &css);
  image_update (self->verdict_icon, icon);
  label_update (self->verdict_label, title, FALSE);
  css_choice_update (self->verdict_box, css);

  for (guint i = 0; i < self->check->reasons->len; i++)
    {
      const BhxhReason *reason = g_ptr_array_index (self->check->reasons, i);
      const char *reason_icon = "dialog-information-symbolic";

      if (reason->severity == BHXH_SEVERITY_BLOCK)
        reason_icon = "dialog-error-symbolic";
      else if (reason->severity == BHXH_SEVERITY_ATTENTION)
        reason_icon = "dialog-warning-symbolic";

      line = box_next_line (self->reasons_box, line);
      icon_line_update (line, reason_icon, reason->message, NULL);
    }
  box_hide_after (self->reasons_box, line);
}

static GtkWidget *
add_warning_lines (BhxhComparePage *self,
                   GtkWidget       *line,
                   BhxhIdWarnings   warnings,
                   const char      *source)
{
  for (guint bit = 1; bit <= BHXH_ID_WARNING_LAST; bit <<= 1)
    {
      g_autofree char *text = NULL;

      if ((warnings & bit) == 0)
        continue;
      text = g_strdup_printf ("%s: %s", source, bhxh_id_warning_describe (bit));
      line = box_next_line (self->warnings_list, line);
      icon_line_update (line, "dialog-warning-symbolic", text, "level-diacritics");
    }
  return line;
}

static void
fill_warnings (BhxhComparePage *self)
{
  const BhxhDeclaration *d = bhxh_declaration_object_get_declaration (self->object);
  BhxhIdWarnings declared = BHXH_ID_WARNING_NONE;
  BhxhIdWarnings scanned = self->document != NULL ? self->document->warnings
                                                  : BHXH_ID_WARNING_NONE;

  GtkWidget *line = NULL;

  if (d->id_number != NULL && bhxh_id_number_is_valid (d->id_number))
    declared = bhxh_id_number_check (d->id_number, &d->birth_date, d->sex);
  line = add_warning_lines (self, line, declared, _("Declared number"));
  if (scanned != declared)
    line = add_warning_lines (self, line, scanned & ~declared, _("Number on the document"));
  box_hide_after (self->warnings_list, line);
  gtk_widget_set_visible (self->warnings_box, (declared | scanned) != BHXH_ID_WARNING_NONE);
}

/* The details shown so far while filling them: the rows are kept in
 * order and the next one is reused. */
typedef struct
{
  BhxhComparePage *page;
  guint            n;
} Details;

static void
add_detail (Details    *details,
            const char *title,
            const char *value)
{
  BhxhComparePage *self = details->page;
  GtkWidget *row;

  if (value == NULL || value[0] == '\0')
    return;
  if (details->n == self->detail_rows->len)
    {
      row = adw_action_row_new ();
      /* Text to read, nothing to do: not a focus stop (the page followed the
       * focus down to it and hid the verdict). */
      gtk_widget_set_focusable (row, FALSE);
      adw_preferences_group_add (self->details_group, row);
      g_ptr_array_add (self->detail_rows, row);
    }
  row = g_ptr_array_index (self->detail_rows, details->n++);
  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), value) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_set_visible (row, TRUE);
}

static void
add_detail_date (Details         *self,
                 const char      *title,
                 const BhxhDate  *date)
{
  g_autofree char *text = bhxh_date_is_set (date) ? bhxh_date_to_display (date) : NULL;

  add_detail (self, title, text);
}

static void
add_detail_time (Details         *self,
                 const char      *title,
                 GDateTime       *time)
{
  g_autofree char *text = time != NULL ? g_date_time_format (time, "%d/%m/%Y %H:%M") : NULL;

  add_detail (self, title, text);
}

static void
fill_details (BhxhComparePage *self)
{
  const BhxhDeclaration *d = bhxh_declaration_object_get_declaration (self->object);
  g_autofree char *certificate = NULL;
  g_autofree char *guardian = NULL;
  Details details = { self, 0 };

  add_detail (&details, _("Request"), bhxh_kind_to_display (d->kind));
  add_detail (&details, _("Declaration number"), d->id);
  add_detail_time (&details, _("Submitted"), d->submitted_at);
  add_detail_time (&details, _("Confirmed by the citizen"), d->confirmed_at);
  add_detail_date (&details, d->kind == BHXH_KIND_STOP ? _("Stop from") : _("Start from"),
                   &d->start_date);
  if (d->kind == BHXH_KIND_REGISTER)
    add_detail (&details, _("Channel"),
                g_strcmp0 (d->channel, "ivan") == 0 ? _("Through an I-VAN provider")
                                                    : _("BHXH portal"));
  add_detail (&details, _("I-VAN provider"), d->ivan_name);
  add_detail (&details, _("Reason for stopping"), d->stop_reason);
  add_detail (&details, _("Papers handed in"),
              g_strcmp0 (d->handin, "post") == 0 ? _("By public postal service")
                                                 : _("At the counter"));
  add_detail (&details, _("Contact person"), d->contact_person);
  add_detail (&details, _("E-mail"), d->email);
  add_detail (&details, _("Mobile phone"), d->phone);
  if (d->cert_number != NULL)
    {
      g_autofree char *from = bhxh_date_to_display (&d->cert_valid_from);
      g_autofree char *to = bhxh_date_to_display (&d->cert_valid_to);

      certificate = g_strdup_printf (_("%s, issued by %s, valid %s – %s"), d->cert_number,
                                     d->cert_issuer != NULL ? d->cert_issuer : "?", from, to);
    }
  add_detail (&details, _("Digital certificate"), certificate);
  if (d->guardian_bhxh_code != NULL || d->guardian_id_number != NULL)
    guardian = g_strdup_printf (_("Mã số BHXH %s, ID number %s"),
                                d->guardian_bhxh_code != NULL ? d->guardian_bhxh_code : "—",
                                d->guardian_id_number != NULL ? d->guardian_id_number : "—");
  add_detail (&details, _("Parent or guardian"), guardian);
  add_detail (&details, _("Employer (batch)"), d->employer);
  add_detail (&details, _("Receiving office"), d->office_code);
  for (guint i = details.n; i < self->detail_rows->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->detail_rows, i), FALSE);
}

static void
fill_header (BhxhComparePage *self)
{
  const BhxhDeclaration *d = bhxh_declaration_object_get_declaration (self->object);
  g_autofree char *days = bhxh_declaration_object_dup_days_label (self->object);
  g_autofree char *subtitle = NULL;
  int days_left = bhxh_declaration_object_get_days_left (self->object);
  gboolean open = bhxh_declaration_object_is_open (self->object);

  label_update (self->name_label, d->full_name, FALSE);
  subtitle = g_strdup_printf ("%s · %s · %s", bhxh_kind_to_display (d->kind), d->id,
                              bhxh_status_to_display (d->status));
  label_update (self->subtitle_label, subtitle, FALSE);
  gtk_widget_set_visible (self->minor_badge, bhxh_declaration_object_get_minor (self->object));

  if (open && d->confirmed_at != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s left"), days);

      label_update (self->days_badge, days_left > 0 ? text : days, FALSE);
      css_choice_update (GTK_WIDGET (self->days_badge),
                         days_left <= 0 ? "error" : days_left <= 3 ? "warning" : NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->days_badge), open && d->confirmed_at != NULL);
}

static void
fill_document_hint (BhxhComparePage *self)
{
  const char *text;

  if (self->document == NULL &&
      g_strcmp0 (bhxh_declaration_object_get_declaration (self->object)->handin, "post") == 0)
    text = _("Handed in by post: type the ID number from the copy received (Ctrl+D), or "
             "scan the card if the person came in.");
  else if (self->document == NULL)
    text = bhxh_declaration_object_get_minor (self->object)
         ? _("No document yet: scan the birth certificate, or enter it by hand (Ctrl+B).")
         : _("No document yet: scan the citizen’s ID card with the scanner or the camera.");
  else if (self->document->kind == BHXH_DOCUMENT_BIRTH_CERTIFICATE)
    text = _("Compared with the birth certificate.");
  else if (self->document->kind == BHXH_DOCUMENT_ID_CARD_OTHER &&
           bhxh_declaration_object_get_minor (self->object))
    text = _("A code without the ID card layout was read (a birth certificate?): only its "
             "identification number was used. Enter the rest of the birth certificate "
             "(Ctrl+B) to compare it.");
  else if (self->document->kind == BHXH_DOCUMENT_POST_COPY)
    text = _("Compared with the ID number typed from the copy received by post.");
  else if (self->document->kind == BHXH_DOCUMENT_ID_CARD_OTHER)
    text = _("Card read in an unknown layout: only its ID number could be used. Compare "
             "the other fields with the card itself.");
  else if (bhxh_document_is_chip_verified (self->document))
    text = _("Chip verified: compared with the data on the card’s chip, signed by the "
             "issuing authority.");
  else if (self->document->kind == BHXH_DOCUMENT_CCCD_CHIP)
    text = _("Chip read but not authenticated: compare as for a QR only, and see the "
             "reasons below.");
  else
    text = _("QR only (not authenticated): compared with the chip ID card (CCCD) just "
             "scanned.");
  label_update (self->document_hint, text, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->document_hint), TRUE);
  css_class_update (GTK_WIDGET (self->document_hint), "waiting", self->document == NULL);
}

static void
refresh (BhxhComparePage *self)
{
  if (self->object == NULL)
    return;
  fill_header (self);
  fill_verdict (self);
  fill_document_hint (self);
  fill_fields (self);
  fill_warnings (self);
  fill_details (self);
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BhxhComparePage) self = user_data;
  g_autoptr(GError) error = NULL;
  BhxhCheck *check = bhxh_counter_check_finish (BHXH_COUNTER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  g_clear_pointer (&self->check, bhxh_check_free);
  self->check = check;
  refresh (self);
  if (error != NULL)
    {
      image_update (self->verdict_icon, "dialog-error-symbolic");
      label_update (self->verdict_label, error->message, FALSE);
      css_choice_update (self->verdict_box, "blocked");
    }
  g_signal_emit (self, signals[CHECKED], 0);
}

static void
start_check (BhxhComparePage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_pointer (&self->check, bhxh_check_free);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  refresh (self);
  /* The service checks the declaration as stored, on the day of the
   * check (not of the sign-in). */
  bhxh_counter_check_async (self->counter, bhxh_declaration_object_get_id (self->object),
                            self->document, self->cancellable, check_cb, g_object_ref (self));
}

static void
bhxh_compare_page_dispose (GObject *object)
{
  BhxhComparePage *self = (BhxhComparePage *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->claim_cancellable);
  g_clear_object (&self->claim_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BHXH_TYPE_COMPARE_PAGE);
  _bhxh_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->cancellable);
  g_clear_object (&self->counter);
  g_clear_object (&self->object);
  g_clear_pointer (&self->document, bhxh_document_free);
  g_clear_pointer (&self->check, bhxh_check_free);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (bhxh_compare_page_parent_class)->dispose (object);
}

static void
bhxh_compare_page_class_init (BhxhComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_compare_page_dispose;

  signals[CHECKED] = g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (BHXH_TYPE_PORTRAIT_PAIR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/bhxh/Desk/bhxh-compare-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, back_button);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, minor_badge);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, days_badge);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, reasons_box);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, portrait_pair);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, document_hint);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, claim_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, office_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, escalation_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, fields_grid);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, BhxhComparePage, details_group);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bhxh_compare_page_init (BhxhComparePage *self)
{
  const char *headers[] = { _("Field"), _("Declaration"), _("ID document"), _("Registry"),
                            _("Result") };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->detail_rows = g_ptr_array_new ();
  self->field_rows = g_ptr_array_new_with_free_func (g_free);
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    gtk_grid_attach (self->fields_grid, header_cell_new (headers[c]), c, 0, 1, 1);
}

void
bhxh_compare_page_set_counter (BhxhComparePage *self,
                              BhxhCounter     *counter)
{
  g_return_if_fail (BHXH_IS_COMPARE_PAGE (self));
  g_set_object (&self->counter, counter);
}

static void
set_subject (BhxhComparePage       *self,
             BhxhDeclarationObject *object,
             const BhxhDocument    *document)
{
  BhxhDocument *copy = document != NULL ? bhxh_document_copy (document) : NULL;

  g_set_object (&self->object, object);
  g_clear_pointer (&self->document, bhxh_document_free);
  self->document = copy;
  /* The chip's face beside the declaration's photo, when the chip was
   * read with it. */
  bhxh_portrait_pair_show (self->portrait_pair, self->counter,
                           bhxh_declaration_object_get_id (object),
                           copy != NULL ? copy->chip.portrait : NULL);
}

static void
claim_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BhxhComparePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *text = NULL;

  if (!bhxh_counter_claim_finish (BHXH_COUNTER (source), result, &holder, &error))
    {
      /* Offline-first: a claim that cannot be made never stops the clerk. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("claim: %s", error->message);
      return;
    }
  if (holder == NULL)
    return;
  text = g_strdup_printf (_("%s is handling this declaration at another counter: agree with "
                            "them before deciding, or the portal will report a conflict."),
                          *holder != '\0' ? holder : _("Another clerk"));
  gtk_label_set_text (self->claim_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->claim_label), TRUE);
}

/* One declaration, one desk: the service claims it at the portal. */
static void
start_claim (BhxhComparePage *self)
{
  g_cancellable_cancel (self->claim_cancellable);
  g_clear_object (&self->claim_cancellable);
  self->claim_cancellable = g_cancellable_new ();
  bhxh_counter_claim_async (self->counter, bhxh_declaration_object_get_id (self->object),
                            self->claim_cancellable, claim_cb, g_object_ref (self));
}

void
bhxh_compare_page_show (BhxhComparePage       *self,
                        BhxhDeclarationObject *object,
                        const BhxhDocument    *document)
{
  gboolean other = FALSE;

  g_return_if_fail (BHXH_IS_COMPARE_PAGE (self));
  g_return_if_fail (BHXH_IS_DECLARATION_OBJECT (object));
  g_return_if_fail (self->counter != NULL);

  other = self->object != object;
  set_subject (self, object, document);
  /* Each citizen's page opens at its top: the verdict first. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  if (other)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->claim_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->escalation_label), FALSE);
    }
  start_claim (self);
  start_check (self);
}

/**
 * bhxh_compare_page_set_desk_office:
 * @desk_office: (nullable): this counter's office when the declaration on
 *   show was submitted to an office outside it, else %NULL
 *
 * Says so above the comparison: the clerk should not take it unawares.
 */
void
bhxh_compare_page_set_desk_office (BhxhComparePage *self,
                                   const char      *desk_office)
{
  g_autofree char *text = NULL;

  g_return_if_fail (BHXH_IS_COMPARE_PAGE (self));

  if (desk_office == NULL || self->object == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->office_label), FALSE);
      return;
    }
  text = g_strdup_printf (_("This declaration was submitted to BHXH office %s, not to this "
                            "counter’s office (%s) or an office under it. Decide it only if "
                            "this office may handle it; otherwise tell the citizen where it "
                            "is handled."),
                          bhxh_declaration_object_get_declaration (self->object)->office_code,
                          desk_office);
  gtk_label_set_text (self->office_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->office_label), TRUE);
}

/* Why the declaration on show waits for a supervisor (the clerk and their
 * note), above the comparison; NULL hides it. */
void
bhxh_compare_page_set_escalation (BhxhComparePage *self,
                                  const char      *text)
{
  g_return_if_fail (BHXH_IS_COMPARE_PAGE (self));

  gtk_label_set_text (self->escalation_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->escalation_label), text != NULL);
}

void
bhxh_compare_page_set_document (BhxhComparePage    *self,
                                const BhxhDocument *document)
{
  g_return_if_fail (BHXH_IS_COMPARE_PAGE (self));
  g_return_if_fail (self->object != NULL);

  set_subject (self, self->object, document);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  start_check (self);
}

void
bhxh_compare_page_show_check (BhxhComparePage       *self,
                              BhxhDeclarationObject *object,
                              const BhxhDocument    *document,
                              const BhxhCheck       *check)
{
  g_return_if_fail (BHXH_IS_COMPARE_PAGE (self));
  g_return_if_fail (BHXH_IS_DECLARATION_OBJECT (object));
  g_return_if_fail (check != NULL);

  set_subject (self, object, document);
  g_clear_pointer (&self->check, bhxh_check_free);
  self->check = bhxh_check_copy (check);
  refresh (self);
}

BhxhDeclarationObject *
bhxh_compare_page_get_object (BhxhComparePage *self)
{
  g_return_val_if_fail (BHXH_IS_COMPARE_PAGE (self), NULL);
  return self->object;
}

const BhxhDocument *
bhxh_compare_page_get_document (BhxhComparePage *self)
{
  g_return_val_if_fail (BHXH_IS_COMPARE_PAGE (self), NULL);
  return self->document;
}

const BhxhCheck *
bhxh_compare_page_get_check (BhxhComparePage *self)
{
  g_return_val_if_fail (BHXH_IS_COMPARE_PAGE (self), NULL);
  return self->check;
}

void
bhxh_compare_page_set_folded (BhxhComparePage *self,
                              gboolean         folded)
{
  g_return_if_fail (BHXH_IS_COMPARE_PAGE (self));
  gtk_widget_set_visible (self->back_button, folded);
}

BhxhPortraitPair *
bhxh_compare_page_get_portrait_pair (BhxhComparePage *self)
{
  g_return_val_if_fail (BHXH_IS_COMPARE_PAGE (self), NULL);

  return self->portrait_pair;
}

const char *
bhxh_compare_page_get_verdict_text (BhxhComparePage *self)
{
  g_return_val_if_fail (BHXH_IS_COMPARE_PAGE (self), NULL);
  return gtk_label_get_text (self->verdict_label);
}

const char *
bhxh_compare_page_get_document_hint (BhxhComparePage *self)
{
  g_return_val_if_fail (BHXH_IS_COMPARE_PAGE (self), NULL);
  return gtk_label_get_text (self->document_hint);
}
