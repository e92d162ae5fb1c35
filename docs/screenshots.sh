#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Screenshots of the main screens for docs/ and the metainfo, taken from the
# real application on a 1280×800 Xvfb screen, driven through AT-SPI.
# usage: docs/screenshots.sh [BUILD_DIR] [LANGUAGE]    (default: build, vi)
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
language=${2:-vi}
out="$top/docs/screenshots"
ninja -C "$build" src/gui/bhxh-desk src/cli/bhxh-deskctl data/gschemas.compiled \
  bhxh-desk-gmo >/dev/null
# the translations of the build tree, not the installed ones
export BHXH_DESK_LOCALEDIR="$build/po"
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1280x800x24" \
  "$top/tests/gui/run-atspi.sh" "$top/tests/gui/screenshots.py" "$build" "$out" "$language"
ls -l "$out"
