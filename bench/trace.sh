#!/usr/bin/env bash
# bench/trace.sh: godiag reading a large execution trace side by side with Go's own tool:
#   godiag trace --pprof all -o DIR TRACE     (the four blocking profiles; see GODIAG_TRACE_ARGS)
#   go tool trace -pprof=sched TRACE          (Go 1.27)
# on a trace of >= 200 MB written by bench/tracebusy (generated once, cached in bench/out), N
# alternating runs each, medians of wall time, user and system CPU time and peak RSS; writes
# bench/out/trace.md. Run on demand (not in CI). See bench/README.md.
#
# Environment (all optional):
#   GODIAG              godiag command (split on spaces); default bin/godiag (the launcher, with the
#                       JVM options it picks for the file)
#   GODIAG_TRACE_ARGS   godiag's arguments before the file; default "trace --pprof all -o DIR" (all four
#                       profiles of one read, into bench/out/trace-profiles/)
#   GO127               Go 1.27's go command (default /usr/lib/go-1.27/bin/go)
#   BENCH_RUNS          runs per tool (default 3)
#   BENCH_TRACE         the trace to read (default bench/out/tracebusy-<duration>-p<pairs>.trace, generated)
#   BENCH_TRACE_DURATION  how long tracebusy traces (default 20s)
#   BENCH_TRACE_PAIRS   tracebusy's ping-pong pairs (default 1; the other goroutines of tracebusy
#                       alone write ~2 MB/s, one pair brings it to ~10-15 MB/s on 2 CPUs)
#   BENCH_TRACE_MIN_MB  the least size of the generated trace (default 200): a shorter one is
#                       written again, traced for proportionally longer (once)
#   BENCH_REGEN=1       regenerate the trace even when cached
#
# Needs GNU time (/usr/bin/time; Debian's `time` package) for peak RSS and CPU times.
set -euo pipefail
export LC_ALL=C

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=bench/out
mkdir -p "$out"

say() { printf '== bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

runs=${BENCH_RUNS:-3}
duration=${BENCH_TRACE_DURATION:-20s}
pairs=${BENCH_TRACE_PAIRS:-1}
min_mb=${BENCH_TRACE_MIN_MB:-200}
go127=${GO127:-/usr/lib/go-1.27/bin/go}
case $runs in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer, not '$runs'" ;; esac
case $pairs in '' | *[!0-9]*) die "BENCH_TRACE_PAIRS must be a number, not '$pairs'" ;; esac
case $min_mb in '' | *[!0-9]*) die "BENCH_TRACE_MIN_MB must be a number, not '$min_mb'" ;; esac
case $duration in *[0-9]s) ;; *) die "BENCH_TRACE_DURATION must be whole seconds such as 20s, not '$duration'" ;; esac
time_bin=/usr/bin/time
"$time_bin" -f '%M' -o /dev/null true 2>/dev/null || die "need GNU time (/usr/bin/time): apt-get install time"
[ -x "$go127" ] || die "Go 1.27 not found at $go127 (set GO127)"
export GOTOOLCHAIN=local # never download a toolchain in the middle of a measurement

if [ -n "${GODIAG:-}" ]; then
  read -r -a godiag_cmd <<<"$GODIAG"
else
  godiag_cmd=("$root/bin/godiag")
fi
# build godiag now (bin/godiag builds on first use), not inside a measurement
"${godiag_cmd[@]}" --version >/dev/null || die "godiag does not run: ${godiag_cmd[*]} --version failed"

# ---- the trace: tracebusy, built with Go 1.27, traced once and kept ----
trace=${BENCH_TRACE:-}
if [ -z "$trace" ]; then
  trace=$out/tracebusy-$duration-p$pairs.trace
  if [ ! -s "$trace" ] || [ "${BENCH_REGEN:-0}" = 1 ]; then
    say "building bench/tracebusy"
    (cd bench/tracebusy && "$go127" build -trimpath -o "$root/$out/tracebusy" .)
    secs=${duration%s}
    for attempt in 1 2; do
      say "tracing bench/tracebusy for ${secs}s with $pairs pairs into $trace"
      "$out/tracebusy" -out "$trace.tmp" -duration "${secs}s" -pairs "$pairs" >/dev/null
      mb=$(($(stat -c %s "$trace.tmp") / 1000000))
      [ "$mb" -lt "$min_mb" ] || break
      [ "$attempt" = 1 ] || die "the trace is $mb MB, under $min_mb MB: raise BENCH_TRACE_DURATION or BENCH_TRACE_PAIRS"
      # the event rate depends on the machine's free CPU: trace for proportionally longer
      secs=$(((secs * min_mb * 11 / 10 + mb - 1) / (mb > 0 ? mb : 1)))
      say "only $mb MB: again for ${secs}s"
    done
    mv "$trace.tmp" "$trace"
  fi
fi
[ -s "$trace" ] || die "no trace at $trace"
trace_mb=$(awk -v b="$(stat -c %s "$trace")" 'BEGIN { printf "%.1f", b / 1e6 }')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "${GODIAG_TRACE_ARGS:-}" ]; then
  read -r -a gargs <<<"$GODIAG_TRACE_ARGS"
else
  gargs=(trace --pprof all -o "$out/trace-profiles")
fi
g=("${godiag_cmd[@]}" "${gargs[@]}" "$trace")
p=("$go127" tool trace -pprof=sched "$trace")

# measure OUTFILE CMD...: runs CMD once; sets m_wall, m_user, m_sys (s), m_rss (KB), m_rc
measure() {
  local outf=$1
  shift
  set +e
  "$time_bin" -f '%e %U %S %M' -o "$tmp/time" "$@" >"$outf" 2>"$outf.stderr" </dev/null
  m_rc=$?
  set -e
  read -r m_wall m_user m_sys m_rss < <(tail -n 1 "$tmp/time")
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
    END { if (NR == 0) { print "nan"; exit }
          if (NR % 2) printf "%.2f\n", a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

say "trace: $trace ($trace_mb MB)"
say "godiag: ${g[*]}"
say "go:     ${p[*]}"
cat "$trace" >/dev/null # into the page cache: both read it warm
g_t=() g_u=() g_s=() g_m=() p_t=() p_u=() p_s=() p_m=()
for ((i = 1; i <= runs; i++)); do
  # alternate which tool goes first, so drift on the machine hits both alike
  if ((i % 2)); then order="g p"; else order="p g"; fi
  for who in $order; do
    if [ "$who" = g ]; then
      measure "$out/trace.godiag.out" "${g[@]}"
      [ "$m_rc" = 0 ] || die "godiag failed (rc $m_rc): $(tail -n 3 "$out/trace.godiag.out.stderr")"
      g_t+=("$m_wall") g_u+=("$m_user") g_s+=("$m_sys") g_m+=("$m_rss")
    else
      measure "$out/trace.go.pb.gz" "${p[@]}"
      [ "$m_rc" = 0 ] || die "go tool trace failed (rc $m_rc): $(tail -n 3 "$out/trace.go.pb.gz.stderr")"
      p_t+=("$m_wall") p_u+=("$m_user") p_s+=("$m_sys") p_m+=("$m_rss")
    fi
    say "  run $i $who: ${m_wall}s wall, ${m_user}s user, ${m_sys}s sys, $((m_rss / 1024)) MB"
  done
done

gt=$(median "${g_t[@]}") pt=$(median "${p_t[@]}")
gu=$(median "${g_u[@]}") pu=$(median "${p_u[@]}")
gs=$(median "${g_s[@]}") ps=$(median "${p_s[@]}")
gm=$(median "${g_m[@]}") pm=$(median "${p_m[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
{
  printf '# godiag trace vs go tool trace -pprof=sched\n\n'
  printf '%s, %s CPUs, load average at the end %s. Trace: `%s`, %s MB. %s runs each, alternating; medians.\n\n' \
    "$(date -u +%Y-%m-%d)" "$(nproc)" "$load" "$trace" "$trace_mb" "$runs"
  printf -- '- godiag: `%s`\n- go: `%s`\n\n' "${g[*]#"$root/"}" "${p[*]}"
  printf '| tool | wall s | user s | sys s | peak RSS MB |\n|---|---:|---:|---:|---:|\n'
  printf '| godiag | %s | %s | %s | %s |\n' "$gt" "$gu" "$gs" "$(mb "$gm")"
  printf '| go tool trace | %s | %s | %s | %s |\n' "$pt" "$pu" "$ps" "$(mb "$pm")"
  printf '| ratio go/godiag | %s | %s | %s | %s |\n\n' "$(ratio "$pt" "$gt")" "$(ratio "$pu" "$gu")" \
    "$(ratio "$ps" "$gs")" "$(ratio "$pm" "$gm")"
  printf 'Every run: godiag wall %s; go wall %s (s).\n' "${g_t[*]}" "${p_t[*]}"
} >"$out/trace.md"
cat "$out/trace.md"
