-- SPDX-License-Identifier: GPL-3.0-or-later
-- The registry mirror, a file of its own ("<db>-mirror"), replaced whole by
-- each import. rowid is the line of the record in the imported file.
-- bhxh_code is the registry's key: the 10-digit code, or since 1 July 2025
-- the 12-digit ID number (then id_number holds it too, and
-- legacy_bhxh_code the person's former 10-digit code, when known).
CREATE TABLE IF NOT EXISTS persons (
  bhxh_code      TEXT NOT NULL,
  id_number      TEXT,
  old_id_number  TEXT,
  full_name      TEXT NOT NULL,
  name_folded    TEXT NOT NULL,
  birth_date     TEXT NOT NULL,
  sex            TEXT,
  address        TEXT,
  office_code    TEXT,
  account_status TEXT,
  account_since  TEXT,
  legacy_bhxh_code TEXT
);
CREATE TABLE IF NOT EXISTS mirror_meta (
  key   TEXT PRIMARY KEY,
  value TEXT
);
