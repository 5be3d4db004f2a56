#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole test suite; then, for the whole suite (no
# arguments, as CI runs it) or with WHEEL_TEST=1, the wheel test (scripts/wheel_test.sh: the
# built wheel installed with [all] into a fresh venv outside the checkout, demo + one command per part).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
[ "$rc" = 5 ] && { echo "no tests collected" >&2; exit 1; }
if [ $# = 0 ] || [ "${WHEEL_TEST:-0}" = 1 ]; then
  bash scripts/wheel_test.sh || rc=1
fi
exit "$rc"
