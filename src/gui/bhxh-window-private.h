/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "service/bhxh-counter.h"
#include "store/bhxh-store.h"

#include "bhxh-camera-view.h"
#include "bhxh-compare-page.h"
#include "bhxh-idle-watch.h"
#include "bhxh-queue-page.h"
#include "bhxh-scan-listener.h"
#include "bhxh-sign-in-page.h"
#include "bhxh-status-bar.h"
#include "bhxh-setup-page.h"
#include "bhxh-supervisor-page.h"
#include "bhxh-window.h"

G_BEGIN_DECLS

/* A decision in its undo window: recorded, held from being sent, and
 * withdrawn by Undo. */
typedef struct
{
  BhxhDeclarationObject *object;
  BhxhDeclarationStatus  previous_status;
  char                  *uuid;
  BhxhDocument          *document;
  guint                  timeout_id;
  AdwToast              *toast;
} BhxhPendingDecision;

struct _BhxhWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkLabel             *user_label;
  GtkStack             *main_stack;
  AdwStatusPage        *loading_page;
  AdwStatusPage        *error_page;
  BhxhSignInPage       *sign_in_page;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *supervisor_stack_page;
  AdwLeaflet           *leaflet;
  BhxhQueuePage        *queue_page;
  GtkStack             *detail_stack;
  BhxhComparePage      *compare_page;
  AdwBin               *supervisor_bin;
  BhxhSupervisorPage   *supervisor_page;    /* NULL until a supervisor signs in */
  BhxhSetupPage        *setup_page;         /* a real office's first run, or NULL */
  BhxhStatusBar        *status_bar;
  GtkWidget            *camera_clamp;
  BhxhCameraView       *camera_view;

  BhxhApplication      *application;
  BhxhCounter          *counter;     /* NULL until its service answers */
  GSettings            *settings;
  GCancellable         *cancellable;
  guint                 prepare_id;       /* until the service is started */
  BhxhScanListener     *scan_listener;

  char                 *login;
  char                 *display_name;
  gboolean              supervisor;
  GPtrArray            *reason_codes;    /* (element-type BhxhReasonCode) */

  BhxhPendingDecision  *pending;
  guint                 commits_in_flight;
  gboolean              close_when_done;
  char                 *last_decided_id;
  gboolean              print_when_recorded;   /* Ctrl+P while a decision was on its way */
  gboolean              undo_when_recorded;    /* Ctrl+Z while a decision was on its way */
  BhxhOutcome           last_outcome;

  /* Accounts (docs/security.md): the database's mode, and the idle lock. */
  gboolean              accounts_required;
  BhxhIdleWatch        *idle_watch;
  guint                 idle_lock_minutes;   /* the database's setting */
  int                   idle_lock_seconds;   /* "idle-lock-seconds": -1 = the setting */
};

/* bhxh-window.c: a page of the main stack (built hidden but the loading
 * one), shown. */
void _bhxh_window_show_page          (BhxhWindow     *self,
                                      const char     *name);

/* bhxh-window-actions.c */
void _bhxh_window_class_init_actions (GtkWidgetClass *widget_class);
void _bhxh_window_update_actions     (BhxhWindow     *self);
void _bhxh_window_apply_camera       (BhxhWindow     *self);
void _bhxh_window_add_capture_shortcuts (BhxhWindow  *self);
typedef void (*BhxhWindowThen) (BhxhWindow *self);
void _bhxh_window_commit_pending     (BhxhWindow     *self);
void _bhxh_window_commit_pending_then (BhxhWindow    *self,
                                      BhxhWindowThen then);
void _bhxh_window_sync_activated     (GtkWidget      *widget,
                                      const char     *action_name,
                                      GVariant       *param);
void _bhxh_window_sign_out           (BhxhWindow     *self);
void _bhxh_window_apply_idle_lock    (BhxhWindow     *self);
void _bhxh_window_open_declaration   (BhxhWindow            *self,
                                      BhxhDeclarationObject *object,
                                      const BhxhDocument    *document);
/* A scanned document (transfer full) to its open declarations. */
void _bhxh_window_lookup_document    (BhxhWindow            *self,
                                      BhxhDocument          *document);
/* After a card's QR: its chip, when a reader is there (bhxh-window-chip.c);
 * then _bhxh_window_lookup_document() with the chip's data or the QR. */
void _bhxh_window_read_chip          (BhxhWindow            *self,
                                      BhxhDocument          *qr);

G_END_DECLS
