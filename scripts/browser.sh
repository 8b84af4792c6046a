#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for the board's browser tests when they are missing
# (never a browser downloaded by a tool), and a colour emoji font so that the board's screenshots show
# its status emoji as a screen does; needs root or sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
  && [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then
  exit 0
fi
echo "Installing Debian's chromium, chromium-driver and fonts-noto-color-emoji for the browser tests ..." >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -qq chromium chromium-driver fonts-noto-color-emoji >/dev/null; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium chromium-driver fonts-noto-color-emoji >/dev/null
fi
