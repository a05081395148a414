#!/usr/bin/env bash
# One command to run the whole product with demo data: installs what is missing, builds the client, then starts
# MariaDB migrations + seed, the Temporal dev server, MailDev, the worker and the API (see scripts/stack.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_temporal
echo "[setup] building the client"
npx vite build --logLevel warn
exec node --import tsx scripts/stack.ts "$@"
