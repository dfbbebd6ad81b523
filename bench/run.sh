#!/usr/bin/env bash
# bench/run.sh: godiag vs `go tool pprof` side by side: wall time and peak RSS of
#   godiag top --nodecount 40 FILE          vs   go tool pprof -top -nodecount=40 FILE
#   godiag flame --format html FILE         vs   go tool pprof -traces FILE
# on a few profiles, N alternating repetitions each, medians reported. Run on demand (not in CI).
# pprof has no offline flame graph file; -traces (every sample's stack as text) is the closest
# command that, like the HTML page, has to write out every stack. See bench/README.md.
#
# Environment (all optional):
#   GODIAG         godiag command (split on spaces); default: bin/godiag, else java -jar target/godiag.jar
#   PPROF          pprof command (split on spaces); default: "<go> tool pprof" with Go 1.27's go
#                  (/usr/lib/go-1.27/bin/go, or $GODIAG_PPROF_GO127) when present, else `go` on PATH
#   BENCH_RUNS     repetitions per tool and case (default 5)
#   BENCH_SEED     seed of the stress profile (default 1)
#   BENCH_FOCUS    -focus regex of the third case (default handleOrdersList, ~23% of the samples)
#   BENCH_REGEN    1: regenerate the stress profile even if bench/out has it
#   BENCH_CASES    space-separated subset of: large stress focus large-html stress-html
#                  (default all five)
#   BENCH_WARMUP   unmeasured runs per tool before each case (default 0; godiag is built and the
#                  file read into the page cache before measuring anyway)
#
# Needs GNU time (/usr/bin/time) for peak RSS: Debian's `time` package. When it is missing the
# script installs it with apt-get (as root, or with passwordless sudo), else stops and says so.
set -euo pipefail
export LC_ALL=C

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=bench/out
mkdir -p "$out"

say() { printf '== bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

runs=${BENCH_RUNS:-5}
seed=${BENCH_SEED:-1}
focus=${BENCH_FOCUS:-handleOrdersList}
cases=${BENCH_CASES:-large stress focus large-html stress-html}
warmup=${BENCH_WARMUP:-0}
case $runs in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer, not '$runs'" ;; esac
case $warmup in '' | *[!0-9]*) die "BENCH_WARMUP must be a number, not '$warmup'" ;; esac
case $seed in '' | *[!0-9-]*) die "BENCH_SEED must be an integer, not '$seed'" ;; esac

# ---- GNU time (peak RSS): the `time` package ----
time_bin=/usr/bin/time
if ! "$time_bin" -f '%M' -o /dev/null true 2>/dev/null; then
  say "GNU time is missing: installing Debian's 'time' package with apt-get"
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need GNU time (/usr/bin/time): apt-get install time (as root)"
    sudo=(sudo -n)
  fi
  if ! { ${sudo[@]+"${sudo[@]}"} apt-get update -qq </dev/null >&2 &&
    DEBIAN_FRONTEND=noninteractive ${sudo[@]+"${sudo[@]}"} apt-get install -y -qq time </dev/null >&2; }; then
    die "could not install GNU time; install the 'time' package and rerun"
  fi
  "$time_bin" -f '%M' -o /dev/null true || die "GNU time still not usable at $time_bin"
fi

# ---- the two commands ----
# shellcheck source=SCRIPTDIR/../bin/lib/find-jdk.sh
. "$root/bin/lib/find-jdk.sh"
mvn_cmd() {
  local home
  home=$(godiag_java_home) || die "no JDK >= 21 found to build with"
  if [ -x "$root/mvnw" ]; then
    JAVA_HOME=$home "$root/mvnw" -q -B -ntp "$@" </dev/null
  else
    JAVA_HOME=$home mvn -q -B -ntp "$@" </dev/null
  fi
}

if [ -n "${GODIAG:-}" ]; then
  read -r -a godiag_cmd <<<"$GODIAG"
elif [ -x "$root/bin/godiag" ]; then
  godiag_cmd=("$root/bin/godiag") # builds target/godiag.jar itself when stale
else
  if [ ! -f "$root/target/godiag.jar" ]; then
    say "building target/godiag.jar"
    mvn_cmd -DskipTests package
  fi
  # shellcheck disable=SC2119 # no arguments: any Java runtime will do
  java=$(godiag_find_java) || die "no Java >= 21 found"
  godiag_cmd=("$java" -jar "$root/target/godiag.jar")
fi

go127=${GODIAG_PPROF_GO127:-/usr/lib/go-1.27/bin/go}
if [ -n "${PPROF:-}" ]; then
  read -r -a pprof_cmd <<<"$PPROF"
elif [ -x "$go127" ]; then
  pprof_cmd=("$go127" tool pprof)
elif command -v go >/dev/null 2>&1; then
  pprof_cmd=("$(command -v go)" tool pprof)
else
  die "no Go found for pprof (set PPROF, or install Go)"
fi
export GOTOOLCHAIN=local # never download a toolchain in the middle of a measurement

# ---- the stress profile (deterministic from the seed) ----
stress=$out/stress-seed$seed.pb.gz
case " $cases " in
  *" stress "* | *" focus "* | *" stress-html "*)
    if [ ! -s "$stress" ] || [ "${BENCH_REGEN:-0}" = 1 ]; then
      say "compiling the generator (mvn test-compile)"
      mvn_cmd test-compile
      # shellcheck disable=SC2119 # no arguments: any Java runtime will do
      java=$(godiag_find_java) || die "no Java >= 21 found"
      say "generating $stress (seed $seed)"
      "$java" -Xmx4g -cp "$root/target/classes:$root/target/test-classes" \
        dev.godiag.bench.StressProfileGenerator "$stress.tmp" "$seed"
      mv "$stress.tmp" "$stress"
    fi
    ;;
esac

# ---- cases: name|file|godiag args|pprof args|compare outputs (1: should be identical) ----
large=../shared/corpus/upstream/pprof/internal_proftest__large.cpu
top_g="top --nodecount 40" top_p="-top -nodecount=40"
html_g="flame --format html" html_p="-traces"
case_list=()
for c in $cases; do
  case $c in
    large | large-html)
      if [ ! -f "$large" ]; then
        say "skipping '$c': $large not found"
      elif [ "$c" = large ]; then
        case_list+=("large.cpu (pprof testdata)|$large|$top_g|$top_p|1")
      else
        case_list+=("large.cpu: HTML flame vs -traces|$large|$html_g|$html_p|0")
      fi ;;
    stress) case_list+=("stress|$stress|$top_g|$top_p|1") ;;
    focus) case_list+=("stress, focus=$focus|$stress|$top_g --focus $focus|$top_p -focus=$focus|1") ;;
    stress-html) case_list+=("stress: HTML flame vs -traces|$stress|$html_g|$html_p|0") ;;
    *) die "unknown case '$c' (known: large stress focus large-html stress-html)" ;;
  esac
done
[ ${#case_list[@]} -gt 0 ] || die "no cases to run"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure OUTFILE CMD...: runs CMD once; sets m_wall (s), m_rss (KB), m_rc
measure() {
  local outf=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  set +e
  "$time_bin" -f '%M' -o "$tmp/rss" "$@" >"$outf" 2>"$outf.stderr" </dev/null
  m_rc=$?
  set -e
  t1=$EPOCHREALTIME
  m_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  m_rss=$(tail -n 1 "$tmp/rss")
  case $m_rss in '' | *[!0-9]*) m_rss=0 ;; esac
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
    END { if (NR == 0) { print "nan"; exit }
          if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9.' '_'; }

# build godiag now (bin/godiag builds on first use), not inside a measurement
"${godiag_cmd[@]}" --version >/dev/null || die "godiag does not run: ${godiag_cmd[*]} --version failed"

say "godiag: ${godiag_cmd[*]}"
say "pprof:  ${pprof_cmd[*]}"
say "$runs runs per tool and case, alternating"

rows=()
notes=()
for spec in "${case_list[@]}"; do
  IFS='|' read -r name file gargs pargs compare <<<"$spec"
  read -r -a gextra <<<"$gargs"
  read -r -a pextra <<<"$pargs"
  g=("${godiag_cmd[@]}" "${gextra[@]}" "$file")
  p=("${pprof_cmd[@]}" "${pextra[@]}" "$file")
  s=$(slug "$name")
  say "case '$name'"
  cat "$file" >/dev/null # into the page cache: both tools read it warm
  g_fail=0 p_fail=0
  for ((i = 1; i <= warmup; i++)); do
    measure "$tmp/g.out" "${g[@]}"
    measure "$tmp/p.out" "${p[@]}"
  done
  g_t=() g_m=() p_t=() p_m=()
  for ((i = 1; i <= runs; i++)); do
    # alternate which tool goes first, so drift (thermal, cache) hits both alike
    if ((i % 2)); then order="g p"; else order="p g"; fi
    for who in $order; do
      if [ "$who" = g ]; then
        [ "$g_fail" = 0 ] || continue
        # bin/godiag rebuilds the jar when sources changed: let that happen outside the measurement
        "${godiag_cmd[@]}" --version >/dev/null 2>&1 || true
        measure "$out/$s.godiag.txt" "${g[@]}" # keeps the last run's output
        if grep -qE '^godiag: (re)?building' "$out/$s.godiag.txt.stderr"; then
          measure "$out/$s.godiag.txt" "${g[@]}" # sources changed in between: that run built, redo it
        fi
        [ "$m_rc" = 0 ] || g_fail=$m_rc
        g_t+=("$m_wall") g_m+=("$m_rss")
      else
        [ "$p_fail" = 0 ] || continue
        measure "$out/$s.pprof.txt" "${p[@]}"
        [ "$m_rc" = 0 ] || p_fail=$m_rc
        p_t+=("$m_wall") p_m+=("$m_rss")
      fi
      say "  run $i $who: ${m_wall}s $((m_rss / 1024))MB rc=$m_rc"
    done
  done
  if [ "$g_fail" = 0 ]; then
    gt=$(median "${g_t[@]}")
    gm=$(awk -v k="$(median "${g_m[@]}")" 'BEGIN { printf "%.0f", k / 1024 }')
  else
    gt="failed (rc $g_fail)" gm="-"
    if grep -q '^godiag: build failed' "$out/$s.godiag.txt.stderr"; then
      notes+=("godiag failed on '$name': bin/godiag's rebuild failed (sources changed during the benchmark?); see $out/$s.godiag.txt.stderr")
    else
      notes+=("godiag failed on '$name': $(head -c 300 "$out/$s.godiag.txt.stderr" | tr '\n' ' ')")
    fi
  fi
  if [ "$p_fail" = 0 ]; then
    pt=$(median "${p_t[@]}")
    pm=$(awk -v k="$(median "${p_m[@]}")" 'BEGIN { printf "%.0f", k / 1024 }')
  else
    pt="failed (rc $p_fail)" pm="-"
    notes+=("pprof failed on '$name': $(head -c 300 "$out/$s.pprof.txt.stderr" | tr '\n' ' ')")
  fi
  if [ "$g_fail" = 0 ] && [ "$p_fail" = 0 ]; then
    tr=$(awk -v a="$pt" -v b="$gt" 'BEGIN { printf (b > 0 ? "%.2fx" : "-"), a / b }')
    mr=$(awk -v a="$pm" -v b="$gm" 'BEGIN { printf (b > 0 ? "%.2fx" : "-"), a / b }')
    if [ "$compare" != 1 ]; then
      notes+=("'$name': output sizes: godiag $(wc -c <"$out/$s.godiag.txt" | tr -d ' ') bytes, pprof $(wc -c <"$out/$s.pprof.txt" | tr -d ' ') bytes")
    elif cmp -s "$out/$s.godiag.txt" "$out/$s.pprof.txt"; then
      notes+=("'$name': godiag's output is identical to pprof's")
    else
      notes+=("'$name': outputs differ: diff $out/$s.pprof.txt $out/$s.godiag.txt")
    fi
  else
    tr="-" mr="-"
  fi
  rows+=("$name|$gt|$pt|$tr|$gm|$pm|$mr")
done

# ---- report: a text table on stdout, the same as markdown in bench/out/latest.md ----
header="case|godiag s|pprof s|time ratio (pprof/godiag)|godiag peak MB|pprof peak MB|memory ratio (pprof/godiag)"
{
  printf '%s\n' "$header"
  printf '%s\n' "${rows[@]}"
} | awk -F'|' '
  { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR; nf = NF }
  END {
    for (r = 1; r <= n; r++) {
      line = ""
      for (i = 1; i <= nf; i++) line = line sprintf(i == 1 ? "%-*s" : "  %*s", w[i], cell[r, i])
      print line
    }
  }'
printf '\n'
for n in ${notes[@]+"${notes[@]}"}; do printf -- '- %s\n' "$n"; done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
gover=$("${pprof_cmd[0]}" version 2>/dev/null || echo "?")
# shellcheck disable=SC2016 # backquotes are markdown
{
  printf '# godiag vs pprof: `top` and the HTML flame graph, %s runs each (median)\n\n' "$runs"
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- machine: %s, %s CPUs, %s\n' "${cpu:-?}" "$(nproc 2>/dev/null || echo '?')" "${mem:-?}"
  printf -- '- godiag: `%s` (%s, or %s for the HTML cases)\n' "$(basename "${godiag_cmd[0]}")${godiag_cmd[1]+ ${godiag_cmd[*]:1}}" "$top_g FILE" "$html_g FILE"
  printf -- '- pprof: `%s` (%s, or %s for the HTML cases; %s)\n' "$(basename "${pprof_cmd[0]}")${pprof_cmd[1]+ ${pprof_cmd[*]:1}}" "$top_p FILE" "$html_p FILE" "$gover"
  if [ -f "$stress" ]; then
    printf -- '- stress profile: %s (seed %s), %s bytes\n' "$stress" "$seed" "$(wc -c <"$stress" | tr -d ' ')"
  fi
  printf '\n'
  printf '| %s |\n' "${header//|/ | }"
  printf '|---|---:|---:|---:|---:|---:|---:|\n'
  for r in "${rows[@]}"; do printf '| %s |\n' "${r//|/ | }"; done
  printf '\nTimes are wall-clock seconds, peak = maximum resident set size; ratios above 1 mean godiag is faster or smaller.\n\n'
  for n in ${notes[@]+"${notes[@]}"}; do printf -- '- %s\n' "$n"; done
} >"$out/latest.md"
say "wrote $out/latest.md"
