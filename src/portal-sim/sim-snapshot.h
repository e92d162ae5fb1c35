/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sim-store.h"

G_BEGIN_DECLS

/* Signed registry snapshots (docs/formats.md) as the portal publishes
 * them: the mirror built from a CSV or JSON Lines file by the desk's own
 * import, in clear, signed with the portal's key into OUT.sig. */
gboolean  sim_snapshot_make    (SimStore     *store,
                                const char   *source,
                                const char   *version,
                                const char   *out,
                                GError      **error);

/* The snapshot of a published @version in @dir, built on first use from
 * its JSON Lines (a large mirror costs its build once, not at start):
 * @path (its file) and @signature (the text of its .sig). */
gboolean  sim_snapshot_ensure  (SimStore     *store,
                                const char   *dir,
                                const char   *version,
                                char        **path,
                                char        **signature,
                                GError      **error);

/* Removes @dir and the files in it (not below). */
void      sim_remove_dir       (const char   *dir);

G_END_DECLS
