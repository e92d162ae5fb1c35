#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Scan to verdict on screen (goal p95 < 50 ms): a demo store with PERSONS in
# its registry mirror, then bench-gui-scan on a 1280x800 Xvfb screen: the
# real window, its own bhxh-deskd, a keyboard scanner's bursts.
# The demo generator makes at most 900 000 persons: above that, the mirror
# is re-imported from the demo's 900 000 and synthetic others
# (bench-mirror-import.awk, codes 99…, ID numbers 099…, never scanned).
# The store is kept in $BENCH_DIR for reruns (a 5M mirror takes minutes).
# usage: bench/bench-gui-scan.sh BUILD_DIR [PERSONS=5000000] [SCANS=60]
set -e
build=$(cd "$1" && pwd)
persons=${2:-5000000}
scans=${3:-60}
work=${BENCH_DIR:-/tmp/bhxh-bench-scan}
db=$work/demo-$persons.sqlite
here=$(cd "$(dirname "$0")" && pwd)
ninja -C "$build" src/gui/bhxh-desk src/cli/bhxh-deskctl src/cli/bhxh-deskctl-full \
  src/service/bhxh-deskd bench/bench-gui-scan bench/bench-demo data/gschemas.compiled >/dev/null
mkdir -p "$work"
if [ ! -s "$db" ]; then
  demo=$(( persons < 900000 ? persons : 900000 ))
  today=$(TZ=UTC-7 date +%F)    # the office's day (+07:00), for the store and its CSV alike
  echo "making a demo store with $persons persons in $db"
  "$build/src/cli/bhxh-deskctl" demo "$db" --persons "$demo" --today "$today" >/dev/null
  if [ "$persons" -gt "$demo" ]; then
    csv=$work/mirror-$persons.csv
    "$build/bench/bench-demo" --mirror-csv "$csv" "$demo" "$today"
    awk -v rows=$(( persons - demo )) -v code=99 -v province=099 -v legacy=1 \
      -f "$here/bench-mirror-import.awk" | tail -n +2 >> "$csv"
    "$build/src/cli/bhxh-deskctl" mirror import "$db" "$csv" --version "bench-$persons" \
      | grep -E "\"rows\""
    rm -f "$csv"
  fi
fi
home=$(mktemp -d /tmp/bhxh-bench-home-XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" \
       XDG_DATA_HOME="$home/data" GSETTINGS_BACKEND=memory \
       GSETTINGS_SCHEMA_DIR="$build/data" GTK_A11Y=none \
       BHXH_DESKD="$build/src/service/bhxh-deskd"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); GSK_RENDERER=${GSK_RENDERER:-default}"
xvfb-run -a -s "-screen 0 1280x800x24" "$build/bench/bench-gui-scan" "$db" "$scans"
