/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "store/bhxh-store.h"

G_BEGIN_DECLS

/* Safety stops for offline days. The limits are meta keys of the store
 * ("safety.mirror_warn_days", "safety.mirror_block_days",
 * "safety.unsynced_warn_days", "safety.unsynced_block_days"); when unset,
 * the portal's rules ("sync.rule.<same name>"), else 3, 7, 1 and 3 days. */
typedef enum
{
  BHXH_SAFETY_OK,
  BHXH_SAFETY_WARN,
  BHXH_SAFETY_BLOCK,
} BhxhSafetyLevel;

typedef struct
{
  BhxhSafetyLevel  level;
  int              mirror_age_days;    /* -1: no mirror */
  int              unsynced_days;      /* -1: nothing waiting */
  guint            unsynced;           /* decisions not yet acknowledged */
  guint            mirror_warn_days;
  guint            mirror_block_days;
  guint            unsynced_warn_days;
  guint            unsynced_block_days;
  GPtrArray       *messages;           /* (element-type utf8): translated */
} BhxhSafety;

BhxhSafety *bhxh_store_check_safety            (BhxhStore        *store,
                                               GDateTime        *now);
/* FALSE with BHXH_STORE_ERROR_SAFETY_STOP when approvals are blocked;
 * bhxh_store_decide() asks it for every approval, whoever decides. */
gboolean    bhxh_store_safety_allows_approval  (BhxhStore        *store,
                                               GDateTime        *now,
                                               GError          **error);
JsonNode   *bhxh_safety_to_json          (const BhxhSafety *safety);
const char *bhxh_safety_level_to_string       (BhxhSafetyLevel   level);
void        bhxh_safety_free             (BhxhSafety       *safety);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhxhSafety, bhxh_safety_free)

G_END_DECLS
