/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "core/bhxh-document.h"
#include "bhxh-store.h"

G_BEGIN_DECLS

/*
 * The answers the counter's operations give, as the JSON that
 * `bhxh-deskctl` prints (docs/formats.md) and bhxh-deskd returns over
 * D-Bus (data/vn.bhxh.Desk1.xml): one place builds each, so the two
 * agree by construction. Each checks the store's session like the store
 * call it wraps.
 */

/* The queue: declarations with "days_left", "minor" and "assignee" (the
 * clerk a supervisor handed it to, or null). */
JsonNode *bhxh_answer_queue   (BhxhStore                 *store,
                               const BhxhQueueFilter     *filter,
                               GError                   **error);
/* A scanned document against the open declarations of its ID number:
 * {document, candidates: [{declaration, person, fields, verdict,
 * reasons}], message?}; each candidate shown is noted as viewed by
 * @viewer ("local" when %NULL). */
JsonNode *bhxh_answer_verify  (BhxhStore                 *store,
                               const BhxhDocument        *document,
                               const char                *viewer,
                               GError                   **error);
/* Records @request (bhxh_store_decide()) and describes the decision. */
JsonNode *bhxh_answer_decide  (BhxhStore                 *store,
                               const BhxhDecisionRequest *request,
                               GError                   **error);
/* Withdraws @uuid while in its hold (bhxh_store_withdraw_decision()). */
JsonNode *bhxh_answer_undo    (BhxhStore                 *store,
                               const char                *uuid,
                               const char                *clerk,
                               GError                   **error);
/* Accounts: login, display_name, role, has_password, failures,
 * locked_until (bhxh_store_list_user_status()). */
JsonNode *bhxh_answer_users   (BhxhStore                 *store,
                               GError                   **error);
JsonNode *bhxh_answer_settings        (BhxhStore           *store);

/* The counter's screens: what the sign-in page shows (users by display
 * name, whether accounts are required), the reason codes, the offices,
 * the open declarations of an ID number, the supervisor's day and the
 * status bar. */
JsonNode *bhxh_answer_describe     (BhxhStore       *store,
                                    GError         **error);
JsonNode *bhxh_answer_reason_codes (BhxhStore       *store,
                                    GError         **error);
JsonNode *bhxh_answer_offices      (BhxhStore       *store,
                                    GError         **error);
JsonNode *bhxh_answer_find_open    (BhxhStore       *store,
                                    const char      *id_number,
                                    GError         **error);
JsonNode *bhxh_answer_day          (BhxhStore       *store,
                                    const BhxhDate  *date,
                                    GError         **error);
JsonNode *bhxh_answer_status       (BhxhStore       *store,
                                    GError         **error);

G_END_DECLS
