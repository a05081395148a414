#!/usr/bin/env bash
# Development mode: Vite dev server with hot reload on :5173 (proxying /trpc to the API), worker and API restarting
# on change, plus the same Temporal dev server, MailDev, migrations and seed as `npm start`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_temporal
exec node --import tsx scripts/stack.ts --watch
