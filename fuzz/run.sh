#!/usr/bin/env bash
# Fuzz every Fuzz* target in the main module for a fixed budget each.
#
#   fuzz/run.sh                    # CI smoke: 15s per target
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

count=0
for dir in "${pkgs[@]}"; do
  dir="${dir%/}"
  [ -d "$dir" ] || { echo "fuzz/run.sh: no such package directory: $dir" >&2; exit 2; }
  targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*(' "$dir"/*_test.go 2>/dev/null | sed 's/^func //; s/($//' | sort -u || true)
  for t in $targets; do
    echo "== fuzz $dir $t ($fuzztime)"
    go test -run='^$' -fuzz="^${t}\$" -fuzztime="$fuzztime" "$dir"
    count=$((count + 1))
  done
done
echo "fuzz/run.sh: $count targets fuzzed for $fuzztime each"
