# Sourced by tests/run.sh: installs what the test suites need on a fresh Debian machine, and only that.
# Idempotent: each step is skipped when its result is already there.

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || { echo "tests need '$1' on PATH: $2" >&2; exit 1; }
}

need_cmd dotnet "the .NET 10 SDK (https://dot.net)"

dotnet restore RealtimeApp.sln

# The official JavaScript clients the integration tests drive (pinned in tests/js/package-lock.json).
need_cmd node "Node.js 18+ (Debian: apt-get install nodejs npm)"
need_cmd npm "npm (Debian: apt-get install npm)"
(cd tests/js && npm ci --no-audit --no-fund)
