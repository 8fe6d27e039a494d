#!/bin/sh
# Draws the app icon from shapes (no artwork copied): a desk phone's body and
# handset above two arrows, SCCP ⇄ SIP. Writes icon.png (256 px) and icon.ico
# (16–256 px) beside this script. macOS's .icns is made from icon.png by the
# release workflow (sips + iconutil). Needs ImageMagick.
set -eu
cd "$(dirname "$0")"
convert -size 256x256 xc:none \
  -fill '#1d5fa6' -draw 'roundrectangle 8,8 247,247 44,44' \
  -fill '#2f7fd0' -draw 'roundrectangle 8,8 247,150 44,44' -draw 'rectangle 8,100 247,150' \
  -fill '#1d5fa6' -draw 'rectangle 8,128 247,150' \
  -fill white -draw 'roundrectangle 56,40 200,70 14,14' \
  -fill white -draw 'roundrectangle 64,78 192,138 12,12' \
  -fill '#1d5fa6' -draw 'rectangle 78,90 178,104' \
  -fill '#1d5fa6' -draw 'circle 92,122 92,128' -draw 'circle 128,122 128,128' -draw 'circle 164,122 164,128' \
  -fill '#ffd34d' -draw 'polygon 48,178 208,178 208,162 236,186 208,210 208,194 48,194' \
  -fill '#ffffff' -draw 'polygon 208,206 48,206 48,190 20,214 48,238 48,222 208,222' \
  icon.png
convert icon.png -define icon:auto-resize=256,128,64,48,32,16 icon.ico
