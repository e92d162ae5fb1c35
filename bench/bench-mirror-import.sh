#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Registry mirror import: bhxh-deskctl against the sqlite3 shell's .import
# of the same CSV into the same persons schema, with and without the same
# indexes built afterwards. Prints figures and ratios; asserts nothing.
#
#   bench/bench-mirror-import.sh [BUILD_DIR] [ROWS]     (default: build 5000000)
#   REPS=N: runs of each, interleaved, the best kept (default 2)
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
calc () { awk "BEGIN { print $* }"; }
elapsed () { calc "$2 - $1"; }

# The schema bhxh-deskctl builds (minus name_folded, which the shell cannot
# compute: full_name is indexed in its place, the same work for the sorter;
# and minus legacy_bhxh_code, empty in this CSV), with the same indexes.
schema="CREATE TABLE persons (bhxh_code TEXT NOT NULL, id_number TEXT, old_id_number TEXT,
  full_name TEXT NOT NULL, birth_date TEXT NOT NULL, sex TEXT, address TEXT, office_code TEXT,
  account_status TEXT, account_since TEXT);"
indexes="CREATE UNIQUE INDEX persons_bhxh_code ON persons (bhxh_code);
CREATE INDEX persons_id_number ON persons (id_number) WHERE id_number <> '';
CREATE INDEX persons_full_name ON persons (full_name);"

# The smaller of two numbers.
min () { if [ -z "$1" ] || [ "$(calc "$2 < $1")" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# $1: variable prefix, $2: pragmas. Keeps the best run in ${1}_load, ${1}_total.
shell_import () {
  db=$work/shell.db
  rm -f "$db"
  sqlite3 "$db" "$2 $schema" > /dev/null
  t0=$(now)
  sqlite3 "$db" "$2" ".import --csv --skip 1 $csv persons" > /dev/null
  t1=$(now)
  sqlite3 "$db" "$2 $indexes" > /dev/null
  t2=$(now)
  shell_rows=$(sqlite3 "$db" "SELECT count(*) FROM persons")
  rm -f "$db"
  eval "${1}_load=\$(min \"\${${1}_load:-}\" $(elapsed "$t0" "$t1"))"
  eval "${1}_total=\$(min \"\${${1}_total:-}\" $(elapsed "$t0" "$t2"))"
}

ours_import () {
  rm -f "$work"/desk.db*
  t0=$(now)
  # GLib prints the debug timings on stdout, before the JSON.
  G_MESSAGES_DEBUG=bhxh-store "$deskctl" mirror import "$work/desk.db" "$csv" \
    --version bench > "$work/out.txt"
  t1=$(now)
  ours_rows=$(sed -n 's/.*"rows" : \([0-9]*\).*/\1/p' "$work/out.txt")
  mirror_size=$(stat -c %s "$work/desk.db-mirror")
  ours_load=$(min "${ours_load:-}" \
    "$(sed -n 's/.* rows loaded in \([0-9.]*\) s.*/\1/p' "$work/out.txt")")
  ours_total=$(min "${ours_total:-}" "$(elapsed "$t0" "$t1")")
  rm -f "$work"/desk.db* "$work/out.txt"
}

line () {
  printf '%-36s %9d rows  load %7.2f s (%8.0f rows/s)  +indexes %7.2f s (%8.0f rows/s)\n' \
    "$1" "$2" "$3" "$(calc "$2 / $3")" "$4" "$(calc "$2 / $4")"
}

reps=${REPS:-2}
echo "CSV: $rows rows, $(calc "int($size / 1048576)") MiB; best of $reps interleaved runs;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq "$reps"); do
  ours_import
  shell_import stock ""
  shell_import tuned "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                      PRAGMA cache_size = -2000; PRAGMA threads = 0;"
done

line "bhxh-deskctl mirror import" "$ours_rows" "$ours_load" "$ours_total"
echo "  (its total includes fsync and the atomic swap; mirror file" \
     "$(calc "int($mirror_size / 1048576)") MiB)"
line "sqlite3 .import (default pragmas)" "$shell_rows" "$stock_load" "$stock_total"
line "sqlite3 .import (our pragmas)" "$shell_rows" "$tuned_load" "$tuned_total"
printf 'ratio, with indexes:    %.2fx vs stock shell, %.2fx vs tuned shell\n' \
  "$(calc "$stock_total / $ours_total")" "$(calc "$tuned_total / $ours_total")"
printf 'ratio, load only:       %.2fx vs stock shell, %.2fx vs tuned shell\n' \
  "$(calc "$stock_load / $ours_load")" "$(calc "$tuned_load / $ours_load")"
printf 'ours with indexes vs shell without: %.2fx (stock), %.2fx (tuned)\n' \
  "$(calc "$stock_load / $ours_total")" "$(calc "$tuned_load / $ours_total")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
