#!/usr/bin/env bash
# Issue 21: the built wheel works outside the repository, as for a user who does not clone.
#
# Builds the wheel, installs it with every offline extra ([all]) into a fresh virtualenv in a
# temporary folder, resolving every dependency from the package indexes (no --no-deps, no
# --system-site-packages: the declared dependencies are what is tested), then, from an empty
# folder with an empty HOME (no cache, no models, no data sets) and no ../shared in sight, runs
# `workbench demo`, `workbench data` and one command per part. Fails on a setuptools warning while
# building, on a CUDA/torch package pulled by [all], on a non-zero exit, or on output naming the
# checkout or the shared data folder. Run by scripts/test.sh after the test suite (CI).
#   bash scripts/wheel_test.sh            # KEEP=1 keeps the temporary folder
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${WHEEL_TEST_PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wb-wheel-XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
say() { printf '\033[1mwheel test:\033[0m %s\n' "$*"; }
die() { printf 'wheel test: FAILED: %s\n' "$*" >&2; exit 1; }
t0=$SECONDS

# --- build: the checkout's own build backend, in its venv; any warning is a failure ----------------
say "building the wheel"
had_build=0; [ -e "$ROOT/build" ] && had_build=1
"$ROOT/.venv/bin/python" -m pip wheel --no-deps --no-build-isolation -q -w "$WORK/dist" "$ROOT" \
  > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "pip wheel failed"; }
[ "$had_build" = 1 ] || rm -rf "$ROOT/build"  # setuptools builds in the source tree: leave it as found
if grep -i -E "warning|deprecat" "$WORK/build.log" | grep -v "^WARNING: Location" ; then
  die "the build printed warnings (above)"
fi
WHEEL=$(ls "$WORK"/dist/neurosym_workbench-*.whl)
say "built $(basename "$WHEEL") ($(du -k "$WHEEL" | cut -f1) kB)"

# --- install: a fresh venv outside the checkout, [all] resolved from the indexes -------------------
"$PY" -m venv "$WORK/venv"
VPIP=("$WORK/venv/bin/python" -m pip -q --disable-pip-version-check)
"${VPIP[@]}" install --no-compile "$WHEEL[all]" 2> >(grep -v '^WARNING: Location' >&2) || die "pip install [all] failed"
if "$WORK/venv/bin/python" -m pip list 2>/dev/null | grep -i -E "^(torch|nvidia-|triton|cuda)" ; then
  die "[all] pulled torch/CUDA packages (above)"
fi
say "installed with [all] in $((SECONDS - t0)) s"

# --- run: from an empty folder, with an empty HOME and no data folder ------------------------------
mkdir -p "$WORK/empty" "$WORK/home"
cd "$WORK/empty"
export HOME="$WORK/home" XDG_CACHE_HOME="$WORK/home/.cache" XDG_DATA_HOME="$WORK/home/.local/share"
unset WORKBENCH_DATA WORKBENCH_CACHE WORKBENCH_CONFIG
WB="$WORK/venv/bin/workbench"
cat > sample.ts <<'EOF'
function greet(person) { return "Hello, " + person.name.toUpperCase(); }
greet({ name: "Ada" });
EOF
cat > lemma.v <<'EOF'
Theorem plus_O_n : forall n : nat, 0 + n = n.
Proof. Admitted.
EOF
run() {  # run "$@", keep its output, fail on a non-zero exit or on output naming the checkout or shared data
  local name=$1; shift
  local out="$WORK/out-$name.txt"
  say "$name: $*"
  "$@" > "$out" 2>&1 || { tail -40 "$out" >&2; die "$name exited $?"; }
  if grep -n -F -e "$ROOT" -e "shared/data" "$out"; then die "$name's output names a path outside the package (above)"; fi
}
run demo "$WB" demo
grep -E "part\(s\) shown|^skipped" "$WORK/out-demo.txt" || true
grep -q "6 part(s) shown" "$WORK/out-demo.txt" || die "the demo did not run every part on its embedded data"
run data "$WB" data
grep -q "missing" "$WORK/out-data.txt" || die "workbench data should report the data sets as missing here"
run logic "$WB" logic prove "all x.(Dog(x) -> Animal(x))" "Dog(Rex)" -c "Animal(Rex)"
grep -q "True" "$WORK/out-logic.txt" || die "logic prove did not answer True"
run causal "$WB" causal query smoking "P(C=1 | do(S=1))"
grep -q "0.542" "$WORK/out-causal.txt" || die "causal query did not give 0.542"
run types "$WB" types infer sample.ts
grep -q "string" "$WORK/out-types.txt" || die "types infer found no string"
run rules "$WB" rules map "Every flight has a minimum clear width of 900mm."
grep -q "flight" "$WORK/out-rules.txt" || die "rules map found no flight function"
if command -v coqtop > /dev/null; then
  run prove "$WB" prove theorem lemma.v plus_O_n --seconds 30
else
  say "prove: skipped (coqtop not installed: apt-get install coq)"
fi
run models "$WB" models list
say "passed in $((SECONDS - t0)) s"
