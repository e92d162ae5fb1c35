#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Registry mirror import: bhxh-deskctl against the sqlite3 shell's .import
# of the same CSV into the same persons schema, with and without the same
# indexes built afterwards. Prints figures and ratios; asserts nothing.
#
#   bench/bench-mirror-import.sh [BUILD_DIR] [ROWS]     (default: build 5000000)
#
# The CSV is generated once (bench-mirror-import.awk) in $BENCH_DIR
# (default /tmp/bhxh-bench-mirror) and kept for reruns; the databases are
# deleted at the end.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
rows=${2:-5000000}
deskctl=$build/src/cli/bhxh-deskctl
work=${BENCH_DIR:-/tmp/bhxh-bench-mirror}
csv=$work/persons-$rows.csv

[ -x "$deskctl" ] || { echo "no $deskctl: build it first" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell" >&2; exit 2; }
mkdir -p "$work"
if [ ! -s "$csv" ]; then
  echo "generating $rows synthetic persons into $csv"
  awk -v rows="$rows" -f "$here/bench-mirror-import.awk" > "$csv.tmp"
  mv "$csv.tmp" "$csv"
fi
cat "$csv" > /dev/null   # the same warm page cache for every run
size=$(stat -c %s "$csv")

now () { date +%s.%N; }
elapsed () { echo "$2 - $1" | bc -l; }

# The schema bhxh-deskctl builds (minus name_folded, which the shell cannot
# compute: full_name is indexed in its place, the same work for the sorter).
schema="CREATE TABLE persons (bhxh_code TEXT NOT NULL, id_number TEXT, old_id_number TEXT,
  full_name TEXT NOT NULL, birth_date TEXT NOT NULL, sex TEXT, address TEXT, office_code TEXT,
  account_status TEXT, account_since TEXT);"
indexes="CREATE UNIQUE INDEX persons_bhxh_code ON persons (bhxh_code);
CREATE INDEX persons_id_number ON persons (id_number) WHERE id_number <> '';
CREATE INDEX persons_office_code ON persons (office_code) WHERE office_code <> '';
CREATE INDEX persons_full_name ON persons (full_name);"

# $1: label, $2: pragmas
shell_import () {
  db=$work/shell.db
  rm -f "$db"
  sqlite3 "$db" "$2 $schema" > /dev/null
  t0=$(now)
  sqlite3 "$db" "$2" ".import --csv --skip 1 $csv persons" > /dev/null
  t1=$(now)
  sqlite3 "$db" "$2 $indexes" > /dev/null
  t2=$(now)
  n=$(sqlite3 "$db" "SELECT count(*) FROM persons")
  load=$(elapsed "$t0" "$t1"); total=$(elapsed "$t0" "$t2")
  printf '%-34s %9d rows  load %7.2f s (%7.0f rows/s)  +indexes %7.2f s (%7.0f rows/s)\n' \
    "$1" "$n" "$load" "$(echo "$n / $load" | bc -l)" "$total" "$(echo "$n / $total" | bc -l)"
  rm -f "$db"
  eval "${3}_load=$load ${3}_total=$total"
}

echo "CSV: $rows rows, $(echo "$size / 1048576" | bc) MiB"

rm -f "$work"/desk.db*
t0=$(now)
# GLib prints the debug timings on stdout, before the JSON.
G_MESSAGES_DEBUG=bhxh-store "$deskctl" mirror import "$work/desk.db" "$csv" --version bench \
  > "$work/out.txt"
t1=$(now)
ours=$(elapsed "$t0" "$t1")
n=$(sed -n 's/.*"rows" : \([0-9]*\).*/\1/p' "$work/out.txt")
ours_load=$(sed -n 's/.* rows loaded in \([0-9.]*\) s.*/\1/p' "$work/out.txt")
mirror_size=$(stat -c %s "$work/desk.db-mirror")
printf '%-34s %9d rows  load %7.2f s (%7.0f rows/s)  +indexes %7.2f s (%7.0f rows/s)\n' \
  "bhxh-deskctl mirror import" "$n" "$ours_load" "$(echo "$n / $ours_load" | bc -l)" \
  "$ours" "$(echo "$n / $ours" | bc -l)"
echo "  (total includes fsync and the atomic swap; mirror file $(echo "$mirror_size / 1048576" | bc) MiB)"
rm -f "$work"/desk.db*

shell_import "sqlite3 .import (default pragmas)" "" stock
shell_import "sqlite3 .import (our pragmas)" \
  "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192;
   PRAGMA threads = 2;" tuned

printf 'ratio, with indexes:    %.2fx vs stock shell, %.2fx vs tuned shell\n' \
  "$(echo "$stock_total / $ours" | bc -l)" "$(echo "$tuned_total / $ours" | bc -l)"
printf 'ratio, load only:       %.2fx vs stock shell, %.2fx vs tuned shell\n' \
  "$(echo "$stock_load / $ours_load" | bc -l)" "$(echo "$tuned_load / $ours_load" | bc -l)"
printf 'ours with indexes vs shell without: %.2fx (stock), %.2fx (tuned)\n' \
  "$(echo "$stock_load / $ours" | bc -l)" "$(echo "$tuned_load / $ours" | bc -l)"
rm -f "$work/out.txt"
