/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-text.h"
#include "demo/bhxh-demo.h"
#include "store/bhxh-auth.h"

#include "bhxh-renderer.h"
#include "bhxh-window-private.h"

G_DEFINE_FINAL_TYPE (BhxhWindow, bhxh_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_IDLE_LOCK_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


void
bhxh_window_toast (BhxhWindow *self,
                   const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

BhxhCounter *
bhxh_window_get_counter (BhxhWindow *self)
{
  g_return_val_if_fail (BHXH_IS_WINDOW (self), NULL);
  return self->counter;
}

static void day_changed_cb (BhxhWindow *self);

/* The main stack's pages but the loading one are built hidden: the first
 * frame (the loading page) would otherwise style the sign-in page and the
 * whole counter behind it, some 40 ms of a start. A page is shown when it
 * is first switched to. */
void
_bhxh_window_show_page (BhxhWindow *self,
                        const char *name)
{
  gtk_widget_set_visible (gtk_stack_get_child_by_name (self->main_stack, name), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, name);
}

static void
show_error_page (BhxhWindow   *self,
                 const GError *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  _bhxh_window_show_page (self, "error");
}

/* Opening: start the counter's service (the demo office is made on first
 * use there), then list the users. */

static void sign_in_cb (BhxhWindow *self,
                        const char *login,
                        const char *display_name,
                        const char *role);

static void
setup_done_cb (BhxhWindow *self,
               const char *login,
               const char *display_name,
               const char *role)
{
  self->accounts_required = TRUE;
  sign_in_cb (self, login, display_name, role);
}

static void
show_setup (BhxhWindow *self)
{
  if (self->setup_page == NULL)
    {
      self->setup_page = bhxh_setup_page_new (self->counter, self->settings);
      g_signal_connect_object (self->setup_page, "done", G_CALLBACK (setup_done_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->setup_page), "setup");
    }
  _bhxh_window_show_page (self, "setup");
  /* The first field: the administrator's name. */
  gtk_widget_child_focus (GTK_WIDGET (self->setup_page), GTK_DIR_TAB_FORWARD);
}

static void
described_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BhxhWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhCounterInfo) info = NULL;
  g_autofree char *last = NULL;

  info = bhxh_counter_describe_finish (BHXH_COUNTER (source), result, &error);
  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_page (self, error);
      return;
    }
  self->accounts_required = info->accounts_required;
  self->idle_lock_minutes = info->idle_lock_minutes;
  /* A real office's first run: no account at all yet (the demo has its own). */
  if (info->users->len == 0 && !bhxh_application_get_is_demo (self->application))
    {
      show_setup (self);
      return;
    }
  last = g_settings_get_string (self->settings, "last-user");
  bhxh_sign_in_page_set_accounts_required (self->sign_in_page, self->accounts_required);
  bhxh_sign_in_page_set_users (self->sign_in_page, info->users, last,
                               bhxh_application_get_is_demo (self->application));
  _bhxh_window_show_page (self, "sign-in");
}

/* The service ended the session on its side (the account was disabled,
 * or it stayed idle past the service's own limit): back to signing in. */
static void
session_ended_cb (BhxhWindow *self)
{
  if (self->login == NULL)
    return;
  _bhxh_window_sign_out (self);
  bhxh_window_toast (self, _("Your session has ended: sign in again."));
}

static void
counter_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BhxhWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->counter = bhxh_counter_new_finish (result, &error);
  if (self->counter == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_page (self, error);
      return;
    }
  bhxh_queue_page_set_counter (self->queue_page, self->counter);
  bhxh_compare_page_set_counter (self->compare_page, self->counter);
  bhxh_sign_in_page_set_counter (self->sign_in_page, self->counter);
  g_signal_connect_object (self->counter, "notify::syncing",
                           G_CALLBACK (_bhxh_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::can-undo",
                           G_CALLBACK (_bhxh_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "notify::today",
                           G_CALLBACK (day_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counter, "session-ended",
                           G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);
  bhxh_counter_describe_async (self->counter, self->cancellable, described_cb,
                               g_object_ref (self));
}

/* bench/bench-gui-startup.sh: BHXH_DESK_BENCH=frame|ready prints the
 * monotonic time of the first painted frame, and of the first frame that
 * shows the sign-in page, then quits. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      BhxhWindow    *self)
{
  const char *mode = g_getenv ("BHXH_DESK_BENCH");

  if (g_object_get_data (G_OBJECT (self), "bench-first-frame") == NULL)
    {
      g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
      g_object_set_data (G_OBJECT (self), "bench-first-frame", GINT_TO_POINTER (1));
      if (g_strcmp0 (mode, "frame") == 0)
        g_application_quit (G_APPLICATION (self->application));
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "sign-in") == 0)
    {
      g_print ("ready %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
      g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, self);
      g_application_quit (G_APPLICATION (self->application));
    }
}

static void
bench_map_cb (BhxhWindow *self)
{
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                    G_CALLBACK (bench_after_paint_cb), self);
}

static void
start_service (BhxhWindow *self)
{
  gboolean demo = bhxh_application_get_is_demo (self->application);

  g_clear_handle_id (&self->prepare_id, g_source_remove);
  if (bhxh_application_get_system (self->application))
    bhxh_counter_new_system_async (self->cancellable, counter_ready_cb, g_object_ref (self));
  else
    bhxh_counter_new_private_async (bhxh_application_get_database (self->application), demo,
                                    self->cancellable, counter_ready_cb, g_object_ref (self));
}

static gboolean
prepare_timeout_cb (gpointer user_data)
{
  BhxhWindow *self = user_data;

  self->prepare_id = 0;
  start_service (self);
  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GdkFrameClock *clock,
                BhxhWindow    *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, self);
  if (self->prepare_id != 0)
    start_service (self);
  bhxh_renderer_note (GTK_WIDGET (self));
}

static void
prepare_map_cb (BhxhWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, prepare_map_cb, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (first_paint_cb), self, 0);
}

/* The loading page at once; the service (a new process, forked from this
 * one, then its store) once the first frame is on screen: started before,
 * it delayed that frame by a fifth of a second on a busy counter PC. The
 * timeout covers a window that is never painted. */
static void
prepare (BhxhWindow *self)
{
  if (bhxh_application_get_is_demo (self->application))
    adw_status_page_set_title (self->loading_page, _("Preparing the Demo Office…"));
  _bhxh_window_show_page (self, "loading");
  self->prepare_id = g_timeout_add (500, prepare_timeout_cb, self);
  g_signal_connect (self, "map", G_CALLBACK (prepare_map_cb), NULL);
}

/* The idle lock: no input for the database's idle_lock_minutes (or the
 * "idle-lock-seconds" property, for tests) signs out like the menu does. */

void
_bhxh_window_apply_idle_lock (BhxhWindow *self)
{
  guint seconds = 0;

  if (self->login != NULL)
    seconds = self->idle_lock_seconds >= 0 ? (guint) self->idle_lock_seconds
                                           : self->idle_lock_minutes * 60;
  bhxh_idle_watch_set_timeout (self->idle_watch, seconds);
}

static void
idle_cb (BhxhWindow *self)
{
  if (self->login == NULL)
    return;
  g_debug ("No input for %u s: locking", bhxh_idle_watch_get_timeout (self->idle_watch));
  _bhxh_window_sign_out (self);
  bhxh_window_toast (self, _("Signed out after a while without activity."));
}

/* Signing in. */

static void
reasons_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BhxhWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *codes = bhxh_counter_list_reason_codes_finish (BHXH_COUNTER (source), result,
                                                            &error);

  if (codes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bhxh_window_toast (self, error->message);
      return;
    }
  g_clear_pointer (&self->reason_codes, g_ptr_array_unref);
  self->reason_codes = codes;
  if (self->supervisor_page != NULL)
    bhxh_supervisor_page_set_reason_codes (self->supervisor_page, codes);
}

static void
queue_loaded_cb (BhxhWindow   *self,
                 const GError *error)
{
  if (error != NULL)
    bhxh_window_toast (self, error->message);
}

static void supervisor_changed_cb (BhxhWindow *self);
static void supervisor_open_cb    (BhxhWindow            *self,
                                   const char            *id,
                                   const char            *why,
                                   const BhxhDeclaration *declaration);

static void
sign_in_cb (BhxhWindow *self,
            const char *login,
            const char *display_name,
            const char *role)
{
  g_autofree char *office = g_settings_get_string (self->settings, "office");
  g_autofree char *who = NULL;
  BhxhDate today = bhxh_counter_get_today (self->counter);

  g_free (self->login);
  g_free (self->display_name);
  self->login = g_strdup (login);
  self->display_name = g_strdup (display_name);
  /* An admin may do what a supervisor may (the library checks the roles). */
  self->supervisor = bhxh_role_parse (role) >= BHXH_ROLE_SUPERVISOR;
  g_settings_set_string (self->settings, "last-user", login);

  who = g_strdup_printf ("%s · %s", display_name, bhxh_role_to_label (bhxh_role_parse (role)));
  gtk_label_set_text (self->user_label, who);
  adw_view_stack_page_set_visible (self->supervisor_stack_page, self->supervisor);
  adw_view_stack_set_visible_child_name (self->view_stack, "counter");
  gtk_stack_set_visible_child_name (self->detail_stack, "empty");
  _bhxh_window_show_page (self, "work");

  bhxh_queue_page_load (self->queue_page, office, &today);
  /* Built on first need: a clerk's start-up never pays for the charts. */
  if (self->supervisor && self->supervisor_page == NULL)
    {
      self->supervisor_page = g_object_new (BHXH_TYPE_SUPERVISOR_PAGE, NULL);
      g_signal_connect_object (self->supervisor_page, "changed",
                               G_CALLBACK (supervisor_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->supervisor_page, "open-declaration",
                               G_CALLBACK (supervisor_open_cb), self, G_CONNECT_SWAPPED);
      adw_bin_set_child (self->supervisor_bin, GTK_WIDGET (self->supervisor_page));
      if (self->reason_codes != NULL)
        bhxh_supervisor_page_set_reason_codes (self->supervisor_page, self->reason_codes);
    }
  if (self->supervisor_page != NULL)
    bhxh_supervisor_page_setup (self->supervisor_page, self->counter, &today);
  bhxh_status_bar_setup (self->status_bar, self->counter, self->settings);
  gtk_widget_set_visible (GTK_WIDGET (self->status_bar), TRUE);
  /* The sign-in itself is in the audit trail (the service recorded it). */
  bhxh_counter_list_reason_codes_async (self->counter, self->cancellable, reasons_cb,
                                        g_object_ref (self));
  _bhxh_window_apply_idle_lock (self);
  bhxh_scan_listener_set_enabled (self->scan_listener, TRUE);
  _bhxh_window_apply_camera (self);
  _bhxh_window_update_actions (self);
  bhxh_queue_page_focus_search (self->queue_page);
}

/* Scanning. */

static BhxhDeclarationObject *
object_for (BhxhWindow      *self,
            BhxhDeclaration *declaration)
{
  BhxhDeclarationObject *object = bhxh_queue_page_lookup (self->queue_page, declaration->id);
  BhxhDate today;

  if (object != NULL)
    {
      bhxh_declaration_free (declaration);
      return g_object_ref (object);
    }
  /* Open at another office of the tree: show it all the same. */
  today = bhxh_counter_get_today (self->counter);
  return bhxh_declaration_object_new (declaration, &today);
}

static void
not_found_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       BhxhWindow       *self)
{
  if (g_strcmp0 (response, "search") == 0)
    {
      bhxh_queue_page_set_search (self->queue_page,
                                  g_object_get_data (G_OBJECT (dialog), "id-number"));
      bhxh_queue_page_focus_search (self->queue_page);
    }
}

static void
show_not_found (BhxhWindow         *self,
                const BhxhDocument *document,
                guint               n_persons)
{
  g_autofree char *masked = bhxh_text_mask_id (document->id_number);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (n_persons == 0)
    body = g_strdup_printf (_("No open declaration for %s (ID number %s), and the number "
                              "is not in the registry mirror either.\n\nThe person may be "
                              "managed by BHXH Bộ Quốc phòng (armed forces): search the "
                              "household database, and if found there, switch the mã số "
                              "BHXH before the citizen declares again."),
                            document->full_name != NULL ? document->full_name : "—", masked);
  else
    body = g_strdup_printf (_("No open declaration for %s (ID number %s). The person is in "
                              "the registry: they may not have declared yet, the declaration "
                              "may have expired, or it was sent to another office."),
                            document->full_name != NULL ? document->full_name : "—", masked);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("No Matching Declaration"), body));
  adw_message_dialog_add_responses (dialog, "close", _("_Close"),
                                    "search", _("_Search the Queue"), NULL);
  adw_message_dialog_set_default_response (dialog, "search");
  adw_message_dialog_set_close_response (dialog, "close");
  g_object_set_data_full (G_OBJECT (dialog), "id-number", g_strdup (document->id_number), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (not_found_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
choose_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BhxhWindow       *self)
{
  GPtrArray *objects = g_object_get_data (G_OBJECT (dialog), "objects");
  const BhxhDocument *document = g_object_get_data (G_OBJECT (dialog), "document");
  guint64 index;

  if (!g_ascii_string_to_unsigned (response, 10, 0, objects->len - 1, &index, NULL))
    return;
  _bhxh_window_open_declaration (self, g_ptr_array_index (objects, index), document);
}

static void
show_choice (BhxhWindow         *self,
             GPtrArray          *objects,
             const BhxhDocument *document)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Several Open Declarations"),
                                                       NULL));
  {
    const BhxhDeclaration *first =
      bhxh_declaration_object_get_declaration (g_ptr_array_index (objects, 0));

    adw_message_dialog_format_body (dialog, _("%s has more than one open declaration. Which "
                                              "one is the citizen here for?"),
                                    first->full_name);
  }
  adw_message_dialog_set_response_appearance (dialog, "cancel", ADW_RESPONSE_DEFAULT);
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  for (guint i = 0; i < objects->len; i++)
    {
      const BhxhDeclaration *d =
        bhxh_declaration_object_get_declaration (g_ptr_array_index (objects, i));
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_autoptr(GDateTime) local = d->submitted_at != NULL
                                   ? g_date_time_to_local (d->submitted_at) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%d/%m/%Y %H:%M")
                                            : g_strdup ("—");
      /* Two declarations of one person differ by kind, time and number. */
      g_autofree char *label = g_strdup_printf (_("%s — submitted %s (%s)"),
                                                bhxh_kind_to_display (d->kind), when, d->id);

      adw_message_dialog_add_response (dialog, id, label);
    }
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_default_response (dialog, "0");
  g_object_set_data_full (G_OBJECT (dialog), "objects", g_ptr_array_ref (objects),
                          (GDestroyNotify) g_ptr_array_unref);
  if (document != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "document", bhxh_document_copy (document),
                            (GDestroyNotify) bhxh_document_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (choose_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  BhxhWindow   *self;
  BhxhDocument *document;
} ScanRequest;

static void
scan_lookup_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ScanRequest *request = user_data;
  g_autoptr(BhxhWindow) self = request->self;
  g_autoptr(BhxhDocument) document = request->document;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) declarations = NULL;
  guint n_persons = 0;

  g_free (request);
  declarations = bhxh_counter_find_open_finish (BHXH_COUNTER (source), result, &n_persons,
                                                &error);
  if (declarations == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bhxh_window_toast (self, error->message);
      return;
    }
  g_ptr_array_set_free_func (declarations, NULL);
  for (guint i = 0; i < declarations->len; i++)
    g_ptr_array_add (objects, object_for (self, g_ptr_array_index (declarations, i)));

  /* Without a document (a damaged scan's ID number): the card is still to
   * be scanned, there is nothing more to tell. */
  if (objects->len == 0 && document == NULL)
    bhxh_window_toast (self, _("No open declaration for this ID number"));
  else if (objects->len == 0)
    show_not_found (self, document, n_persons);
  else if (objects->len == 1)
    _bhxh_window_open_declaration (self, g_ptr_array_index (objects, 0), document);
  else
    show_choice (self, objects, document);
}

void
bhxh_window_handle_payload (BhxhWindow *self,
                            const char *data,
                            gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) document = NULL;

  g_return_if_fail (BHXH_IS_WINDOW (self));

  if (self->login == NULL)
    return;
  document = bhxh_document_parse_scan (data, len, &error);
  if (document == NULL)
    {
      bhxh_window_toast (self, error->message);
      return;
    }
  if (document->id_number == NULL)
    {
      /* A birth-certificate code without the child's number: the clerk
       * completes it by hand against the declaration on screen. */
      if (bhxh_compare_page_get_object (self->compare_page) != NULL &&
          g_strcmp0 (gtk_stack_get_visible_child_name (self->detail_stack), "compare") == 0)
        bhxh_compare_page_set_document (self->compare_page, document);
      else
        bhxh_window_toast (self, _("The code holds no identification number. Open the "
                                   "declaration first, then enter the document by hand."));
      return;
    }

  /* A card's QR can be printed by anyone: its chip, when a reader is
   * there, is the stronger evidence. */
  if (document->kind == BHXH_DOCUMENT_CCCD)
    _bhxh_window_read_chip (self, g_steal_pointer (&document));
  else
    _bhxh_window_lookup_document (self, g_steal_pointer (&document));
}

void
_bhxh_window_lookup_document (BhxhWindow   *self,
                              BhxhDocument *document)
{
  ScanRequest *request = g_new0 (ScanRequest, 1);

  request->self = g_object_ref (self);
  request->document = document;
  bhxh_counter_find_open_async (self->counter, request->document->id_number,
                                self->cancellable, scan_lookup_cb, request);
}

static void
scan_payload_cb (BhxhWindow *self,
                 GBytes     *payload)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (payload, &len);

  bhxh_window_handle_payload (self, data, len);
}

/* The 12-digit ID number a mangled keyboard scan still holds: digits are
 * never rewritten by input methods or code pages. */
static char *
id_number_in (const char *text)
{
  g_auto(GStrv) fields = NULL;

  if (text == NULL)
    return NULL;
  fields = g_strsplit_set (text, "|\t\r\n ", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *field = fields[i];

      /* Scanner prefixes such as "CCCD:" before the number. */
      while (*field != '\0' && !g_ascii_isdigit (*field))
        field++;
      if (bhxh_id_number_is_valid (field))
        return g_strdup (field);
    }
  return NULL;
}

static void
problem_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BhxhWindow       *self)
{
  const char *id_number = g_object_get_data (G_OBJECT (dialog), "id-number");
  ScanRequest *request;

  if (g_strcmp0 (response, "open") != 0 || id_number == NULL || self->login == NULL)
    return;
  request = g_new0 (ScanRequest, 1);
  request->self = g_object_ref (self);
  bhxh_counter_find_open_async (self->counter, id_number, self->cancellable, scan_lookup_cb,
                                request);
}

/* A scan that cannot be trusted: what to change, in a dialog the clerk can
 * read to the end; when the ID number came through intact, the citizen's
 * declaration opens (without the card, which needs a clean scan). */
static void
scan_problem_cb (BhxhWindow *self,
                 const char *message,
                 const char *text)
{
  g_autofree char *id_number = self->login != NULL ? id_number_in (text) : NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (id_number != NULL)
    {
      g_autofree char *masked = bhxh_text_mask_id (id_number);

      body = g_strdup_printf (_("%s\n\nThe ID number %s was read intact: open the "
                                "citizen’s declaration now and scan the card again once the "
                                "scanner is set right (or use the camera)."),
                              message, masked);
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("The Scan Cannot Be Used"),
                                                       body != NULL ? body : message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_close_response (dialog, "close");
  if (id_number != NULL)
    {
      adw_message_dialog_add_response (dialog, "open", _("_Open the Declaration"));
      adw_message_dialog_set_response_appearance (dialog, "open", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "open");
      g_object_set_data_full (G_OBJECT (dialog), "id-number", g_steal_pointer (&id_number),
                              g_free);
    }
  else
    adw_message_dialog_set_default_response (dialog, "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (problem_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The webcam: in camera mode its preview waits on the idle page and its
 * codes open declarations like any other scan. */

static void
camera_decoded_cb (BhxhWindow     *self,
                   BhxhScanResult *result)
{
  if (result->text != NULL)
    bhxh_window_handle_payload (self, result->text, -1);
  else if (result->error != NULL)
    scan_problem_cb (self, result->error->message, NULL);
}

void
_bhxh_window_apply_camera (BhxhWindow *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "scanner-mode");
  gboolean wanted = self->login != NULL && g_str_equal (mode, "camera");
  BhxhScanCamera *camera = bhxh_camera_view_get_camera (self->camera_view);

  gtk_widget_set_visible (self->camera_clamp, wanted);
  if (!wanted)
    {
      bhxh_camera_view_stop (self->camera_view);
      return;
    }
  if (camera == NULL)
    {
      g_autoptr(BhxhScanCamera) created = bhxh_scan_camera_new ();

      g_signal_connect_object (created, "decoded", G_CALLBACK (camera_decoded_cb), self,
                               G_CONNECT_SWAPPED);
      bhxh_camera_view_set_camera (self->camera_view, created);
      camera = created;
    }
  {
    g_autofree char *device = g_settings_get_string (self->settings, "camera-device");

    bhxh_camera_view_stop (self->camera_view);
    bhxh_scan_camera_set_device (camera, device[0] != '\0' ? device : NULL);
  }
  bhxh_camera_view_start (self->camera_view);
}

static void
office_changed_cb (BhxhWindow *self)
{
  g_autofree char *office = g_settings_get_string (self->settings, "office");
  BhxhDate today;

  /* Decisions in their undo window are recorded before the queue reloads. */
  if (self->login == NULL)
    return;
  _bhxh_window_commit_pending (self);
  today = bhxh_counter_get_today (self->counter);
  bhxh_queue_page_load (self->queue_page, office, &today);
}

/* Past midnight the ages in the queue and the supervisor's day move on. */
static void
day_changed_cb (BhxhWindow *self)
{
  BhxhDate today = bhxh_counter_get_today (self->counter);

  if (self->login == NULL)
    return;
  office_changed_cb (self);
  if (self->supervisor_page != NULL && self->supervisor)
    bhxh_supervisor_page_setup (self->supervisor_page, self->counter, &today);
}

/* Navigation and layout. */

static void
declaration_activated_cb (BhxhWindow            *self,
                          BhxhDeclarationObject *object)
{
  _bhxh_window_open_declaration (self, object, NULL);
}

/* Countersigning: the escalated declaration on the counter's page, with
 * its comparison and why it waits; approve or reject there. */
static void
supervisor_open_cb (BhxhWindow            *self,
                    const char            *id,
                    const char            *why,
                    const BhxhDeclaration *declaration)
{
  g_autoptr(BhxhDeclarationObject) object = NULL;

  /* An escalation of another office than the queue's opens all the same. */
  if (bhxh_queue_page_lookup (self->queue_page, id) != NULL)
    object = g_object_ref (bhxh_queue_page_lookup (self->queue_page, id));
  else if (declaration != NULL)
    object = object_for (self, bhxh_declaration_copy (declaration));
  if (object == NULL)
    {
      bhxh_window_toast (self, _("The declaration is not in this office’s queue"));
      return;
    }
  _bhxh_window_open_declaration (self, object, NULL);
  bhxh_compare_page_set_escalation (self->compare_page, why);
}

static void
supervisor_changed_cb (BhxhWindow *self)
{
  bhxh_status_bar_refresh (self->status_bar);
}

static void
folded_changed_cb (BhxhWindow *self)
{
  bhxh_compare_page_set_folded (self->compare_page, adw_leaflet_get_folded (self->leaflet));
}

static gboolean
close_request_cb (BhxhWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));

  /* A decision still in its undo window is recorded before closing. */
  if (self->pending != NULL || self->commits_in_flight > 0)
    {
      self->close_when_done = TRUE;
      _bhxh_window_commit_pending (self);
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return TRUE;
    }
  return FALSE;
}

static void
bhxh_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BhxhWindow *self = BHXH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_IDLE_LOCK_SECONDS:
      g_value_set_int (value, self->idle_lock_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BhxhWindow *self = BHXH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_IDLE_LOCK_SECONDS:
      self->idle_lock_seconds = g_value_get_int (value);
      _bhxh_window_apply_idle_lock (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_window_dispose (GObject *object)
{
  BhxhWindow *self = (BhxhWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->prepare_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BHXH_TYPE_WINDOW);
  g_clear_object (&self->scan_listener);
  g_clear_object (&self->idle_watch);
  g_clear_object (&self->counter);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->reason_codes, g_ptr_array_unref);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->last_decided_id, g_free);

  G_OBJECT_CLASS (bhxh_window_parent_class)->dispose (object);
}

static void
bhxh_window_class_init (BhxhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_window_dispose;
  object_class->get_property = bhxh_window_get_property;
  object_class->set_property = bhxh_window_set_property;

  /* Seconds without input before the idle lock; -1: the database's
   * idle_lock_minutes setting; 0: never. */
  properties[PROP_IDLE_LOCK_SECONDS] =
    g_param_spec_int ("idle-lock-seconds", NULL, NULL, -1, G_MAXINT / 1000, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BHXH_TYPE_SIGN_IN_PAGE);
  g_type_ensure (BHXH_TYPE_QUEUE_PAGE);
  g_type_ensure (BHXH_TYPE_COMPARE_PAGE);
  g_type_ensure (BHXH_TYPE_STATUS_BAR);
  g_type_ensure (BHXH_TYPE_CAMERA_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/vn/bhxh/Desk/bhxh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, supervisor_stack_page);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, compare_page);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, supervisor_bin);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, camera_clamp);
  gtk_widget_class_bind_template_child (widget_class, BhxhWindow, camera_view);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, declaration_activated_cb);

  _bhxh_window_class_init_actions (widget_class);
}

static void
bhxh_window_init (BhxhWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->idle_lock_seconds = -1;
  self->idle_watch = bhxh_idle_watch_new (GTK_WIDGET (self));
  g_signal_connect_object (self->idle_watch, "idle", G_CALLBACK (idle_cb), self,
                           G_CONNECT_SWAPPED);
  _bhxh_window_add_capture_shortcuts (self);

  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (folded_changed_cb), self);
  g_signal_connect_swapped (self->queue_page, "loaded", G_CALLBACK (queue_loaded_cb), self);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
}

BhxhWindow *
bhxh_window_new (BhxhApplication *application)
{
  BhxhWindow *self;

  g_return_val_if_fail (BHXH_IS_APPLICATION (application), NULL);

  self = g_object_new (BHXH_TYPE_WINDOW, "application", application, NULL);
  self->application = application;
  self->settings = g_object_ref (bhxh_application_get_settings (application));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->scan_listener = bhxh_scan_listener_new (GTK_WIDGET (self), self->settings);
  g_signal_connect_object (self->scan_listener, "payload", G_CALLBACK (scan_payload_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scan_listener, "problem", G_CALLBACK (scan_problem_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::scanner-mode",
                           G_CALLBACK (_bhxh_window_apply_camera), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::camera-device",
                           G_CALLBACK (_bhxh_window_apply_camera), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::office",
                           G_CALLBACK (office_changed_cb), self, G_CONNECT_SWAPPED);
  _bhxh_window_update_actions (self);
  if (g_getenv ("BHXH_DESK_BENCH") != NULL)
    g_signal_connect (self, "map", G_CALLBACK (bench_map_cb), NULL);
  prepare (self);
  return self;
}
