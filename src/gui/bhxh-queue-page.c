/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Today's queue: a GtkColumnView over a list model replaced in one piece
 * per keystroke, shown through slots (bhxh-slot-model) so the row widgets
 * stay and only their text changes. The service lists the declarations;
 * their objects and folded search keys are built in a thread, so a
 * keystroke costs one word-prefix search per declaration still in view,
 * in a flat array. */
#include "config.h"

#include "bhxh-gui-util.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-text.h"


#include "bhxh-array-model.h"
#include "bhxh-cell-text.h"
#include "bhxh-queue-page.h"
#include "bhxh-slot-model.h"

/* Declarations this close to the 10-day limit are shown as urgent. */
#define EXPIRING_DAYS 3

typedef enum {
  STATUS_FILTER_OPEN,
  STATUS_FILTER_PENDING,
  STATUS_FILTER_ESCALATED,
  STATUS_FILTER_DECIDED,
  STATUS_FILTER_ALL,
} StatusFilter;

struct _BhxhQueuePage
{
  GtkWidget           parent_instance;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *kind_dropdown;
  GtkToggleButton    *minors_button;
  GtkToggleButton    *expiring_button;
  GtkStack           *content_stack;
  GtkSpinner         *spinner;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;

  BhxhCounter        *counter;
  GCancellable       *cancellable;
  GPtrArray          *all;        /* (element-type BhxhDeclarationObject) */
  GArray             *rows;       /* (element-type Row), parallel to all */
  BhxhArrayModel     *filtered;   /* the ones shown */
  GtkSingleSelection *selection;  /* over slots of filtered: same positions */
  GHashTable         *by_id;

  char               *query;
};

enum {
  DECLARATION_ACTIVATED,
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhQueuePage, bhxh_queue_page, GTK_TYPE_WIDGET)

static gboolean
status_matches (StatusFilter          filter,
                BhxhDeclarationStatus status)
{
  switch (filter)
    {
    case STATUS_FILTER_OPEN:
      return status == BHXH_STATUS_PENDING || status == BHXH_STATUS_ESCALATED;
    case STATUS_FILTER_PENDING:
      return status == BHXH_STATUS_PENDING;
    case STATUS_FILTER_ESCALATED:
      return status == BHXH_STATUS_ESCALATED;
    case STATUS_FILTER_DECIDED:
      return status != BHXH_STATUS_PENDING && status != BHXH_STATUS_ESCALATED;
    case STATUS_FILTER_ALL:
    default:
      return TRUE;
    }
}

/* What the filter reads of each declaration, flat in one array so a
 * keystroke over 100k of them is one tight loop. */
#define MAX_STARTS 14
#define MANY_STARTS G_MAXUINT8

typedef struct
{
  const BhxhDeclaration *declaration;
  const char            *key;
  int                    days_left;
  guint8                 status;      /* copied: read again when a decision changes it */
  guint8                 minor;
  /* Where the words of key start: a keystroke tries these, not every
   * byte (MANY_STARTS: too many or too far, bhxh_text_has_word_prefix()). */
  guint8                 n_starts;
  guint8                 starts[MAX_STARTS];
} Row;

static void
row_set_key (Row        *row,
             const char *key)
{
  row->key = key;
  row->n_starts = 0;
  for (gsize i = 0; key[i] != '\0'; i++)
    {
      if ((guchar) key[i] <= ' ' || (i > 0 && (guchar) key[i - 1] > ' '))
        continue;
      if (row->n_starts == MAX_STARTS || i > G_MAXUINT8)
        {
          row->n_starts = MANY_STARTS;
          return;
        }
      row->starts[row->n_starts++] = (guint8) i;
    }
}

/* bhxh_text_has_word_prefix() over the starts found before; @query does
 * not start with a space. */
static gboolean
row_has_word_prefix (const Row  *row,
                     const char *query,
                     gsize       rest)
{
  if (row->n_starts == MANY_STARTS)
    return bhxh_text_has_word_prefix (row->key, query);
  for (guint k = 0; k < row->n_starts; k++)
    {
      const char *word = row->key + row->starts[k];

      if (word[0] == query[0] && strncmp (word + 1, query + 1, rest) == 0)
        return TRUE;
    }
  return FALSE;
}

static GQuark
row_index_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("bhxh-queue-row-index");
  return quark;
}

typedef struct
{
  StatusFilter  status;
  guint         kind;       /* 0: all; else BhxhDeclarationKind + 1 */
  gboolean      minors;
  gboolean      expiring;
  const char   *query;
  gsize         rest;       /* the length of query after its first byte */
} Criteria;

static gboolean
matches (const Criteria *c,
         const Row      *row)
{
  const BhxhDeclaration *d = row->declaration;

  if (!status_matches (c->status, row->status))
    return FALSE;
  if (c->kind != 0 && c->kind != GTK_INVALID_LIST_POSITION && (guint) d->kind != c->kind - 1)
    return FALSE;
  if (c->minors && !row->minor)
    return FALSE;
  if (c->expiring && (d->confirmed_at == NULL || row->days_left > EXPIRING_DAYS))
    return FALSE;
  if (c->query == NULL || c->query[0] == '\0')
    return TRUE;
  if ((guchar) c->query[0] <= ' ')
    return bhxh_text_has_word_prefix (row->key, c->query);
  return row_has_word_prefix (row, c->query, c->rest);
  return TRUE;
}

static guint position_of (BhxhQueuePage *self,
                          gpointer       object);

/* Filters in one pass and replaces the shown list in one piece. @narrower:
 * the new criteria only remove rows, so only the shown ones are tested.
 * The selection follows its declaration (the slots keep positions). */
static void
refilter (BhxhQueuePage *self,
          gboolean       narrower)
{
  GArray *shown_now = bhxh_array_model_get_indices (self->filtered);
  const Row *rows = (const Row *) (gpointer) self->rows->data;
  guint selected = gtk_single_selection_get_selected (self->selection);
  g_autoptr(GObject) selected_object = NULL;
  GArray *shown = g_array_sized_new (FALSE, FALSE, sizeof (guint),
                                     narrower ? shown_now->len : 1024);
  Criteria c = {
    .status = gtk_drop_down_get_selected (self->status_dropdown),
    .kind = gtk_drop_down_get_selected (self->kind_dropdown),
    .minors = gtk_toggle_button_get_active (self->minors_button),
    .expiring = gtk_toggle_button_get_active (self->expiring_button),
    .query = self->query,
    .rest = self->query != NULL && self->query[0] != '\0' ? strlen (self->query + 1) : 0,
  };

  if (narrower)
    {
      for (guint k = 0; k < shown_now->len; k++)
        {
          guint i = g_array_index (shown_now, guint, k);

          if (matches (&c, &rows[i]))
            g_array_append_val (shown, i);
        }
    }
  else
    {
      for (guint i = 0; i < self->rows->len; i++)
        if (matches (&c, &rows[i]))
          g_array_append_val (shown, i);
    }
  if (selected != GTK_INVALID_LIST_POSITION)
    selected_object = g_list_model_get_item (G_LIST_MODEL (self->filtered), selected);
  bhxh_array_model_set_items (self->filtered, self->all, shown);
  if (selected_object != NULL)
    gtk_single_selection_set_selected (self->selection, position_of (self, selected_object));
}

static void
update_count (BhxhQueuePage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = self->all->len;
  g_autofree char *text = g_strdup_printf (_("%u of %u declarations"), shown, total);

  gtk_label_set_text (self->count_label, text);
  if (gtk_widget_get_visible (GTK_WIDGET (self->spinner)) &&
      gtk_spinner_get_spinning (self->spinner))
    return;
  gtk_stack_set_visible_child_name (self->content_stack, shown > 0 ? "list" : "empty");
}

static void
items_changed_cb (BhxhQueuePage *self)
{
  update_count (self);
}

static void
filter_changed_cb (BhxhQueuePage *self)
{
  refilter (self, FALSE);
}

void
bhxh_queue_page_set_search (BhxhQueuePage *self,
                            const char    *text)
{
  g_autofree char *folded = NULL;
  gboolean narrower;
  const char *old;

  g_return_if_fail (BHXH_IS_QUEUE_PAGE (self));

  folded = bhxh_declaration_fold_query (text);
  old = self->query != NULL ? self->query : "";
  if (g_str_equal (folded, old))
    return;
  /* Typing on at the end only narrows (a word that starts with the longer
   * text starts with the shorter): then just the rows still shown are tested. */
  narrower = g_str_has_prefix (folded, old);
  g_free (self->query);
  self->query = g_steal_pointer (&folded);
  refilter (self, narrower);
}

/* A sign-out: the filter and the box both empty (the box's own delayed
 * "search-changed" then finds nothing new to do). */
void
bhxh_queue_page_clear_search (BhxhQueuePage *self)
{
  g_return_if_fail (BHXH_IS_QUEUE_PAGE (self));

  bhxh_queue_page_set_search (self, "");
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
search_changed_cb (BhxhQueuePage *self)
{
  bhxh_queue_page_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
activate_position (BhxhQueuePage *self,
                   guint          position)
{
  g_autoptr(BhxhDeclarationObject) object =
    g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (object != NULL)
    g_signal_emit (self, signals[DECLARATION_ACTIVATED], 0, object);
}

static void
search_activate_cb (BhxhQueuePage *self)
{
  /* Enter in the search field opens the first hit. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      activate_position (self, 0);
    }
}

static void
row_activate_cb (BhxhQueuePage *self,
                 guint          position)
{
  activate_position (self, position);
}

/* Columns. Each column's factory carries the function that makes its text. */

typedef char *(*CellTextFunc) (BhxhDeclarationObject *object);

/* A child registered through a guardian is marked after the name (no
 * column of its own: the pane keeps its width at 1366 px). */
static char *
cell_name (BhxhDeclarationObject *object)
{
  const char *name = bhxh_declaration_object_get_declaration (object)->full_name;

  if (bhxh_declaration_object_get_minor (object))
    return g_strdup_printf (_("%s · under 18"), name);
  return g_strdup (name);
}

static char *
cell_kind (BhxhDeclarationObject *object)
{
  return g_strdup (bhxh_kind_to_display (bhxh_declaration_object_get_declaration (object)->kind));
}

static char *
cell_days (BhxhDeclarationObject *object)
{
  if (!bhxh_declaration_object_is_open (object))
    return g_strdup ("—");
  return bhxh_declaration_object_dup_days_label (object);
}

static char *
cell_status (BhxhDeclarationObject *object)
{
  const char *status = bhxh_status_to_display (bhxh_declaration_object_get_status (object));

  const char *assignee = bhxh_declaration_object_get_assignee (object);

  if (bhxh_declaration_object_get_unsaved (object))
    return g_strdup_printf (_("%s (not saved yet)"), status);
  /* Handed to a clerk by a supervisor: shown while it is open. */
  if (assignee != NULL && bhxh_declaration_object_is_open (object))
    return g_strdup_printf (_("%s · for %s"), status, assignee);
  return g_strdup (status);
}


static char *
cell_code (BhxhDeclarationObject *object)
{
  return g_strdup (bhxh_declaration_object_get_declaration (object)->bhxh_code);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  /* Not a label: see bhxh-cell-text.c. */
  GtkWidget *label = bhxh_cell_text_new ();

  gtk_list_item_set_child (item, label);
}

static void
update_cell (GtkListItem *item)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  BhxhSlot *slot = gtk_list_item_get_item (item);
  BhxhDeclarationObject *object = slot != NULL ? bhxh_slot_get_item (slot) : NULL;
  CellTextFunc func = g_object_get_data (G_OBJECT (label), "cell-func");
  g_autofree char *text = NULL;

  if (object == NULL || func == NULL)
    return;
  text = func (object);
  bhxh_cell_text_set_text (BHXH_CELL_TEXT (label), text);

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  if (func == cell_days && bhxh_declaration_object_is_open (object))
    {
      int days = bhxh_declaration_object_get_days_left (object);

      if (days <= 0)
        gtk_widget_add_css_class (label, "error");
      else if (days <= EXPIRING_DAYS)
        gtk_widget_add_css_class (label, "warning");
    }
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  gulong handler;

  g_object_set_data (G_OBJECT (label), "cell-func",
                     g_object_get_data (G_OBJECT (factory), "cell-func"));
  update_cell (item);
  /* The slot shows another declaration, or the status of a row changes
   * when the clerk decides. */
  handler = g_signal_connect_swapped (gtk_list_item_get_item (item), "notify",
                                      G_CALLBACK (update_cell), item);
  g_object_set_data (G_OBJECT (item), "notify-handler", GSIZE_TO_POINTER (handler));
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "notify-handler"));
  gpointer object = gtk_list_item_get_item (item);

  if (handler != 0 && object != NULL)
    g_signal_handler_disconnect (object, handler);
  g_object_set_data (G_OBJECT (item), "notify-handler", NULL);
}

/* The pane asks for a steady width: the columns' own, whatever a filter's
 * label says (it jumped as the status filter changed its text). */
#define QUEUE_WIDTH 566

static void
queue_measure (GtkWidget      *widget,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                      natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, QUEUE_WIDTH);
}

static void
queue_allocate (GtkWidget *widget,
                int        width,
                int        height,
                int        baseline)
{
  gtk_widget_allocate (gtk_widget_get_first_child (widget), width, height, baseline, NULL);
}

static void
setup_plain_label_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
dropdown_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 6);
  gtk_list_item_set_child (item, label);
}

static void
dropdown_bind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

/* A filter's button may shorten its label (the list shows it whole). */
static void
ellipsize_dropdown (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) button = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_signal_connect (button, "setup", G_CALLBACK (dropdown_setup_cb), NULL);
  g_signal_connect (button, "bind", G_CALLBACK (dropdown_bind_cb), NULL);
  g_signal_connect (list, "setup", G_CALLBACK (setup_plain_label_cb), NULL);
  g_signal_connect (list, "bind", G_CALLBACK (dropdown_bind_cb), NULL);
  gtk_drop_down_set_factory (dropdown, button);
  gtk_drop_down_set_list_factory (dropdown, list);
  gtk_widget_set_hexpand (GTK_WIDGET (dropdown), TRUE);
}

static void
add_column (BhxhQueuePage *self,
            const char    *title,
            CellTextFunc   func,
            gboolean       expand,
            int            fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "cell-func", func);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), NULL);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

static void
bhxh_queue_page_dispose (GObject *object)
{
  BhxhQueuePage *self = (BhxhQueuePage *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BHXH_TYPE_QUEUE_PAGE);
  _bhxh_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_pointer (&self->all, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_object (&self->counter);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (bhxh_queue_page_parent_class)->dispose (object);
}

static gboolean
focus_search_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  bhxh_queue_page_focus_search (BHXH_QUEUE_PAGE (widget));
  return TRUE;
}

static void
bhxh_queue_page_class_init (BhxhQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_queue_page_dispose;

  signals[DECLARATION_ACTIVATED] =
    g_signal_new ("declaration-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BHXH_TYPE_DECLARATION_OBJECT);
  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class, "/vn/bhxh/Desk/bhxh-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, minors_button);
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, expiring_button);
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BhxhQueuePage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activate_cb);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                focus_search_cb, NULL);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bhxh_queue_page_init (BhxhQueuePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->all = g_ptr_array_new_with_free_func (g_object_unref);
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  self->filtered = bhxh_array_model_new (BHXH_TYPE_DECLARATION_OBJECT);
  self->selection =
    gtk_single_selection_new (G_LIST_MODEL (bhxh_slot_model_new (G_LIST_MODEL (self->filtered))));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  /* Together within the pane's natural width (QUEUE_WIDTH). */
  add_column (self, _("Full name"), cell_name, TRUE, 150);
  add_column (self, _("Days left"), cell_days, FALSE, 72);
  add_column (self, _("Kind"), cell_kind, FALSE, 84);
  add_column (self, _("Status"), cell_status, FALSE, 96);
  /* No ID number column: the queue shows it masked anyway, the search
   * finds it, and every column costs on each keystroke over 100k rows. */
  /* Wide enough for a 12-digit code (the ID number since July 2025). */
  add_column (self, _("Mã số BHXH"), cell_code, FALSE, 124);
  ellipsize_dropdown (self->status_dropdown);
  ellipsize_dropdown (self->kind_dropdown);
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (NULL, queue_measure, queue_allocate));
  update_count (self);
}

void
bhxh_queue_page_set_counter (BhxhQueuePage *self,
                            BhxhCounter   *counter)
{
  g_return_if_fail (BHXH_IS_QUEUE_PAGE (self));
  g_set_object (&self->counter, counter);
}

static int
compare_objects (gconstpointer a,
                 gconstpointer b)
{
  BhxhDeclarationObject *x = *(BhxhDeclarationObject **) a;
  BhxhDeclarationObject *y = *(BhxhDeclarationObject **) b;
  gboolean x_open = bhxh_declaration_object_is_open (x);
  gboolean y_open = bhxh_declaration_object_is_open (y);
  int x_days = bhxh_declaration_object_get_days_left (x);
  int y_days = bhxh_declaration_object_get_days_left (y);

  /* Open first; among them the most urgent first; then by name, as a
   * Vietnamese list (given name first, in the Vietnamese alphabet). */
  if (x_open != y_open)
    return x_open ? -1 : 1;
  if (x_days != y_days)
    return x_days < y_days ? -1 : 1;
  return strcmp (bhxh_declaration_object_get_name_key (x),
                 bhxh_declaration_object_get_name_key (y));
}

/**
 * bhxh_queue_make_objects:
 * @declarations: (transfer full): the office's declarations
 * @assignments: (nullable): id → the clerk it was handed to
 *
 * Any thread: the declarations as sorted objects with their search keys.
 */
GPtrArray *
bhxh_queue_make_objects (GPtrArray      *declarations,
                         GHashTable     *assignments,
                         const BhxhDate *today)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_full (declarations->len, g_object_unref);

  g_ptr_array_set_free_func (declarations, NULL);
  for (guint i = 0; i < declarations->len; i++)
    {
      BhxhDeclaration *d = g_ptr_array_index (declarations, i);
      BhxhDeclarationObject *object = bhxh_declaration_object_new (d, today);

      if (assignments != NULL)
        bhxh_declaration_object_set_assignee (object, g_hash_table_lookup (assignments, d->id));
      g_ptr_array_add (objects, object);
    }
  g_ptr_array_unref (declarations);
  g_ptr_array_sort (objects, compare_objects);
  return g_steal_pointer (&objects);
}

typedef struct
{
  BhxhQueuePage *self;          /* until the service answers */
  GPtrArray     *declarations;
  GHashTable    *assignments;
  BhxhDate       today;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->self);
  g_clear_pointer (&load->declarations, g_ptr_array_unref);
  g_clear_pointer (&load->assignments, g_hash_table_unref);
  g_free (load);
}

static void
make_objects_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LoadData *load = task_data;

  g_task_return_pointer (task,
                         bhxh_queue_make_objects (g_steal_pointer (&load->declarations),
                                                  load->assignments, &load->today),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
bhxh_queue_page_set_declarations (BhxhQueuePage *self,
                                  GPtrArray     *objects)
{
  g_return_if_fail (BHXH_IS_QUEUE_PAGE (self));
  g_return_if_fail (objects != NULL);

  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < objects->len; i++)
    {
      BhxhDeclarationObject *object = g_ptr_array_index (objects, i);

      g_hash_table_insert (self->by_id, (gpointer) bhxh_declaration_object_get_id (object),
                           object);
    }
  gtk_spinner_set_spinning (self->spinner, FALSE);
  g_ptr_array_unref (self->all);
  self->all = g_ptr_array_new_full (objects->len, g_object_unref);
  g_array_set_size (self->rows, objects->len);
  for (guint i = 0; i < objects->len; i++)
    {
      BhxhDeclarationObject *object = g_ptr_array_index (objects, i);
      Row *row = &g_array_index (self->rows, Row, i);

      g_ptr_array_add (self->all, g_object_ref (object));
      row->declaration = bhxh_declaration_object_get_declaration (object);
      row_set_key (row, bhxh_declaration_object_get_search_key (object));
      row->days_left = bhxh_declaration_object_get_days_left (object);
      row->status = row->declaration->status;
      row->minor = bhxh_declaration_object_get_minor (object);
      g_object_set_qdata (G_OBJECT (object), row_index_quark (), GUINT_TO_POINTER (i));
    }
  refilter (self, FALSE);
  update_count (self);
}

static void
made_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BhxhQueuePage) self = user_data;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;

  objects = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  bhxh_queue_page_set_declarations (self, objects);
  g_signal_emit (self, signals[LOADED], 0, NULL);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LoadData *load = user_data;
  g_autoptr(BhxhQueuePage) self = g_steal_pointer (&load->self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  load->declarations = bhxh_counter_list_queue_finish (BHXH_COUNTER (source), result,
                                                       &load->assignments, &error);
  if (load->declarations == NULL)
    {
      load_data_free (load);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_spinner_set_spinning (self->spinner, FALSE);
      update_count (self);
      g_signal_emit (self, signals[LOADED], 0, error);
      return;
    }
  /* No source object: the worker thread may drop its reference to the
   * task after made_cb has run, and must not hold the page alive then. */
  task = g_task_new (NULL, self->cancellable, made_cb, g_object_ref (self));
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, make_objects_thread);
}

void
bhxh_queue_page_load (BhxhQueuePage  *self,
                      const char     *office_code,
                      const BhxhDate *today)
{
  LoadData *load;

  g_return_if_fail (BHXH_IS_QUEUE_PAGE (self));
  g_return_if_fail (self->counter != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load = g_new0 (LoadData, 1);
  load->self = g_object_ref (self);
  load->today = *today;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  bhxh_counter_list_queue_async (self->counter, office_code, self->cancellable, load_cb, load);
}

void
bhxh_queue_page_focus_search (BhxhQueuePage *self)
{
  g_return_if_fail (BHXH_IS_QUEUE_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

GListModel *
bhxh_queue_page_get_model (BhxhQueuePage *self)
{
  g_return_val_if_fail (BHXH_IS_QUEUE_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

guint
bhxh_queue_page_get_n_total (BhxhQueuePage *self)
{
  g_return_val_if_fail (BHXH_IS_QUEUE_PAGE (self), 0);
  return self->all->len;
}

BhxhDeclarationObject *
bhxh_queue_page_lookup (BhxhQueuePage *self,
                        const char    *id)
{
  g_return_val_if_fail (BHXH_IS_QUEUE_PAGE (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
}

/* The shown list keeps the order of all: a binary search by row index. */
static guint
position_of (BhxhQueuePage *self,
             gpointer       object)
{
  GArray *shown = bhxh_array_model_get_indices (self->filtered);
  guint index = GPOINTER_TO_UINT (g_object_get_qdata (object, row_index_quark ()));
  guint lo = 0, hi = shown->len;

  if (index >= self->all->len || g_ptr_array_index (self->all, index) != object)
    return GTK_INVALID_LIST_POSITION;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (shown, guint, mid) < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < shown->len && g_array_index (shown, guint, lo) == index)
    return lo;
  return GTK_INVALID_LIST_POSITION;
}

/**
 * bhxh_queue_page_next_open:
 *
 * Returns: (transfer none) (nullable): the first open declaration shown
 * after @after (or from the top), skipping @after itself.
 */
BhxhDeclarationObject *
bhxh_queue_page_next_open (BhxhQueuePage         *self,
                           BhxhDeclarationObject *after)
{
  GListModel *model = G_LIST_MODEL (self->filtered);
  guint n = g_list_model_get_n_items (model);
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint start = selected != GTK_INVALID_LIST_POSITION ? selected : 0;

  g_return_val_if_fail (BHXH_IS_QUEUE_PAGE (self), NULL);

  for (guint k = 0; k < n; k++)
    {
      g_autoptr(BhxhDeclarationObject) object = g_list_model_get_item (model, (start + k) % n);

      if (object != after && bhxh_declaration_object_is_open (object))
        return object;
    }
  return NULL;
}

void
bhxh_queue_page_select (BhxhQueuePage         *self,
                        BhxhDeclarationObject *object)
{
  guint position;

  g_return_if_fail (BHXH_IS_QUEUE_PAGE (self));

  position = object != NULL ? position_of (self, object) : GTK_INVALID_LIST_POSITION;
  gtk_single_selection_set_selected (self->selection, position);
  if (position == GTK_INVALID_LIST_POSITION)
    return;
  /* GTK 4.8 has no gtk_column_view_scroll_to(): ask its inner list view. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

void
bhxh_queue_page_status_changed (BhxhQueuePage *self)
{
  g_return_if_fail (BHXH_IS_QUEUE_PAGE (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      row->status = row->declaration->status;
    }
  refilter (self, FALSE);
}
