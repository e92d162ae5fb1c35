/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "store/bhxh-store.h"

#include "bhxh-decide-dialog.h"

struct _BhxhDecideDialog
{
  AdwWindow       parent_instance;

  GtkWidget      *confirm_button;
  GtkLabel       *intro_label;
  GtkWidget      *reasons_title;
  GtkListBox     *reasons_list;
  GtkTextView    *note_view;
  GtkLabel       *error_label;

  BhxhDecideMode  mode;
  GPtrArray      *checks;    /* GtkCheckButton, with "code" data */
};

enum {
  DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhDecideDialog, bhxh_decide_dialog, ADW_TYPE_WINDOW)

static char *
dup_note (BhxhDecideDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (g_steal_pointer (&text));
}

static GStrv
dup_codes (BhxhDecideDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "code"));
    }
  return g_strv_builder_end (builder);
}

static void
show_error (BhxhDecideDialog *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

gboolean
bhxh_decide_dialog_confirm (BhxhDecideDialog *self)
{
  g_auto(GStrv) codes = NULL;
  g_autofree char *note = NULL;

  g_return_val_if_fail (BHXH_IS_DECIDE_DIALOG (self), FALSE);

  codes = dup_codes (self);
  note = dup_note (self);
  if (self->mode == BHXH_DECIDE_REJECT && codes[0] == NULL)
    {
      show_error (self, _("Choose at least one reason: the citizen is told why."));
      return FALSE;
    }
  /* The store refuses these too; saying so here keeps the clerk in the dialog. */
  if (self->mode == BHXH_DECIDE_ESCALATE && codes[0] == NULL && g_strstrip (note)[0] == '\0')
    {
      show_error (self, _("Choose a reason or write what the supervisor should look at."));
      gtk_widget_grab_focus (GTK_WIDGET (self->note_view));
      return FALSE;
    }
  if (self->mode == BHXH_DECIDE_OVERRIDE && note[0] == '\0')
    {
      show_error (self, _("Write why the blocking problem can be set aside."));
      gtk_widget_grab_focus (GTK_WIDGET (self->note_view));
      return FALSE;
    }
  g_signal_emit (self, signals[DECIDED], 0, codes, note);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

static void
confirm_clicked_cb (BhxhDecideDialog *self)
{
  bhxh_decide_dialog_confirm (self);
}

static void
cancel_clicked_cb (BhxhDecideDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
confirm_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  bhxh_decide_dialog_confirm (BHXH_DECIDE_DIALOG (widget));
}

static void
bhxh_decide_dialog_dispose (GObject *object)
{
  BhxhDecideDialog *self = (BhxhDecideDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BHXH_TYPE_DECIDE_DIALOG);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  G_OBJECT_CLASS (bhxh_decide_dialog_parent_class)->dispose (object);
}

static void
bhxh_decide_dialog_class_init (BhxhDecideDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_decide_dialog_dispose;

  signals[DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_STRV, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/bhxh/Desk/bhxh-decide-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BhxhDecideDialog, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, BhxhDecideDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhDecideDialog, reasons_title);
  gtk_widget_class_bind_template_child (widget_class, BhxhDecideDialog, reasons_list);
  gtk_widget_class_bind_template_child (widget_class, BhxhDecideDialog, note_view);
  gtk_widget_class_bind_template_child (widget_class, BhxhDecideDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, confirm_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "decide.confirm", NULL, confirm_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "decide.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "decide.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* Ctrl+Enter confirms from anywhere, the note too: caught before the
 * text view would insert a line break. */
static gboolean
key_captured_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 BhxhDecideDialog      *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
      && (state & GDK_CONTROL_MASK) != 0)
    {
      bhxh_decide_dialog_confirm (self);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
bhxh_decide_dialog_init (BhxhDecideDialog *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->checks = g_ptr_array_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_captured_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

static void
add_reason (BhxhDecideDialog     *self,
            const BhxhReasonCode *reason,
            gboolean              active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reason->label);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  /* One Tab stop for the whole list: the row takes the focus, Space or
   * Enter ticks it, the arrows move between reasons. */
  gtk_widget_set_focusable (check, FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  g_object_set_data_full (G_OBJECT (check), "code", g_strdup (reason->code), g_free);
  gtk_list_box_append (self->reasons_list, row);
  g_ptr_array_add (self->checks, check);
}

static void
set_texts (BhxhDecideDialog *self,
           const char       *person_name,
           gboolean          supervisor)
{
  g_autofree char *intro = NULL;
  const char *title, *confirm;

  switch (self->mode)
    {
    case BHXH_DECIDE_REJECT:
      title = _("Reject the Declaration");
      confirm = _("_Reject");
      intro = g_strdup_printf (_("The portal tells %s why, so they can correct the "
                                 "declaration. Ctrl+Enter confirms."), person_name);
      gtk_widget_add_css_class (self->confirm_button, "destructive-action");
      break;
    case BHXH_DECIDE_ESCALATE:
      title = _("Send to a Supervisor");
      confirm = _("_Escalate");
      intro = g_strdup_printf (_("A supervisor will look at the declaration of %s. Say "
                                 "what they should check."), person_name);
      gtk_widget_add_css_class (self->confirm_button, "suggested-action");
      break;
    case BHXH_DECIDE_OVERRIDE:
    default:
      title = _("Approve Despite a Blocking Problem");
      if (supervisor)
        {
          confirm = _("_Approve and Countersign");
          intro = g_strdup_printf (_("You approve the declaration of %s as supervisor. "
                                     "Write why the problem can be set aside; the note is "
                                     "kept with the decision."), person_name);
        }
      else
        {
          confirm = _("_Ask for Countersign");
          intro = g_strdup_printf (_("Approving %s needs a supervisor’s countersign. Write "
                                     "why the problem can be set aside: the declaration goes "
                                     "to the supervisors with your note."), person_name);
        }
      gtk_widget_add_css_class (self->confirm_button, "suggested-action");
      break;
    }

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_button_set_label (GTK_BUTTON (self->confirm_button), confirm);
  gtk_label_set_text (self->intro_label, intro);
}

/* The checks name their reasons finely ("name-diacritics", "birth-date-
 * partial"); the portal's reason codes are broader ("name-mismatch"). A code
 * is ticked when a check reason shares its subject. */
static gboolean
preselect_matches (const char         *reason_code,
                   const char * const *check_codes)
{
  g_autofree char *stem = g_strdup (reason_code);
  char *suffix = g_strrstr (stem, "-mismatch");

  if (suffix != NULL)
    *suffix = '\0';
  for (guint i = 0; check_codes != NULL && check_codes[i] != NULL; i++)
    {
      const char *code = check_codes[i];

      if (g_str_equal (code, reason_code) || g_str_equal (code, stem))
        return TRUE;
      if (suffix != NULL && g_str_has_prefix (code, stem) && code[strlen (stem)] == '-' &&
          strstr (code, "warning") == NULL)
        return TRUE;
    }
  return FALSE;
}

BhxhDecideDialog *
bhxh_decide_dialog_new (GtkWindow          *parent,
                        BhxhDecideMode      mode,
                        const char         *person_name,
                        GPtrArray          *reason_codes,
                        const char * const *preselected,
                        gboolean            supervisor)
{
  BhxhDecideDialog *self;
  gboolean show_reasons = mode != BHXH_DECIDE_OVERRIDE;

  self = g_object_new (BHXH_TYPE_DECIDE_DIALOG, "transient-for", parent, NULL);
  self->mode = mode;
  set_texts (self, person_name, supervisor);

  for (guint i = 0; show_reasons && reason_codes != NULL && i < reason_codes->len; i++)
    {
      const BhxhReasonCode *reason = g_ptr_array_index (reason_codes, i);
      gboolean active = preselect_matches (reason->code, preselected);

      add_reason (self, reason, active);
    }
  gtk_widget_set_visible (self->reasons_title, show_reasons);
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_list), show_reasons);
  /* Keyboard first: Space ticks the focused reason, Ctrl+Enter confirms. */
  if (mode == BHXH_DECIDE_OVERRIDE || self->checks->len == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->note_view));
  else
    gtk_widget_grab_focus (gtk_widget_get_ancestor (g_ptr_array_index (self->checks, 0),
                                                    GTK_TYPE_LIST_BOX_ROW));
  return self;
}

BhxhDecideMode
bhxh_decide_dialog_get_mode (BhxhDecideDialog *self)
{
  g_return_val_if_fail (BHXH_IS_DECIDE_DIALOG (self), BHXH_DECIDE_REJECT);
  return self->mode;
}

void
bhxh_decide_dialog_set_note (BhxhDecideDialog *self,
                             const char       *note)
{
  g_return_if_fail (BHXH_IS_DECIDE_DIALOG (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view), note, -1);
}

void
bhxh_decide_dialog_set_selected (BhxhDecideDialog *self,
                                 const char       *code,
                                 gboolean          selected)
{
  g_return_if_fail (BHXH_IS_DECIDE_DIALOG (self));

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "code"), code) == 0)
        gtk_check_button_set_active (check, selected);
    }
}
