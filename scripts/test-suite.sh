#!/usr/bin/env bash
# Runs one vitest project with the lab up, writing a JSON report to test-results/<project>.json.
# Usage: scripts/test-suite.sh <unit|integration|gateway|webrtc|e2e> [more projects…]
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-env.sh

projects=("$@")
[ ${#projects[@]} -gt 0 ] || { echo "usage: $0 <project>…" >&2; exit 2; }
ensure_system_packages
ensure_node_modules
ensure_postgres
needs_lab=0
for p in "${projects[@]}"; do case $p in integration|gateway|e2e) needs_lab=1 ;; esac; done  # webrtc runs its own lab in a netns
[ "$needs_lab" = 1 ] && ensure_lab

mkdir -p test-results
name=$(IFS=-; echo "${projects[*]}")
args=()
for p in "${projects[@]}"; do args+=(--project "$p"); done
exec node_modules/.bin/vitest run "${args[@]}" --reporter=default --reporter=json \
  --outputFile.json="test-results/$name.json"
