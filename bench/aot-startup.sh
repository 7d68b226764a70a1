#!/usr/bin/env bash
# Startup (process start -> "Now listening on") and idle RSS of the conformance host, JIT vs NativeAOT.
#   bash bench/aot-startup.sh [published-aot-dir]     (default: publishes to /tmp/conformance-aot first)
set -euo pipefail
cd "$(dirname "$0")/.."
aot_dir=${1:-/tmp/conformance-aot}
dotnet build tests/RealtimeApp.ConformanceHost -c Release --nologo -v q >/dev/null
[ -x "$aot_dir/RealtimeApp.ConformanceHost" ] || dotnet publish tests/RealtimeApp.ConformanceHost -c Release -r linux-x64 -p:PublishAot=true -o "$aot_dir" --nologo -v q
measure() { # label, command...
  local label=$1; shift
  for i in 1 2 3; do
    local start; start=$(date +%s%N)
    "$@" --urls http://127.0.0.1:0 >/tmp/aot-startup.$$ 2>&1 & local pid=$!
    until grep -q "Now listening on" /tmp/aot-startup.$$; do sleep 0.005; done
    local ms=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 1
    local rss; rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    echo "$label run $i: startup ${ms} ms, idle RSS $((rss / 1024)) MB"
  done
  rm -f /tmp/aot-startup.$$
}
measure JIT dotnet tests/RealtimeApp.ConformanceHost/bin/Release/net10.0/RealtimeApp.ConformanceHost.dll
measure NativeAOT "$aot_dir/RealtimeApp.ConformanceHost"
echo "NativeAOT executable: $(du -m "$aot_dir/RealtimeApp.ConformanceHost" | cut -f1) MB"
