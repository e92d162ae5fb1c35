#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The sync user service and timer pass systemd-analyze verify (TAP).
# Usage: test-systemd.sh BUILT_SERVICE TIMER   (BHXH_DESKCTL in the environment)
set -u
if ! command -v systemd-analyze > /dev/null 2>&1; then
  echo "1..0 # SKIP systemd-analyze not installed"
  exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bhxh-systemd-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# verify checks that ExecStart exists: point it at the built program.
sed "s|^ExecStart=[^ ]*|ExecStart=${BHXH_DESKCTL:?}|" "$1" > "$WORK/bhxh-desk-sync.service"
cp "$2" "$WORK/bhxh-desk-sync.timer"
echo "1..3"
cd "$WORK" || exit 1
out=$(systemd-analyze verify --man=no ./bhxh-desk-sync.service ./bhxh-desk-sync.timer 2>&1)
rc=$?
[ $rc = 0 ] && [ -z "$out" ] && echo "ok 1 - systemd-analyze verify" \
  || { echo "not ok 1 - systemd-analyze verify"; echo "$out" | sed 's/^/# /'; }
grep -q -- "--portal \${BHXH_PORTAL_URL} --token-file \${BHXH_TOKEN_FILE}" bhxh-desk-sync.service \
  && echo "ok 2 - the service runs bhxh-deskctl sync with its settings" \
  || echo "not ok 2 - the service runs bhxh-deskctl sync with its settings"
n=$(systemd-analyze calendar "Mon..Sat 17:45" 2>/dev/null | grep -c "Next elapse")
[ "$n" = 1 ] && grep -q "^Persistent=true" bhxh-desk-sync.timer \
  && echo "ok 3 - the timer fires at close of day and catches up missed runs" \
  || echo "not ok 3 - the timer fires at close of day and catches up missed runs"
