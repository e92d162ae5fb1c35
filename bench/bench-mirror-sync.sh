#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The registry mirror through the portal's API, end to end (issue #17):
# from the sync's GET /v1/mirror to the first verify, for a counter whose
# store is encrypted (the default), by the two paths the portal offers:
#
#   sqlite  the signed sqlite snapshot (MirrorInfo.sqlite): downloaded into
#           an enciphered spool, signature checked against the pinned key,
#           copied b-tree by b-tree through the encrypting VFS, fsync'd,
#           swapped in;
#   jsonl   the JSON Lines snapshot: downloaded into memory, sealed to disk
#           (the base for later deltas), parsed, sorted, indexed.
#
# The same bhxh-deskctl sync --pull for both, against the same simulator
# on 127.0.0.1; the only difference is the pinned portal key. The portal's
# own work (building and signing the sqlite file, once per version for all
# desks) happens before the clock starts, as on a real portal. Then a delta
# of 1000 changed persons to each desk: in place after the sqlite path,
# on the sealed base (then a whole re-import) after the JSON Lines one.
# Prints figures and ratios of this run; asserts nothing.
#
#   bench/bench-mirror-sync.sh [BUILD_DIR] [ROWS]     (default: build 5000000)
#   REPS=N: runs of each, interleaved, the best kept (default 2)
#
# The data (bench-mirror-import.awk, as JSON Lines) and the simulator's
# database are kept in $BENCH_DIR (default /tmp/bhxh-bench-mirror) for
# reruns; the desks are deleted at the end.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
rows=${2:-5000000}
deskctl=$build/src/cli/bhxh-deskctl
sim=$build/src/portal-sim/bhxh-portal-sim
work=${BENCH_DIR:-/tmp/bhxh-bench-mirror}
jsonl=$work/persons-$rows.jsonl
simdb=$work/sync-sim-$rows.db
reps=${REPS:-2}

[ -x "$deskctl" ] && [ -x "$sim" ] || { echo "build $deskctl and $sim first" >&2; exit 2; }
command -v curl >/dev/null && command -v python3 >/dev/null ||
  { echo "needs curl and python3" >&2; exit 2; }
mkdir -p "$work"
if [ ! -s "$jsonl" ]; then
  echo "generating $rows synthetic persons into $jsonl"
  awk -v rows="$rows" -f "$here/bench-mirror-import.awk" | python3 -c '
import csv, json, sys
for row in csv.DictReader(sys.stdin):
    print(json.dumps({k: v for k, v in row.items() if v != ""}, ensure_ascii=False))
' > "$jsonl.tmp"
  mv "$jsonl.tmp" "$jsonl"
fi

now () { date +%s.%N; }
calc () { awk "BEGIN { print $* }"; }
min () { if [ -z "$1" ] || [ "$(calc "$2 < $1")" = 1 ]; then echo "$2"; else echo "$1"; fi; }
json () { python3 -c "import json,sys; j = json.load(open(sys.argv[1])); print($2)" "$1"; }

(umask 077; echo bench-token > "$work/token")
[ -s "$simdb" ] || echo "seeding the simulator with $rows persons (once)"
"$sim" --port 0 --db "$simdb" --token bench-token --seed-mirror "$jsonl" \
  --mirror-version v1 --public-key-file "$work/portal.pub" > "$work/sim.out" 2> "$work/sim.err" &
simpid=$!
# The simulator's database is kept for reruns only until a delta is
# published into it (at the end).
trap 'kill $simpid 2>/dev/null || true; rm -rf "$work"/desk-*' EXIT
for _ in $(seq 1 600); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.5; done
url=$(sed -n 's/^listening on //p' "$work/sim.out")
[ -n "$url" ] || { cat "$work/sim.err" >&2; exit 1; }

# The portal publishes: its sqlite snapshot built and signed before any
# desk asks (not timed).
mirror_info () {
  curl -sf -H 'Authorization: Bearer bench-token' "$url/v1/mirror" > "$work/mirror.json"
}
t0=$(now); mirror_info; t1=$(now)
version=$(json "$work/mirror.json" 'j["version"]')
jsonl_size=$(json "$work/mirror.json" 'j["snapshot"]["size"]')
sqlite_size=$(json "$work/mirror.json" 'j["sqlite"]["size"]')
echo "portal: version $version; JSON Lines $(calc "int($jsonl_size / 1048576)") MiB," \
     "signed sqlite $(calc "int($sqlite_size / 1048576)") MiB" \
     "(built once in $(calc "int(($t1 - $t0) * 10) / 10") s or earlier, not timed)"

# A QR of a person with an ID number: the first verify.
person=$(head -n 1000 "$jsonl" | python3 -c '
import json, sys
for line in sys.stdin:
    j = json.loads(line)
    if j.get("id_number"):
        print(j["id_number"]); break')
payload="$person||Người Thử|01011990|Nam|Hà Nội|01012022"

# $1: sqlite | jsonl; $2: the desk. Times sync --pull and the first verify;
# peak RSS of the sync in KiB.
sync_desk () {
  db=$work/desk-$1-$2.db
  rm -rf "$db"*
  if [ "$1" = sqlite ]; then
    "$deskctl" portal set "$db" --portal-key "$work/portal.pub" > /dev/null
  fi
  t0=$(now)
  /usr/bin/time -f %M -o "$work/rss.txt" "$deskctl" sync "$db" --portal "$url" \
    --token-file "$work/token" --pull > "$work/out.json"
  t1=$(now)
  "$deskctl" verify "$db" "$payload" | grep -q "$person" ||
    { echo "the first verify did not find $person" >&2; exit 1; }
  t2=$(now)
  [ "$(json "$work/out.json" 'j["pulled"]["mirror_format"]')" = "$1" ] ||
    { echo "expected the $1 path:" >&2; cat "$work/out.json" >&2; exit 1; }
  got=$(json "$work/out.json" 'j["pulled"]["mirror_rows"]')
  eval "${1}_sync=\$(min \"\${${1}_sync:-}\" $(calc "$t1 - $t0"))"
  eval "${1}_first=\$(min \"\${${1}_first:-}\" $(calc "$t2 - $t0"))"
  eval "${1}_rss=$(cat "$work/rss.txt")"
  eval "${1}_disk=$(du -sk "$db"* | awk '{ s += $1 } END { print s }')"
}

echo "best of $reps interleaved runs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq "$reps"); do
  sync_desk sqlite "$rep"
  sync_desk jsonl "$rep"
done

printf '%-52s %8.2f s  (sync %.2f s; peak RSS %d MiB; desk files %d MiB)\n' \
  "sqlite snapshot: GET /v1/mirror .. first verify" "$sqlite_first" "$sqlite_sync" \
  "$((sqlite_rss / 1024))" "$((sqlite_disk / 1024))"
printf '%-52s %8.2f s  (sync %.2f s; peak RSS %d MiB; desk files %d MiB)\n' \
  "JSON Lines: GET /v1/mirror .. first verify" "$jsonl_first" "$jsonl_sync" \
  "$((jsonl_rss / 1024))" "$((jsonl_disk / 1024))"
printf 'ratio, arrival to first verify: sqlite snapshot %.2fx faster than JSON Lines (%d rows)\n' \
  "$(calc "$jsonl_first / $sqlite_first")" "$got"

# A delta: 1000 persons renamed in v2 (the simulator diffs the two and
# builds v2's sqlite file: not timed), then each desk of the last run.
python3 - "$jsonl" "$work/v2.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for i, line in enumerate(src):
        if i < 1000:
            j = json.loads(line)
            j["full_name"] = "Người Đổi Tên"
            line = json.dumps(j, ensure_ascii=False) + "\n"
        out.write(line)
EOF
curl -sf -X POST --data-binary @"$work/v2.jsonl" "$url/admin/mirror?version=v2-$$" > /dev/null
mirror_info
for path in sqlite jsonl; do
  t0=$(now)
  "$deskctl" sync "$work/desk-$path-$reps.db" --portal "$url" --token-file "$work/token" \
    --pull > "$work/out.json"
  t1=$(now)
  [ "$(json "$work/out.json" 'j["pulled"]["mirror_from_delta"]')" = True ] ||
    { echo "expected a delta:" >&2; cat "$work/out.json" >&2; exit 1; }
  eval "${path}_delta=$(calc "$t1 - $t0")"
done
printf 'delta of 1000 persons, sync --pull: after the sqlite path %.2f s (in place),' "$sqlite_delta"
printf ' after the JSON Lines path %.2f s (base + re-import)\n' "$jsonl_delta"
rm -f "$work/v2.jsonl"
kill $simpid; wait $simpid 2>/dev/null || true
rm -rf "$simdb" "$simdb"-*
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
