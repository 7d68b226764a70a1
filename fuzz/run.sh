#!/usr/bin/env bash
# Coverage-guided fuzzing of the protocol codecs: SharpFuzz-instrumented RealtimeApp.SocketIO.dll under AFL++.
#
# Usage: bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  how long afl-fuzz runs each target (default 30)
#   TARGET              engine-packet payload-v4 payload-v3-text payload-v3-binary socket-packet msgpack-packet
#                       (default: all);
#                       "selftest" runs a target that crashes and hangs on purpose, to check this script fails
#
# Steps: install AFL++ (Debian) if missing, restore the pinned sharpfuzz tool (fuzz/.config/dotnet-tools.json),
# build the harness (Release), instrument a copy of the library in a /tmp work folder, replay the seed corpus
# and the regressions uninstrumented (a seed that crashes would abort afl-fuzz's dry run), then run afl-fuzz
# on each target in turn — one fuzzer process at a time — from fuzz/corpus/<target> (and fuzz/dict/<target>.dict).
# Exit status 0 when no target crashed or hung; otherwise 1, after printing each finding's target, input (hex)
# and exception. Writes only in the repository's bin/obj folders and in /tmp (the work folder is removed
# after a clean run, kept after a finding: FUZZ_KEEP=1 keeps it always).
set -euo pipefail

seconds=${1:-30}
shift || true
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "usage: bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fuzz="$root/fuzz"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DEBIAN_FRONTEND=noninteractive

# ---- prerequisites ----------------------------------------------------------------------------------------
apt_updated=
apt_install() {
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  command -v apt-get >/dev/null 2>&1 || { echo "fuzz: need $* but apt-get is missing; install it by hand" >&2; exit 1; }
  [ -n "$apt_updated" ] || { $sudo apt-get update -qq; apt_updated=1; }
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
command -v dotnet >/dev/null 2>&1 || { echo "fuzz: the .NET 10 SDK is required (https://dot.net)" >&2; exit 1; }
command -v afl-fuzz >/dev/null 2>&1 || apt_install afl++
# The library's build embeds the Socket.IO client bundle, fetched with npm on a fresh clone.
command -v npm >/dev/null 2>&1 || apt_install nodejs npm

echo "== fuzz: $(afl-fuzz -h 2>&1 | head -n 1 | sed 's/\x1b\[[0-9;]*m//g'), $(dotnet --version)"
(cd "$fuzz" && dotnet tool restore >/dev/null)

# ---- build and instrument -----------------------------------------------------------------------------------
build_log=$(dotnet build "$fuzz/RealtimeApp.Fuzz/RealtimeApp.Fuzz.csproj" -c Release -nologo 2>&1) || { echo "$build_log"; exit 1; }
plain="$fuzz/RealtimeApp.Fuzz/bin/Release/net10.0" # uninstrumented: replays inputs outside afl-fuzz
work=$(mktemp -d /tmp/realtimeapp-fuzz.XXXXXX)
mkdir -p "$work/bin" "$work/out"
cp -r "$plain/." "$work/bin/"
# Instruments every type of the copy; the harness and the framework stay as they are. An instrumented
# assembly only runs under afl-fuzz (it writes to AFL's shared memory), so replays use $plain.
(cd "$fuzz" && dotnet sharpfuzz "$work/bin/RealtimeApp.SocketIO.dll")

mapfile -t all_targets < <(dotnet "$plain/RealtimeApp.Fuzz.dll" list)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }

failed=0
summary=()
finding() { # target, file, kind
  local target=$1 file=$2 kind=$3
  failed=1
  echo "!! fuzz $kind: target=$target input=$file"
  echo "   input ($(stat -c %s "$file") bytes, hex): $(hex "$file")"
  if [ "$target" != selftest ]; then
    # The exception, from the uninstrumented build (a hang is cut off after 20 s).
    local replay rc=0
    replay=$(timeout 20 dotnet "$plain/RealtimeApp.Fuzz.dll" replay "$target" "$file" 2>&1) || rc=$?
    if [ "$rc" -eq 124 ]; then
      echo "   (the replay did not finish within 20 s: a hang)"
    else
      grep -m 1 -E '^  [A-Za-z.]+: ' <<<"$replay" || echo "   (the replay did not fail: flaky, or a crash of the runtime itself; see afl-fuzz's output)"
    fi
  fi
}

# ---- seeds and regressions, uninstrumented ------------------------------------------------------------------
for target in "${targets[@]}"; do
  [ "$target" != selftest ] || continue
  inputs=("$fuzz/corpus/$target")
  [ -d "$fuzz/regressions/$target" ] && inputs+=("$fuzz/regressions/$target")
  if ! out=$(timeout 300 dotnet "$plain/RealtimeApp.Fuzz.dll" replay "$target" "${inputs[@]}"); then
    echo "$out"
    echo "!! fuzz: a seed or regression input of $target fails (above); not fuzzing it"
    failed=1
  else
    echo "$out" | tail -n 1
  fi
done
[ "$failed" -eq 0 ] || { echo "fuzz: FAILED (work folder $work)"; exit 1; }

# ---- afl-fuzz, one target at a time ---------------------------------------------------------------------------
# AFL_SKIP_BIN_CHECK: the fuzzed program is `dotnet`, not an AFL-compiled binary (SharpFuzz's fork server
#   speaks AFL's protocol instead). AFL_FORKSRV_INIT_TMOUT: .NET start-up on a busy 2-core box can take a while.
# AFL_NO_AFFINITY: do not pin to a core (other work shares the machine). AFL_SKIP_CPUFREQ, AFL_NO_UI: CI-friendly.
# AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES: a core_pattern that pipes to a handler only slows crash reports.
# -m none: the CLR reserves far more virtual memory than AFL's default limit. -t 5000: 5 s per input is a hang.
export AFL_SKIP_BIN_CHECK=1 AFL_FORKSRV_INIT_TMOUT=120000 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 \
  AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_QUIET=1
for target in "${targets[@]}"; do
  corpus="$fuzz/corpus/$target"
  if [ "$target" = selftest ]; then
    corpus="$work/selftest-corpus"
    mkdir -p "$corpus"
    printf '4x' >"$corpus/seed"
  fi
  [ -d "$corpus" ] || { echo "!! fuzz: no corpus for target $target"; failed=1; continue; }
  dict=()
  [ -f "$fuzz/dict/$target.dict" ] && dict=(-x "$fuzz/dict/$target.dict")
  out="$work/out/$target"
  echo "== fuzz $target: ${seconds}s"
  status=0
  timeout -k 10 $((seconds + 300)) afl-fuzz -i "$corpus" -o "$out" -t 5000 -m none -V "$seconds" "${dict[@]}" \
    -- dotnet "$work/bin/RealtimeApp.Fuzz.dll" "$target" >"$work/afl-$target.log" 2>&1 || status=$?
  stats="$out/default/fuzzer_stats"
  afl_stat() { sed -n "s/^$1 *: *//p" "$stats" 2>/dev/null | head -n 1 || true; }
  execs=$(afl_stat execs_done)
  corpus_count=$(afl_stat corpus_count)
  edges=$(afl_stat edges_found)
  crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  line="$target: execs=${execs:-?} corpus=${corpus_count:-?} edges=${edges:-?} crashes=$crashes hangs=$hangs"
  echo "   $line"
  summary+=("$line")
  if [ "$status" -ne 0 ] || [ -z "$execs" ]; then
    # afl-fuzz stopped on its own (e.g. the fork server died): the input it was on is the suspect.
    failed=1
    echo "!! fuzz: afl-fuzz exited with status $status on $target; its last lines:"
    sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$work/afl-$target.log" | tail -n 15
    [ -f "$out/default/.cur_input" ] && finding "$target" "$out/default/.cur_input" "abort"
  fi
  for file in "$out"/default/crashes/id:*; do [ -e "$file" ] && finding "$target" "$file" crash; done
  for file in "$out"/default/hangs/id:*; do [ -e "$file" ] && finding "$target" "$file" hang; done
done

echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED — findings above; afl-fuzz output kept in $work. Keep a minimised input (afl-tmin) in fuzz/regressions/<target>/."
  exit 1
fi
[ -n "${FUZZ_KEEP:-}" ] && echo "fuzz: work folder kept: $work" || rm -rf "$work"
echo "fuzz: OK, no crash or hang in ${#targets[@]} targets"
