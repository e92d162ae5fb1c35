-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 3: a supervisor hands an open declaration to a named clerk
-- (bhxh_store_reassign). NULL: nobody in particular.

ALTER TABLE declarations ADD COLUMN assigned_to TEXT;
-- The queue reads every assignment at load: only the assigned rows.
CREATE INDEX declarations_assigned ON declarations (assigned_to) WHERE assigned_to IS NOT NULL;
