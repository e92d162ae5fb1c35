/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Accounts in the GUI (docs/security.md), on a real display (Xvfb): the
 * password sign-in page against a real store in "accounts required" mode,
 * the idle watch, and the whole application locking itself when idle. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "core/bhxh-clock.h"
#include "demo/bhxh-demo.h"
#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"

#include "bhxh-application.h"
#include "bhxh-idle-watch.h"
#include "bhxh-sign-in-page.h"
#include "bhxh-window-private.h"
#include "service/bhxh-counter.h"

#define ADMIN_PASSWORD "quản trị 2026"
#define LAN_PASSWORD   "mật khẩu của Lan"

static const BhxhDate today = { 2026, 11, 23 };

typedef struct
{
  char *dir;
  char *path;
} Fixture;

/* A demo office in accounts-required mode: root (admin) and lan.nguyen
 * (clerk) have passwords; hung.tran has none. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = NULL;

  f->dir = g_dir_make_tmp ("bhxh-gui-trust-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "desk.sqlite", NULL);
  store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  bhxh_demo_create (store, &today, 1000, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_store_init_accounts (store, "root", "Quản trị", ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_authenticate (store, "root", ADMIN_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_set_password (store, "lan.nguyen", LAN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_change_setting (store, BHXH_META_MAX_FAILURES, 3, &error));
  g_assert_no_error (error);
  bhxh_store_sign_out (store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
spin_until (gboolean (*done) (gpointer),
            gpointer  data,
            guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The sign-in page. */

static void
close_window (GtkWidget *window)
{
  /* A focused GtkText destroyed with its window warns (fatal here). */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  BhxhSignInPage *page;
  GtkWidget      *entry;
  GtkLabel       *error_label;
  GtkWidget      *password_box;
  GtkListBox     *user_list;
  char           *signed_in;     /* login, role */
  guint           n_errors_seen;
} PageState;

static void
signed_in_cb (BhxhSignInPage *page,
              const char     *login,
              const char     *display_name,
              const char     *role,
              PageState      *state)
{
  g_free (state->signed_in);
  state->signed_in = g_strdup_printf ("%s %s", login, role);
}

static gboolean
answered (gpointer data)
{
  PageState *state = data;

  return state->signed_in != NULL || gtk_widget_get_visible (GTK_WIDGET (state->error_label));
}

static void
try_password (PageState  *state,
              const char *password)
{
  g_clear_pointer (&state->signed_in, g_free);
  gtk_editable_set_text (GTK_EDITABLE (state->entry), password);
  g_signal_emit_by_name (state->entry, "activate");
  /* Submitting empties the entry and hides the last error at once. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (state->entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (state->error_label)));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (state->entry)));
  spin_until (answered, state, 5000);
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (state->entry)));
}

static GtkWidget *
row_for (PageState  *state,
         const char *login)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (state->user_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "login"), login) == 0)
      return row;
  g_assert_not_reached ();
}

static BhxhSignInPage *
page_new (PageState   *state,
          BhxhCounter *counter,
          GPtrArray  *users,
          gboolean    accounts_required,
          const char *last)
{
  BhxhSignInPage *page = g_object_new (BHXH_TYPE_SIGN_IN_PAGE, NULL);
  GType type = BHXH_TYPE_SIGN_IN_PAGE;

  state->page = page;
  state->entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), type,
                                                            "password_entry"));
  state->error_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page), type,
                                                                 "error_label"));
  state->password_box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), type,
                                                                   "password_box"));
  state->user_list = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (page), type,
                                                                  "user_list"));
  g_signal_connect (page, "sign-in", G_CALLBACK (signed_in_cb), state);
  bhxh_sign_in_page_set_counter (page, counter);
  bhxh_sign_in_page_set_accounts_required (page, accounts_required);
  bhxh_sign_in_page_set_users (page, users, last, FALSE);
  return page;
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* A counter on @path's own private service, nobody signed in. */
static BhxhCounter *
counter_open (const char *path)
{
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GError) error = NULL;
  BhxhCounter *counter;

  bhxh_counter_new_private_async (path, FALSE, NULL, got_result, &started);
  spin_until (result_arrived, &started, 20000);
  counter = bhxh_counter_new_finish (started, &error);
  g_assert_no_error (error);
  return counter;
}

/* Who the service has signed in on @counter's session: the one that
 * decides (a call that needs a session answers, or not). */
static char *
service_session (BhxhCounter *counter)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhxhCounterStatus) status = NULL;

  bhxh_counter_get_status_async (counter, NULL, got_result, &result);
  spin_until (result_arrived, &result, 5000);
  status = bhxh_counter_get_status_finish (counter, result, NULL);
  return status != NULL ? g_strdup (bhxh_counter_get_login (counter)) : NULL;
}

static GPtrArray *
users_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = bhxh_store_open (path, &error);
  GPtrArray *users;

  g_assert_no_error (error);
  users = bhxh_store_list_users (store, &error);
  g_assert_no_error (error);
  return users;
}

static void
test_password_sign_in (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(BhxhCounter) counter = counter_open (f->path);
  g_autoptr(GPtrArray) users = users_of (f->path);
  PageState state = { 0 };
  GtkWidget *window;
  g_autofree char *session = NULL;
  g_autofree char *nobody = NULL;

  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window),
                        GTK_WIDGET (page_new (&state, counter, users, TRUE, "lan.nguyen")));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  /* The last user is chosen: their password is asked at once. */
  g_assert_true (bhxh_sign_in_page_get_accounts_required (state.page));
  g_assert_true (gtk_widget_get_visible (state.password_box));
  g_assert_true (gtk_widget_has_focus (state.entry) ||
                 gtk_widget_is_focus (gtk_widget_get_first_child (state.entry)) ||
                 gtk_widget_has_focus (gtk_root_get_focus (GTK_ROOT (window))));

  /* A wrong password: refused, attempts left told (max 3 in the fixture). */
  try_password (&state, "not the password");
  g_assert_null (state.signed_in);
  g_assert_cmpstr (gtk_label_get_text (state.error_label), ==,
                   "Wrong password. 2 attempts left before the account is locked.");
  nobody = service_session (counter);
  g_assert_null (nobody);

  /* The right one: "sign-in" with the role the store holds, and the
   * service has the session. */
  try_password (&state, LAN_PASSWORD);
  g_assert_cmpstr (state.signed_in, ==, "lan.nguyen clerk");
  session = service_session (counter);
  g_assert_cmpstr (session, ==, "lan.nguyen");

  /* Back after a sign-out: Lan chosen again, nothing typed left. */
  bhxh_sign_in_page_reset (state.page, "lan.nguyen");
  g_assert_true (gtk_widget_get_visible (state.password_box));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (state.entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (state.error_label)));

  /* An account without a password cannot sign in in this mode. */
  g_signal_emit_by_name (state.user_list, "row-activated", row_for (&state, "hung.tran"));
  try_password (&state, "anything at all");
  g_assert_null (state.signed_in);
  g_assert_cmpstr (gtk_label_get_text (state.error_label), ==,
                   "This account has no password yet: ask an administrator to set one.");

  close_window (window);
  g_free (state.signed_in);
}

static void
test_password_lockout (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(BhxhCounter) counter = counter_open (f->path);
  g_autoptr(GPtrArray) users = users_of (f->path);
  PageState state = { 0 };
  GtkWidget *window;
  const char *text;

  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window),
                        GTK_WIDGET (page_new (&state, counter, users, TRUE, "root")));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  g_signal_emit_by_name (state.user_list, "row-activated", row_for (&state, "lan.nguyen"));

  try_password (&state, "wrong 1 wrong");
  g_assert_cmpstr (gtk_label_get_text (state.error_label), ==,
                   "Wrong password. 2 attempts left before the account is locked.");
  try_password (&state, "wrong 2 wrong");
  g_assert_cmpstr (gtk_label_get_text (state.error_label), ==,
                   "Wrong password. 1 attempt left before the account is locked.");
  /* The third locks it: the page says until when. */
  try_password (&state, "wrong 3 wrong");
  text = gtk_label_get_text (state.error_label);
  g_assert_true (g_str_has_prefix (text, "Too many wrong passwords: this account is locked until "));
  g_assert_true (g_regex_match_simple ("until [0-2][0-9]:[0-5][0-9]\\.", text, 0, 0));

  /* Even the right password is refused while locked. */
  try_password (&state, LAN_PASSWORD);
  g_assert_null (state.signed_in);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (state.error_label),
                                   "Too many wrong passwords: this account is locked until "));

  /* Other accounts are not locked with it. */
  g_signal_emit_by_name (state.user_list, "row-activated", row_for (&state, "root"));
  try_password (&state, ADMIN_PASSWORD);
  g_assert_cmpstr (state.signed_in, ==, "root admin");

  close_window (window);
  g_free (state.signed_in);
}

/* Open mode (demo databases) is as before: choosing a user signs in, no
 * password asked. */
static void
test_open_mode_unchanged (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autofree char *path = g_build_filename (f->dir, "open.sqlite", NULL);
  g_autoptr(BhxhCounter) counter = NULL;
  g_autoptr(GPtrArray) users = NULL;
  PageState state = { 0 };
  GtkWidget *window;

  store = bhxh_store_open (path, &error);
  g_assert_no_error (error);
  bhxh_demo_create (store, &today, 1000, &error);
  g_assert_no_error (error);
  g_assert_false (bhxh_store_accounts_required (store));
  g_clear_object (&store);
  counter = counter_open (path);
  users = users_of (path);

  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window),
                        GTK_WIDGET (page_new (&state, counter, users, FALSE, "thuy.le")));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  g_assert_false (gtk_widget_get_visible (state.password_box));
  g_signal_emit_by_name (state.user_list, "row-activated", row_for (&state, "quang.pham"));
  spin_until (answered, &state, 5000);
  g_assert_cmpstr (state.signed_in, ==, "quang.pham supervisor");
  close_window (window);
  g_free (state.signed_in);
}

/* The idle watch. */

static void
count_cb (BhxhIdleWatch *watch,
          gint64        *fired_at)
{
  *fired_at = g_get_monotonic_time ();
}

static gboolean
int64_set (gpointer data)
{
  return *(gint64 *) data != 0;
}

static void
test_idle_watch (void)
{
  GtkWidget *window = gtk_window_new ();
  g_autoptr(BhxhIdleWatch) watch = bhxh_idle_watch_new (window);
  gint64 fired_at = 0;
  gint64 start;

  g_signal_connect (watch, "idle", G_CALLBACK (count_cb), &fired_at);
  gtk_window_present (GTK_WINDOW (window));

  /* 0: never. */
  g_assert_cmpuint (bhxh_idle_watch_get_timeout (watch), ==, 0);

  g_object_set (watch, "timeout-seconds", 1, NULL);
  start = g_get_monotonic_time ();
  /* Input at 0.6 s puts it off to 1.6 s. */
  while (g_get_monotonic_time () - start < 600000)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  g_assert_cmpint (fired_at, ==, 0);
  bhxh_idle_watch_poke (watch);
  spin_until (int64_set, &fired_at, 3000);
  g_assert_cmpint (fired_at - start, >=, 1600000);
  g_assert_cmpint (fired_at - start, <, 2500000);

  /* Off again: nothing more. */
  fired_at = 0;
  bhxh_idle_watch_set_timeout (watch, 0);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 1200000)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  g_assert_cmpint (fired_at, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The whole application: sign in with a password, open a declaration,
 * leave it idle: it signs out of the service and shows the sign-in
 * page with the same user chosen, nothing of the declaration left. */

typedef struct
{
  Fixture    *f;
  char       *declaration_id;
  BhxhWindow *window;
  guint       step;
  gint64      idle_from;
  gint64      locked_after;
  gboolean    saw_compare;
} AppRun;

static GtkWindow *
dialog_of (BhxhWindow *window)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (window) &&
        gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
drive_cb (gpointer data)
{
  AppRun *run = data;
  BhxhWindow *w = run->window;
  const char *visible;

  if (w == NULL)
    return G_SOURCE_CONTINUE;
  visible = gtk_stack_get_visible_child_name (w->main_stack);
  if (g_getenv ("BHXH_TEST_TRACE") != NULL)
    g_printerr ("step %u: %s\n", run->step, visible);
  switch (run->step)
    {
    case 0:     /* the sign-in page asks for Lan's password */
      if (g_strcmp0 (visible, "sign-in") != 0)
        break;
      {
        GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (w->sign_in_page),
                                                                      BHXH_TYPE_SIGN_IN_PAGE,
                                                                      "password_entry"));

        g_assert_true (w->accounts_required);
        g_assert_true (gtk_widget_get_mapped (entry));
        gtk_editable_set_text (GTK_EDITABLE (entry), LAN_PASSWORD);
        g_signal_emit_by_name (entry, "activate");
        run->step++;
      }
      break;
    case 1:     /* signed in: open a declaration once the queue has it */
      if (g_strcmp0 (visible, "work") != 0)
        break;
      g_assert_cmpstr (w->login, ==, "lan.nguyen");
      {
        BhxhDeclarationObject *object = bhxh_queue_page_lookup (w->queue_page,
                                                                run->declaration_id);

        if (object == NULL || w->reason_codes == NULL || w->reason_codes->len == 0)
          break;
        /* Idle from here: setting the timeout starts the watch's clock. */
        run->idle_from = g_get_monotonic_time ();
        g_object_set (w, "idle-lock-seconds", 1, NULL);
        _bhxh_window_open_declaration (w, object, NULL);
        g_assert_cmpstr (gtk_stack_get_visible_child_name (w->detail_stack), ==, "compare");
        run->saw_compare = TRUE;
        run->step++;
      }
      break;
    case 2:     /* reject it: recorded, held for its undo window (6 s) */
      {
        GtkWindow *dialog;
        const char *codes[] = {
          ((BhxhReasonCode *) g_ptr_array_index (w->reason_codes, 0))->code, NULL
        };

        gtk_widget_activate_action (GTK_WIDGET (w), "win.reject", NULL);
        dialog = dialog_of (w);
        g_assert_nonnull (dialog);
        g_signal_emit_by_name (dialog, "decided", codes, "");
        /* The dialog is left open: the lock must close it. */
        g_assert_nonnull (dialog_of (w));
        run->step++;
      }
      break;
    case 3:     /* recorded at once, held for its undo window */
      if (w->pending == NULL)
        break;
      run->step++;
      break;
    case 4:     /* left alone: locked */
      if (g_strcmp0 (visible, "sign-in") != 0)
        break;
      run->locked_after = g_get_monotonic_time () - run->idle_from;
      g_assert_null (w->login);
      g_assert_null (dialog_of (w));
      g_assert_cmpstr (gtk_stack_get_visible_child_name (w->detail_stack), ==, "empty");
      {
        GtkWidget *box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (w->sign_in_page),
                                                                    BHXH_TYPE_SIGN_IN_PAGE,
                                                                    "password_box"));
        GtkLabel *title = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (w->sign_in_page),
                                                                    BHXH_TYPE_SIGN_IN_PAGE,
                                                                    "password_title"));

        g_assert_true (gtk_widget_get_visible (box));
        g_assert_nonnull (strstr (gtk_label_get_label (title), "Nguyễn Thị Lan"));
      }
      run->step++;
      break;
    default:    /* let the sign-out reach the service, then close */
      run->window = NULL;
      gtk_window_close (GTK_WINDOW (w));
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 AppRun         *run)
{
  if (BHXH_IS_WINDOW (window) && run->window == NULL)
    run->window = BHXH_WINDOW (window);
}

static void
test_idle_lock_window (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhApplication) app = bhxh_application_new ();
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GPtrArray) declarations = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *database = g_strdup (f->path);
  char *argv[] = { (char *) "bhxh-desk", (char *) "--database", database, NULL };
  BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;
  AppRun run = { f, NULL, NULL, 0, 0, 0, FALSE };
  const char *expected[] = { "auth.sign-in", "declaration.view", "decision.reject",
                             "auth.sign-out" };
  g_autoptr(BhxhDeclaration) decided = NULL;
  guint found = 0;
  guint source;

  store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  filter.status = BHXH_STATUS_PENDING;
  filter.office_code = "00106";
  declarations = bhxh_store_list_declarations (store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (declarations->len, >, 0);
  run.declaration_id = g_strdup (((BhxhDeclaration *) declarations->pdata[0])->id);
  g_clear_object (&store);

  g_settings_set_string (bhxh_application_get_settings (app), "last-user", "lan.nguyen");
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), &run);
  source = g_timeout_add (20, drive_cb, &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 0);
  g_clear_handle_id (&source, g_source_remove);
  g_assert_cmpuint (run.step, ==, 5);
  g_assert_true (run.saw_compare);
  g_test_message ("locked after %.2f s idle (timeout 1 s)", run.locked_after / 1e6);
  g_assert_cmpint (run.locked_after, >=, 1000000);
  g_assert_cmpint (run.locked_after, <, 3000000);

  /* The held rejection was recorded, by Lan, before the sign-out. */
  store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  decided = bhxh_store_get_declaration (store, run.declaration_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (decided->status, ==, BHXH_STATUS_REJECTED);

  /* The trail: Lan signed in, viewed the declaration, rejected it, was
   * signed out. */
  g_assert_true (bhxh_store_authenticate (store, "root", ADMIN_PASSWORD, NULL, &error));
  audit = bhxh_store_list_audit (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len && found < G_N_ELEMENTS (expected); i++)
    {
      const BhxhAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_strcmp0 (entry->actor, "lan.nguyen") != 0 ||
          g_strcmp0 (entry->action, expected[found]) != 0)
        continue;
      if (found == 1 || found == 2)
        g_assert_cmpstr (entry->object, ==, run.declaration_id);
      found++;
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (expected));
  g_free (run.declaration_id);
}

int
main (int   argc,
      char *argv[])
{
  bhxh_clock_pin_text ("2026-11-23", NULL);
  g_setenv ("BHXH_DESK_TEST_FAST_HASH", "1", TRUE);
  /* The service the pages talk to runs on the fixtures' day too. */
  g_setenv ("BHXH_DESK_TODAY", "2026-11-23", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/trust/sign-in/password", Fixture, NULL, fixture_setup,
              test_password_sign_in, fixture_teardown);
  g_test_add ("/trust/sign-in/lockout", Fixture, NULL, fixture_setup,
              test_password_lockout, fixture_teardown);
  g_test_add ("/trust/sign-in/open-mode", Fixture, NULL, fixture_setup,
              test_open_mode_unchanged, fixture_teardown);
  g_test_add_func ("/trust/idle-watch", test_idle_watch);
  g_test_add ("/trust/idle-lock/window", Fixture, NULL, fixture_setup,
              test_idle_lock_window, fixture_teardown);
  return g_test_run ();
}
