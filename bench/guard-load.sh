#!/usr/bin/env bash
# bench/guard-load.sh: godiag guard watching a fleet of N loopback Go services (bench/guardload,
# answering responses recorded from real Go runtimes) at a 15 s interval for several minutes, and
# Prometheus scraping the same fleet at the same interval side by side, in one run. Then a second
# phase: guard reading the same fleet's series from that Prometheus (prometheus_sd_configs, the
# fleet mode) instead of scraping it. Reports, for each: targets up, CPU share of one core, memory;
# for guard also its Java heap in use (sampled from its /metrics), its scrape success rate and its
# late and skipped scrapes.
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
cat >"$work/guard-query.yml" <<YML
global: {scrape_interval: ${interval}s, scrape_timeout: 10s}
scrape_configs:
  - job_name: fleet
    stage: observe
    prometheus_sd_configs:
      - url: http://127.0.0.1:$((base - 2))
        job: fleet
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
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prom.log" 2>&1 &
prom_pid=$!
pids+=($prom_pid)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
metrics() { curl -fsS "http://127.0.0.1:$guard_port/metrics"; }
sum() { # sum NAME [FILTER] < metrics: the sum of the series of NAME (whose line matches FILTER)
  awk -v m="$1" -v f="${2-}" '($1 == m || index($1, m "{") == 1) && (f == "" || index($0, f)) {s += $2} END {print s + 0}'
}
pct() { awk -v a="$1" -v b="$2" -v w="$3" -v hz="$hz" 'BEGIN {printf "%.1f", 100 * (b - a) / hz / w}'; }

# phase CONFIG: runs guard on CONFIG for the measured time; sets g_cpu, g_rss, g_heap, g_up, g_ok,
# g_failed, g_late, g_skipped, g_due (and p_cpu, p_rss, p_up for Prometheus over the same time)
phase() {
  rm -rf "$work/guard"
  bin/godiag guard --config "$1" --listen "127.0.0.1:$guard_port" --data-dir "$work/guard" \
    >"$work/guard.log" 2>&1 &
  local guard_pid=$!
  pids+=($guard_pid)
  # wait until both serve (bin/godiag may rebuild its jar first)
  for _ in $(seq 600); do
    curl -fsS "http://127.0.0.1:$guard_port/-/healthy" >/dev/null 2>&1 &&
      curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1 && break
    kill -0 "$guard_pid" 2>/dev/null || { cat "$work/guard.log"; exit 1; }
    sleep 0.5
  done
  local tstart jpid
  tstart=$(date +%s)
  # the JVM of bin/godiag is the launcher's child (or the launcher itself after exec)
  jpid=$(pgrep -P "$guard_pid" java || echo "$guard_pid")
  sleep "$interval" # warm-up: one interval, then measure
  local g0 p0 t0 g1 p1 t1 wall m end h
  g0=$(cpu_ticks "$jpid"); p0=$(cpu_ticks "$prom_pid"); t0=$(date +%s.%N)
  g_heap=0
  end=$(($(date +%s) + seconds))
  while [ "$(date +%s)" -lt "$end" ]; do
    sleep "$interval"
    h=$(metrics | sum godiag_guard_jvm_heap_used_bytes)
    g_heap=$(awk -v a="$g_heap" -v b="$h" 'BEGIN {print (b > a ? b : a)}')
  done
  g1=$(cpu_ticks "$jpid"); p1=$(cpu_ticks "$prom_pid"); t1=$(date +%s.%N)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  m=$(metrics)
  g_ok=$(sum godiag_guard_scrapes_total 'result="ok"' <<<"$m")
  g_failed=$(sum godiag_guard_scrapes_total 'result="error"' <<<"$m")
  g_late=$(sum godiag_guard_scrapes_late_total <<<"$m")
  g_skipped=$(sum godiag_guard_scrapes_skipped_total <<<"$m")
  g_up=$(sum godiag_guard_up <<<"$m")
  g_due=$(awk -v n="$n" -v a="$tstart" -v b="$(date +%s)" -v i="$interval" 'BEGIN {printf "%d", n * int((b - a) / i)}')
  g_cpu=$(pct "$g0" "$g1" "$wall"); p_cpu=$(pct "$p0" "$p1" "$wall")
  g_rss=$(($(rss_kb "$jpid") / 1024)); p_rss=$(($(rss_kb "$prom_pid") / 1024))
  p_up=$(curl -fsS "http://127.0.0.1:$prom_port/api/v1/query?query=sum(up)" | sed -E 's/.*"value":\[[^,]*,"([^"]*)".*/\1/')
  kill "$guard_pid"; wait "$guard_pid" 2>/dev/null || true
}

say "phase 1: guard scrapes the fleet, Prometheus scrapes it too"
phase "$work/guard.yml"
s_cpu=$g_cpu s_rss=$g_rss s_heap=$g_heap s_up=$g_up s_ok=$g_ok s_failed=$g_failed s_late=$g_late s_skipped=$g_skipped
s_due=$g_due
say "phase 2: guard reads the fleet from Prometheus' query API"
phase "$work/guard-query.yml"

mib() { awk -v h="$1" 'BEGIN {printf "%.0f", h / 1048576}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", b ? a / b : 0}'; }
out=bench/out/guard-load.md
{
  echo "## guard load: $n targets every ${interval}s, ${seconds}s measured per phase ($(date -u +%Y-%m-%d), $(nproc) CPUs)"
  echo
  echo "| | guard scraping | prometheus scraping (peer) | ratio | guard reading Prometheus' API |"
  echo "|---|---|---|---|---|"
  echo "| targets up at the end | $s_up / $n | $p_up / $n | | $g_up / $n |"
  echo "| CPU, % of one core | $s_cpu | $p_cpu | $(ratio "$s_cpu" "$p_cpu") | $g_cpu |"
  echo "| peak RSS, MiB | $s_rss | $p_rss | $(ratio "$s_rss" "$p_rss") | $g_rss |"
  echo "| Java heap in use, max sampled, MiB | $(mib "$s_heap") | | | $(mib "$g_heap") |"
  echo
  echo "guard scraping: $s_ok scrapes ok, $s_failed failed since start (about $s_due due), $s_late late" \
    "(started over 1 s after due), $s_skipped skipped (previous still running)."
  echo "guard reading the query API: $g_ok readings ok, $g_failed failed (about $g_due due)."
} | tee "$out"
