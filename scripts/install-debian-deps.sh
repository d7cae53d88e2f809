#!/usr/bin/env bash
# Installs the Debian 12 packages the lab and the test suites need (run as root; used by .ci/run too).
set -euo pipefail

packages=(
  kamailio kamailio-websocket-modules kamailio-tls-modules kamailio-postgres-modules
  kamailio-json-modules kamailio-utils-modules kamailio-extra-modules
  rtpengine-daemon sip-tester kamcli
  python3-psycopg2 # kamcli's PostgreSQL driver (tests/integration/provisioning-kamcli.test.ts)
  openssl socat iproute2 postgresql-client chromium curl ca-certificates
  prometheus # the e2e suite scrapes kamdash's /metrics with a real Prometheus (and checks it with promtool)
)

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo -E bash "$0" "$@"; fi
  echo "run as root: apt-get needs it" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
# the packages ship services that must not run on their own: the lab starts its own processes
for service in kamailio rtpengine-daemon prometheus; do
  if systemctl is-enabled "$service" >/dev/null 2>&1; then systemctl disable --now "$service" || true; fi
done
echo "installed: ${packages[*]}"
