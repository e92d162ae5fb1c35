#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds, lints, installs and runs the Debian package (packaging/build-deb.sh)
# from the files of this working tree; skipped unless BHXH_TEST_DEB=1.
# Usage: test-deb.sh OUTDIR
set -euo pipefail
if [ "${BHXH_TEST_DEB:-0}" != 1 ]; then
  echo "skipped: set BHXH_TEST_DEB=1 to build and install the Debian package"
  exit 77
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
exec "$top/packaging/build-deb.sh" --worktree --outdir "$1"
