#!/bin/sh
# Makes the README gallery (assets/gallery/*.png) from the real wizard under
# Xvfb: the Route step with its picture, the Phones step and the Serve step
# in English, the Route step in Brazilian Portuguese, and the mixed fleet
# of issue 21 finished on the Serve step in both languages.
#
#   sh assets/screenshot/gallery.sh target/debug/convert79xx
#
# The wizard is opened the way a user double-clicks a session file
# (`convert79xx desk.toml`), then driven with xdotool at fixed positions of
# its 1100x760 window: the step list on the left, Write and Start serving.
# Re-check the positions (and look at every picture) when the layout
# changes. Serve runs on port 69 (root, or where binding it is allowed)
# with three phones (phone.py) asking for files: one finished, one fetching
# its image, one not in the session.
#
# The fleet (fleet.toml: SCCP 5.0(1.1) over two stages, SCCP 8.1(2), SIP
# 6.3, to SIP 8.12) is played by examples/fleet_phones.rs, simulated phones
# on 127.0.0.81-83.
#
# Needs Xvfb, xdotool, ImageMagick (import, convert) and python3. Uses the caller's
# CARGO_TARGET_DIR for the fixtures (examples/screenshot_fixture.rs,
# examples/fleet_phones.rs).
set -eu
BIN=$(realpath "${1:?usage: gallery.sh path/to/convert79xx}")
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=$REPO/assets/gallery
WORK=$(mktemp -d)
DISPLAY_NO=:97
mkdir -p "$OUT"

# the fixture: desk.toml (SCCP 8.1(2) to SIP 8.12, three phones) beside a
# synthetic SIP 8.12 package; route.toml starts from SCCP 3.2 instead, a
# route of two stages through the universal loader
(cd "$REPO" && cargo run --quiet --example screenshot_fixture -- "$WORK")
sed 's/^from = .*/from = "P00303020214"/' "$WORK/desk.toml" >"$WORK/route.toml"

Xvfb $DISPLAY_NO -screen 0 1100x760x24 >/dev/null 2>&1 </dev/null &
XVFB=$!
APP=
trap 'kill $APP $XVFB 2>/dev/null || true; rm -rf "$WORK"' EXIT
sleep 1
export DISPLAY=$DISPLAY_NO XDG_RUNTIME_DIR=$WORK/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# start LANG SESSION: the wizard in its own config (language LANG), opened
# on SESSION
start() {
    [ -n "$APP" ] && kill "$APP" 2>/dev/null && wait "$APP" 2>/dev/null || true
    export XDG_CONFIG_HOME=$WORK/config-$1
    mkdir -p "$XDG_CONFIG_HOME/convert79xx"
    printf 'lang = "%s"\n' "$1" >"$XDG_CONFIG_HOME/convert79xx/wizard.toml"
    (cd "$WORK" && exec "$BIN" "$2") >"$WORK/app-$1.log" 2>&1 </dev/null &
    APP=$!
    sleep 6
}
click() { xdotool mousemove "$1" "$2" click 1; sleep 1.5; }
# 96 colours (PNG8): the wizard's flat colours survive, the file is a third
shot() {
    import -window root "$OUT/$1.png"
    convert "$OUT/$1.png" -colors 96 PNG8:"$OUT/$1.png"
    echo "wrote assets/gallery/$1.png"
}
# the step list: 1. Current image at y=43, one step every 23 points; each
# button is as wide as its words ("3. Route" ends near x=65)
step() { click 40 $((43 + ($1 - 1) * 23)); }

start En "$WORK/route.toml"
step 3
shot route-en
start PtBr "$WORK/route.toml"
step 3
shot route-pt-br

start En "$WORK/desk.toml"
step 4
shot phones-en
step 5
sleep 2
click 269 159 # Write
sleep 2
step 6
click 243 163 # serve lo (127.0.0.1), where phone.py's phones ask
step 7
click 311 94 # Start serving

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
shot serve-en
kill $SLOW 2>/dev/null || true

# the mixed fleet, written, served and every phone finished, in each
# language (Files: Write; Network: lo; Serve: Start serving)
(cd "$REPO" && cargo build --quiet --example fleet_phones)
for LANG_ in En PtBr; do
    rm -rf "$WORK/fleet"
    start "$LANG_" "$WORK/fleet.toml"
    step 5
    sleep 2
    # Write, then lo (127.0.0.1) on Network: the Portuguese notice above
    # Write takes two lines, and its step list is narrower
    case $LANG_ in
    En) click 269 159 && sleep 2 && step 6 && click 243 163 ;;
    PtBr) click 292 174 && sleep 2 && step 6 && click 232 163 ;;
    esac
    step 7
    click 311 94 # Start serving
    (cd "$REPO" && cargo run --quiet --example fleet_phones -- 127.0.0.1:69) >"$WORK/fleet-$LANG_.log" 2>&1
    sleep 3
    case $LANG_ in
    En) shot fleet-finished-en ;;
    PtBr) shot fleet-finished-pt-br ;;
    esac
done
