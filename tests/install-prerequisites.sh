# Sourced by tests/run.sh: installs what the test suites need on a fresh Debian machine, and only that.
# Idempotent: each step is skipped when its result is already there.

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || { echo "tests need '$1' on PATH: $2" >&2; exit 1; }
}

need_cmd dotnet "the .NET 10 SDK (https://dot.net)"


# Debian packages, installed only when missing (and only where we may: as root, as in CI).
source "$root/eng/apt-install.sh"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
# Browser tests drive Debian's Chromium through Playwright (no browser download).
command -v chromium >/dev/null 2>&1 || apt_install chromium chromium-driver
# The Redis adapter tests start their own redis-server (Debian package) on a free loopback port.
command -v redis-server >/dev/null 2>&1 || apt_install redis-server
# ... and the sharded adapter's tests a Redis Cluster, made with redis-cli --cluster create (Debian's redis-tools).
command -v redis-cli >/dev/null 2>&1 || apt_install redis-tools
# NativeAOT publish of the conformance host (NativeAotConformanceHostTests): the native linker and zlib.
command -v clang >/dev/null 2>&1 && [ -e /usr/include/zlib.h ] || apt_install clang zlib1g-dev
# The app's cluster test starts its own PostgreSQL (Debian package; its programs live off PATH).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || apt_install postgresql
# ... and an nginx with the shipped deploy/nginx.conf.template in front of two app nodes.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || apt_install nginx

# The official JavaScript clients the integration tests drive (pinned in tests/js/package-lock.json).
need_cmd node "Node.js 18+ (Debian: apt-get install nodejs npm)"
need_cmd npm "npm (Debian: apt-get install npm)"
need_cmd chromium "Chromium for the browser tests (Debian: apt-get install chromium chromium-driver)"
need_cmd redis-server "Redis for the Redis adapter tests (Debian: apt-get install redis-server)"
need_cmd redis-cli "redis-cli for the Redis Cluster tests (Debian: apt-get install redis-tools)"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_cmd initdb "PostgreSQL for the app's cluster test (Debian: apt-get install postgresql)"
[ -x /usr/sbin/nginx ] || need_cmd nginx "nginx for the app's cluster test (Debian: apt-get install nginx)"
(cd tests/js && npm ci --no-audit --no-fund)
# The client bundle the library embeds and serves at /socket.io/socket.io.js (the build would run this too).
(cd src/RealtimeApp.SocketIO/client && npm ci --no-audit --no-fund)

dotnet restore RealtimeApp.sln
