/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/bhxh-store.h"
#include "bhxh-sync.h"

G_BEGIN_DECLS

/* Hand-carried synchronisation (see bhxh-bundle.h for the file format).
 * The key is the workstation's portal token. */

/* Writes every decision not yet acknowledged to @file (atomically). They
 * stay in the outbox: when the counter is online again they are sent
 * too, and the portal acknowledges them once, whichever arrives first. */
gboolean bhxh_sync_export_decisions (BhxhStore       *store,
                                     const char      *file,
                                     const char      *workstation,
                                     GBytes          *key,
                                     guint           *n_exported,
                                     GError         **error);
/* Imports an inbound bundle: declarations, offices, reason codes and a
 * mirror delta (or snapshot). Verifies the signature first. */
BhxhSyncReport *bhxh_sync_import_bundle (BhxhStore     *store,
                                         const char    *file,
                                         GBytes        *key,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
