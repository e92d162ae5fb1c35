#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Registry mirror import: bhxh-deskctl against the sqlite3 shell's .import
# of the same CSV into the same persons schema, with and without the same
# indexes built afterwards. Prints figures and ratios; asserts nothing.
#
# Also the whole path from the file's arrival to the first verify (issue
# #17): each side's time to a usable mirror plus its first lookup of a
# person by ID number, for the desk also from a registry snapshot — the
# mirror file the portal builds and signs once for every desk
# (bhxh-portal-sim --make-snapshot, not timed: the portal's work), which
# the desk verifies (Ed25519 over BLAKE2b-512), copies through its
# encrypting VFS (its table and index b-trees in order, nothing sorted),
# fsyncs and swaps in. The shell's side: .import of the CSV, the same
# three indexes, one SELECT; no validation, no encryption, no fsync.
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
sim=$build/src/portal-sim/bhxh-portal-sim
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
snapshot=$work/persons-$rows.sqlite
portal_key=$snapshot.pub   # the public half of the key that signed it
if [ -x "$sim" ] && { [ ! -s "$snapshot" ] || [ ! -s "$snapshot.sig" ] || [ ! -s "$portal_key" ] ||
                      [ "$snapshot" -ot "$csv" ]; }; then
  echo "building the portal's signed snapshot of $csv (once, not timed)"
  rm -f "$work/portal-sim-$rows.db"* "$snapshot" "$snapshot.sig" "$portal_key"
  "$sim" --db "$work/portal-sim-$rows.db" --make-snapshot "$csv" --snapshot-out "$snapshot" \
    --mirror-version bench --public-key-file "$portal_key" > /dev/null
fi
cat "$csv" > /dev/null   # the same warm page cache for every run
[ -s "$snapshot" ] && cat "$snapshot" > /dev/null
size=$(stat -c %s "$csv")

# The first verify: a CCCD QR of the first person with an ID number.
person=$(awk -F, 'NR > 1 && $2 != "" { print $2; exit }' "$csv")
payload="$person||Người Thử|01011990|Nam|Hà Nội|01012022"

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
  sqlite3 "$db" "SELECT bhxh_code, full_name FROM persons WHERE id_number = '$person'" > /dev/null
  t3=$(now)
  shell_rows=$(sqlite3 "$db" "SELECT count(*) FROM persons")
  rm -f "$db"
  eval "${1}_load=\$(min \"\${${1}_load:-}\" $(elapsed "$t0" "$t1"))"
  eval "${1}_total=\$(min \"\${${1}_total:-}\" $(elapsed "$t0" "$t2"))"
  eval "${1}_first=\$(min \"\${${1}_first:-}\" $(elapsed "$t0" "$t3"))"
}

ours_import () {
  rm -f "$work"/desk.db*
  t0=$(now)
  # GLib prints the debug timings on stdout, before the JSON.
  G_MESSAGES_DEBUG=bhxh-store "$deskctl" mirror import "$work/desk.db" "$csv" \
    --version bench > "$work/out.txt"
  t1=$(now)
  "$deskctl" verify "$work/desk.db" "$payload" | grep -q "$person" ||
    { echo "the first verify did not find $person" >&2; exit 1; }
  t2=$(now)
  ours_rows=$(sed -n 's/.*"rows" : \([0-9]*\).*/\1/p' "$work/out.txt")
  mirror_size=$(stat -c %s "$work/desk.db-mirror")
  ours_load=$(min "${ours_load:-}" \
    "$(sed -n 's/.* rows loaded in \([0-9.]*\) s.*/\1/p' "$work/out.txt")")
  ours_total=$(min "${ours_total:-}" "$(elapsed "$t0" "$t1")")
  ours_first=$(min "${ours_first:-}" "$(elapsed "$t0" "$t2")")
  rm -f "$work"/desk.db* "$work/out.txt"
}

# From the signed snapshot: the portal's key is pinned beforehand (at
# enrolment, not timed); then import (verify the signature, copy, fsync,
# swap) and the first verify.
snapshot_import () {
  rm -f "$work"/desk.db*
  "$deskctl" portal set "$work/desk.db" --portal-key "$portal_key" > /dev/null
  t0=$(now)
  "$deskctl" mirror import "$work/desk.db" "$snapshot" > "$work/out.txt"
  t1=$(now)
  "$deskctl" verify "$work/desk.db" "$payload" | grep -q "$person" ||
    { echo "the first verify did not find $person" >&2; exit 1; }
  t2=$(now)
  snap_rows=$(sed -n 's/.*"rows" : \([0-9]*\).*/\1/p' "$work/out.txt")
  snap_total=$(min "${snap_total:-}" "$(elapsed "$t0" "$t1")")
  snap_first=$(min "${snap_first:-}" "$(elapsed "$t0" "$t2")")
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
  [ -s "$snapshot" ] && snapshot_import
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
echo "file arrival to first verify (usable mirror + one lookup by ID number):"
printf '  %-44s %7.2f s\n' "sqlite3 .import + indexes + SELECT (stock)" "$stock_first" \
  "sqlite3 .import + indexes + SELECT (tuned)" "$tuned_first" \
  "bhxh-deskctl mirror import CSV + verify" "$ours_first"
if [ -n "${snap_first:-}" ]; then
  printf '  %-44s %7.2f s  (%d rows; import alone %.2f s)\n' \
    "bhxh-deskctl mirror import snapshot + verify" "$snap_first" "$snap_rows" "$snap_total"
  printf 'ratio, arrival to first verify: snapshot %.2fx vs stock shell, %.2fx vs tuned;' \
    "$(calc "$stock_first / $snap_first")" "$(calc "$tuned_first / $snap_first")"
  printf ' CSV %.2fx vs stock\n' "$(calc "$stock_first / $ours_first")"
else
  printf 'ratio, arrival to first verify: CSV %.2fx vs stock shell (no simulator: no snapshot)\n' \
    "$(calc "$stock_first / $ours_first")"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
