/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "bhxh-date.h"

G_BEGIN_DECLS

/* Small helpers shared by the JSON (de)serialisers of the core types. */
void      bhxh_json_add_string     (JsonBuilder    *builder,
                                    const char     *key,
                                    const char     *value);
void      bhxh_json_add_date       (JsonBuilder    *builder,
                                    const char     *key,
                                    const BhxhDate *date);
void      bhxh_json_add_date_time  (JsonBuilder    *builder,
                                    const char     *key,
                                    GDateTime      *value);
char     *bhxh_json_dup_string     (JsonObject     *object,
                                    const char     *key,
                                    GError        **error);
gboolean  bhxh_json_get_date       (JsonObject     *object,
                                    const char     *key,
                                    BhxhDate       *out,
                                    GError        **error);
gboolean  bhxh_json_get_date_time  (JsonObject     *object,
                                    const char     *key,
                                    GDateTime     **out,
                                    GError        **error);
char     *bhxh_date_time_to_string (GDateTime      *value);
JsonArray *bhxh_json_get_array     (JsonObject     *object,
                                    const char     *key);
gboolean  bhxh_json_depth_ok       (const char     *data,
                                    gsize           len,
                                    guint           max_depth);

G_END_DECLS
