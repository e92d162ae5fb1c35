-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 8: the portrait photo a citizen attached to an online
-- declaration (JPEG). The declarations feed names it ("portrait": sha256
-- and size); the photo itself comes from its own endpoint and fills
-- `image` once fetched, checked against the hash. Encrypted at rest with
-- the rest of the store (docs/encryption.md).

CREATE TABLE declaration_portraits (
  declaration_id  TEXT PRIMARY KEY REFERENCES declarations (id) ON DELETE CASCADE,
  sha256          TEXT NOT NULL CHECK (length (sha256) = 64),
  size            INTEGER NOT NULL,
  image           BLOB
);
