#!/usr/bin/env bash
# Starts engagebot: on Slack and/or Telegram when their tokens are set, else the console.
# Arguments go to the `engagebot` command (e.g. `scripts/run.sh demo`, `scripts/run.sh console --as astrid`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/engagebot "$@"
