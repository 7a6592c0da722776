#!/usr/bin/env bash
# Records/s delivered to the Bitrix24 test server at its real limit
# (bucket draining 2 requests/s, capacity 50) with the default sync.rate=2,
# with and without batch. Usage:
#   GREETER_BUILD_DIR=build/dev tests/bench/sync_throughput.sh [N_NOBATCH] [N_BATCH]
# Prints one JSON line per mode. Results: docs/BENCHMARKS.md "## Sync".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export GREETER_BUILD_DIR=${GREETER_BUILD_DIR:?set GREETER_BUILD_DIR to the build folder}
exec python3 "$here/sync_throughput.py" "${1:-60}" "${2:-600}"
