# Sourced by the test scripts: brings a fresh Debian/Ubuntu machine to the state the tests need.
ensure_system_packages() {
  if command -v kamailio >/dev/null && command -v rtpengine >/dev/null && command -v sipp >/dev/null \
    && command -v chromium >/dev/null && command -v socat >/dev/null && command -v openssl >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages; run: sudo bash scripts/install-debian-deps.sh" >&2
    return 1
  fi
  bash scripts/install-debian-deps.sh
}

ensure_node_modules() {
  [ -x node_modules/.bin/vitest ] || npm ci
}

ensure_postgres() {
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then return 0; fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  echo "PostgreSQL is not answering on 127.0.0.1:5432 (set KAMAILIO_DB_URL / DATABASE_URL for another server)" >&2
  return 1
}

ensure_lab() {
  npm run --silent lab:up -- --users "${LAB_USERS:-80}"
}
