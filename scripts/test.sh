#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing, type-checks the repository, runs unit, workflow and
# integration tests (vitest: real MariaDB, real Temporal dev server, time-skipping test server, in-process SMTP), then
# the browser tests (Playwright + Debian's Chromium against the whole stack). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_temporal
ensure_temporal_test_server
ensure_chromium

echo "[test] typecheck"
npx tsc -p tsconfig.json --noEmit

echo "[test] unit, workflow and integration tests"
npx vitest run

echo "[test] fault tests: worker killed, Temporal down, database connections dropped, API stopped under load"
npx vitest run -c vitest.faults.config.ts

echo "[test] building the client for the browser tests"
npx vite build --logLevel warn

echo "[test] browser tests"
npx playwright test -c e2e/playwright.config.ts
