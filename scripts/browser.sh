#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for the board's browser tests when they are missing
# (never a browser downloaded by a tool); needs root or sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
echo "Installing Debian's chromium and chromium-driver for the browser tests ..." >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -qq chromium chromium-driver >/dev/null; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
