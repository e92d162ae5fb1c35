#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package from a clean export of the tree and proves it:
# dpkg-buildpackage succeeds, lintian reports no errors, the package installs,
# bhxh-deskctl and bhxh-desk run from it, its desktop files validate and the
# close-of-day timer is shipped as a systemd user unit.
#
# Usage: packaging/build-deb.sh [OPTIONS]
#   --worktree        package the working tree's files (tracked and new, not
#                     ignored) instead of the last commit (git archive HEAD)
#   --outdir DIR      where the .deb, .changes and logs go (default: _build-deb)
#   --no-install      never install into the system; unpack with dpkg -x into
#                     a private root and run the programs from there
#   --keep-installed  leave the package installed at the end
# Environment: BHXH_DEB_JOBS  build jobs (default 1: the build machine is shared)
#
# Exit status 0 when every check passed; 1 when the build failed, or when a
# check failed (after the build every check runs and the failures are listed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

mode="head"
outdir=$top/_build-deb
install=auto
keep_installed=0
jobs=${BHXH_DEB_JOBS:-1}

while [ $# -gt 0 ]; do
  case $1 in
    --worktree) mode=worktree ;;
    --outdir) outdir=$2; shift ;;
    --outdir=*) outdir=${1#--outdir=} ;;
    --no-install) install=no ;;
    --keep-installed) keep_installed=1 ;;
    -h|--help) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done

# The checks look at the system as a user of the package would, not at a
# build tree (these come from the test environment when run by meson test).
unset GSETTINGS_SCHEMA_DIR GSETTINGS_BACKEND G_DEBUG G_TEST_SRCDIR G_TEST_BUILDDIR

step () { printf '\n== %s\n' "$*"; }
ok () { printf 'ok   %s\n' "$*"; }
fail () { printf 'FAIL %s\n' "$*" >&2; exit 1; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then  # no password prompt
    sudo="sudo"
  else
    sudo=none
  fi
fi
[ "$install" = auto ] && { [ "$sudo" = none ] && install=no || install=yes; }

apt_install () {
  [ "$sudo" = none ] && fail "missing packages and no root to install them: $*"
  echo "build-deb: installing $*"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900)
  [ -n "$sudo" ] && apt=("$sudo" "${apt[@]}")
  "${apt[@]}" install -y -qq --no-install-recommends "$@" \
    || { "${apt[@]}" update -qq && "${apt[@]}" install -y -qq --no-install-recommends "$@"; }
}

# ---------------------------------------------------------------------------
step "tools"
tools=(dpkg-dev debhelper lintian xvfb xauth desktop-file-utils appstream
       libglib2.0-bin libglib2.0-dev-bin gettext)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
ok "$(dpkg-query -W -f='dpkg-dev ${Version}' dpkg-dev)," \
   "$(dpkg-query -W -f='debhelper ${Version}' debhelper), $(lintian --version)"

# ---------------------------------------------------------------------------
step "clean export ($mode)"
version=$(dpkg-parsechangelog -l "$here/debian/changelog" -S Version)
upstream=${version%-*}
meson_version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" "$top/meson.build" | head -n 1)
[ "$upstream" = "$meson_version" ] \
  || fail "debian/changelog says $upstream but meson.build says $meson_version"

# Only ever delete an output directory this script made.
if [ -n "$(ls -A "$outdir" 2>/dev/null)" ] && [ ! -e "$outdir/.build-deb" ]; then
  fail "$outdir exists and is not an output of build-deb.sh: choose another --outdir"
fi
rm -rf "$outdir"
mkdir -p "$outdir/work"
touch "$outdir/.build-deb"
outdir=$(cd "$outdir" && pwd)
src=$outdir/work/bhxh-desk-$upstream

if [ "$mode" = head ]; then
  git -C "$top" rev-parse --verify -q HEAD >/dev/null \
    || fail "no git commit to export (try --worktree)"
  git -C "$top" archive --format=tar --prefix="bhxh-desk-$upstream/" HEAD | tar -x -C "$outdir/work"
  echo "exported $(git -C "$top" rev-parse --short HEAD)"
elif git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
  mkdir -p "$src"
  # tracked and new files, never ignored ones (build dirs, _install, caches)
  (cd "$top" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
     | tar --null -T - -c) | tar -x -C "$src"
  echo "exported the working tree of" \
    "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '(no commit)')"
else
  mkdir -p "$src"
  (cd "$top" && tar -c --exclude='./build*' --exclude='./_build*' --exclude='./_install' \
     --exclude='./.git' .) | tar -x -C "$src"
  echo "exported a copy without build directories"
fi
[ -d "$src/packaging/debian" ] || fail "packaging/debian is not in the exported tree"
cp -a "$src/packaging/debian" "$src/debian"
ok "source tree $src ($(find "$src" -type f | wc -l) files)"

# ---------------------------------------------------------------------------
step "build dependencies"
if ! (cd "$src" && dpkg-checkbuilddeps -P nocheck) 2>"$outdir/builddeps.log"; then
  cat "$outdir/builddeps.log"
  [ "$sudo" = none ] && fail "build dependencies missing"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get build-dep -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=900 -P nocheck "$src" || fail "could not install the build dependencies"
fi
ok "all Build-Depends present"

# ---------------------------------------------------------------------------
step "dpkg-buildpackage -b -us -uc (nocheck, $jobs job(s))"
start=$(date +%s)
if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$jobs" \
      dpkg-buildpackage -b -us -uc -Pnocheck) >"$outdir/build.log" 2>&1; then
  grep -E '(^|: )(error|ERROR)[: ]' "$outdir/build.log" | head -n 20 || true
  tail -n 15 "$outdir/build.log"
  fail "dpkg-buildpackage failed (full log: $outdir/build.log)"
fi
build_s=$(( $(date +%s) - start ))
mv "$outdir"/work/*.deb "$outdir"/work/*.changes "$outdir"/work/*.buildinfo "$outdir"/
deb=$(find "$outdir" -maxdepth 1 -name "bhxh-desk_${version}_*.deb" | head -n 1)
changes=$(find "$outdir" -maxdepth 1 -name "bhxh-desk_${version}_*.changes" | head -n 1)
if [ -z "$deb" ] || [ -z "$changes" ]; then
  fail "dpkg-buildpackage produced no bhxh-desk .deb and .changes"
fi
ok "$(basename "$deb"): $(du -k "$deb" | cut -f1) KiB in ${build_s} s"

# ---------------------------------------------------------------------------
# From here on a failed check is recorded and the others still run, so that
# one report shows everything that is wrong with the package.
failures=()
bad () { printf 'FAIL %s\n' "$*" >&2; failures+=("$*"); }
check () {  # check DESCRIPTION COMMAND...: ok or FAIL, output shown on failure
  local what=$1 log
  shift
  log=$(mktemp)
  if "$@" >"$log" 2>&1; then ok "$what"; else cat "$log"; bad "$what"; fi
  rm -f "$log"
}

step "lintian"
lintian_rc=0
lintian --fail-on error --display-info --tag-display-limit 0 "$changes" \
  >"$outdir/lintian.log" 2>&1 || lintian_rc=$?
grep -v 'running with root privileges' "$outdir/lintian.log" || true
n_err=$(grep -c '^E: ' "$outdir/lintian.log" || true)
n_warn=$(grep -c '^W: ' "$outdir/lintian.log" || true)
n_info=$(grep -c '^I: ' "$outdir/lintian.log" || true)
if [ "$lintian_rc" -ne 0 ] || [ "$n_err" -ne 0 ]; then
  bad "lintian: $n_err error(s) (exit $lintian_rc)"
else
  ok "lintian: 0 errors, $n_warn warning(s), $n_info info"
fi

# ---------------------------------------------------------------------------
step "contents"
dpkg-deb -c "$deb" >"$outdir/contents.txt"
root=$outdir/root
dpkg-deb -x "$deb" "$root"
app_id=vn.bhxh.Desk
expect=(
  usr/bin/bhxh-desk
  usr/bin/bhxh-deskctl
  "usr/share/applications/$app_id.desktop"
  "usr/share/metainfo/$app_id.metainfo.xml"
  "usr/share/glib-2.0/schemas/$app_id.gschema.xml"
  "usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  "usr/share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
  usr/share/locale/vi/LC_MESSAGES/bhxh-desk.mo
  usr/share/doc/bhxh-desk/copyright
)
n_missing=0
for f in "${expect[@]}"; do
  [ -e "$root/$f" ] || { bad "the package lacks /$f"; n_missing=$((n_missing + 1)); }
done
[ "$n_missing" -eq 0 ] \
  && ok "${#expect[@]} expected files present ($(grep -c '^-' "$outdir/contents.txt") files in all)"

units=""
if [ -d "$root/usr/lib/systemd/user" ]; then
  units=$(cd "$root" && find usr/lib/systemd/user \( -name '*.timer' -o -name '*.service' \) | sort)
fi
echo "$units" | grep -q '\.timer$' || bad "no systemd user timer in /usr/lib/systemd/user"
echo "$units" | grep -q '\.service$' || bad "no systemd user service in /usr/lib/systemd/user"
for t in $(echo "$units" | grep '\.timer$'); do
  service=$(sed -n 's/^Unit=//p' "$root/$t")
  [ -n "$service" ] || service=$(basename "$t" .timer).service
  calendar=$(sed -n 's/^OnCalendar=//p' "$root/$t" | head -n 1)
  next=$(systemd-analyze calendar "$calendar" 2>/dev/null | sed -n 's/^ *Next elapse: //p' || true)
  exec_bin=$(sed -n 's/^ExecStart=[-@:+!]*\([^ ]*\).*/\1/p' \
    "$root/usr/lib/systemd/user/$service" 2>/dev/null || true)
  if [ ! -f "$root/usr/lib/systemd/user/$service" ]; then
    bad "/$t starts $service, which is not shipped"
  elif [ -z "$calendar" ] || [ -z "$next" ]; then
    bad "/$t: no OnCalendar= that systemd can parse ('$calendar')"
  elif [ ! -x "$root$exec_bin" ]; then
    bad "$service runs '$exec_bin', which the package does not ship"
  else
    ok "systemd user unit /$t ($calendar, next: $next) → $service → $exec_bin"
  fi
done
# documentation the units point at is shipped
for u in $units; do
  # shellcheck disable=SC2013  # Documentation= is a list of URLs
  for doc in $(sed -n 's/^Documentation=//p' "$root/$u"); do
    case $doc in
      file://*)
        if [ -e "$root${doc#file://}" ]; then ok "$(basename "$u"): $doc shipped"
        else bad "$(basename "$u") documents itself with $doc, which the package lacks"; fi ;;
    esac
  done
done

# A release build compiles the test hooks out: their variables are not even
# in the programs, and the clock ignores a pinned date.
hooks_found=$(grep -l -a -e BHXH_DESK_TODAY -e BHXH_DESK_NOW -e BHXH_DESK_TEST_FAST_HASH \
  "$root/usr/bin/bhxh-desk" "$root/usr/bin/bhxh-deskctl" 2>/dev/null || true)
if [ -n "$hooks_found" ]; then
  bad "test hooks compiled into the release build: $hooks_found"
else
  ok "no test hook in /usr/bin/bhxh-desk and /usr/bin/bhxh-deskctl"
fi
clock=$(BHXH_DESK_NOW=2001-02-03T04:05:06+07:00 BHXH_DESK_TODAY=2001-02-03 \
  "$root/usr/bin/bhxh-deskctl" clock 2>&1 || true)
if echo "$clock" | grep -q '"test_hooks" *: *false' && ! echo "$clock" | grep -q '"today" *: *"2001'; then
  ok "bhxh-deskctl clock ignores BHXH_DESK_NOW and BHXH_DESK_TODAY"
else
  bad "the release build's clock obeys a test hook: $clock"
fi

check "desktop-file-validate" \
  desktop-file-validate "$root/usr/share/applications/$app_id.desktop"
check "appstreamcli validate --no-net" \
  appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml"
check "appstreamcli validate-tree --no-net (metainfo, desktop file and icon agree)" \
  appstreamcli validate-tree --no-net "$root"
n_mo=$(msgunfmt "$root/usr/share/locale/vi/LC_MESSAGES/bhxh-desk.mo" 2>/dev/null \
  | msgfmt --statistics -o /dev/null - 2>&1 | sed -n 's/^\([0-9]*\) translated.*/\1/p' || true)
n_mo=${n_mo:-0}
if [ "$n_mo" -gt 0 ]; then
  ok "Vietnamese catalogue: $n_mo messages"
else
  bad "the Vietnamese catalogue is empty"
fi

# ---------------------------------------------------------------------------
was_installed=0
dpkg-query -W -f='${Status}' bhxh-desk 2>/dev/null | grep -q "install ok installed" \
  && was_installed=1
if [ "$install" = yes ]; then
  # apt-get rather than plain dpkg -i: it installs missing dependencies and
  # waits for the dpkg lock when something else is installing at the time
  step "install (apt-get install $(basename "$deb"))"
  s=${sudo:-}
  DEBIAN_FRONTEND=noninteractive $s apt-get install -y --reinstall --no-install-recommends \
    -o DPkg::Lock::Timeout=900 "$deb" >"$outdir/install.log" 2>&1 \
    || { cat "$outdir/install.log"; fail "the package does not install"; }
  dpkg-query -W -f='${Status}' bhxh-desk | grep -q "install ok installed" \
    || { cat "$outdir/install.log"; fail "bhxh-desk is not installed after apt-get install"; }
  ok "installed $(dpkg-query -W -f='${Package} ${Version}' bhxh-desk)"
  prefix=""
  run_env=()
else
  step "no install: running from dpkg -x root"
  prefix=$root
  glib-compile-schemas "$root/usr/share/glib-2.0/schemas" || true
  run_env=(GSETTINGS_SCHEMA_DIR="$root/usr/share/glib-2.0/schemas"
           XDG_DATA_DIRS="$root/usr/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}")
fi

cleanup () {
  if [ "$install" = yes ] && [ "$keep_installed" -eq 0 ] && [ "$was_installed" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive ${sudo:-} apt-get purge -y -qq -o DPkg::Lock::Timeout=900 \
      bhxh-desk >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step "the programs run"
out=$(env "${run_env[@]}" "$prefix/usr/bin/bhxh-deskctl" --version 2>&1 || true)
if [ "$out" = "bhxh-deskctl $upstream" ]; then
  ok "$out"
else
  bad "bhxh-deskctl --version printed '$out'"
fi

# a synthetic citizen: ID, old ID, name, birth date, sex, address, issue date
payload='001090012345|123456789|Nguyễn Văn An|15031990|Nam|Hà Nội|20042021'
out=$(env "${run_env[@]}" "$prefix/usr/bin/bhxh-deskctl" qr parse "$payload" 2>&1 || true)
n_found=0
for want in '"001090012345"' '"Nguyễn Văn An"' '"1990-03-15"'; do
  case $out in *"$want"*) n_found=$((n_found + 1)) ;; esac
done
if [ "$n_found" -eq 3 ]; then
  ok "bhxh-deskctl qr parse → ID, name and birth date"
else
  echo "$out"
  bad "bhxh-deskctl qr parse: the ID, name or birth date is missing from its output"
fi

desk=("$prefix/usr/bin/bhxh-desk" --version)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  desk=(xvfb-run -a -s "-screen 0 1280x800x24" "${desk[@]}")
fi
out=$(env "${run_env[@]}" "${desk[@]}" 2>"$outdir/desk-stderr.log" || true)
case $out in
  *"$upstream"*) ok "bhxh-desk --version: $out" ;;
  *) cat "$outdir/desk-stderr.log"; bad "bhxh-desk --version printed '$out'" ;;
esac

# A Vietnamese user gets Vietnamese: one message of the installed catalogue,
# looked up in the text domain and folder the programs use.
pair=$(msgunfmt "$root/usr/share/locale/vi/LC_MESSAGES/bhxh-desk.mo" 2>/dev/null | awk '
  /^msgid "/ && $0 != "msgid \"\"" && $0 !~ /\\/ { id = $0; next }
  id != "" && /^msgstr "/ && $0 !~ /\\/ { print substr(id, 8, length(id) - 8);
                                           print substr($0, 9, length($0) - 9); exit }
  { id = "" }' || true)
msgid=$(printf '%s\n' "$pair" | sed -n 1p)
msgstr=$(printf '%s\n' "$pair" | sed -n 2p)
got=$(LANGUAGE=vi LC_ALL=C.UTF-8 TEXTDOMAINDIR="$prefix/usr/share/locale" \
  gettext -d bhxh-desk "$msgid" 2>/dev/null || true)
if [ -n "$msgid" ] && [ "$got" = "$msgstr" ]; then
  ok "LANGUAGE=vi: \"$msgid\" → \"$got\""
else
  bad "the Vietnamese catalogue is not found where the programs look (\"$msgid\" → \"$got\")"
fi

# The window itself: the demo office in a private home on a private X
# server, still running after a few seconds, with a screenshot as evidence.
if command -v xvfb-run >/dev/null 2>&1; then
  home=$(mktemp -d)
  # shellcheck disable=SC2016  # expanded by the inner shell
  alive=$(env "${run_env[@]}" HOME="$home" XDG_RUNTIME_DIR="$home" \
    XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
    xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
      "$1" --demo 2>"$2/desk-demo.log" & pid=$!
      sleep 8
      command -v import >/dev/null && import -window root "$2/screenshot.png"
      if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid"; echo alive; fi
    ' sh "$prefix/usr/bin/bhxh-desk" "$outdir" 2>/dev/null || true)
  rm -rf "$home"
  if [ "$alive" = alive ]; then
    ok "bhxh-desk --demo shows its window (screenshot: $outdir/screenshot.png)"
  else
    tail -n 20 "$outdir/desk-demo.log" 2>/dev/null || true
    bad "bhxh-desk --demo did not keep running"
  fi
fi

if [ "$install" = yes ]; then
  if gsettings list-keys "$app_id" >/dev/null 2>&1; then
    ok "GSettings schema $app_id installed and compiled" \
       "($(gsettings list-keys "$app_id" | wc -l) keys)"
  else
    bad "GSettings schema $app_id is not compiled into the system's schemas"
  fi
  for u in $units; do
    [ -f "/$u" ] || bad "/$u missing after install"
  done
  # dh_installsystemduser enables the timers for every user, like
  # systemctl --global enable (the service only runs where it is configured)
  for t in $(echo "$units" | grep '\.timer$'); do
    # shellcheck disable=SC2013  # WantedBy= is a list of words
    for target in $(sed -n 's/^WantedBy=//p' "/$t"); do
      if [ -L "/etc/systemd/user/$target.wants/$(basename "$t")" ]; then
        ok "$(basename "$t") enabled for every user ($target)"
      else
        bad "$(basename "$t") is not enabled for the users' $target"
      fi
    done
  done
  # the user manager's own checks (unit syntax, ExecStart present); it needs
  # a runtime directory even offline
  if [ -n "$units" ] && command -v systemd-analyze >/dev/null 2>&1; then
    rt=$(mktemp -d)
    # shellcheck disable=SC2086
    check "systemd-analyze verify --user $(echo "$units" | tr '\n' ' ')" \
      env -C / XDG_RUNTIME_DIR="$rt" systemd-analyze verify --user $units
    rm -rf "$rt"
  fi
fi

if [ "$install" = yes ] && [ "$(id -u)" = 0 ]; then
  step "the system service (packaging/test-service.sh)"
  if "$top/packaging/test-service.sh" "$outdir/service"; then
    ok "bhxh-deskd as installed: sealed key, its own user, the bus policy, a clerk's" \
       "decision through the CLI, nothing readable or in clear for other users"
  else
    bad "the installed system service (see the checks above; logs in $outdir/service)"
  fi
fi

step "summary"
echo "package   $deb"
echo "build     ${build_s} s with $jobs job(s)"
echo "lintian   $n_err errors, $n_warn warnings, $n_info info (log: $outdir/lintian.log)"
echo "installed $([ "$install" = yes ] && echo "into the system" || echo "no (dpkg -x into $root)")"
if [ ${#failures[@]} -gt 0 ]; then
  echo "${#failures[@]} check(s) failed:"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
echo "all checks passed"
