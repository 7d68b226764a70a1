#!/usr/bin/env bash
# Brings PublicAPI.Unshipped.txt of each packable library in line with its code, after a deliberate change of
# the public surface: symbols the analyzer reports as undeclared (RS0016) are added, declared ones that no
# longer exist (RS0017) are removed. Review the diff of the two files as part of the change.
# Usage: bash eng/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/RealtimeApp.SocketIO src/RealtimeApp.SocketIO.Redis; do
  unshipped="$project/PublicAPI.Unshipped.txt"
  log=$(dotnet build "$project" -c Release --no-incremental 2>&1 || true)
  added=$(grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" <<<"$log" | sort -u || true)
  removed=$(grep -oP "error RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" <<<"$log" | sort -u || true)
  python3 - "$unshipped" "$added" "$removed" <<'PY'
import sys
path, added, removed = sys.argv[1], sys.argv[2].splitlines(), set(sys.argv[3].splitlines())
lines = [l for l in open(path).read().splitlines() if l and l != '#nullable enable']
lines = sorted((set(lines) | set(a for a in added if a)) - removed)
open(path, 'w').write('#nullable enable\n' + ''.join(l + '\n' for l in lines))
print(f'{path}: +{len([a for a in added if a])} -{len(removed)} = {len(lines)} symbols')
PY
done
