#!/usr/bin/env bash
# `npm test`: unit tests plus the integration tests against the real lab and PostgreSQL.
# Installs what is missing first (Debian packages when run as root, node modules), then starts the lab.
set -uo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/test-suite.sh unit integration
