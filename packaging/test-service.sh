#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The installed system service as systemd would run it, where no systemd is
# PID 1 (a build container): the key sealed by bhxh-deskd-key.service's own
# command and unsealed with systemd-creds, the state directory with the
# unit's mode, bhxh-deskd --system as user bhxh-desk with the unit's umask,
# on a private system bus that reads the installed bus policy. Then, as
# people would: root makes the first account, an admin loads the registry
# and the declarations, a clerk verifies a scanned card and approves; a
# plain OS user can read nothing of /var/lib/bhxh-desk, cannot make himself
# an admin, and no file there holds a name, an ID number or an address.
# Root only; called by build-deb.sh after installing the package.
# Usage: test-service.sh OUTDIR
set -uo pipefail

outdir=$1
mkdir -p "$outdir"
failures=()
ok () { echo "ok    $*"; }
bad () { echo "FAIL  $*"; failures+=("$*"); }
fail () { echo "FAIL  $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (it starts the service as its own user)"
state=/var/lib/bhxh-desk
svc_user=bhxh-desk
unit=/usr/lib/systemd/system/bhxh-deskd.service
key_unit=/usr/lib/systemd/system/bhxh-deskd-key.service
deskd=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
deskctl=/usr/bin/bhxh-deskctl
[ -x "$deskd" ] || fail "$unit runs '$deskd', which is not installed"
id "$svc_user" >/dev/null 2>&1 || fail "the package did not create the system user $svc_user"
plain=nobody

work=$(mktemp -d)
chmod 0755 "$work"
pids=()
cleanup () {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work" "$state"
}
trap cleanup EXIT
rm -rf "$state"

# --- what systemd does before ExecStart ---------------------------------
key_cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$key_unit")
[ -n "$key_cmd" ] || fail "no key command in $key_unit"
# systemd unescapes the unit's "\\n" to "\n" before sh sees it
(umask 0077; /bin/sh -c "${key_cmd//\\\\/\\}") \
  || fail "bhxh-deskd-key.service's command did not seal a key"
[ -s "$state/desk.key.cred" ] && ok "first start: the key sealed with systemd-creds ($state/desk.key.cred)" \
  || fail "no sealed key in $state"
mode=$(sed -n 's/^StateDirectoryMode=//p' "$unit")
umask_unit=$(sed -n 's/^UMask=//p' "$unit")
chown -R "$svc_user:$svc_user" "$state"
chmod "${mode:-0755}" "$state"
creds=$work/credentials
mkdir -m 0700 "$creds"
systemd-creds decrypt --name=desk.key "$state/desk.key.cred" "$creds/desk.key" 2>/dev/null \
  || fail "systemd-creds cannot unseal the key"
chmod 0400 "$creds/desk.key"
chown -R "$svc_user:$svc_user" "$creds"

# A system bus of our own, with the installed policies (system.d).
bus=$work/system_bus_socket
sed -e "s|<listen>.*</listen>|<listen>unix:path=$bus</listen>|" \
    -e "s|<includedir>system.d</includedir>|<includedir>/usr/share/dbus-1/system.d</includedir>|" \
    -e '/<pidfile>/d' -e '/<fork\/>/d' -e '/<syslog\/>/d' \
    /usr/share/dbus-1/system.conf >"$work/system.conf"
dbus-daemon --config-file="$work/system.conf" --nofork --nopidfile 2>"$outdir/bus.log" &
pids+=($!)
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$bus
for _ in $(seq 50); do [ -S "$bus" ] && break; sleep 0.1; done
[ -S "$bus" ] || fail "the private system bus did not start"

( umask "${umask_unit:-0022}"
  exec setpriv --reuid="$svc_user" --regid="$svc_user" --clear-groups \
    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" \
    STATE_DIRECTORY="$state" CREDENTIALS_DIRECTORY="$creds" "$deskd" --system ) \
  2>"$outdir/deskd.log" &
pids+=($!)
owned=no
for _ in $(seq 100); do
  if dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
       org.freedesktop.DBus.NameHasOwner string:vn.bhxh.Desk1 2>/dev/null | grep -q 'true'; then
    owned=yes; break
  fi
  sleep 0.1
done
[ "$owned" = yes ] && ok "bhxh-deskd --system runs as $svc_user and owns vn.bhxh.Desk1 (installed policy)" \
  || { cat "$outdir/deskd.log"; fail "bhxh-deskd did not take its bus name"; }

# Another user may not take the service's name (the installed policy).
if setpriv --reuid="$plain" --regid=nogroup --clear-groups \
     dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
     org.freedesktop.DBus.RequestName string:vn.bhxh.Desk1 uint32:0 >/dev/null 2>&1; then
  bad "$plain could own vn.bhxh.Desk1"
else
  ok "$plain cannot own vn.bhxh.Desk1"
fi

# --- people at work -----------------------------------------------------
admin_pw=$work/admin.pw; clerk_pw=$work/clerk.pw
echo 'counter-admin-Passw0rd-4711' >"$admin_pw"
echo 'counter-clerk-Passw0rd-0815' >"$clerk_pw"
chmod 0644 "$work"/*.pw
as_plain () { setpriv --reuid="$plain" --regid=nogroup --clear-groups "$@"; }
run () { # what, then the command; its stdout in $out
  local what=$1; shift
  if out=$("$@" 2>"$work/err"); then ok "$what"; else bad "$what: $(cat "$work/err")"; fi
}

run "root makes the first account (users init)" \
  "$deskctl" --system users init --admin chi.admin --name "Trần Thị Chi" --password-file "$admin_pw"
run "the admin adds a clerk" \
  as_plain "$deskctl" --system users add lan.nguyen --name "Nguyễn Thị Lan" --role clerk \
  --new-password-file "$clerk_pw" --user chi.admin --password-file "$admin_pw"

# A synthetic person and her declaration, confirmed yesterday (the
# release build's clock is the machine's: the files follow it).
yesterday=$(date -d '-1 day' +%Y-%m-%d)
cat >"$work/mirror.csv" <<'EOF'
bhxh_code,id_number,old_id_number,full_name,birth_date,sex,address,office_code
0112345678,001190012345,,Đặng Thị Thu Hà,1990-03-15,female,"Số 12 ngõ 34 Thái Hà, Đống Đa, Hà Nội",00106
EOF
cat >"$work/declarations.json" <<EOF
{"format": "bhxh-declarations/1", "declarations": [
 {"id": "TK01-00106-900001", "kind": "register", "status": "pending", "office_code": "00106",
  "submitted_at": "${yesterday}T08:15:00+07:00", "confirmed_at": "${yesterday}T08:20:00+07:00",
  "full_name": "Đặng Thị Thu Hà", "bhxh_code": "0112345678", "id_number": "001190012345",
  "birth_date": "1990-03-15", "sex": "female",
  "address": "Số 12 ngõ 34 Thái Hà, Đống Đa, Hà Nội", "handin": "office",
  "channel": "portal"}]}
EOF
chmod 0644 "$work"/mirror.csv "$work"/declarations.json
card='001190012345||Đặng Thị Thu Hà|15031990|Nữ|Số 12 ngõ 34 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|20042021'
run "the admin loads the registry mirror" \
  as_plain "$deskctl" --system mirror import "$work/mirror.csv" --user chi.admin --password-file "$admin_pw"
run "the admin loads the declarations" \
  as_plain "$deskctl" --system declarations import "$work/declarations.json" \
  --user chi.admin --password-file "$admin_pw"
run "the clerk verifies the scanned card" \
  as_plain "$deskctl" --system verify "$card" --user lan.nguyen --password-file "$clerk_pw"
case $out in
  *'"can-approve"'*) ok "the card matches: can be approved" ;;
  *) bad "the verify answer is not can-approve: $out" ;;
esac
run "the clerk approves with the scanned card" \
  as_plain "$deskctl" --system decide TK01-00106-900001 approve --payload "$card" \
  --user lan.nguyen --password-file "$clerk_pw"
case $out in
  *'"card-qr"'*) ok "the decision carries the card as its evidence" ;;
  *) bad "the decision does not name the card as evidence: $out" ;;
esac
run "a supervisor's check of the audit chain (the admin)" \
  as_plain "$deskctl" --system audit verify --user chi.admin --password-file "$admin_pw"

# --- close of day: the service syncs with the portal it was enrolled with -
sim=$(command -v bhxh-portal-sim || echo /usr/bin/bhxh-portal-sim)
echo 'counter-token-5c1e' >"$work/token"
# The admin's own token file, private to its owner: one others can read is refused.
chown "$plain" "$work/token"
chmod 0600 "$work/token"
"$sim" --port=0 --db "$work/portal.db" --token counter-token-5c1e --office 00106 \
  >"$work/sim.out" 2>"$work/sim.err" &
pids+=($!)
for _ in $(seq 50); do grep -q '^listening on ' "$work/sim.out" && break; sleep 0.1; done
portal=$(sed -n 's/^listening on //p' "$work/sim.out")
if as_plain "$deskctl" --system portal set --url "$portal" --token-file "$work/token" \
     --user lan.nguyen --password-file "$clerk_pw" >/dev/null 2>"$work/err"; then
  bad "a clerk could enrol the counter with a portal"
else
  ok "a clerk cannot enrol the counter: $(head -c 100 "$work/err")"
fi
run "the admin enrols the counter with the portal ($portal)" \
  as_plain "$deskctl" --system portal set --url "$portal" --office 00106 \
  --token-file "$work/token" --user chi.admin --password-file "$admin_pw"
run "the close-of-day job: root asks the service to sync, no account" \
  "$deskctl" --system sync
case $out in
  *'"pending" : 0'*|*'"pending": 0'*) ok "the approval was sent: nothing left pending" ;;
  *) bad "the sync left decisions pending: $out" ;;
esac

# --- what a plain OS user cannot do -------------------------------------
if as_plain ls "$state" >/dev/null 2>&1 || as_plain cat "$state/desk.db" >/dev/null 2>&1; then
  bad "$plain can read $state"
else
  ok "$plain cannot list or read $state ($(stat -c '%a %U' "$state"))"
fi
if as_plain sh -c "echo x >> '$state/desk.db'" 2>/dev/null; then
  bad "$plain could write the store"
else
  ok "$plain cannot write the store, its roles or its audit trail"
fi
if as_plain "$deskctl" --system users add evil --name Evil --role admin \
     --new-password-file "$clerk_pw" --user lan.nguyen --password-file "$clerk_pw" \
     >/dev/null 2>"$work/err"; then
  bad "a clerk made an admin account through the service"
else
  ok "a clerk cannot make an admin through the service: $(head -c 120 "$work/err")"
fi
# The service speaks the counter's language (its unit's LANGUAGE=vi), not
# the C locale of a system service: the refusal above is in Vietnamese.
if grep -q '[^ -~]' "$work/err"; then
  ok "the service's refusal is in Vietnamese"
else
  bad "the service answered in English: $(head -c 120 "$work/err")"
fi
loose=$(find "$state" -mindepth 1 \( -perm /077 -o ! -user "$svc_user" \) -printf '%m %u %p\n')
[ -z "$loose" ] && ok "every file under $state is the service's own, mode 0600/0700" \
  || bad "files others may open: $loose"
secrets=("Đặng Thị Thu Hà" "dang thi thu ha" "001190012345" "Thái Hà" "0112345678" "counter-token-5c1e")
leaks=""
while IFS= read -r -d '' f; do
  for s in "${secrets[@]}"; do
    if grep -qaF "$s" "$f"; then leaks+="$f: $s; "; fi
  done
done < <(find "$state" -type f -print0)
[ -z "$leaks" ] && ok "no name, ID number, code or address in clear in $state ($(find "$state" -type f | wc -l) files)" \
  || bad "in clear: $leaks"

if [ ${#failures[@]} -gt 0 ]; then
  echo "${#failures[@]} service check(s) failed:"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
echo "the system service: all checks passed"
