-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 9: the outbox's order on its own. A decision takes the
-- next number after the largest (max(seq)), which without this index read
-- the whole outbox: every decision of a year scanned again at each new one.

CREATE INDEX outbox_seq ON outbox (seq);
