#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a dogtail script against the real application: a private HOME and
# session bus, accessibility on (recipe in ../shared/TOOLCHAIN.md).
# usage: run-atspi.sh SCRIPT BUILD_ROOT [ARGS…]   (needs $DISPLAY: run under xvfb-run)
set -e
script=$1; shift
if [ ! -x /usr/bin/python3 ] || ! /usr/bin/python3 -c 'import dogtail' 2>/dev/null; then
  echo "1..0 # SKIP python3-dogtail is not installed"; exit 77
fi
if [ -z "$DISPLAY" ]; then
  echo "1..0 # SKIP no display (run under xvfb-run)"; exit 77
fi
home=$(mktemp -d /tmp/bhxh-atspi-XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/config" "$home/runtime" "$home/data" "$home/cache"
chmod 700 "$home/runtime"
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/runtime" \
       XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache"
unset GSETTINGS_BACKEND
export GTK_A11Y=atspi
# fatal-warnings for the application only: the AT-SPI client library warns
# about GTK 4.8 having no cache interface.
export BHXH_APP_G_DEBUG="${G_DEBUG:-}"
unset G_DEBUG
exec dbus-run-session -- sh -c '
  gsettings set org.gnome.desktop.interface toolkit-accessibility true
  exec /usr/bin/python3 "$@"' sh "$script" "$@"
