#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the offline tour of every part on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/workbench demo "$@"
