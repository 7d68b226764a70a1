#!/usr/bin/env bash
# One command for the side-by-side benchmark: builds both bench servers and the load generator, then runs it on
# core 1 (the servers it starts run on core 0). Arguments go to the generator's `run`:
#   bash bench/run.sh [--quick|--full] [--reps N] [--only <scenario-prefix>] [--servers ours,node,ceiling] [--out <file>]
#                     [--soak-clients N] [--soak-seconds S] [--soak-signed-in]   (the soak: --only soak, or --full)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d bench/node-peer/node_modules ]; then
  (cd bench/node-peer && npm ci --no-audit --no-fund)
fi
# The cluster rows (in --full, or --only cluster…) start Debian's redis-server: install it when missing, as
# the tests do (eng/apt-install.sh: as root, where apt-get is), so that a fresh machine's full run has every row.
if [[ " $* " == *" --full "* || " $* " == *cluster* ]] && ! command -v redis-server >/dev/null 2>&1; then
  source eng/apt-install.sh
  apt_install redis-server
  command -v redis-server >/dev/null 2>&1 \
    || echo "bench: the cluster rows need redis-server (Debian: apt-get install redis-server); they will fail without it" >&2
fi
# 10,000 soak or idle clients need ~10,000 descriptors in the generator and as many in the server: use the hard limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

dotnet build -c Release bench/RealtimeApp.BenchHost
dotnet build -c Release bench/RealtimeApp.LoadGen

exec taskset -c 1 dotnet bench/RealtimeApp.LoadGen/bin/Release/net10.0/RealtimeApp.LoadGen.dll run "$@"
