-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 4: whether the person's identity document was checked for a
-- decision (scanned with it, or recorded for the declaration before). An
-- approval without one is a supervisor's, with a note, and shows as such.
-- NULL: decided before version 4, not known.

ALTER TABLE decisions ADD COLUMN document_checked INTEGER;
