#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Scan to verdict on screen (goal p95 < 50 ms): a demo store with PERSONS in
# its registry mirror (the demo generator makes at most 900 000; the store
# is kept in $BENCH_DIR for reruns), then bench-gui-scan on a 1280x800 Xvfb
# screen: the real window, its own bhxh-deskd, a keyboard scanner's bursts.
# usage: bench/bench-gui-scan.sh BUILD_DIR [PERSONS=900000] [SCANS=60]
set -e
build=$(cd "$1" && pwd)
persons=${2:-900000}
scans=${3:-60}
work=${BENCH_DIR:-/tmp/bhxh-bench-scan}
db=$work/demo-$persons.sqlite
ninja -C "$build" src/gui/bhxh-desk src/cli/bhxh-deskctl src/cli/bhxh-deskctl-full \
  src/service/bhxh-deskd bench/bench-gui-scan data/gschemas.compiled >/dev/null
mkdir -p "$work"
if [ ! -s "$db" ]; then
  echo "making a demo store with $persons persons in $db"
  "$build/src/cli/bhxh-deskctl" demo "$db" --persons "$persons" >/dev/null
fi
home=$(mktemp -d /tmp/bhxh-bench-home-XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" \
       XDG_DATA_HOME="$home/data" GSETTINGS_BACKEND=memory \
       GSETTINGS_SCHEMA_DIR="$build/data" GTK_A11Y=none \
       BHXH_DESKD="$build/src/service/bhxh-deskd"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
xvfb-run -a -s "-screen 0 1280x800x24" "$build/bench/bench-gui-scan" "$db" "$scans"
