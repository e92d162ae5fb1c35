-- SPDX-License-Identifier: GPL-3.0-or-later
-- Built after the bulk load: indexing first makes the load ~6x slower.
-- (persons_legacy_bhxh_code, on few rows, is made before the load, in
-- bhxh-store-mirror-import.c; the office code had an index no query used.)
CREATE UNIQUE INDEX IF NOT EXISTS persons_bhxh_code ON persons (bhxh_code);
CREATE INDEX IF NOT EXISTS persons_id_number ON persons (id_number) WHERE id_number IS NOT NULL;
CREATE INDEX IF NOT EXISTS persons_name_folded ON persons (name_folded);
