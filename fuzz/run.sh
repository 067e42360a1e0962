#!/usr/bin/env bash
# Fuzz every Fuzz* target in the main module for a fixed budget each.
#
#   fuzz/run.sh                    # a smoke run: 15s per target (.ci/run passes -fuzztime=10s)
#   fuzz/run.sh -fuzztime=10m      # a long local campaign
#   fuzz/run.sh -fuzztime=1m ./eventstream   # only the targets of some packages
#
# Targets are found by scanning *_test.go files, so a new target is fuzzed
# without editing this script or CI. Crashers land in the package's
# testdata/fuzz/<Target>/ directory: commit them as regression inputs.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=15s
pkgs=()
for arg in "$@"; do
  case "$arg" in
    -fuzztime=*) fuzztime="${arg#-fuzztime=}" ;;
    *) pkgs+=("$arg") ;;
  esac
done
if [ ${#pkgs[@]} -eq 0 ]; then
  mapfile -t pkgs < <(go list -f '{{.Dir}}' ./... | sed "s|^$PWD|.|")
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# fuzz_target DIR TARGET fuzzes one target. Go 1.26's fuzzing coordinator
# can report its own -fuzztime deadline as a failure ("context deadline
# exceeded", no input written; go.dev/issue/75804, fixed in Go 1.27), more
# often on a loaded machine. Such a run is repeated, twice at most; any
# other failure, or one that wrote a crasher, fails at once.
fuzz_target() {
  local dir=$1 t=$2 corpus="$1/testdata/fuzz/$2" before after rc
  for attempt in 1 2 3; do
    before=$(ls "$corpus" 2>/dev/null || true)
    set +e
    go test -run='^$' -fuzz="^${t}\$" -fuzztime="$fuzztime" "$dir" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" -eq 0 ] && return 0
    after=$(ls "$corpus" 2>/dev/null || true)
    if [ "$before" != "$after" ] || [ "$attempt" -eq 3 ] ||
      ! grep -q -- "^--- FAIL: $t " "$log" ||
      [ "$(grep -v -e '^fuzz: ' -e '^--- FAIL: ' -e '^    context deadline exceeded$' \
        -e '^FAIL' -e '^exit status ' -e '^warning: ' "$log")" != "" ]; then
      return "$rc"
    fi
    echo "fuzz/run.sh: $t: the fuzzing coordinator reported its own deadline and wrote no input (go.dev/issue/75804); running it again"
  done
}

count=0
for dir in "${pkgs[@]}"; do
  dir="${dir%/}"
  [ -d "$dir" ] || { echo "fuzz/run.sh: no such package directory: $dir" >&2; exit 2; }
  targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*(' "$dir"/*_test.go 2>/dev/null | sed 's/^func //; s/($//' | sort -u || true)
  for t in $targets; do
    echo "== fuzz $dir $t ($fuzztime)"
    fuzz_target "$dir" "$t"
    count=$((count + 1))
  done
done
echo "fuzz/run.sh: $count targets fuzzed for $fuzztime each"
