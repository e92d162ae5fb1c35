#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SQLCipher (Debian's sqlcipher 3.4.1 on SQLite 3.15.2) against sqlite 3.40 on
# the same SQL: load ROWS persons and build 3 indexes, then 100k indexed
# lookups from a fresh connection. bench-crypt runs the same SQL in clear
# and through bhxh-crypt (it reads it from here with --print-sql).
#
#   bench-crypt-sqlcipher.sh [ROWS=1000000] [DIR=/tmp/bhxh-bench-sqlcipher]
#   bench-crypt-sqlcipher.sh --print-sql load|lookup ROWS
#
# Needs the sqlite3 and sqlcipher command-line shells. Prints seconds and
# ratios against sqlite3 in clear; asserts nothing.
set -eu

load_sql () {
  cat <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE persons (bhxh_code TEXT NOT NULL, id_number TEXT, full_name TEXT NOT NULL,
                      name_folded TEXT NOT NULL, birth_date TEXT, address TEXT);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
INSERT INTO persons
  SELECT printf('%010d', 1000000000 + i), printf('0010%08d', i), 'Nguyễn Văn Số ' || i,
         'nguyen van so ' || i, '1990-01-01', 'Số ' || (i % 300) || ', Đống Đa, Hà Nội'
  FROM n;
COMMIT;
CREATE UNIQUE INDEX persons_code ON persons (bhxh_code);
CREATE INDEX persons_id ON persons (id_number);
CREATE INDEX persons_name ON persons (name_folded);
SQL
}

lookup_sql () {
  cat <<SQL
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 99999)
SELECT count(*) FROM k JOIN persons ON persons.id_number = printf('0010%08d', (j * 7919) % $1);
SQL
}

if [ "${1:-}" = --print-sql ]; then
  "${2}_sql" "$3"
  exit 0
fi

rows=${1:-1000000}
dir=${2:-/tmp/bhxh-bench-sqlcipher}
mkdir -p "$dir"
now () { date +%s.%N; }

# run LABEL SHELL PREFIX: prints load and lookup seconds
run () {
  rm -f "$dir/b.db"
  t0=$(now)
  { printf '%s\n' "$3"; load_sql "$rows"; } | "$2" "$dir/b.db" >/dev/null
  t1=$(now)
  { printf '%s\n' "$3"; lookup_sql "$rows"; } | "$2" "$dir/b.db" >/dev/null
  t2=$(now)
  size=$(stat -c %s "$dir/b.db")
  rm -f "$dir/b.db"
  echo "$1 $t0 $t1 $t2 $size"
}

{
  run "sqlite3-3.40-clear" sqlite3 ""
  run "sqlcipher-3.15-no-key" sqlcipher ""
  run "sqlcipher-key-1024" sqlcipher "PRAGMA key = 'bench secret: not for production';"
  run "sqlcipher-key-4096" sqlcipher "PRAGMA key = 'bench secret: not for production';
PRAGMA cipher_page_size = 4096;"
} | awk -v rows="$rows" '
  { load = $3 - $2; lookup = $4 - $3 }
  NR == 1 { l0 = load; k0 = lookup }
  { printf "%-24s load+index %7.2f s (x%.2f)  100k lookups %6.2f s (x%.2f)  %6.1f MiB\n",
           $1, load, load / l0, lookup, lookup / k0, $5 / 1048576 }
  END { printf "(%d rows; ratios against sqlite3 3.40 in clear)\n", rows }'
rmdir "$dir" 2>/dev/null || true
