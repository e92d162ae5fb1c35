#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Cold start to first frame of bhxh-desk vs a minimal window (goal ≤ 1.5×),
# and to the sign-in page ready (the database opened, the users listed).
# The reference of the goal is the smallest libadwaita application (an
# AdwApplication, an AdwApplicationWindow with a header bar: bhxh-desk is
# one, and libadwaita's start-up and style sheet are not the app's to cut);
# the smallest plain GTK window is printed beside it. GTK draws with OpenGL;
# under Xvfb that is Mesa's software llvmpipe, on which bhxh-desk chooses the
# cairo renderer from its second start on (src/gui/bhxh-renderer.c: the warm
# up run below is its first): the references are also timed with cairo, so
# the ratio at equal renderers is printed too.
# Each run is a new process on a 1280×800 Xvfb screen; medians of RUNS.
# usage: bench/bench-gui-startup.sh BUILD_DIR [RUNS=10]
set -e
build=$(cd "$1" && pwd)
runs=${2:-10}
ninja -C "$build" src/gui/bhxh-desk src/cli/bhxh-deskctl src/service/bhxh-deskd \
  bench/bench-gui-minimal data/gschemas.compiled >/dev/null
work=$(mktemp -d /tmp/bhxh-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$build/src/cli/bhxh-deskctl" demo "$work/demo.sqlite" >/dev/null
export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" \
       XDG_DATA_HOME="$work/data" GSETTINGS_BACKEND=memory \
       GSETTINGS_SCHEMA_DIR="$build/data" GTK_A11Y=none \
       BHXH_DESKD="$build/src/service/bhxh-deskd"

cat > "$work/measure.sh" <<'INNER'
#!/bin/sh
# prints: minimal_gtk_ms minimal_adw_ms first_frame_ms ready_ms gtk_cairo_ms adw_cairo_ms
# for one run of each
now() { python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_MONOTONIC)//1000)'; }
t0=$(now); out=$("$BUILD/bench/bench-gui-minimal"); t1=${out#first-frame }
t3=$(now); out=$("$BUILD/bench/bench-gui-minimal" adw); t4=${out#first-frame }
t5=$(now); out=$(GSK_RENDERER=cairo "$BUILD/bench/bench-gui-minimal"); t6=${out#first-frame }
t7=$(now); out=$(GSK_RENDERER=cairo "$BUILD/bench/bench-gui-minimal" adw); t8=${out#first-frame }
t2=$(now); out=$(BHXH_DESK_BENCH=ready timeout 60 "$BUILD/src/gui/bhxh-desk" --database "$WORK/demo.sqlite")
frame=$(echo "$out" | sed -n 's/^first-frame //p'); ready=$(echo "$out" | sed -n 's/^ready //p')
echo "$(( (t1 - t0) / 1000 )) $(( (t4 - t3) / 1000 )) $(( (frame - t2) / 1000 )) $(( (ready - t2) / 1000 ))" \
     "$(( (t6 - t5) / 1000 )) $(( (t8 - t7) / 1000 ))"
INNER
chmod +x "$work/measure.sh"
BUILD="$build" WORK="$work" RUNS="$runs" xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
  "$WORK/measure.sh" >/dev/null    # warm the page cache: "cold" is a new process, not a cold disk
  i=0; while [ $i -lt "$RUNS" ]; do "$WORK/measure.sh"; i=$((i+1)); done' > "$work/runs.txt"
ini="$work/cache/bhxh-desk/renderer.ini"
if grep -qs '^software=true' "$ini"; then
  echo "cairo; the OpenGL here is software: $(sed -n 's/^gl-renderer=//p' "$ini")"
else
  echo "GTK's default"
fi > "$work/renderer.txt"
python3 - "$work/runs.txt" "$work/renderer.txt" <<'PY'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
g = statistics.median(r[0] for r in rows)
m = statistics.median(r[1] for r in rows)
f = statistics.median(r[2] for r in rows)
r = statistics.median(r[3] for r in rows)
gc = statistics.median(r[4] for r in rows)
mc = statistics.median(r[5] for r in rows)
print(f"runs: {len(rows)} (each a new process; times from exec, medians)")
print(f"minimal GTK window, first frame:       {g:7.0f} ms")
print(f"minimal libadwaita window, first frame: {m:7.0f} ms   (the reference)")
print(f"bhxh-desk, first frame:                {f:7.0f} ms   ratio {f / m:.2f}x (goal <= 1.5x: "
      f"{'met' if f / m <= 1.5 else 'NOT met'}; {f / g:.2f}x the GTK window)")
print(f"bhxh-desk, sign-in page ready:         {r:7.0f} ms   ratio {r / m:.2f}x")
print(f"with cairo: minimal GTK window {gc:.0f} ms, minimal libadwaita window {mc:.0f} ms; "
      f"bhxh-desk first frame {f / gc:.2f}x and {f / mc:.2f}x those")
print(f"(renderer of bhxh-desk: {open(sys.argv[2]).read().strip() or 'GTK default'})")
PY
