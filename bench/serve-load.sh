#!/usr/bin/env bash
# bench/serve-load.sh: godiag serve under upload load. Starts `bin/godiag serve` on loopback with a
# fresh data directory (SQLite), then C concurrent clients (bench/serveload) upload corpus captures
# for S seconds: CPU and heap profiles (multipart with service, version, labels), goroutine dumps
# (raw body with ?name=) and a .zip of a capture directory, each client sending its next upload when
# the last was answered. Reports throughput, p50/p95/p99 latency of the upload request, errors (any
# answer but 201), analyses done and still queued when the load stops, the time the queue then takes
# to drain, and the server's Java heap in use (its /metrics) and RSS (/proc) after.
#
#   bench/serve-load.sh [SECONDS]     (default 60; C=SERVE_CLIENTS, default 50)
#
# Needs Go (GO, default go on PATH), curl, bin/godiag. Loopback only. Writes bench/out/serve-load.md.
set -euo pipefail
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${1:-60}
clients=${SERVE_CLIENTS:-50}
port=${SERVE_PORT:-7171}
drain_max=${SERVE_DRAIN_MAX:-1200}
go=${GO:-go}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p bench/out
say() { printf '== serve-load: %s\n' "$*" >&2; }

corpus=$(cd ../shared/corpus 2>/dev/null && pwd) || corpus=$(cd "$root/../shared/corpus" && pwd)
(cd bench/serveload && GOTOOLCHAIN=local "$go" build -trimpath -o "$work/serveload" main.go)

bin/godiag serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/serve.log" 2>&1 &
serve_pid=$!
pids+=($serve_pid)
url=http://127.0.0.1:$port
for _ in $(seq 600); do # bin/godiag may rebuild its jar first
  curl -fsS "$url/health" >/dev/null 2>&1 && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.5
done
# the JVM of bin/godiag is the launcher itself after exec, or its child
jpid=$(pgrep -P "$serve_pid" java || echo "$serve_pid")
threads=$(curl -fsS "$url/metrics" | awk '$1 == "godiag_serve_analysis_threads" {print $2}')
say "server up (pid $jpid, $threads analysis threads); $clients clients for ${seconds}s"

"$work/serveload" -url "$url" -clients "$clients" -seconds "$seconds" -corpus "$corpus" >"$work/load.out"
cat "$work/load.out" >&2
val() { awk -F= -v k="$1" '$1 == k {print $2}' "$work/load.out"; }
metric() { # metric NAME [FILTER]: the value of NAME's series (whose line contains FILTER)
  curl -fsS "$url/metrics" | awk -v m="$1" -v f="${2-}" '($1 == m || index($1, m "{") == 1) && (f == "" || index($0, f)) {print $2; exit}'
}
at_end_done=$(metric godiag_serve_uploads 'status="done"')
at_end_failed=$(metric godiag_serve_uploads 'status="failed"')
at_end_pending=$(metric godiag_serve_uploads 'status="pending"')
at_end_queue=$(metric godiag_serve_analysis_queue)

t0=$(date +%s.%N)
drained=no
for _ in $(seq $((drain_max * 2))); do
  if [ "$(metric godiag_serve_uploads 'status="pending"')" = 0 ]; then drained=yes; break; fi
  sleep 0.5
done
t1=$(date +%s.%N)
drain=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", b - a}')
done_after=$(metric godiag_serve_uploads 'status="done"')
failed_after=$(metric godiag_serve_uploads 'status="failed"')
analysis_s=$(metric godiag_serve_analysis_seconds_total)
heap=$(metric godiag_serve_jvm_heap_used_bytes)
heap_max=$(metric godiag_serve_jvm_heap_max_bytes)
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$jpid/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$jpid/status")
store=$(du -sk "$work/data" | awk '{print $1}')

mib() { awk -v b="$1" 'BEGIN {printf "%.0f", b / 1048576}'; }
out=bench/out/serve-load.md
{
  echo "## serve load: $clients clients uploading for ${seconds}s ($(date -u +%Y-%m-%d), $(nproc) CPUs, SQLite, $threads analysis thread(s))"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| uploads answered 201 | $(val uploads) in $(val seconds) s |"
  echo "| by kind: count, latency p50, p95 | $(val kinds) |"
  echo "| throughput | $(val throughput) uploads/s |"
  echo "| upload request latency p50 / p95 / p99 / max | $(val p50_ms) / $(val p95_ms) / $(val p99_ms) / $(val max_ms) ms |"
  echo "| errors (any answer but 201, or none) | $(val errors) |"
  echo "| when the load stopped: analysed / failed / pending (queued) | $at_end_done / $at_end_failed / $at_end_pending ($at_end_queue) |"
  echo "| queue drained after the load | $( [ "$drained" = yes ] && echo "in $drain s" || echo "NOT within $drain s") |"
  echo "| after: analysed / failed, analysis time in total | $done_after / $failed_after, $(printf '%.0f' "$analysis_s") s |"
  echo "| Java heap in use after (of max) | $(mib "$heap") MiB (of $(mib "$heap_max") MiB) |"
  echo "| RSS after (peak) | $((rss / 1024)) MiB ($((hwm / 1024)) MiB) |"
  echo "| data directory after | $((store / 1024)) MiB |"
} | tee "$out"
grep -E 'level=(error|warn)' "$work/serve.log" | head -5 >&2 || true
