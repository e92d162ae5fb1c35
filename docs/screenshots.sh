#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Screenshots of the main screens for docs/ and the metainfo, taken from the
# real application on Xvfb screens, driven through AT-SPI: the day at the
# counter (tests/gui/screenshots.py) and a real office's first run against
# the portal simulator (tests/gui/screenshots-setup.py).
# usage: docs/screenshots.sh [BUILD_DIR] [LANGUAGE]    (default: build, vi)
#   docs/screenshots/*.png              1280×800 (the metainfo's)
#   docs/screenshots/1366x768, 1024x768 the counters' common screens
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
language=${2:-vi}
out="$top/docs/screenshots"
ninja -C "$build" src/gui/bhxh-desk src/cli/bhxh-deskctl src/service/bhxh-deskd \
  src/portal-sim/bhxh-portal-sim data/gschemas.compiled bhxh-desk-gmo >/dev/null
# the translations and the service of the build tree, not the installed ones
export BHXH_DESK_LOCALEDIR="$build/po" BHXH_DESKD="$build/src/service/bhxh-deskd"
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1280x800x24" \
  "$top/tests/gui/run-atspi.sh" "$top/tests/gui/screenshots.py" "$build" "$out" "$language"
for size in 1366x768 1024x768; do
  tmp=$(mktemp -d)
  xvfb-run -a -s "-screen 0 ${size}x24" \
    "$top/tests/gui/run-atspi.sh" "$top/tests/gui/screenshots.py" "$build" "$tmp" "$language"
  xvfb-run -a -s "-screen 0 ${size}x24" \
    "$top/tests/gui/run-atspi.sh" "$top/tests/gui/screenshots-setup.py" "$build" "$tmp" "$language"
  mkdir -p "$out/$size"
  for shot in queue compare countersign supervisor setup-1-admin setup-2-portal setup-4-office \
              setup-5-people setup-6-queue; do
    cp "$tmp/$shot.png" "$out/$size/"
  done
  rm -rf "$tmp"
done
# The chip step (root: a private pcscd in a mount namespace, as the chip suite).
if [ "$(id -u)" -eq 0 ] && [ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ]; then
  ninja -C "$build" tests/chip/chip-mkcard >/dev/null
  for size in 1366x768 1024x768; do
    xvfb-run -a -s "-screen 0 ${size}x24" \
      "$top/tests/gui/run-atspi.sh" "$top/tests/gui/screenshots-chip.py" "$build" \
      "$out/$size" "$language"
  done
fi
ls -l "$out" "$out"/1366x768 "$out"/1024x768
