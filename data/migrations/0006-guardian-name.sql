-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 6: the name of a child's parent or guardian as declared
-- (guardian.full_name), compared with the parents a child's card of 2024
-- or birth certificate names. NULL: not declared (older declarations).
-- A declaration's mã số BHXH may be the 12-digit ID number since
-- 1 July 2025: bhxh_code holds either form, nothing to change for that.

ALTER TABLE declarations ADD COLUMN guardian_name TEXT;

-- Finding the declarations that name a scanned card's holder as guardian by
-- code, as by ID number (the code may be the ID number since 2025).
CREATE INDEX declarations_guardian_code ON declarations (guardian_bhxh_code);
