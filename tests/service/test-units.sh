#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bhxh-deskd's system units, user and bus policy (TAP).
# Usage: test-units.sh SERVICE KEY_SERVICE SYNC_SERVICE SYNC_TIMER SYSUSERS POLICY
#   (BHXH_DESKD and BHXH_DESKCTL in the environment)
set -u
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bhxh-units-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
echo "1..6"
# verify checks that ExecStart exists: point it at the built program.
sed "s|^ExecStart=[^ ]*|ExecStart=${BHXH_DESKD:?}|" "$1" > "$WORK/bhxh-deskd.service"
cp "$2" "$WORK/bhxh-deskd-key.service"
sed "s|^ExecStart=[^ ]*|ExecStart=${BHXH_DESKCTL:?}|" "$3" > "$WORK/bhxh-deskd-sync.service"
cp "$4" "$WORK/bhxh-deskd-sync.timer"
SYSUSERS=$5
POLICY=$6
cd "$WORK" || exit 1
if command -v systemd-analyze > /dev/null 2>&1; then
  out=$(systemd-analyze verify --man=no ./bhxh-deskd.service ./bhxh-deskd-key.service 2>&1)
  [ $? = 0 ] && [ -z "$out" ] && echo "ok 1 - systemd-analyze verify" \
    || { echo "not ok 1 - systemd-analyze verify"; echo "$out" | sed 's/^/# /'; }
  level=$(systemd-analyze security --offline=true ./bhxh-deskd.service 2>/dev/null |
          sed -n 's/.*Overall exposure level for bhxh-deskd.service: \([0-9.]*\).*/\1/p')
  awk -v l="${level:-99}" 'BEGIN { exit !(l <= 2.0) }' \
    && echo "ok 2 - exposure level $level (≤ 2.0)" \
    || echo "not ok 2 - exposure level ${level:-unknown} (≤ 2.0)"
else
  echo "ok 1 # SKIP systemd-analyze not installed"
  echo "ok 2 # SKIP systemd-analyze not installed"
fi
ok=1
for line in "User=bhxh-desk" "StateDirectoryMode=0700" "UMask=0077" "ProtectSystem=strict" \
            "PrivateTmp=yes" "NoNewPrivileges=yes" \
            "LoadCredentialEncrypted=desk.key:/var/lib/bhxh-desk/desk.key.cred" \
            "ExecStart=${BHXH_DESKD} --system"; do
  grep -qxF -- "$line" bhxh-deskd.service || { ok=0; echo "# missing: $line"; }
done
[ $ok = 1 ] && echo "ok 3 - own user, private state, hardening, sealed key" \
  || echo "not ok 3 - own user, private state, hardening, sealed key"
grep -q "systemd-creds encrypt --name=desk.key --with-key=auto" bhxh-deskd-key.service &&
  grep -q "^ConditionPathExists=!/var/lib/bhxh-desk/desk.key.cred" bhxh-deskd-key.service \
  && echo "ok 4 - the key is made once and sealed to the machine" \
  || echo "not ok 4 - the key is made once and sealed to the machine"
if grep -q '^u bhxh-desk ' "$SYSUSERS" && grep -q '<policy user="bhxh-desk">' "$POLICY" &&
   grep -q '<allow own="vn.bhxh.Desk1"/>' "$POLICY" &&
   [ "$(grep -c 'allow own' "$POLICY")" = 1 ] &&
   { ! command -v xmllint > /dev/null 2>&1 || xmllint --noout "$POLICY"; }; then
  echo "ok 5 - only the service's user owns vn.bhxh.Desk1"
else
  echo "not ok 5 - only the service's user owns vn.bhxh.Desk1"
fi
# The close-of-day job: root asks the service, which holds portal and token.
if command -v systemd-analyze > /dev/null 2>&1; then
  out=$(systemd-analyze verify --man=no ./bhxh-deskd-sync.service ./bhxh-deskd-sync.timer 2>&1)
  rc=$?
else
  out="" rc=0
fi
if [ $rc = 0 ] && [ -z "$out" ] &&
   grep -qxF "ExecStart=${BHXH_DESKCTL} --system sync" bhxh-deskd-sync.service &&
   ! grep -q '^User=' bhxh-deskd-sync.service &&
   ! grep -q '^\[Install\]' bhxh-deskd-sync.service &&
   grep -q '^OnCalendar=Mon..Sat 17:45' bhxh-deskd-sync.timer &&
   grep -q '^Persistent=true' bhxh-deskd-sync.timer &&
   grep -q '^WantedBy=timers.target' bhxh-deskd-sync.timer; then
  echo "ok 6 - the system timer syncs through the service as root"
else
  echo "not ok 6 - the system timer syncs through the service as root"
  echo "$out" | sed 's/^/# /'
fi
