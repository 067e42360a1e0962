#!/usr/bin/env bash
# Stripped binary sizes: the net/http floor, a minimal Converse program
# (client.New), one using client.FromEnvironment, and cmd/bedrock.
#   scripts/size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
build() { CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/$1" "$2"; stat -c %s "$out/$1"; }
floor=$(build floor ./testdata/size/floor)
minimal=$(build minimal ./testdata/size/minimal)
fromenv=$(build fromenv ./testdata/size/fromenv)
bedrock=$(build bedrock ./cmd/bedrock)
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f MB", (a - b) / 1e6 }'; }
echo "go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH), -trimpath -ldflags='-s -w', CGO_ENABLED=0"
printf '%-36s %10s\n' "floor (net/http+json+hmac)" "$(mb "$floor")"
printf '%-36s %10s  %s over the floor\n' "Converse via client.New" "$(mb "$minimal")" "$(delta "$minimal" "$floor")"
printf '%-36s %10s  %s over the floor\n' "Converse via client.FromEnvironment" "$(mb "$fromenv")" "$(delta "$fromenv" "$floor")"
printf '%-36s %10s\n' "cmd/bedrock" "$(mb "$bedrock")"
