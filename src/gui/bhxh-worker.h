/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/bhxh-store.h"

G_BEGIN_DECLS

/* Runs in the worker thread, with the store that thread owns. Returns the
 * result (freed with the job's result_free if nobody takes it) or NULL and
 * sets @error. */
typedef gpointer (*BhxhWorkerFunc) (BhxhStore     *store,
                                    gpointer       data,
                                    GCancellable  *cancellable,
                                    GError       **error);

#define BHXH_TYPE_WORKER (bhxh_worker_get_type ())
G_DECLARE_FINAL_TYPE (BhxhWorker, bhxh_worker, BHXH, WORKER, GObject)

BhxhWorker *bhxh_worker_new         (const char          *path);
const char *bhxh_worker_get_path    (BhxhWorker          *self);
void        bhxh_worker_run_async   (BhxhWorker          *self,
                                     BhxhWorkerFunc       func,
                                     gpointer             data,
                                     GDestroyNotify       data_free,
                                     GDestroyNotify       result_free,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gpointer    bhxh_worker_run_finish  (BhxhWorker          *self,
                                     GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
