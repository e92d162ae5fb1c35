/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The sync log: "<db>-sync.log", one JSON object per line
 * ({"at", "level", "event", "message"}), for a person to read and export. */
typedef enum
{
  BHXH_SYNC_LOG_INFO,
  BHXH_SYNC_LOG_WARNING,
  BHXH_SYNC_LOG_ERROR,
} BhxhSyncLogLevel;

char     *bhxh_sync_log_path        (const char        *db_path);
/* What the log keeps of a message: no ID numbers, names, places, e-mail
 * addresses, nor an address's secrets (bhxh_sync_log_append masks each). */
char     *bhxh_sync_log_mask        (const char        *text);
/* Best effort: a log that cannot be written never stops a sync. */
void      bhxh_sync_log_append      (const char        *db_path,
                                     BhxhSyncLogLevel   level,
                                     const char        *event,
                                     const char        *format,
                                     ...) G_GNUC_PRINTF (4, 5);
/* (element-type JsonObject): entries at or after @since (NULL: all). */
JsonNode *bhxh_sync_log_read        (const char        *db_path,
                                     GDateTime         *since,
                                     GError           **error);
/* One line per entry: "2026-11-23 17:30:02  warning  message". */
char     *bhxh_sync_log_to_text     (JsonNode          *entries);
/* RFC 4180 CSV with a header: at,level,event,message. */
char     *bhxh_sync_log_to_csv      (JsonNode          *entries);

G_END_DECLS
