/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One thread that owns the application's sqlite connection: every store
 * call of the GUI runs here, in order, never on the UI thread. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "bhxh-worker.h"

struct _BhxhWorker
{
  GObject       parent_instance;
  char         *path;
  GThread      *thread;
  GAsyncQueue  *jobs;
};

typedef struct
{
  GTask          *task;        /* NULL: the stop sentinel */
  BhxhWorkerFunc  func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} Job;

G_DEFINE_FINAL_TYPE (BhxhWorker, bhxh_worker, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_clear_object (&job->task);
  g_free (job);
}

static void
job_run (Job       *job,
         BhxhStore *store,
         GError    *open_error)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  g_autoptr(GError) error = NULL;
  gpointer result;

  if (open_error != NULL)
    {
      g_task_return_error (job->task, g_error_copy (open_error));
      return;
    }
  if (g_task_return_error_if_cancelled (job->task))
    return;

  result = job->func (store, job->data, cancellable, &error);
  if (error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&error));
  else
    g_task_return_pointer (job->task, result, job->result_free);
}

static gpointer
worker_thread (gpointer user_data)
{
  BhxhWorker *self = user_data;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) open_error = NULL;

  for (;;)
    {
      Job *job = g_async_queue_pop (self->jobs);

      if (job->task == NULL)
        {
          job_free (job);
          break;
        }
      /* Opened lazily, in this thread, so the connection never leaves it. */
      if (store == NULL && open_error == NULL)
        store = bhxh_store_open (self->path, &open_error);
      job_run (job, store, open_error);
      job_free (job);
    }

  return NULL;
}

static void
bhxh_worker_finalize (GObject *object)
{
  BhxhWorker *self = (BhxhWorker *)object;
  Job *stop = g_new0 (Job, 1);

  g_async_queue_push (self->jobs, stop);
  g_thread_join (self->thread);
  g_async_queue_unref (self->jobs);
  g_free (self->path);

  G_OBJECT_CLASS (bhxh_worker_parent_class)->finalize (object);
}

static void
bhxh_worker_class_init (BhxhWorkerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bhxh_worker_finalize;
}

static void
bhxh_worker_init (BhxhWorker *self)
{
  self->jobs = g_async_queue_new ();
}

/**
 * bhxh_worker_new:
 * @path: the database file, opened (and created) by the worker thread
 *
 * Tasks carry no reference on the worker (their source object is NULL), so
 * the last reference is always dropped by its owner, never by the worker
 * thread itself; finalize stops and joins the thread after the queued jobs.
 */
BhxhWorker *
bhxh_worker_new (const char *path)
{
  BhxhWorker *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (BHXH_TYPE_WORKER, NULL);
  self->path = g_strdup (path);
  self->thread = g_thread_new ("bhxh-store", worker_thread, self);
  return self;
}

const char *
bhxh_worker_get_path (BhxhWorker *self)
{
  g_return_val_if_fail (BHXH_IS_WORKER (self), NULL);

  return self->path;
}

void
bhxh_worker_run_async (BhxhWorker          *self,
                       BhxhWorkerFunc       func,
                       gpointer             data,
                       GDestroyNotify       data_free,
                       GDestroyNotify       result_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Job *job;

  g_return_if_fail (BHXH_IS_WORKER (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, bhxh_worker_run_async);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  g_async_queue_push (self->jobs, job);
}

gpointer
bhxh_worker_run_finish (BhxhWorker    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (BHXH_IS_WORKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
