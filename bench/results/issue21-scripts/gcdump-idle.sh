#!/usr/bin/env bash
# usage: gcdump-idle.sh ours|ceiling (issue 21); files in /tmp/memdump/<kind>   — start BenchHost on core 0, warm-up conn, baseline gcdump, hold 5000 idle, gcdump
set -euo pipefail
kind=$1; N=${N:-5000}   # build first: bash bench/run.sh, or dotnet build -c Release of both bench projects
ulimit -n "$(ulimit -Hn)"
B=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$PATH:$HOME/.dotnet/tools"
HOST=$B/RealtimeApp.BenchHost/bin/Release/net10.0/RealtimeApp.BenchHost.dll
GEN=$B/RealtimeApp.LoadGen/bin/Release/net10.0/RealtimeApp.LoadGen.dll
D=/tmp/memdump/$kind; mkdir -p $D
if [ "$kind" = ours ]; then pathargs=(--path '/socket.io/?EIO=4&transport=websocket'); else pathargs=(--path /ws --raw); fi
cd $(dirname $HOST)
taskset -c 0 dotnet $HOST 0 > $D/host.out 2>$D/host.err &
hpid=$!; echo "host pid $hpid"
for i in $(seq 100); do [ -s $D/host.out ] && break; sleep 0.2; done
port=$(python3 -c "import json;print(json.loads(open('$D/host.out').readline())['port'])")
echo "port $port"
rss(){ grep VmRSS /proc/$hpid/status | awk '{print $2}'; }
# warm-up: one client, then close
echo | taskset -c 1 dotnet $GEN hold --port $port "${pathargs[@]}" --count 1 > $D/warm.out
sleep 0.5
curl -s localhost:$port/gc > $D/gc0.json; echo "baseline heap $(cat $D/gc0.json) rss $(rss)"
echo "rss_kb_baseline $(rss)" > $D/numbers.txt
dotnet-gcdump collect -p $hpid -o $D/base.gcdump > /dev/null
echo "rss_kb_after_basedump $(rss)" >> $D/numbers.txt
# hold N
mkfifo $D/fifo; exec 3<>$D/fifo
taskset -c 1 dotnet $GEN hold --port $port "${pathargs[@]}" --count $N < $D/fifo > $D/hold.out 2>&1 &
gpid=$!
for i in $(seq 600); do [ -s $D/hold.out ] && break; sleep 0.2; done
echo "hold: $(head -1 $D/hold.out)"
sleep 5
echo "rss_kb_loaded $(rss)" >> $D/numbers.txt
curl -s localhost:$port/stats > $D/stats.json
curl -s localhost:$port/gc > $D/gc1.json
echo "rss_kb_loaded_after_gc $(rss)" >> $D/numbers.txt
dotnet-gcdump collect -p $hpid -o $D/loaded.gcdump > /dev/null
echo "rss_kb_after_loadeddump $(rss)" >> $D/numbers.txt
echo status >&3; sleep 0.5; tail -1 $D/hold.out
cat /proc/$hpid/status | grep -E 'VmRSS|RssAnon|RssFile|Threads' >> $D/numbers.txt
exec 3>&-; rm -f $D/fifo
sleep 2; kill $gpid 2>/dev/null || true; wait $gpid || true
kill $hpid; wait $hpid || true
cat $D/numbers.txt; cat $D/gc1.json; echo
