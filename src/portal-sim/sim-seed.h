/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sim-store.h"

G_BEGIN_DECLS

/* Synthetic people only: names from common lists, codes from a counter. */
GBytes   *sim_seed_mirror_jsonl    (guint        n_persons,
                                    guint        variant);
gboolean  sim_seed_demo            (SimStore    *store,
                                    guint        n_declarations,
                                    guint        n_persons,
                                    GError     **error);
/* The project's demo data (src/demo): its offices, declarations and mirror. */
gboolean  sim_seed_from_demo       (SimStore    *store,
                                    guint        n_persons,
                                    GError     **error);
gboolean  sim_seed_from_files      (SimStore    *store,
                                    const char  *declarations_file,
                                    const char  *mirror_file,
                                    const char  *mirror_version,
                                    GError     **error);

G_END_DECLS
