#!/usr/bin/env bash
# bench/guard-load.sh: godiag guard watching a fleet of N loopback Go services (bench/guardload,
# answering responses recorded from real Go runtimes) at a 15 s interval for several minutes, and
# Prometheus scraping the same fleet at the same interval side by side, in one run. Reports, for
# each: scrape success rate, CPU share of one core, memory; for guard also its Java heap (peak of
# the heap after each GC, sampled from its /metrics) and its late and skipped scrapes.
#
#   bench/guard-load.sh [SECONDS]     (default 300; N=GUARD_TARGETS, default 2000)
#
# Needs Go (GO, default go on PATH), prometheus on PATH, bin/godiag. Loopback only.
# Writes bench/out/guard-load.md.
set -euo pipefail
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${1:-300}
n=${GUARD_TARGETS:-2000}
interval=${GUARD_INTERVAL:-15}
go=${GO:-go}
base=${GUARD_BASE_PORT:-21000}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p bench/out

say() { printf '== guard-load: %s\n' "$*" >&2; }

# the fleet: promgo's recorded /metrics and /debug/vars, the corpus' goroutine dumps
(cd testdata/gen/promgo && GOTOOLCHAIN=local "$go" build -trimpath -o "$work/promgo" .)
(cd bench/guardload && GOTOOLCHAIN=local "$go" build -trimpath -o "$work/guardload" main.go)
"$work/promgo" >"$work/promgo.out"
corpus=$(cd ../shared/corpus/go1.27/leakysvc 2>/dev/null && pwd) || corpus=$(cd "$root/../shared/corpus/go1.27/leakysvc" && pwd)
"$work/guardload" -n "$n" -base-port "$base" -promgo "$work/promgo.out" -corpus "$corpus" >"$work/fleet.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q '^ready' "$work/fleet.log" && break; sleep 0.1; done
grep -q '^ready' "$work/fleet.log" || { cat "$work/fleet.log"; exit 1; }
say "fleet of $n services on 127.0.0.1:$base-$((base + n - 1))"

targets() { # the fleet as a YAML flow list
  local i sep=""
  printf '['
  for ((i = 0; i < n; i++)); do printf "%s'127.0.0.1:%d'" "$sep" $((base + i)); sep=", "; done
  printf ']'
}
list=$(targets)
cat >"$work/guard.yml" <<YML
global: {scrape_interval: ${interval}s, scrape_timeout: 10s}
scrape_configs:
  - job_name: fleet
    stage: observe
    static_configs:
      - targets: $list
YML
cat >"$work/prometheus.yml" <<YML
global: {scrape_interval: ${interval}s, scrape_timeout: 10s}
scrape_configs:
  - job_name: fleet
    static_configs:
      - targets: $list
YML

guard_port=$((base - 1))
prom_port=$((base - 2))
bin/godiag guard --config "$work/guard.yml" --listen "127.0.0.1:$guard_port" --data-dir "$work/guard" \
  >"$work/guard.log" 2>&1 &
guard_pid=$!
pids+=($guard_pid)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prom.log" 2>&1 &
prom_pid=$!
pids+=($prom_pid)

# wait until both serve (bin/godiag may rebuild its jar first)
for _ in $(seq 600); do
  curl -fsS "http://127.0.0.1:$guard_port/-/healthy" >/dev/null 2>&1 &&
    curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1 && break
  kill -0 "$guard_pid" 2>/dev/null || { cat "$work/guard.log"; exit 1; }
  sleep 0.5
done
tstart=$(date +%s)
# the JVM of bin/godiag is the launcher's child (or the launcher itself after exec): measure the java process
jpid=$(pgrep -P "$guard_pid" java || echo "$guard_pid")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
metric() { # metric NAME: its value in guard's /metrics (summed over series)
  curl -fsS "http://127.0.0.1:$guard_port/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {print s + 0}'
}

# warm-up: one interval, then measure
sleep "$interval"
g0=$(cpu_ticks "$jpid"); p0=$(cpu_ticks "$prom_pid"); t0=$(date +%s.%N)
ok0=$(metric 'godiag_guard_scrapes_total'); late0=$(metric godiag_guard_scrapes_late_total)
peak_heap=0
end=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$end" ]; do
  sleep "$interval"
  h=$(metric godiag_guard_jvm_heap_used_bytes)
  peak_heap=$(awk -v a="$peak_heap" -v b="$h" 'BEGIN {print (b > a ? b : a)}')
done
g1=$(cpu_ticks "$jpid"); p1=$(cpu_ticks "$prom_pid"); t1=$(date +%s.%N)
m=$(curl -fsS "http://127.0.0.1:$guard_port/metrics")
ok=$(awk '/^godiag_guard_scrapes_total/ && /result="ok"/ {s += $2} END {print s + 0}' <<<"$m")
failed=$(awk '/^godiag_guard_scrapes_total/ && /result="error"/ {s += $2} END {print s + 0}' <<<"$m")
late=$(awk '$1 == "godiag_guard_scrapes_late_total" {print $2}' <<<"$m")
skipped=$(awk '$1 == "godiag_guard_scrapes_skipped_total" {print $2}' <<<"$m")
up=$(awk '/^godiag_guard_up/ {s += $2} END {print s + 0}' <<<"$m")
prom_up=$(curl -fsS "http://127.0.0.1:$prom_port/api/v1/query?query=sum(up)" | sed -E 's/.*"value":\[[^,]*,"([^"]*)".*/\1/')
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
gcpu=$(awk -v a="$g0" -v b="$g1" -v w="$wall" -v hz="$hz" 'BEGIN {printf "%.1f", 100 * (b - a) / hz / w}')
pcpu=$(awk -v a="$p0" -v b="$p1" -v w="$wall" -v hz="$hz" 'BEGIN {printf "%.1f", 100 * (b - a) / hz / w}')
grss=$(rss_kb "$jpid"); prss=$(rss_kb "$prom_pid")
total=$((ok + failed))
rate=$(awk -v o="$ok" -v t="$total" 'BEGIN {printf "%.2f", t ? 100 * o / t : 0}')
expected=$(awk -v n="$n" -v a="$tstart" -v b="$(date +%s)" -v i="$interval" 'BEGIN {printf "%d", n * int((b - a) / i)}')

out=bench/out/guard-load.md
{
  echo "## guard load: $n targets every ${interval}s for ${seconds}s ($(date -u +%Y-%m-%d), $(nproc) CPUs)"
  echo
  echo "| | godiag guard | prometheus (peer) | ratio |"
  echo "|---|---|---|---|"
  echo "| targets up at the end | $up / $n | $prom_up / $n | |"
  echo "| CPU, % of one core | $gcpu | $pcpu | $(awk -v a="$gcpu" -v b="$pcpu" 'BEGIN {printf "%.2fx", b ? a / b : 0}') |"
  echo "| peak RSS | $((grss / 1024)) MiB | $((prss / 1024)) MiB | $(awk -v a="$grss" -v b="$prss" 'BEGIN {printf "%.2fx", a / b}') |"
  echo
  echo "guard: $ok scrapes ok, $failed failed (success $rate%) since start (about $expected due); $late late" \
    "(started over 1 s after due), $skipped skipped (previous still running); Java heap in use at most" \
    "$(awk -v h="$peak_heap" 'BEGIN {printf "%.0f", h / 1048576}') MiB (sampled every ${interval}s)."
} | tee "$out"
