/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions: deciding (with its undo window), printing, scanning
 * by hand, syncing, navigation. Every one has a shortcut. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docs/bhxh-papers.h"

#include "bhxh-birth-certificate-dialog.h"
#include "bhxh-decide-dialog.h"
#include "bhxh-paper-job.h"
#include "bhxh-toast.h"
#include "bhxh-window-private.h"

void
_bhxh_window_update_actions (BhxhWindow *self)
{
  BhxhDeclarationObject *object = bhxh_compare_page_get_object (self->compare_page);
  gboolean signed_in = self->login != NULL;
  gboolean comparing = signed_in && object != NULL &&
                       g_strcmp0 (gtk_stack_get_visible_child_name (self->detail_stack),
                                  "compare") == 0;
  gboolean open = comparing && bhxh_declaration_object_is_open (object);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.approve", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reject", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.escalate",
                                 open && bhxh_declaration_object_get_status (object)
                                         == BHXH_STATUS_PENDING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.birth-certificate", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.post-copy",
                                 open && g_strcmp0 (bhxh_declaration_object_get_declaration
                                                      (object)->handin, "post") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.print-form", comparing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 (self->counter != NULL && bhxh_counter_get_can_undo (self->counter)) ||
                                 self->commits_in_flight > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.print",
                                 self->pending != NULL || self->last_decided_id != NULL ||
                                 self->commits_in_flight > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.enter-scan", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync",
                                 signed_in && !bhxh_counter_get_syncing (self->counter));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-supervisor",
                                 signed_in && self->supervisor);
}

/* "Who viewed" (docs/security.md): opening a declaration for checking is
 * audited by the service. Without accounts an error is only logged: the
 * counter keeps working. */
static void
note_viewed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BhxhWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (bhxh_counter_note_viewed_finish (BHXH_COUNTER (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->accounts_required)
    bhxh_window_toast (self, error->message);
  else
    g_debug ("Cannot record who viewed the declaration: %s", error->message);
}

void
_bhxh_window_open_declaration (BhxhWindow            *self,
                               BhxhDeclarationObject *object,
                               const BhxhDocument    *document)
{
  bhxh_compare_page_show (self->compare_page, object, document);
  /* Not in this office's queue: opened from a scan, at another office. */
  if (bhxh_queue_page_lookup (self->queue_page, bhxh_declaration_object_get_id (object))
      != object)
    {
      g_autofree char *office = g_settings_get_string (self->settings, "office");

      bhxh_compare_page_set_desk_office (self->compare_page, office);
    }
  else
    bhxh_compare_page_set_desk_office (self->compare_page, NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "compare");
  adw_view_stack_set_visible_child_name (self->view_stack, "counter");
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
  bhxh_queue_page_select (self->queue_page, object);
  _bhxh_window_update_actions (self);
  if (self->login != NULL)
    bhxh_counter_note_viewed_async (self->counter, bhxh_declaration_object_get_id (object),
                                    self->cancellable, note_viewed_cb, g_object_ref (self));
}

/* Deciding. A decision goes to the store as soon as the clerk confirms it
 * (committed durably with its outbox and audit rows) and is held there for
 * the undo window: Undo withdraws it (audited); when the window ends, or the
 * clerk moves on (sign-out, sync, print, closing), the hold is released and
 * the next sync sends it. A crash inside the window loses nothing. */

static void
pending_free (BhxhPendingDecision *pending)
{
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  if (pending->toast != NULL)
    bhxh_toast_dismiss (pending->toast);
  g_clear_object (&pending->toast);
  g_clear_object (&pending->object);
  g_free (pending->uuid);
  g_clear_pointer (&pending->document, bhxh_document_free);
  g_free (pending);
}

static void print_last_decision (BhxhWindow *self);

static void
maybe_close (BhxhWindow *self)
{
  if (self->close_when_done && self->pending == NULL && self->commits_in_flight == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

typedef struct
{
  BhxhWindow       *self;
  BhxhWindowThen    then;
} ReleaseData;

static void
release_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ReleaseData *release = user_data;
  g_autoptr(BhxhWindow) self = release->self;
  g_autoptr(GError) error = NULL;

  /* The decision is recorded either way; only its hold could stay on. */
  if (!bhxh_counter_release_finish (BHXH_COUNTER (source), result, &error))
    g_warning ("Cannot end the undo window: %s", error->message);
  self->commits_in_flight--;
  if (release->then != NULL)
    release->then (self);
  g_free (release);
  maybe_close (self);
}

/* Ends the undo window of the decision in it, then runs @then (also when
 * there is none). */
void
_bhxh_window_commit_pending_then (BhxhWindow     *self,
                                  BhxhWindowThen  then)
{
  BhxhPendingDecision *pending = g_steal_pointer (&self->pending);
  ReleaseData *release;

  if (pending == NULL)
    {
      if (then != NULL)
        then (self);
      maybe_close (self);
      return;
    }
  release = g_new0 (ReleaseData, 1);
  release->self = g_object_ref (self);
  release->then = then;
  self->commits_in_flight++;
  /* Never cancelled: the service keeps the order, so a sign-out or a sync
   * that follows finds the hold ended. */
  bhxh_counter_release_async (self->counter, pending->uuid, NULL, release_cb, release);
  pending_free (pending);
  _bhxh_window_update_actions (self);
}

void
_bhxh_window_commit_pending (BhxhWindow *self)
{
  _bhxh_window_commit_pending_then (self, NULL);
}

static gboolean
undo_timeout_cb (gpointer user_data)
{
  BhxhWindow *self = user_data;

  self->pending->timeout_id = 0;
  _bhxh_window_commit_pending (self);
  return G_SOURCE_REMOVE;
}

static char *
decision_toast_text (BhxhOutcome  outcome,
                     const char  *name)
{
  switch (outcome)
    {
    case BHXH_OUTCOME_APPROVE:
      return g_strdup_printf (_("Approved: %s"), name);
    case BHXH_OUTCOME_REJECT:
      return g_strdup_printf (_("Rejected: %s"), name);
    case BHXH_OUTCOME_ESCALATE:
    default:
      return g_strdup_printf (_("Sent to a supervisor: %s"), name);
    }
}

typedef struct
{
  BhxhWindow            *self;
  BhxhDeclarationObject *object;
  BhxhDeclarationStatus  previous_status;
  BhxhDocument          *document;
  guint                  hold_seconds;
} CommitData;

static void
commit_data_free (CommitData *commit)
{
  g_clear_object (&commit->object);
  g_clear_pointer (&commit->document, bhxh_document_free);
  g_free (commit);
}

static void
show_not_recorded (BhxhWindow            *self,
                   BhxhDeclarationObject *object,
                   const GError          *error)
{
  const BhxhDeclaration *d = bhxh_declaration_object_get_declaration (object);
  g_autofree char *body = g_strdup_printf (_("The decision on %s was not recorded: %s"),
                                           d->full_name, error->message);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                              _("Decision Not Recorded"), body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void undo_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param);

/* The decision is on disk: show it with its undo window. */
static void
hold_decision (BhxhWindow         *self,
               CommitData         *commit,
               const BhxhDecision *decision)
{
  BhxhPendingDecision *pending;
  g_autofree char *text = NULL;

  _bhxh_window_commit_pending (self);
  pending = g_new0 (BhxhPendingDecision, 1);
  pending->object = g_object_ref (commit->object);
  pending->previous_status = commit->previous_status;
  pending->uuid = g_strdup (decision->uuid);
  pending->document = g_steal_pointer (&commit->document);
  self->pending = pending;

  text = decision_toast_text (decision->outcome,
                              bhxh_declaration_object_get_declaration (commit->object)->full_name);
  pending->toast = adw_toast_new (text);
  adw_toast_set_button_label (pending->toast, _("_Undo"));
  adw_toast_set_action_name (pending->toast, "win.undo");
  adw_toast_set_timeout (pending->toast, commit->hold_seconds);
  bhxh_toast_show_now (self->toast_overlay, g_object_ref (pending->toast));
  pending->timeout_id = g_timeout_add_seconds (commit->hold_seconds, undo_timeout_cb, self);
  /* Closing, or signed out meanwhile: nobody is there to undo it. */
  if (self->close_when_done || self->login == NULL)
    _bhxh_window_commit_pending (self);
  else if (self->undo_when_recorded)
    undo_activated (GTK_WIDGET (self), "win.undo", NULL);
  self->undo_when_recorded = FALSE;
}

static void
commit_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CommitData *commit = user_data;
  g_autoptr(BhxhWindow) self = commit->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDecision) decision = bhxh_counter_decide_finish (BHXH_COUNTER (source), result,
                                                                 &error);

  self->commits_in_flight--;
  bhxh_declaration_object_set_unsaved (commit->object, FALSE);
  if (decision == NULL)
    {
      /* Refused by the rules (or the disk): nothing changed. Back to the
       * declaration, with what was scanned, to decide otherwise. */
      bhxh_declaration_object_set_status (commit->object, commit->previous_status);
      if (!self->close_when_done && self->login != NULL)
        _bhxh_window_open_declaration (self, commit->object, commit->document);
      show_not_recorded (self, commit->object, error);
    }
  else
    {
      bhxh_declaration_object_set_status (commit->object,
                                          bhxh_outcome_to_status (decision->outcome));
      g_free (self->last_decided_id);
      self->last_decided_id = g_strdup (decision->declaration_id);
      self->last_outcome = decision->outcome;
      if (decision->hold_until != NULL)
        hold_decision (self, commit, decision);
    }
  commit_data_free (commit);
  if (self->commits_in_flight == 0)
    self->undo_when_recorded = FALSE;
  if (self->print_when_recorded && self->commits_in_flight == 0)
    {
      self->print_when_recorded = FALSE;
      if (decision != NULL)
        _bhxh_window_commit_pending_then (self, print_last_decision);
    }

  bhxh_queue_page_status_changed (self->queue_page);
  bhxh_status_bar_refresh (self->status_bar);
  if (self->supervisor_page != NULL)
    bhxh_supervisor_page_refresh (self->supervisor_page);
  _bhxh_window_update_actions (self);
  maybe_close (self);
}

static void
schedule_decision (BhxhWindow         *self,
                   BhxhOutcome         outcome,
                   const char * const *reason_codes,
                   const char         *note,
                   gboolean            override)
{
  BhxhDeclarationObject *object = bhxh_compare_page_get_object (self->compare_page);
  const BhxhDocument *document = bhxh_compare_page_get_document (self->compare_page);
  BhxhDecisionRequest request = { 0 };
  CommitData *commit;

  g_return_if_fail (object != NULL);

  /* The previous decision's window ends with the next one. */
  _bhxh_window_commit_pending (self);

  request.declaration_id = bhxh_declaration_object_get_id (object);
  request.outcome = outcome;
  request.reason_codes = reason_codes;
  request.note = note != NULL && note[0] != '\0' ? note : NULL;
  request.override = override;
  request.document = document;
  request.hold_seconds = MIN (g_settings_get_uint (self->settings, "undo-seconds"),
                              BHXH_STORE_MAX_HOLD_SECONDS);

  commit = g_new0 (CommitData, 1);
  commit->self = g_object_ref (self);
  commit->object = g_object_ref (object);
  commit->previous_status = bhxh_declaration_object_get_status (object);
  commit->document = document != NULL ? bhxh_document_copy (document) : NULL;
  commit->hold_seconds = request.hold_seconds;

  bhxh_declaration_object_set_status (object, bhxh_outcome_to_status (outcome));
  bhxh_declaration_object_set_unsaved (object, TRUE);
  bhxh_queue_page_status_changed (self->queue_page);
  gtk_stack_set_visible_child_name (self->detail_stack, "empty");
  adw_leaflet_set_visible_child_name (self->leaflet, "queue");

  self->commits_in_flight++;
  /* Never cancelled: a decision the clerk made must reach the store. The
   * request is sent now, before the page moves on. */
  bhxh_counter_decide_async (self->counter, &request, NULL, commit_cb, commit);
  _bhxh_window_update_actions (self);
}

static void
undo_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CommitData *undo = user_data;
  g_autoptr(BhxhWindow) self = undo->self;
  g_autoptr(GError) error = NULL;

  self->commits_in_flight--;
  if (!bhxh_counter_undo_finish (BHXH_COUNTER (source), result, &error))
    bhxh_window_toast (self, error->message);
  else
    {
      bhxh_declaration_object_set_status (undo->object, undo->previous_status);
      bhxh_queue_page_status_changed (self->queue_page);
      if (self->login != NULL)
        _bhxh_window_open_declaration (self, undo->object, undo->document);
      bhxh_window_toast (self, _("Decision undone"));
      bhxh_status_bar_refresh (self->status_bar);
      if (self->supervisor_page != NULL)
        bhxh_supervisor_page_refresh (self->supervisor_page);
    }
  commit_data_free (undo);
  _bhxh_window_update_actions (self);
  maybe_close (self);
}

static void
undo_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);
  BhxhPendingDecision *pending = g_steal_pointer (&self->pending);
  CommitData *undo;

  /* Ctrl+Z right after deciding, before the store has answered: undo it
   * as soon as it is recorded. */
  if (pending == NULL && self->commits_in_flight > 0)
    {
      self->undo_when_recorded = TRUE;
      return;
    }
  if (pending == NULL)
    return;
  undo = g_new0 (CommitData, 1);
  undo->self = g_object_ref (self);
  undo->object = g_object_ref (pending->object);
  undo->previous_status = pending->previous_status;
  undo->document = g_steal_pointer (&pending->document);
  self->commits_in_flight++;
  bhxh_counter_undo_async (self->counter, pending->uuid, NULL, undo_cb, undo);
  pending_free (pending);
  _bhxh_window_update_actions (self);
}

static char **
codes_from_check (const BhxhCheck *check)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; check != NULL && i < check->reasons->len; i++)
    {
      const BhxhReason *reason = g_ptr_array_index (check->reasons, i);

      if (reason->severity != BHXH_SEVERITY_INFO)
        g_strv_builder_add (builder, reason->code);
    }
  return g_strv_builder_end (builder);
}

static void
override_decided_cb (BhxhWindow         *self,
                     const char * const *codes,
                     const char         *note)
{
  g_autofree char *escalation = NULL;

  if (self->supervisor)
    {
      schedule_decision (self, BHXH_OUTCOME_APPROVE, NULL, note, TRUE);
      return;
    }
  /* A clerk cannot countersign: the declaration goes to the supervisors,
   * who approve it with override and their own name on the decision. */
  escalation = g_strdup_printf (_("Override requested: %s"), note);
  schedule_decision (self, BHXH_OUTCOME_ESCALATE, NULL, escalation, FALSE);
}

static void
attention_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       BhxhWindow       *self)
{
  if (g_strcmp0 (response, "approve") == 0)
    schedule_decision (self, BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE);
}

static void
confirm_attention (BhxhWindow      *self,
                   const BhxhCheck *check)
{
  g_autoptr(GString) body = g_string_new (_("The checks found things to look at:"));
  GtkWidget *dialog;

  for (guint i = 0; i < check->reasons->len; i++)
    {
      const BhxhReason *reason = g_ptr_array_index (check->reasons, i);

      g_string_append_printf (body, "\n• %s", reason->message);
    }
  g_string_append_printf (body, "\n\n%s", _("Approve if the papers in front of you settle them."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Approve Anyway?"), body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "approve", _("_Approve"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "approve",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (attention_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_decide_dialog (BhxhWindow     *self,
                    BhxhDecideMode  mode,
                    GCallback       callback)
{
  BhxhDeclarationObject *object = bhxh_compare_page_get_object (self->compare_page);
  g_auto(GStrv) preselected = codes_from_check (bhxh_compare_page_get_check (self->compare_page));
  BhxhDecideDialog *dialog;

  dialog = bhxh_decide_dialog_new (GTK_WINDOW (self), mode,
                                   bhxh_declaration_object_get_declaration (object)->full_name,
                                   self->reason_codes, (const char * const *) preselected,
                                   self->supervisor);
  g_signal_connect_object (dialog, "decided", callback, self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
no_document_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         BhxhWindow       *self)
{
  if (g_strcmp0 (response, "escalate") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.escalate", NULL);
}

static void
refuse_without_document (BhxhWindow *self)
{
  BhxhDeclarationObject *object = bhxh_compare_page_get_object (self->compare_page);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Scan the Document First"),
                                   bhxh_declaration_object_get_minor (object)
                                   ? _("No document has been checked for this declaration. "
                                       "Scan the child's birth certificate or enter it by "
                                       "hand (Ctrl+B) before approving, or escalate it to a "
                                       "supervisor.")
                                   : _("No document has been checked for this declaration. "
                                       "Scan the person's ID card before approving (for a "
                                       "declaration sent by post, type the ID number from "
                                       "the copy received: Ctrl+D), or escalate it to a "
                                       "supervisor."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Close"), "escalate", _("_Escalate…"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (no_document_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
approve_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);
  const BhxhCheck *check = bhxh_compare_page_get_check (self->compare_page);

  if (check == NULL)
    {
      bhxh_window_toast (self, _("Still checking the declaration…"));
      return;
    }
  if (bhxh_counter_get_approvals_blocked (self->counter))
    {
      bhxh_window_toast (self, bhxh_counter_get_block_message (self->counter));
      return;
    }
  /* Nothing scanned: a clerk cannot approve (the store refuses it too); a
   * supervisor may, with a note, and it shows as such everywhere. */
  if (bhxh_compare_page_get_document (self->compare_page) == NULL)
    {
      if (self->supervisor)
        open_decide_dialog (self, BHXH_DECIDE_OVERRIDE, G_CALLBACK (override_decided_cb));
      else
        refuse_without_document (self);
      return;
    }
  switch (check->verdict)
    {
    case BHXH_VERDICT_CAN_APPROVE:
      schedule_decision (self, BHXH_OUTCOME_APPROVE, NULL, NULL, FALSE);
      break;
    case BHXH_VERDICT_NEEDS_ATTENTION:
      confirm_attention (self, check);
      break;
    case BHXH_VERDICT_BLOCKED:
    default:
      open_decide_dialog (self, BHXH_DECIDE_OVERRIDE, G_CALLBACK (override_decided_cb));
      break;
    }
}

static void
reject_decided_cb (BhxhWindow         *self,
                   const char * const *codes,
                   const char         *note)
{
  schedule_decision (self, BHXH_OUTCOME_REJECT, codes, note, FALSE);
}

static void
escalate_decided_cb (BhxhWindow         *self,
                     const char * const *codes,
                     const char         *note)
{
  schedule_decision (self, BHXH_OUTCOME_ESCALATE, codes, note, FALSE);
}

static void
reject_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  open_decide_dialog (BHXH_WINDOW (widget), BHXH_DECIDE_REJECT, G_CALLBACK (reject_decided_cb));
}

static void
escalate_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  open_decide_dialog (BHXH_WINDOW (widget), BHXH_DECIDE_ESCALATE,
                      G_CALLBACK (escalate_decided_cb));
}

/* Papers: generated by src/docs in the service, then printed here. */

static void
print_paper (BhxhWindow    *self,
             BhxhPaperKind  kind,
             const char    *key)
{
  bhxh_paper_job_print (GTK_WINDOW (self), self->counter, kind, key, self->cancellable);
}

static void
print_last_decision (BhxhWindow *self)
{
  if (self->last_decided_id == NULL)
    return;
  if (self->last_outcome == BHXH_OUTCOME_ESCALATE)
    {
      bhxh_window_toast (self, _("An escalation has no paper: the supervisor decides."));
      return;
    }
  print_paper (self, self->last_outcome == BHXH_OUTCOME_APPROVE ? BHXH_PAPER_RECEIPT
                                                                : BHXH_PAPER_REJECTION,
               self->last_decided_id);
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);

  /* The paper shows the recorded decision: when the clerk's latest is still
   * on its way to the store, print once it is there. */
  if (self->commits_in_flight > 0)
    {
      self->print_when_recorded = TRUE;
      return;
    }
  /* Its undo window ends. */
  _bhxh_window_commit_pending_then (self, print_last_decision);
}

static void
print_form_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);
  BhxhDeclarationObject *object = bhxh_compare_page_get_object (self->compare_page);

  if (object != NULL)
    print_paper (self, BHXH_PAPER_FORM01, bhxh_declaration_object_get_id (object));
}

/* Documents entered by hand. */

static void
birth_document_cb (BhxhWindow   *self,
                   BhxhDocument *document)
{
  bhxh_compare_page_set_document (self->compare_page, document);
}

static void
birth_certificate_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);
  const BhxhDocument *current = bhxh_compare_page_get_document (self->compare_page);
  BhxhBirthCertificateDialog *dialog;

  /* A birth certificate typed in starts from what was scanned of it (its
   * number, from a code in another layout); never from an ID card. */
  if (current != NULL && current->kind == BHXH_DOCUMENT_CCCD)
    current = NULL;
  dialog = bhxh_birth_certificate_dialog_new (GTK_WINDOW (self), current);
  g_signal_connect_object (dialog, "document", G_CALLBACK (birth_document_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
enter_scan_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        BhxhWindow       *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *text = gtk_editable_get_text (entry);

  if (g_strcmp0 (response, "open") == 0 && text[0] != '\0')
    bhxh_window_handle_payload (self, text, -1);
}

static void
enter_scan_activate_cb (GtkEntry         *entry,
                        AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "open");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
enter_scan_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Scanned Code"),
                                              _("Type or paste the text of the card’s code. "
                                                "A scanner in keyboard mode can type here too."));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Code text"), -1);
  g_signal_connect (entry, "activate", G_CALLBACK (enter_scan_activate_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "open", _("_Open"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (enter_scan_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* A declaration handed in by post: the clerk types the ID number from the
 * copy of the card received with it; it becomes the compared document. */
static void
post_copy_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       BhxhWindow       *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(BhxhDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "use") != 0)
    return;
  document = bhxh_document_new_post_copy (gtk_editable_get_text (entry), &error);
  if (document == NULL)
    {
      bhxh_window_toast (self, error->message);
      return;
    }
  bhxh_compare_page_set_document (self->compare_page, document);
}

static void
post_copy_activate_cb (GtkEntry         *entry,
                       AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "use");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
post_copy_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Copy Received by Post"),
                                              _("Type the 12-digit ID number from the copy of "
                                                "the person’s card received with the "
                                                "declaration."));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_max_length (GTK_ENTRY (entry), 16);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("ID number"), -1);
  g_signal_connect (entry, "activate", G_CALLBACK (post_copy_activate_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "use", _("_Compare"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "use",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (post_copy_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Navigation. */

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "counter");
  adw_leaflet_set_visible_child_name (self->leaflet, "queue");
  bhxh_queue_page_focus_search (self->queue_page);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "queue");
  bhxh_queue_page_focus_search (self->queue_page);
}

static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  BhxhWindow *self = BHXH_WINDOW (widget);

  if (g_str_equal (action_name, "win.show-supervisor"))
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "supervisor");
      if (self->supervisor_page != NULL)
        bhxh_supervisor_page_refresh (self->supervisor_page);
    }
  else
    adw_view_stack_set_visible_child_name (self->view_stack, "counter");
}

/* The menu's sign-out and the idle lock. A decision in its undo window is
 * released first: the service answers one caller's calls in order, so it
 * is released while its clerk is still signed in. Nothing of the
 * work screen stays on show: its dialogs close and the sign-in page
 * covers the rest until the next sign-in reloads it. */
void
_bhxh_window_sign_out (BhxhWindow *self)
{
  g_autofree char *login = g_steal_pointer (&self->login);
  g_autoptr(GList) toplevels = NULL;

  if (login == NULL)
    return;
  self->login = g_steal_pointer (&login);
  _bhxh_window_commit_pending (self);
  login = g_steal_pointer (&self->login);
  bhxh_counter_sign_out (self->counter);

  /* Dialogs on show (deciding, a scan's choices, preferences) close. */
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (self) &&
        gtk_widget_get_visible (l->data))
      gtk_window_close (l->data);

  g_clear_pointer (&self->display_name, g_free);
  self->supervisor = FALSE;
  gtk_label_set_text (self->user_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_bar), FALSE);
  gtk_stack_set_visible_child_name (self->detail_stack, "empty");
  /* On a narrow screen the next clerk starts at the queue, not at an
   * empty detail without a way back. */
  adw_leaflet_set_visible_child_name (self->leaflet, "queue");
  bhxh_queue_page_clear_search (self->queue_page);
  _bhxh_window_show_page (self, "sign-in");
  bhxh_sign_in_page_reset (self->sign_in_page, login);
  bhxh_scan_listener_set_enabled (self->scan_listener, FALSE);
  _bhxh_window_apply_camera (self);
  _bhxh_window_apply_idle_lock (self);
  _bhxh_window_update_actions (self);
}

static void
sign_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  _bhxh_window_sign_out (BHXH_WINDOW (widget));
}

void
_bhxh_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.approve", NULL, approve_activated);
  gtk_widget_class_install_action (widget_class, "win.reject", NULL, reject_activated);
  gtk_widget_class_install_action (widget_class, "win.escalate", NULL, escalate_activated);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_activated);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_activated);
  gtk_widget_class_install_action (widget_class, "win.print-form", NULL, print_form_activated);
  gtk_widget_class_install_action (widget_class, "win.birth-certificate", NULL,
                                   birth_certificate_activated);
  gtk_widget_class_install_action (widget_class, "win.enter-scan", NULL, enter_scan_activated);
  gtk_widget_class_install_action (widget_class, "win.post-copy", NULL, post_copy_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.show-counter", NULL, show_page_activated);
  gtk_widget_class_install_action (widget_class, "win.show-supervisor", NULL,
                                   show_page_activated);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, _bhxh_window_sync_activated);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-counter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-supervisor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.sign-out", NULL);
}

/* The deciding keys work wherever the focus is, even in the search field
 * (which would take Ctrl+Enter as its own Enter): they are caught in the
 * capture phase, before the focused widget. */
void
_bhxh_window_add_capture_shortcuts (BhxhWindow *self)
{
  static const struct {
    const char *trigger;
    const char *action;
  } shortcuts[] = {
    { "<Control>Return", "win.approve" },
    { "<Control>KP_Enter", "win.approve" },
    { "<Control>r", "win.reject" },
    { "<Control>e", "win.escalate" },
    { "<Control>z", "win.undo" },
    { "<Control>p", "win.print" },
    { "<Control><Shift>p", "win.print-form" },
    { "<Control>b", "win.birth-certificate" },
    { "<Control>l", "win.enter-scan" },
    { "<Control>d", "win.post-copy" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "bhxh-decide-keys");
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    {
      GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (shortcuts[i].trigger);
      GtkShortcutAction *action = gtk_named_action_new (shortcuts[i].action);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (trigger, action));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
