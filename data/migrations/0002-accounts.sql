-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 2: signed-in accounts (argon2id password hashes, lockout),
-- an admin role, and retention of scanned payloads.
-- The role CHECK of version 1 cannot be altered in place: the table is
-- rebuilt. Nothing references users by foreign key.

CREATE TABLE users_v2 (
  login             TEXT PRIMARY KEY,
  display_name      TEXT NOT NULL,
  role              TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
  created_at        TEXT NOT NULL,
  password_hash     TEXT,               -- crypto_pwhash_str (argon2id); NULL: none yet
  password_set_at   TEXT,
  failed_count      INTEGER NOT NULL DEFAULT 0,
  locked_until_unix INTEGER             -- NULL: not locked
);
INSERT INTO users_v2 (login, display_name, role, created_at)
  SELECT login, display_name, role, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_v2 RENAME TO users;

-- Retention: a purged document keeps its row (who scanned what, when) but
-- loses the raw payload.
ALTER TABLE documents ADD COLUMN purged_at TEXT;

CREATE INDEX audit_at ON audit (at);
