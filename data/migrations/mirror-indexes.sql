-- SPDX-License-Identifier: GPL-3.0-or-later
-- Built after the bulk load: indexing first makes the load ~6x slower.
CREATE UNIQUE INDEX IF NOT EXISTS persons_bhxh_code ON persons (bhxh_code);
CREATE INDEX IF NOT EXISTS persons_id_number ON persons (id_number) WHERE id_number IS NOT NULL;
CREATE INDEX IF NOT EXISTS persons_office_code ON persons (office_code) WHERE office_code IS NOT NULL;
CREATE INDEX IF NOT EXISTS persons_name_folded ON persons (name_folded);
CREATE INDEX IF NOT EXISTS persons_legacy_bhxh_code ON persons (legacy_bhxh_code)
  WHERE legacy_bhxh_code IS NOT NULL;
