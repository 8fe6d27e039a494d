#!/bin/sh
# Takes assets/screenshot-serve.png: the real wizard under Xvfb, opened on a
# session with a synthetic SIP 8.12 package, clicked through to Serve, with
# three phones (phone.py) asking for files: one finished, one fetching the
# image, one not in the session.
#
#   sh assets/screenshot/serve.sh target/debug/convert79xx
#
# Needs Xvfb, xdotool, ImageMagick and python3; serves on port 69, so run it
# as root (or where binding port 69 is allowed). Clicks at fixed positions of
# the 1100x760 window, so re-check them if the layout changes. Uses the
# caller's CARGO_TARGET_DIR for the fixture (examples/screenshot_fixture.rs).
set -eu
BIN=$(realpath "${1:?usage: serve.sh path/to/convert79xx}")
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d)
DISPLAY_NO=:97

# the fixture: a session and a synthetic package; the wizard's config
# (config/convert79xx/wizard.toml under XDG_CONFIG_HOME) reopens the session
(cd "$REPO" && cargo run --quiet --example screenshot_fixture -- "$WORK")
mkdir -p "$WORK/config/convert79xx"
printf 'last_session = "%s"\nlang = "En"\n' "$WORK/desk.toml" >"$WORK/config/convert79xx/wizard.toml"

Xvfb $DISPLAY_NO -screen 0 1100x760x24 >/dev/null 2>&1 </dev/null &
XVFB=$!
trap 'kill $APP $XVFB 2>/dev/null || true' EXIT
sleep 1
export DISPLAY=$DISPLAY_NO XDG_CONFIG_HOME=$WORK/config XDG_RUNTIME_DIR=$WORK/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
(cd "$WORK" && exec "$BIN") >"$WORK/app.log" 2>&1 </dev/null &
APP=$!
sleep 5

click() { xdotool mousemove "$1" "$2" click 1; sleep 1.5; }
NEXT="1069 741"
click $NEXT; click $NEXT; click $NEXT; click $NEXT   # to Files (the session reopened)
click 269 159                                        # Write
click $NEXT; click $NEXT                             # Network, Serve
click 311 94                                         # Start serving

PHONE="python3 $HERE/phone.py"
$PHONE 127.0.0.3 127.0.0.1 69 0.02 CTLSEP001E4A123457.tlv SEP001E4A123457.cnf.xml \
  P0S3-8-12-00.loads P0S3-8-12-00.sb2 >/dev/null 2>&1 </dev/null &
SLOW=$!
$PHONE 127.0.0.2 127.0.0.1 69 0 CTLSEP001E4A123456.tlv SEP001E4A123456.cnf.xml \
  P0S3-8-12-00.loads P0S3-8-12-00.sb2 P003-8-12-00.sbn \
  CTLSEP001E4A123456.tlv SEP001E4A123456.cnf.xml SIPDefault.cnf ./SIP001E4A123456.cnf \
  RINGLIST.DAT dialplan.xml >/dev/null
$PHONE 127.0.0.4 127.0.0.1 69 0 CTLSEP001E4A1234AA.tlv SEP001E4A1234AA.cnf.xml \
  XMLDefault.cnf.xml >/dev/null
sleep 4
import -window root "$REPO/assets/screenshot-serve.png"
kill $SLOW 2>/dev/null || true
echo "wrote $REPO/assets/screenshot-serve.png"
