-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 7: an account an admin has disabled (a clerk who left):
-- it keeps its name in the decisions and the audit trail, but signs in no
-- more and is offered nowhere. NULL: active.

ALTER TABLE users ADD COLUMN disabled_at TEXT;
