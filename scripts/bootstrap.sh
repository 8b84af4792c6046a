#!/usr/bin/env bash
# Creates .venv with Python >= 3.11 and installs engagebot and its test tools into it; does
# nothing when pyproject.toml and constraints.txt have not changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      python=$candidate
      break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "engagebot needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

wanted=$(cat pyproject.toml constraints.txt | "$python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ -x .venv/bin/python ] && [ "$(cat .venv/.engagebot-installed 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
echo "Installing engagebot into .venv (first run, or its requirements changed) ..." >&2
"$python" -m venv .venv
# compat mode puts the checkout itself on the path, so new modules need no reinstall.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
  -e '.[dev]' --config-settings editable_mode=compat
echo "$wanted" >.venv/.engagebot-installed
