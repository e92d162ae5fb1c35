/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The supervisor's day: charts of the decisions, escalations and override
 * requests to countersign (one by one or in bulk), the list of decisions,
 * and the daily report. */
#include "config.h"

#include "bhxh-gui-util.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-collate.h"
#include "docs/bhxh-export.h"
#include "docs/bhxh-papers.h"
#include "store/bhxh-store.h"

#include "bhxh-chart.h"
#include "bhxh-decide-dialog.h"
#include "bhxh-paper-job.h"
#include "bhxh-supervisor-page.h"

struct _BhxhSupervisorPage
{
  GtkWidget      parent_instance;

  GtkLabel      *day_label;
  GtkDropDown   *clerk_dropdown;
  GtkLabel      *totals_label;
  GtkFlowBox    *charts_box;
  GtkLabel      *escalations_title;
  GtkListBox    *escalations_list;
  GtkLabel      *reassigned_label;
  GtkColumnView *decisions_view;
  GtkWidget     *hour_chart;
  GtkWidget     *reason_chart;
  GtkWidget     *clerk_chart;

  BhxhCounter   *counter;
  GCancellable  *cancellable;
  BhxhDate       day;
  GPtrArray     *reason_codes;   /* (element-type BhxhReasonCode) */
  GListStore    *rows;           /* GtkStringObject per decision, data on the object */
  GPtrArray     *decisions;      /* (element-type BhxhDecision) */
  GPtrArray     *escalations;    /* (element-type BhxhDeclaration) */
  GPtrArray     *checks;         /* GtkCheckButton of each escalation row */
  GStrv          clerks;
  GPtrArray     *clerk_users;    /* (element-type BhxhUser): role clerk, to reassign to */
  GFile         *export_folder;  /* where the last export went */
};

enum {
  CHANGED,
  OPEN_DECLARATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhSupervisorPage, bhxh_supervisor_page, GTK_TYPE_WIDGET)

static const char *
reason_label (BhxhSupervisorPage *self,
              const char         *code)
{
  for (guint i = 0; self->reason_codes != NULL && i < self->reason_codes->len; i++)
    {
      const BhxhReasonCode *reason = g_ptr_array_index (self->reason_codes, i);

      if (g_strcmp0 (reason->code, code) == 0)
        return reason->label;
    }
  return code;
}

static const char *
selected_clerk (BhxhSupervisorPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->clerk_dropdown);

  /* Row 0 is "all clerks". */
  if (self->clerks == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_strv_length (self->clerks))
    return NULL;
  return self->clerks[selected - 1];
}

static gboolean
shown (BhxhSupervisorPage *self,
       const BhxhDecision *decision)
{
  const char *clerk = selected_clerk (self);

  return clerk == NULL || g_strcmp0 (decision->clerk, clerk) == 0;
}

/* Charts. */

/* The decisions of the clerk picked (all when none), summarised by core. */
static BhxhDaySummary *
shown_summary (BhxhSupervisorPage *self)
{
  g_autoptr(GPtrArray) shown_decisions = g_ptr_array_new ();

  for (guint i = 0; i < self->decisions->len; i++)
    if (shown (self, g_ptr_array_index (self->decisions, i)))
      g_ptr_array_add (shown_decisions, g_ptr_array_index (self->decisions, i));
  return bhxh_day_summary_new (shown_decisions);
}

static void
fill_hour_chart (BhxhSupervisorPage   *self,
                 const BhxhDaySummary *all,
                 const BhxhDaySummary *summary)
{
  const char *series[] = { _("Approved"), _("Rejected"), _("Escalated"), NULL };
  int first = 7, last = 17;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *values = NULL;

  /* The hours of the whole day, so the axis stays put when filtering. */
  for (int h = 0; h < 24; h++)
    if (all->by_hour[h][0] + all->by_hour[h][1] + all->by_hour[h][2] > 0)
      {
        first = MIN (first, h);
        last = MAX (last, h);
      }
  values = g_new0 (double, (last - first + 1) * 3);
  for (int h = first; h <= last; h++)
    {
      g_ptr_array_add (labels, g_strdup_printf ("%dh", h));
      for (guint o = 0; o < 3; o++)
        values[(h - first) * 3 + o] = summary->by_hour[h][o];
    }
  g_ptr_array_add (labels, NULL);
  bhxh_chart_set_data (BHXH_CHART (self->hour_chart), (const char * const *) labels->pdata,
                       series, values);
}

static void
fill_reason_chart (BhxhSupervisorPage   *self,
                   const BhxhDaySummary *summary)
{
  const char *series[] = { _("Rejections"), NULL };
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (double));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, summary->by_reason);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      double v = GPOINTER_TO_UINT (value);

      g_ptr_array_add (labels, (gpointer) reason_label (self, key));
      g_array_append_val (values, v);
    }
  g_ptr_array_add (labels, NULL);
  bhxh_chart_set_data (BHXH_CHART (self->reason_chart), (const char * const *) labels->pdata,
                       series, (double *) values->data);
}

static const char *clerk_display_name (BhxhSupervisorPage *self,
                                      const char         *login);

static void
fill_clerk_chart (BhxhSupervisorPage   *self,
                  const BhxhDaySummary *summary)
{
  const char *series[] = { _("Approved"), _("Rejected"), _("Escalated"), NULL };
  guint n = self->clerks != NULL ? g_strv_length (self->clerks) : 0;
  g_autofree double *values = g_new0 (double, MAX (n, 1) * 3);
  g_autofree const char **labels = g_new0 (const char *, n + 1);

  for (guint c = 0; c < n; c++)
    {
      const guint *counts = bhxh_day_summary_clerk (summary, self->clerks[c]);

      labels[c] = clerk_display_name (self, self->clerks[c]);
      for (guint o = 0; counts != NULL && o < 3; o++)
        values[c * 3 + o] = counts[o];
    }
  bhxh_chart_set_data (BHXH_CHART (self->clerk_chart), labels, series, values);
}

/* The list of decisions: one GtkStringObject per row carrying its index. */

typedef char *(*RowTextFunc) (BhxhSupervisorPage *self, guint index);

static char *
row_time (BhxhSupervisorPage *self,
          guint               index)
{
  const BhxhDecision *d = g_ptr_array_index (self->decisions, index);
  g_autoptr(GDateTime) office = bhxh_clock_to_office (d->decided_at);

  return g_date_time_format (office, "%H:%M");
}

static char *
row_clerk (BhxhSupervisorPage *self,
           guint               index)
{
  return g_strdup (bhxh_decision_get_clerk_name (g_ptr_array_index (self->decisions, index)));
}

static char *
row_name (BhxhSupervisorPage *self,
          guint               index)
{
  const BhxhDecision *d = g_ptr_array_index (self->decisions, index);

  return g_strdup (d->person_name != NULL ? d->person_name : d->declaration_id);
}

static char *
row_outcome (BhxhSupervisorPage *self,
             guint               index)
{
  const BhxhDecision *d = g_ptr_array_index (self->decisions, index);

  return g_strdup (bhxh_decision_kind_to_display (bhxh_decision_get_kind (d)));
}

static char *
row_reasons (BhxhSupervisorPage *self,
             guint               index)
{
  const BhxhDecision *d = g_ptr_array_index (self->decisions, index);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint r = 0; d->reason_codes != NULL && d->reason_codes[r] != NULL; r++)
    g_string_append_printf (text, "%s%s", r > 0 ? "; " : "",
                            reason_label (self, d->reason_codes[r]));
  if (d->note != NULL)
    g_string_append_printf (text, "%s%s", text->len > 0 ? " — " : "", d->note);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
row_evidence (BhxhSupervisorPage *self,
              guint               index)
{
  const BhxhDecision *d = g_ptr_array_index (self->decisions, index);

  return g_strdup (bhxh_evidence_to_display (d->evidence));
}

static char *
row_sync (BhxhSupervisorPage *self,
          guint               index)
{
  const BhxhDecision *d = g_ptr_array_index (self->decisions, index);

  /* A refusal or a conflict says why, in the portal's words. */
  if ((d->outbox_state == BHXH_OUTBOX_REFUSED || d->outbox_state == BHXH_OUTBOX_CONFLICT) &&
      d->outbox_detail != NULL && d->outbox_detail[0] != '\0')
    return g_strdup_printf ("%s: %s", bhxh_outbox_state_to_display (d->outbox_state),
                            d->outbox_detail);
  return g_strdup (bhxh_outbox_state_to_display (d->outbox_state));
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              BhxhSupervisorPage       *self)
{
  RowTextFunc func = g_object_get_data (G_OBJECT (factory), "row-func");
  GObject *row = gtk_list_item_get_item (item);
  guint index = GPOINTER_TO_UINT (g_object_get_data (row, "index"));
  g_autofree char *text = NULL;

  if (self->decisions == NULL || index >= self->decisions->len)
    return;
  text = func (self, index);
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text != NULL ? text : "");
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), text);
}

static void
add_column (BhxhSupervisorPage *self,
            const char         *title,
            RowTextFunc         func,
            gboolean            expand,
            int                 width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_object_set_data (G_OBJECT (factory), "row-func", func);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  gtk_column_view_append_column (self->decisions_view, column);
}

static void
fill_rows (BhxhSupervisorPage   *self,
           const BhxhDaySummary *summary)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) citizens = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *totals = NULL;
  g_autofree char *events = NULL;

  /* Newest first. */
  for (guint i = self->decisions->len; i-- > 0;)
    {
      const BhxhDecision *d = g_ptr_array_index (self->decisions, i);
      GtkStringObject *row;

      if (!shown (self, d))
        continue;
      row = gtk_string_object_new (d->uuid);
      g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (i));
      g_hash_table_add (citizens, d->declaration_id);
      g_ptr_array_add (objects, row);
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       objects->pdata, objects->len);
  /* A citizen escalated, then countersigned, is two decisions: both
   * counts are said. */
  events = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u declaration", "%u declarations",
                                         g_hash_table_size (citizens)),
                            g_hash_table_size (citizens));
  totals = g_strdup_printf (_("%s, %u decisions: %u approved, %u rejected, %u escalated"),
                            events, summary->total, summary->by_outcome[BHXH_OUTCOME_APPROVE],
                            summary->by_outcome[BHXH_OUTCOME_REJECT],
                            summary->by_outcome[BHXH_OUTCOME_ESCALATE]);
  gtk_label_set_text (self->totals_label, totals);
}

static void
refill (BhxhSupervisorPage *self)
{
  g_autoptr(BhxhDaySummary) all = NULL;
  g_autoptr(BhxhDaySummary) shown_only = NULL;

  if (self->decisions == NULL)
    return;
  /* The day counted once, for the list's totals and the three charts. */
  all = bhxh_day_summary_new (self->decisions);
  shown_only = shown_summary (self);
  fill_rows (self, shown_only);
  fill_hour_chart (self, all, shown_only);
  fill_reason_chart (self, shown_only);
  fill_clerk_chart (self, all);
}

static void
clerk_changed_cb (BhxhSupervisorPage *self)
{
  refill (self);
}

/* Escalations: countersign (approve with override) or reject. */

static void
bulk_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BhxhSupervisorPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* The first refusal is the error; the ones decided before it stay
   * decided (each decision is its own record). */
  bhxh_counter_decide_many_finish (BHXH_COUNTER (source), result, &error);
  if (error != NULL && GTK_IS_WINDOW (root))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Not All Decided"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  bhxh_supervisor_page_refresh (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GStrv
selected_ids (BhxhSupervisorPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      g_strv_builder_add (builder, g_object_get_data (g_ptr_array_index (self->checks, i), "id"));
  return g_strv_builder_end (builder);
}

static void
decided_cb (BhxhDecideDialog   *dialog,
            const char * const *codes,
            const char         *note,
            BhxhSupervisorPage *self)
{
  BhxhDecisionRequest request = { 0 };

  /* Countersigning is an approval over the escalation (override). */
  request.outcome = bhxh_decide_dialog_get_mode (dialog) == BHXH_DECIDE_REJECT
                  ? BHXH_OUTCOME_REJECT : BHXH_OUTCOME_APPROVE;
  request.reason_codes = codes;
  request.note = note;
  request.override = request.outcome == BHXH_OUTCOME_APPROVE;
  bhxh_counter_decide_many_async (self->counter,
                                  g_object_get_data (G_OBJECT (dialog), "ids"), &request,
                                  self->cancellable, bulk_cb, g_object_ref (self));
}

static void
decide_ids (BhxhSupervisorPage *self,
            BhxhDecideMode      mode,
            GStrv               ids)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *who = NULL;
  BhxhDecideDialog *dialog;

  if (ids == NULL || ids[0] == NULL)
    {
      g_strfreev (ids);
      return;
    }
  who = g_strv_length (ids) == 1
      ? g_strdup (g_object_get_data (G_OBJECT (self), ids[0]))
      : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person", "%u persons",
                                      g_strv_length (ids)), g_strv_length (ids));
  dialog = bhxh_decide_dialog_new (GTK_WINDOW (root), mode, who != NULL ? who : ids[0],
                                   self->reason_codes, NULL, TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "ids", ids, (GDestroyNotify) g_strfreev);
  g_signal_connect_object (dialog, "decided", G_CALLBACK (decided_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const BhxhDecision *escalation_decision (BhxhSupervisorPage *self,
                                               const char         *id);

/* Countersigning one: the declaration opens with its comparison and the
 * clerk's reason; the supervisor decides there. */
static void
open_escalation (BhxhSupervisorPage *self,
                 const char         *id)
{
  g_autofree char *why = NULL;
  const BhxhDecision *d = escalation_decision (self, id);
  const BhxhDeclaration *declaration = NULL;

  if (d != NULL)
    why = g_strdup_printf (_("%s sent this declaration to a supervisor: %s"),
                           bhxh_decision_get_clerk_name (d),
                           d->note != NULL && d->note[0] != '\0' ? d->note : _("no note"));
  for (guint i = 0; self->escalations != NULL && i < self->escalations->len; i++)
    if (g_strcmp0 (((const BhxhDeclaration *) g_ptr_array_index (self->escalations, i))->id,
                   id) == 0)
      declaration = g_ptr_array_index (self->escalations, i);
  g_signal_emit (self, signals[OPEN_DECLARATION], 0, id, why, declaration);
}

static void
row_approve_cb (GtkButton          *button,
                BhxhSupervisorPage *self)
{
  open_escalation (self, g_object_get_data (G_OBJECT (button), "id"));
}

static void
escalation_activated_cb (GtkListBox         *list,
                         GtkListBoxRow      *row,
                         BhxhSupervisorPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "id");

  if (id != NULL)
    open_escalation (self, id);
}

static void
row_reject_cb (GtkButton          *button,
               BhxhSupervisorPage *self)
{
  const char *ids[] = { g_object_get_data (G_OBJECT (button), "id"), NULL };

  decide_ids (self, BHXH_DECIDE_REJECT, g_strdupv ((char **) ids));
}

/* Reassign: the declaration goes back to pending, for the clerk picked. */

static void
reassign_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BhxhSupervisorPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_object_steal_data (G_OBJECT (self), "reassigned-to");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!bhxh_counter_reassign_finish (BHXH_COUNTER (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (GTK_IS_WINDOW (root))
        {
          GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Not Reassigned"),
                                                      error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }
  else
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
      g_autofree char *text = g_strdup_printf (_("Reassigned to %s"), name);

      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
    }
  bhxh_supervisor_page_refresh (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
reassign_response_cb (AdwMessageDialog   *dialog,
                      const char         *response,
                      BhxhSupervisorPage *self)
{
  if (!g_str_equal (response, "reassign"))
    return;
  g_object_set_data_full (G_OBJECT (self), "reassigned-to",
                          g_strdup (g_object_get_data (G_OBJECT (dialog), "name")), g_free);
  bhxh_counter_reassign_async (self->counter, g_object_get_data (G_OBJECT (dialog), "id"),
                               g_object_get_data (G_OBJECT (dialog), "login"),
                               self->cancellable, reassign_cb, g_object_ref (self));
}

/* Handing an escalation back to a clerk undoes the clerk's request for a
 * supervisor: asked first, by name. */
static void
reassign_to_cb (GtkButton          *button,
                BhxhSupervisorPage *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *id = g_object_get_data (G_OBJECT (button), "id");
  const char *name = g_object_get_data (G_OBJECT (button), "name");
  const char *citizen = g_object_get_data (G_OBJECT (self), id);
  GtkWidget *dialog;

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Reassign the Declaration?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s’s declaration goes back to the queue as waiting, for "
                                    "%s to decide. The request for a supervisor stays in the "
                                    "audit trail."),
                                  citizen != NULL ? citizen : id, name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "reassign", _("_Reassign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reassign",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reassign");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "login",
                          g_strdup (g_object_get_data (G_OBJECT (button), "login")), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reassign_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A menu button whose popover lists the clerks, one button each. */
static GtkWidget *
reassign_button_new (BhxhSupervisorPage    *self,
                     const BhxhDeclaration *e)
{
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree char *a11y = g_strdup_printf (_("Reassign %s to a clerk"), e->full_name);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), _("Re_assign…"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (menu_button), TRUE);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (menu_button, self->clerk_users != NULL && self->clerk_users->len > 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  a11y, -1);
  gtk_widget_set_name (menu_button, "reassign");
  for (guint i = 0; self->clerk_users != NULL && i < self->clerk_users->len; i++)
    {
      const BhxhUser *user = g_ptr_array_index (self->clerk_users, i);
      /* People by their names, never their logins. */
      GtkWidget *item = gtk_button_new_with_label (user->display_name);

      gtk_button_set_has_frame (GTK_BUTTON (item), FALSE);
      gtk_widget_set_halign (gtk_button_get_child (GTK_BUTTON (item)), GTK_ALIGN_START);
      g_object_set_data_full (G_OBJECT (item), "id", g_strdup (e->id), g_free);
      g_object_set_data_full (G_OBJECT (item), "login", g_strdup (user->login), g_free);
      g_object_set_data_full (G_OBJECT (item), "name", g_strdup (user->display_name), g_free);
      g_signal_connect_object (item, "clicked", G_CALLBACK (reassign_to_cb), self, 0);
      gtk_box_append (GTK_BOX (box), item);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  return menu_button;
}

static const BhxhDecision *
escalation_decision (BhxhSupervisorPage *self,
                     const char         *declaration_id)
{
  for (guint i = self->decisions->len; i-- > 0;)
    {
      const BhxhDecision *d = g_ptr_array_index (self->decisions, i);

      if (d->outcome == BHXH_OUTCOME_ESCALATE && g_strcmp0 (d->declaration_id, declaration_id) == 0)
        return d;
    }
  return NULL;
}

static GtkWidget *
row_button_new (BhxhSupervisorPage *self,
                const char         *label,
                const char         *a11y,
                const char         *id,
                GCallback           callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data_full (G_OBJECT (button), "id", g_strdup (id), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

/* The bulk buttons act on the ticked declarations: off while none is. */
static void
update_bulk_actions (BhxhSupervisorPage *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->checks->len && !any; i++)
    any = gtk_check_button_get_active (g_ptr_array_index (self->checks, i));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "supervisor.approve-selected", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "supervisor.reject-selected", any);
}

static void
fill_escalations (BhxhSupervisorPage *self)
{
  GtkWidget *child;
  g_autofree char *title = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->escalations_list))) != NULL)
    gtk_list_box_remove (self->escalations_list, child);
  g_ptr_array_set_size (self->checks, 0);

  for (guint i = 0; i < self->escalations->len; i++)
    {
      const BhxhDeclaration *e = g_ptr_array_index (self->escalations, i);
      const BhxhDecision *d = escalation_decision (self, e->id);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *subtitle = NULL;
      g_autofree char *approve_a11y = g_strdup_printf (_("Open %s to countersign"),
                                                       e->full_name);
      g_autofree char *reject_a11y = g_strdup_printf (_("Reject %s"), e->full_name);

      subtitle = d != NULL ? g_strdup_printf ("%s · %s: %s", e->id,
                                              bhxh_decision_get_clerk_name (d),
                                              d->note != NULL ? d->note : "—")
                           : g_strdup (e->id);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), e->full_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      g_object_set_data_full (G_OBJECT (row), "id", g_strdup (e->id), g_free);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      e->full_name, -1);
      g_object_set_data_full (G_OBJECT (check), "id", g_strdup (e->id), g_free);
      g_object_set_data_full (G_OBJECT (self), e->id, g_strdup (e->full_name), g_free);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button_new (self, _("_Open to Countersign"), approve_a11y, e->id,
                                                 G_CALLBACK (row_approve_cb)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button_new (self, _("_Reject…"), reject_a11y, e->id,
                                                 G_CALLBACK (row_reject_cb)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), reassign_button_new (self, e));
      gtk_list_box_append (self->escalations_list, row);
      g_ptr_array_add (self->checks, check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_bulk_actions), self);
    }
  update_bulk_actions (self);
  if (self->escalations->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing waiting"));
      gtk_list_box_append (self->escalations_list, row);
    }
  title = g_strdup_printf (_("Waiting for a supervisor (%u)"), self->escalations->len);
  gtk_label_set_text (self->escalations_title, title);
}

/* Escalations handed back that day: who, to whom, when. */
static void
show_reassignments (BhxhSupervisorPage *self,
                    GPtrArray          *reassignments)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; reassignments != NULL && i < reassignments->len; i++)
    {
      const BhxhCounterReassignment *r = g_ptr_array_index (reassignments, i);
      g_autoptr(GDateTime) local = r->at != NULL ? g_date_time_to_local (r->at) : NULL;
      g_autofree char *time = local != NULL ? g_date_time_format (local, "%H:%M")
                                            : g_strdup ("—");

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, _("%s · %s (%s) reassigned to %s by %s"), time,
                              r->full_name != NULL ? r->full_name : "—", r->declaration_id,
                              r->to_name, r->by_name);
    }
  gtk_label_set_text (self->reassigned_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->reassigned_label), text->len > 0);
}

/* Loading the day. */


/* A clerk as people read them: the display name of a login. */
static const char *
clerk_display_name (BhxhSupervisorPage *self,
                    const char         *login)
{
  for (guint i = 0; self->decisions != NULL && i < self->decisions->len; i++)
    {
      const BhxhDecision *d = g_ptr_array_index (self->decisions, i);

      if (g_strcmp0 (d->clerk, login) == 0)
        return bhxh_decision_get_clerk_name (d);
    }
  return login;
}

/* g_ptr_array_sort hands pointers to the elements: stable order by the
 * names people read (the logins' own order is meaningless to them), as a
 * Vietnamese list: given name first, in the Vietnamese alphabet. */
static int
compare_clerks (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const char *login_a = *(const char * const *) a;
  const char *login_b = *(const char * const *) b;
  int by_name = bhxh_collate_compare_names (clerk_display_name (user_data, login_a),
                                            clerk_display_name (user_data, login_b));

  return by_name != 0 ? by_name : g_strcmp0 (login_a, login_b);
}

static void
set_clerks (BhxhSupervisorPage *self)
{
  g_autoptr(GPtrArray) clerks = g_ptr_array_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autofree char *previous = g_strdup (selected_clerk (self));
  guint selected = 0;

  for (guint i = 0; i < self->decisions->len; i++)
    {
      const BhxhDecision *d = g_ptr_array_index (self->decisions, i);
      guint index;

      if (!g_ptr_array_find_with_equal_func (clerks, d->clerk, g_str_equal, &index))
        g_ptr_array_add (clerks, d->clerk);
    }
  g_ptr_array_sort_with_data (clerks, compare_clerks, self);
  g_ptr_array_add (clerks, NULL);
  g_strfreev (self->clerks);
  self->clerks = g_strdupv ((char **) clerks->pdata);

  gtk_string_list_append (model, _("All clerks"));
  for (guint i = 0; self->clerks[i] != NULL; i++)
    {
      gtk_string_list_append (model, clerk_display_name (self, self->clerks[i]));
      if (g_strcmp0 (self->clerks[i], previous) == 0)
        selected = i + 1;
    }
  g_signal_handlers_block_by_func (self->clerk_dropdown, clerk_changed_cb, self);
  gtk_drop_down_set_model (self->clerk_dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->clerk_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->clerk_dropdown, clerk_changed_cb, self);
}


static const char *
declaration_name (gconstpointer item)
{
  return ((const BhxhDeclaration *) item)->full_name;
}

static void
day_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(BhxhSupervisorPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BhxhCounterDay *day = bhxh_counter_day_finish (BHXH_COUNTER (source), result, &error);

  if (day == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->totals_label, error->message);
      return;
    }
  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  g_clear_pointer (&self->escalations, g_ptr_array_unref);
  self->decisions = g_steal_pointer (&day->decisions);
  self->escalations = g_steal_pointer (&day->escalations);
  show_reassignments (self, day->reassignments);
  /* The people waiting as a Vietnamese list. */
  bhxh_collate_sort_by_name (self->escalations, declaration_name);
  g_clear_pointer (&self->clerk_users, g_ptr_array_unref);
  self->clerk_users = g_steal_pointer (&day->clerks);
  bhxh_counter_day_free (day);

  set_clerks (self);
  fill_escalations (self);
  refill (self);
}

void
bhxh_supervisor_page_refresh (BhxhSupervisorPage *self)
{
  g_return_if_fail (BHXH_IS_SUPERVISOR_PAGE (self));

  if (self->counter == NULL || !bhxh_counter_get_supervisor (self->counter))
    return;
  bhxh_counter_day_async (self->counter, &self->day, self->cancellable, day_cb,
                          g_object_ref (self));
}

/* Export and print. */

static void
show_toast (BhxhSupervisorPage *self,
            const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  else
    gtk_label_set_text (self->totals_label, text);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_rendered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GFile *file = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  guint n = 0;

  bytes = bhxh_counter_export_decisions_finish (BHXH_COUNTER (source), result, &n, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_set_data (G_OBJECT (task), "n-decisions", GUINT_TO_POINTER (n));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), export_written_cb,
                                       g_object_ref (task));
}

/**
 * bhxh_supervisor_page_export_async:
 * @file: FILE.csv or FILE.xlsx: the format follows the extension
 *
 * Writes the day's decisions, made by bhxh-deskd as `bhxh-deskctl export
 * decisions` makes them (docs/papers.md).
 */
void
bhxh_supervisor_page_export_async (BhxhSupervisorPage  *self,
                                   GFile               *file,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *day = NULL, *path = NULL;
  BhxhExportFormat format;

  g_return_if_fail (BHXH_IS_SUPERVISOR_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, bhxh_supervisor_page_export_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  path = g_file_get_path (file);
  if (self->counter == NULL || !bhxh_export_format_for_path (path, &format))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                               _("Name the file .xlsx (Excel) or .csv"));
      return;
    }
  day = bhxh_date_to_iso (&self->day);
  bhxh_counter_export_decisions_async (self->counter, day, bhxh_export_format_to_string (format),
                                       self->cancellable, export_rendered_cb,
                                       g_steal_pointer (&task));
}

/* Returns: the number of decisions written, or -1 with @error set */
int
bhxh_supervisor_page_export_finish (BhxhSupervisorPage  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return -1;
  return (int) GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "n-decisions"));
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BhxhSupervisorPage *self = BHXH_SUPERVISOR_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;
  int n = bhxh_supervisor_page_export_finish (self, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n < 0)
    text = g_strdup_printf (_("Not exported: %s"), error->message);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %d decision to “%s”",
                                         "Exported %d decisions to “%s”", n), n, name);
  show_toast (self, text);
}

static void
export_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    BhxhSupervisorPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (chosen);
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GFile) file = NULL;
      BhxhExportFormat format;

      /* A name typed without its extension takes the chosen type's. */
      if (path != NULL && !bhxh_export_format_for_path (path, &format))
        {
          gboolean csv = filter != NULL
                         && g_strcmp0 (g_object_get_data (G_OBJECT (filter), "format"), "csv") == 0;
          g_autofree char *named = g_strconcat (path, csv ? ".csv" : ".xlsx", NULL);

          file = g_file_new_for_path (named);
        }
      else
        file = g_object_ref (chosen);
      g_set_object (&self->export_folder, NULL);
      self->export_folder = g_file_get_parent (file);
      bhxh_supervisor_page_export_async (self, file, export_done_cb, g_object_ref (file));
    }
  g_object_unref (chooser);
}

static GtkFileFilter *
export_filter (const char *name,
               const char *format,
               const char *pattern,
               const char *mime_type)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_add_mime_type (filter, mime_type);
  g_object_set_data (G_OBJECT (filter), "format", (gpointer) format);
  return filter;
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  BhxhSupervisorPage *self = BHXH_SUPERVISOR_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *day = bhxh_date_to_iso (&self->day);
  /* "quyet-dinh-2026-12-04.xlsx": the office's words, folded for any disk. */
  g_autofree char *name = g_strdup_printf ("quyet-dinh-%s.xlsx", day);
  g_autoptr(GtkFileFilter) xlsx = NULL, csv = NULL;
  g_autoptr(GFile) folder = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export the Day’s Decisions"), GTK_WINDOW (root),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  xlsx = export_filter (_("Excel workbook (.xlsx)"), "xlsx", "*.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  csv = export_filter (_("CSV, UTF-8 (.csv)"), "csv", "*.csv", "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), xlsx);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), xlsx);
  if (self->export_folder != NULL)
    folder = g_object_ref (self->export_folder);
  else
    {
      const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

      folder = g_file_new_for_path (documents != NULL ? documents : g_get_home_dir ());
    }
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
print_report_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  BhxhSupervisorPage *self = BHXH_SUPERVISOR_PAGE (widget);
  g_autofree char *day = bhxh_date_to_iso (&self->day);

  bhxh_paper_job_print (GTK_WINDOW (gtk_widget_get_root (widget)), self->counter,
                        BHXH_PAPER_DAILY_REPORT, day, self->cancellable);
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  bhxh_supervisor_page_refresh (BHXH_SUPERVISOR_PAGE (widget));
}

static void
bulk_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  BhxhSupervisorPage *self = BHXH_SUPERVISOR_PAGE (widget);
  GStrv ids = selected_ids (self);

  if (ids[0] == NULL)
    {
      g_strfreev (ids);
      gtk_label_set_text (self->totals_label, _("Tick the declarations to decide first."));
      return;
    }
  decide_ids (self, g_str_equal (action_name, "supervisor.reject-selected")
                    ? BHXH_DECIDE_REJECT : BHXH_DECIDE_OVERRIDE, ids);
}

static void
bhxh_supervisor_page_dispose (GObject *object)
{
  BhxhSupervisorPage *self = (BhxhSupervisorPage *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BHXH_TYPE_SUPERVISOR_PAGE);
  _bhxh_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->counter);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->reason_codes, g_ptr_array_unref);
  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  g_clear_pointer (&self->escalations, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->clerks, g_strfreev);
  g_clear_pointer (&self->clerk_users, g_ptr_array_unref);
  g_clear_object (&self->export_folder);

  G_OBJECT_CLASS (bhxh_supervisor_page_parent_class)->dispose (object);
}

static void
bhxh_supervisor_page_class_init (BhxhSupervisorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_supervisor_page_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (declaration id, why it waits, the BhxhDeclaration or NULL):
   * countersigning is done with the comparison in front of the supervisor,
   * on the counter's page — from any office of the day's escalations. */
  signals[OPEN_DECLARATION] = g_signal_new ("open-declaration", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/bhxh/Desk/bhxh-supervisor-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BhxhSupervisorPage, day_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhSupervisorPage, clerk_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BhxhSupervisorPage, totals_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhSupervisorPage, reassigned_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhSupervisorPage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, BhxhSupervisorPage, escalations_title);
  gtk_widget_class_bind_template_child (widget_class, BhxhSupervisorPage, escalations_list);
  gtk_widget_class_bind_template_child (widget_class, BhxhSupervisorPage, decisions_view);
  gtk_widget_class_bind_template_callback (widget_class, clerk_changed_cb);

  gtk_widget_class_install_action (widget_class, "supervisor.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "supervisor.print-report", NULL,
                                   print_report_activated);
  gtk_widget_class_install_action (widget_class, "supervisor.refresh", NULL, refresh_activated);
  gtk_widget_class_install_action (widget_class, "supervisor.approve-selected", NULL,
                                   bulk_activated);
  gtk_widget_class_install_action (widget_class, "supervisor.reject-selected", NULL,
                                   bulk_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "supervisor.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "supervisor.print-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, GDK_CONTROL_MASK,
                                       "supervisor.refresh", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bhxh_supervisor_page_init (BhxhSupervisorPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->checks = g_ptr_array_new ();
  update_bulk_actions (self);
  g_signal_connect (self->escalations_list, "row-activated",
                    G_CALLBACK (escalation_activated_cb), self);
  self->rows = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_column_view_set_model (self->decisions_view, GTK_SELECTION_MODEL (selection));

  add_column (self, _("Time"), row_time, FALSE, 70);
  add_column (self, _("Clerk"), row_clerk, FALSE, 110);
  add_column (self, _("Citizen"), row_name, TRUE, -1);
  add_column (self, _("Decision"), row_outcome, FALSE, 150);
  add_column (self, _("Reasons and note"), row_reasons, TRUE, -1);
  add_column (self, _("Evidence"), row_evidence, FALSE, 130);
  add_column (self, _("Portal"), row_sync, FALSE, 170);

  self->hour_chart = bhxh_chart_new (BHXH_CHART_COLUMNS, _("Decisions per hour"));
  self->reason_chart = bhxh_chart_new (BHXH_CHART_BARS, _("Rejections by reason"));
  bhxh_chart_set_first_color (BHXH_CHART (self->reason_chart), 1);
  self->clerk_chart = bhxh_chart_new (BHXH_CHART_BARS, _("Decisions per clerk"));
  gtk_flow_box_append (self->charts_box, self->hour_chart);
  gtk_flow_box_append (self->charts_box, self->reason_chart);
  gtk_flow_box_append (self->charts_box, self->clerk_chart);
}

void
bhxh_supervisor_page_setup (BhxhSupervisorPage *self,
                            BhxhCounter        *counter,
                            const BhxhDate     *day)
{
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (BHXH_IS_SUPERVISOR_PAGE (self));

  g_set_object (&self->counter, counter);
  self->day = *day;
  date = bhxh_date_to_display (day);
  title = g_strdup_printf (_("The day at the counter, %s"), date);
  gtk_label_set_text (self->day_label, title);
  bhxh_supervisor_page_refresh (self);
}

void
bhxh_supervisor_page_set_reason_codes (BhxhSupervisorPage *self,
                                       GPtrArray          *reason_codes)
{
  g_return_if_fail (BHXH_IS_SUPERVISOR_PAGE (self));

  g_clear_pointer (&self->reason_codes, g_ptr_array_unref);
  self->reason_codes = reason_codes != NULL ? g_ptr_array_ref (reason_codes) : NULL;
  refill (self);
}

guint
bhxh_supervisor_page_get_n_decisions (BhxhSupervisorPage *self)
{
  g_return_val_if_fail (BHXH_IS_SUPERVISOR_PAGE (self), 0);
  return self->decisions != NULL ? self->decisions->len : 0;
}

guint
bhxh_supervisor_page_get_n_escalations (BhxhSupervisorPage *self)
{
  g_return_val_if_fail (BHXH_IS_SUPERVISOR_PAGE (self), 0);
  return self->escalations != NULL ? self->escalations->len : 0;
}
