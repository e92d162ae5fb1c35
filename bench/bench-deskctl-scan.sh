#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# CPU per image of `bhxh-deskctl scan FILE` vs ZXingReader (zxing-cpp-tools)
# on the same images, one process per image for both (goal <= 1.5x), and
# how many each decoded (detection must not change). Images: zxing-cpp's
# own test samples, test/samples/qrcode-*/ of github.com/zxing-cpp/zxing-cpp
# (png/jpg), copied into one folder; CPU is user+system of each process.
# usage: bench/bench-deskctl-scan.sh BUILD_DIR IMAGE_DIR [ROUNDS=3]
set -e
build=$(cd "$1" && pwd)
dir=$2
rounds=${3:-3}
ninja -C "$build" src/cli/bhxh-deskctl >/dev/null
command -v ZXingReader >/dev/null || { echo "ZXingReader missing (zxing-cpp-tools)"; exit 77; }
python3 - "$build/src/cli/bhxh-deskctl" "$dir" "$rounds" <<'PY'
import glob, os, statistics, subprocess, sys

deskctl, folder, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
images = sorted(f for f in glob.glob(os.path.join(folder, "*"))
                if f.lower().endswith((".png", ".jpg", ".jpeg", ".gif")))
if not images:
    sys.exit(f"no images in {folder}")

def run(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    return (ru.ru_utime + ru.ru_stime) * 1000, os.waitstatus_to_exitcode(status) == 0 and out.strip()

tools = (("ZXingReader", lambda f: ["ZXingReader", "-bytes", f]),
         ("bhxh-deskctl scan", lambda f: [deskctl, "scan", f]))
cpu = {name: [] for name, _ in tools}
found = {name: 0 for name, _ in tools}
for r in range(rounds):           # interleaved: both see the same machine load
    for f in images:
        for name, argv in tools:
            ms, ok = run(argv(f))
            cpu[name].append(ms)
            if r == 0 and ok:
                found[name] += 1
print(f"{len(images)} images, {rounds} rounds, one process per image")
for name, _ in tools:
    print(f"{name:18s} CPU per image: median {statistics.median(cpu[name]):6.2f} ms, "
          f"mean {statistics.mean(cpu[name]):6.2f} ms; decoded {found[name]}/{len(images)}")
ratio = statistics.median(cpu["bhxh-deskctl scan"]) / statistics.median(cpu["ZXingReader"])
mean_ratio = statistics.mean(cpu["bhxh-deskctl scan"]) / statistics.mean(cpu["ZXingReader"])
print(f"ratio bhxh-deskctl / ZXingReader: median {ratio:.2f}x, mean {mean_ratio:.2f}x "
      f"(goal <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})")
PY
