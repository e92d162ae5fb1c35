-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 5: what proved the person's identity for a decision, an
-- approval that settles an escalation (countersign) as its own kind, and a
-- decision committed at once but held for its undo window.
--   evidence         bhxh_evidence_to_string(): none, post-copy,
--                    birth-certificate, card-qr; NULL before version 5
--   countersign      1: a supervisor approved an escalated declaration
--   previous_status  the declaration's status before the decision (undo)
--   account_before   the e-transaction account row it replaced, as
--                    "status|since|decision_uuid"; 'none': there was none; NULL untouched
--   hold_until_unix  the end of the undo window: not sent before it, and
--                    withdrawn only until then

ALTER TABLE decisions ADD COLUMN evidence TEXT;
ALTER TABLE decisions ADD COLUMN countersign INTEGER NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN previous_status TEXT;
ALTER TABLE decisions ADD COLUMN account_before TEXT;
ALTER TABLE outbox ADD COLUMN hold_until_unix INTEGER;

-- The latest decision of a declaration, by index (decided_at is stored at
-- the office's offset, so its text sorts as time).
DROP INDEX decisions_declaration;
CREATE INDEX decisions_declaration ON decisions (declaration_id, decided_at);
