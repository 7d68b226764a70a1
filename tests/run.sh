#!/usr/bin/env bash
# Runs every test suite of the solution, installing what the tests need first.
# Usage: bash tests/run.sh [extra dotnet test arguments]
# Ends with one plain line: "tests: N passed, N failed" (exit status non-zero if anything failed).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source "$root/tests/install-prerequisites.sh"

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet test RealtimeApp.sln -c Release --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

# Count from the TRX files (one per test project), not from dotnet test's own summary.
passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done

# Name every failed test (and the first line of its message) so a red CI log says what failed without the
# whole console output.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  awk '
    /<UnitTestResult / && /outcome="Failed"/ {
      match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1; next
    }
    want && /<Message>/ {
      line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
      printf "FAILED %s: %s\n", name, substr(line, 1, 400); want = 0
    }' "$trx"
done

# A build break or a crashed test host runs no test: that is a failure, not "0 failed".
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status before reporting a failed test (build error or test host crash)" >&2
  failed=1
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
