/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/bhxh-store.h"
#include "bhxh-sync.h"

G_BEGIN_DECLS

/* Hand-carried synchronisation (see bhxh-bundle.h for the file format).
 * The workstation token signs nothing: the portal signs what comes in,
 * this counter's own key what goes out (docs/security.md). */

/* Writes every decision not yet acknowledged to @file (atomically), signed
 * with this counter's key, numbered, valid for 30 days. They stay in the
 * outbox: when the counter is online again they are sent too, and the
 * portal acknowledges them once, whichever arrives first. @workstation:
 * NULL for the one the portal named at the last sync. */
gboolean bhxh_sync_export_decisions (BhxhStore       *store,
                                     const char      *file,
                                     const char      *workstation,
                                     guint           *n_exported,
                                     GError         **error);
/* Imports an inbound bundle: declarations, offices, reason codes and a
 * mirror delta (or snapshot). First checks its size, its signature by the
 * portal's pinned key, its nesting depth, that it was made for this
 * workstation (@workstation only when the portal never named it), has not
 * expired and is newer than the last one installed and than the last sync
 * online: replays and rollbacks are refused. */
BhxhSyncReport *bhxh_sync_import_bundle (BhxhStore     *store,
                                         const char    *file,
                                         const char    *workstation,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
