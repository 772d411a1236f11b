#!/usr/bin/env bash
# The whole test suite: sets up what is missing, lints and type-checks, builds the CLI (end-to-end tests run bin/skiff), then runs every
# *.test.ts under src/ (unit and integration, beside the code) and test/e2e/ with node's test runner through tsx.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
npx biome check src test scripts bench
npx tsc -p tsconfig.json --noEmit
npx tsc -p tsconfig.build.json && node scripts/copy-assets.mjs && touch dist/.built
mapfile -t files < <(find src test -name '*.test.ts' | sort)
if [ "$#" -gt 0 ]; then files=("$@"); fi
# Three files at a time: real-runtime files queue on one lock (harness/skiff.ts), so the third slot keeps the
# simulated and unit files moving meanwhile.
exec node --import tsx --test --test-concurrency=3 --test-timeout=300000 "${files[@]}"
