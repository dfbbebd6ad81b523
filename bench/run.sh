#!/usr/bin/env bash
# bench/run.sh: godiag side by side with a peer command: wall time and peak RSS of
#   godiag top --nodecount 40 FILE          vs   go tool pprof -top -nodecount=40 FILE
#   godiag flame --format html FILE         vs   go tool pprof -traces FILE
#   godiag goroutines --format json DUMP    vs   wc -l DUMP   (plus MB/s of both)
#   godiag gc --format json LOG             vs   grep -c '^gc ' LOG   (plus MB/s of both)
#   godiag diagnose --format json DIR       vs   go tool pprof -top FILE, once per *.pprof of DIR
#                                                (bench/pprof-each.sh)
# on a few profiles, a generated goroutine dump and a generated 1 GiB gctrace log, N alternating repetitions each, medians
# reported, one table per peer. Run on demand (not in CI).
# pprof has no offline flame graph file; -traces (every sample's stack as text) is the closest
# command that, like the HTML page, has to write out every stack. For goroutine dumps there is no
# peer tool: `wc -l` (read every byte, find the newlines) is the floor any parser is measured
# against. For a gctrace log, `grep -c '^gc '` (find and count the cycle lines) is the floor. See
# bench/README.md.
#
# Environment (all optional):
#   GODIAG         godiag command (split on spaces); default: bin/godiag, else java -jar target/godiag.jar
#   PPROF          pprof command (split on spaces); default: "<go> tool pprof" with Go 1.27's go
#                  (/usr/lib/go-1.27/bin/go, or $GODIAG_PPROF_GO127) when present, else `go` on PATH
#   BENCH_RUNS     repetitions per tool and case (default 5)
#   BENCH_SEED     seed of the stress profile, the goroutine dump and the gctrace log (default 1)
#   BENCH_GOROUTINES  goroutines in the generated dump of the goroutines case (default 1000000:
#                  bench/out/goroutines-1m.txt, ~336 MB)
#   BENCH_GOROUTINES_HEAP  heap cap of godiag in the goroutines case (default 2g): with bin/godiag
#                  it is added to the launcher's JVM options; with GODIAG, put -Xmx in it yourself
#   BENCH_GCTRACE_MB  size of the generated log of the gctrace case in MiB (default 1024:
#                  bench/out/gctrace-1g.log, gctrace lines among a Go service's own log lines)
#   BENCH_FOCUS    -focus regex of the third case (default handleOrdersList, ~23% of the samples)
#   BENCH_REGEN    1: regenerate the stress profile, the goroutine dump and the gctrace log even if
#                  bench/out has them
#   BENCH_CASES    space-separated subset of: large stress focus large-html stress-html goroutines
#                  gctrace diagnose (default all eight)
#   BENCH_DIAGNOSE_DIR  directory of the diagnose case (default ../shared/corpus/go1.27/leakysvc:
#                  a dozen inputs of mixed kinds, 42 files)
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
cases=${BENCH_CASES:-large stress focus large-html stress-html goroutines gctrace diagnose}
diagdir=${BENCH_DIAGNOSE_DIR:-../shared/corpus/go1.27/leakysvc}
gctrace_mb=${BENCH_GCTRACE_MB:-1024}
goroutines=${BENCH_GOROUTINES:-1000000}
gheap=${BENCH_GOROUTINES_HEAP:-2g}
warmup=${BENCH_WARMUP:-0}
case $runs in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer, not '$runs'" ;; esac
case $warmup in '' | *[!0-9]*) die "BENCH_WARMUP must be a number, not '$warmup'" ;; esac
case $seed in '' | *[!0-9-]*) die "BENCH_SEED must be an integer, not '$seed'" ;; esac
case $goroutines in '' | *[!0-9]* | 0 | 1) die "BENCH_GOROUTINES must be an integer >= 2, not '$goroutines'" ;; esac
case $gctrace_mb in '' | *[!0-9]* | 0) die "BENCH_GCTRACE_MB must be a positive integer, not '$gctrace_mb'" ;; esac
case $gheap in '' | *[!0-9kKmMgG]*) die "BENCH_GOROUTINES_HEAP must be a -Xmx size such as 2g, not '$gheap'" ;; esac

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

# ---- the commands: godiag and its peers (pprof; wc -l for goroutine dumps; grep for gctrace) ----
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

godiag_launcher=0
if [ -n "${GODIAG:-}" ]; then
  read -r -a godiag_cmd <<<"$GODIAG"
elif [ -x "$root/bin/godiag" ]; then
  godiag_cmd=("$root/bin/godiag") # builds target/godiag.jar itself when stale
  godiag_launcher=1
else
  if [ ! -f "$root/target/godiag.jar" ]; then
    say "building target/godiag.jar"
    mvn_cmd -DskipTests package
  fi
  # shellcheck disable=SC2119 # no arguments: any Java runtime will do
  java=$(godiag_find_java) || die "no Java >= 21 found"
  godiag_cmd=("$java" -jar "$root/target/godiag.jar")
fi

# pprof is needed only by the profile cases
need_pprof=0
for c in $cases; do case $c in goroutines | gctrace) ;; *) need_pprof=1 ;; esac; done
go127=${GODIAG_PPROF_GO127:-/usr/lib/go-1.27/bin/go}
pprof_cmd=()
if [ -n "${PPROF:-}" ]; then
  read -r -a pprof_cmd <<<"$PPROF"
elif [ -x "$go127" ]; then
  pprof_cmd=("$go127" tool pprof)
elif command -v go >/dev/null 2>&1; then
  pprof_cmd=("$(command -v go)" tool pprof)
elif [ "$need_pprof" = 1 ]; then
  die "no Go found for pprof (set PPROF, or install Go)"
fi
export GOTOOLCHAIN=local # never download a toolchain in the middle of a measurement
wc_cmd=(wc -l)
grep_cmd=(grep -c '^gc ')

# peer_cmd PEER: the command of a peer into peer=(...); peer_label PEER: its name in the tables
# pprof-each: bench/pprof-each.sh runs pprof -top on each *.pprof of a directory, one after another
peer_cmd() {
  case $1 in
    pprof) peer=("${pprof_cmd[@]}") ;;
    pprof-each) peer=(bash "$root/bench/pprof-each.sh" "${pprof_cmd[@]}") ;;
    wc) peer=("${wc_cmd[@]}") ;;
    grep) peer=("${grep_cmd[@]}") ;;
    *) die "unknown peer '$1'" ;;
  esac
}
peer_label() {
  case $1 in
    pprof) printf 'pprof' ;;
    pprof-each) printf 'pprof -top each' ;;
    wc) printf 'wc -l' ;;
    grep) printf 'grep' ;;
  esac
}

# godiag's JVM options in the goroutines case: the launcher's (GODIAG_JAVA_OPTS when set, else the
# ones bin/godiag picks for the file: start-up or large-input options) plus the heap cap, so the run
# shows the dump fits in it. Without GODIAG_JAVA_OPTS the cap goes in through JDK_JAVA_OPTIONS,
# which the java launcher adds to whatever options bin/godiag chose.
godiag_env=()
if [ "$godiag_launcher" = 1 ]; then
  if [ -n "${GODIAG_JAVA_OPTS+set}" ]; then
    godiag_env=(env "GODIAG_JAVA_OPTS=${GODIAG_JAVA_OPTS:+$GODIAG_JAVA_OPTS }-Xmx$gheap")
  else
    godiag_env=(env "JDK_JAVA_OPTIONS=${JDK_JAVA_OPTIONS:+$JDK_JAVA_OPTIONS }-Xmx$gheap")
  fi
fi

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

# ---- the goroutine dump (deterministic from the seed and the count) ----
if [ "$goroutines" = 1000000 ]; then dump=$out/goroutines-1m.txt; else dump=$out/goroutines-$goroutines.txt; fi
[ "$seed" = 1 ] || dump=${dump%.txt}-seed$seed.txt
case " $cases " in
  *" goroutines "*)
    if [ ! -s "$dump" ] || [ "${BENCH_REGEN:-0}" = 1 ]; then
      say "compiling the generator (mvn test-compile)"
      mvn_cmd test-compile
      # shellcheck disable=SC2119 # no arguments: any Java runtime will do
      java=$(godiag_find_java) || die "no Java >= 21 found"
      say "generating $dump ($goroutines goroutines, seed $seed)"
      "$java" -Xmx1g -cp "$root/target/classes:$root/target/test-classes" \
        dev.godiag.bench.GoroutineDumpGenerator "$dump.tmp" "$goroutines" "$seed"
      mv "$dump.tmp" "$dump"
    fi
    ;;
esac

# ---- the gctrace log (deterministic from the seed and the size) ----
if [ "$gctrace_mb" = 1024 ]; then gclog=$out/gctrace-1g.log; else gclog=$out/gctrace-${gctrace_mb}m.log; fi
[ "$seed" = 1 ] || gclog=${gclog%.log}-seed$seed.log
case " $cases " in
  *" gctrace "*)
    if [ ! -s "$gclog" ] || [ "${BENCH_REGEN:-0}" = 1 ]; then
      say "compiling the generator (mvn test-compile)"
      mvn_cmd test-compile
      # shellcheck disable=SC2119 # no arguments: any Java runtime will do
      java=$(godiag_find_java) || die "no Java >= 21 found"
      say "generating $gclog ($gctrace_mb MiB, seed $seed)"
      "$java" -Xmx1g -cp "$root/target/classes:$root/target/test-classes" \
        dev.godiag.bench.GcTraceLogGenerator "$gclog.tmp" "$gctrace_mb" "$seed"
      mv "$gclog.tmp" "$gclog"
    fi
    ;;
esac

# ---- cases: name|file|godiag args|peer|peer args|compare outputs (1: should be identical) ----
large=../shared/corpus/upstream/pprof/internal_proftest__large.cpu
top_g="top --nodecount 40" top_p="-top -nodecount=40"
html_g="flame --format html" html_p="-traces"
gor_g="goroutines --format json"
gc_g="gc --format json"
diag_g="diagnose --format json"
case_list=()
for c in $cases; do
  case $c in
    large | large-html)
      if [ ! -f "$large" ]; then
        say "skipping '$c': $large not found"
      elif [ "$c" = large ]; then
        case_list+=("large.cpu (pprof testdata)|$large|$top_g|pprof|$top_p|1")
      else
        case_list+=("large.cpu: HTML flame vs -traces|$large|$html_g|pprof|$html_p|0")
      fi ;;
    stress) case_list+=("stress|$stress|$top_g|pprof|$top_p|1") ;;
    focus) case_list+=("stress, focus=$focus|$stress|$top_g --focus $focus|pprof|$top_p -focus=$focus|1") ;;
    stress-html) case_list+=("stress: HTML flame vs -traces|$stress|$html_g|pprof|$html_p|0") ;;
    goroutines) case_list+=("goroutine dump, $goroutines goroutines|$dump|$gor_g|wc||0") ;;
    gctrace) case_list+=("gctrace log, $gctrace_mb MiB|$gclog|$gc_g|grep||0") ;;
    diagnose)
      if [ ! -d "$diagdir" ]; then
        say "skipping '$c': $diagdir not found"
      else
        case_list+=("diagnose $(basename "$(dirname "$diagdir")")/$(basename "$diagdir")|$diagdir|$diag_g|pprof-each||0")
      fi ;;
    *) die "unknown case '$c' (known: large stress focus large-html stress-html goroutines gctrace diagnose)" ;;
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
[ "$need_pprof" = 0 ] || say "pprof:  ${pprof_cmd[*]}"
say "$runs runs per tool and case, alternating"

rows=() # peer|case|godiag s|peer s|time ratio|godiag MB|peer MB|memory ratio|input MB|godiag MB/s|peer MB/s
notes=()
for spec in "${case_list[@]}"; do
  IFS='|' read -r name file gargs pname pargs compare <<<"$spec"
  read -r -a gextra <<<"$gargs"
  pextra=()
  [ -z "$pargs" ] || read -r -a pextra <<<"$pargs"
  peer_cmd "$pname"
  plabel=$(peer_label "$pname")
  g=("${godiag_cmd[@]}" "${gextra[@]}" "$file")
  if [ "$pname" = wc ] && [ ${#godiag_env[@]} -gt 0 ]; then
    g=("${godiag_env[@]}" "${g[@]}")
  fi
  p=("${peer[@]}" ${pextra[@]+"${pextra[@]}"} "$file")
  s=$(slug "$name")
  say "case '$name': godiag vs $plabel"
  # into the page cache: both tools read it warm (a directory: every file in it)
  if [ -d "$file" ]; then find "$file" -maxdepth 1 -type f -exec cat {} + >/dev/null; else cat "$file" >/dev/null; fi
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
        measure "$out/$s.$pname.txt" "${p[@]}"
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
    notes+=("$plabel failed on '$name': $(head -c 300 "$out/$s.$pname.txt.stderr" | tr '\n' ' ')")
  fi
  if [ "$g_fail" = 0 ] && [ "$p_fail" = 0 ]; then
    tr=$(awk -v a="$pt" -v b="$gt" 'BEGIN { printf (b > 0 ? "%.2fx" : "-"), a / b }')
    mr=$(awk -v a="$pm" -v b="$gm" 'BEGIN { printf (b > 0 ? "%.2fx" : "-"), a / b }')
    if [ "$pname" = grep ]; then
      # the target of issue 5: godiag within 3x of grep's time
      tr=$(awk -v a="$pt" -v b="$gt" 'BEGIN { printf (a > 0 ? "%.2fx" : "-"), b / a }')
      cyc=$(sed -n 's/^  "cycles" : \([0-9]*\),*$/\1/p' "$out/$s.godiag.txt" | head -n 1)
      nwarn=$(grep -c '^godiag: warning' "$out/$s.godiag.txt.stderr" || true)
      jwarn=$(grep -c '^  "warnings" : \[ \]' "$out/$s.godiag.txt" || true)
      notes+=("'$name': godiag found ${cyc:-?} gc cycles, ${nwarn:-0} warnings on stderr$([ "${jwarn:-0}" = 1 ] || printf ' (and warnings in its JSON)'); grep -c '^gc ' counted $(awk '{ print $1; exit }' "$out/$s.$pname.txt") lines; godiag took $tr grep's time (target: at most 3x)")
    elif [ "$pname" = wc ]; then
      total=$(sed -n 's/^  "total" : \([0-9]*\),*$/\1/p' "$out/$s.godiag.txt" | head -n 1)
      nwarn=$(grep -c '^godiag: warning' "$out/$s.godiag.txt.stderr" || true)
      notes+=("'$name': godiag bucketed ${total:-?} goroutines into $(sed -n 's/^  "bucketCount" : \([0-9]*\),*$/\1/p' "$out/$s.godiag.txt" | head -n 1) buckets, ${nwarn:-0} warnings; wc -l counted $(awk '{ print $1; exit }' "$out/$s.$pname.txt") lines")
    elif [ "$pname" = pprof-each ]; then
      # issue 6: diagnose of a whole directory end to end in under 2 s
      ninputs=$(grep -c '^    "kind" : ' "$out/$s.godiag.txt" || true)
      nfind=$(grep -c '^    "rule" : ' "$out/$s.godiag.txt" || true)
      nprof=$(grep -c '^==> ' "$out/$s.$pname.txt" || true)
      under=$(awk -v t="$gt" 'BEGIN { print (t < 2 ? "under" : "NOT under") }')
      notes+=("'$name': godiag read ${ninputs:-?} inputs and reported ${nfind:-?} findings in ${gt}s median ($under the 2 s target); pprof -top ran once on each of ${nprof:-?} *.pprof files, one after another")
    elif [ "$compare" != 1 ]; then
      notes+=("'$name': output sizes: godiag $(wc -c <"$out/$s.godiag.txt" | tr -d ' ') bytes, pprof $(wc -c <"$out/$s.$pname.txt" | tr -d ' ') bytes")
    elif cmp -s "$out/$s.godiag.txt" "$out/$s.$pname.txt"; then
      notes+=("'$name': godiag's output is identical to pprof's")
    else
      notes+=("'$name': outputs differ: diff $out/$s.$pname.txt $out/$s.godiag.txt")
    fi
  else
    tr="-" mr="-"
  fi
  # throughput: the input file's size over the median wall time (start-up included)
  if [ -d "$file" ]; then
    bytes=$(find "$file" -maxdepth 1 -type f -exec cat {} + | wc -c | tr -d ' ')
  else
    bytes=$(wc -c <"$file" | tr -d ' ')
  fi
  in_mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
  mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN { if (t + 0 > 0) printf "%.0f", b / 1e6 / t; else printf "-" }'; }
  if [ "$g_fail" = 0 ]; then gmbs=$(mbs "$gt"); else gmbs="-"; fi
  if [ "$p_fail" = 0 ]; then pmbs=$(mbs "$pt"); else pmbs="-"; fi
  rows+=("$pname|$name|$gt|$pt|$tr|$gm|$pm|$mr|$in_mb|$gmbs|$pmbs")
done

# ---- report: one table per peer, as text on stdout and as markdown in bench/out/latest.md ----
peers_used=()
for r in "${rows[@]}"; do
  pn=${r%%|*}
  case " ${peers_used[*]-} " in *" $pn "*) ;; *) peers_used+=("$pn") ;; esac
done

# table_rows PEER: the rows of that peer's table, '|'-separated, header first
table_rows() {
  local pn=$1 pl r p n gt pt tr gm pm mr in_mb gmbs pmbs
  pl=$(peer_label "$pn")
  if [ "$pn" = grep ]; then
    # grep reads the same bytes: throughput and the time ratio (godiag / grep) are the point
    printf 'case|input MB|godiag s|%s s|time ratio (godiag/%s)|godiag MB/s|%s MB/s|godiag peak MB|%s peak MB\n' \
      "$pl" "$pl" "$pl" "$pl"
    for r in "${rows[@]}"; do
      IFS='|' read -r p n gt pt tr gm pm mr in_mb gmbs pmbs <<<"$r"
      [ "$p" = "$pn" ] && printf '%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$n" "$in_mb" "$gt" "$pt" "$tr" "$gmbs" "$pmbs" "$gm" "$pm"
    done
  elif [ "$pn" = wc ]; then
    # wc -l reads the same bytes: the throughput columns are the point
    printf 'case|input MB|godiag s|%s s|godiag MB/s|%s MB/s|godiag peak MB|%s peak MB\n' "$pl" "$pl" "$pl"
    for r in "${rows[@]}"; do
      IFS='|' read -r p n gt pt tr gm pm mr in_mb gmbs pmbs <<<"$r"
      [ "$p" = "$pn" ] && printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$n" "$in_mb" "$gt" "$pt" "$gmbs" "$pmbs" "$gm" "$pm"
    done
  else
    printf 'case|godiag s|%s s|time ratio (%s/godiag)|godiag peak MB|%s peak MB|memory ratio (%s/godiag)\n' \
      "$pl" "$pl" "$pl" "$pl"
    for r in "${rows[@]}"; do
      IFS='|' read -r p n gt pt tr gm pm mr in_mb gmbs pmbs <<<"$r"
      [ "$p" = "$pn" ] && printf '%s|%s|%s|%s|%s|%s|%s\n' "$n" "$gt" "$pt" "$tr" "$gm" "$pm" "$mr"
    done
  fi
  return 0
}

for pn in "${peers_used[@]}"; do
  table_rows "$pn" | awk -F'|' '
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR; nf = NF }
    END {
      for (r = 1; r <= n; r++) {
        line = ""
        for (i = 1; i <= nf; i++) line = line sprintf(i == 1 ? "%-*s" : "  %*s", w[i], cell[r, i])
        print line
      }
    }'
  printf '\n'
done
for n in ${notes[@]+"${notes[@]}"}; do printf -- '- %s\n' "$n"; done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
gover="?"
[ ${#pprof_cmd[@]} -eq 0 ] || gover=$("${pprof_cmd[0]}" version 2>/dev/null || echo "?")
has_peer() { case " ${peers_used[*]} " in *" $1 "*) return 0 ;; esac; return 1; }
# shellcheck disable=SC2016 # backquotes are markdown
{
  printf '# godiag vs %s, %s runs each (median)\n\n' \
    "$(for pn in "${peers_used[@]}"; do peer_label "$pn"; printf '\n'; done | paste -sd, - | sed 's/,/ and /g')" "$runs"
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- machine: %s, %s CPUs, %s\n' "${cpu:-?}" "$(nproc 2>/dev/null || echo '?')" "${mem:-?}"
  printf -- '- godiag: `%s`\n' "$(basename "${godiag_cmd[0]}")${godiag_cmd[1]+ ${godiag_cmd[*]:1}}"
  if has_peer pprof; then
    printf -- '- vs pprof: `godiag %s FILE` / `%s %s FILE`, or `godiag %s FILE` / `%s FILE` for the HTML cases (%s)\n' \
      "$top_g" "$(basename "${pprof_cmd[0]}")${pprof_cmd[1]+ ${pprof_cmd[*]:1}}" "$top_p" "$html_g" "$html_p" "$gover"
  fi
  if has_peer pprof-each; then
    printf -- '- vs pprof -top each: `godiag %s DIR` / `bench/pprof-each.sh %s DIR` (`pprof -top FILE` once per *.pprof of DIR; %s)\n' \
      "$diag_g" "$(basename "${pprof_cmd[0]}")${pprof_cmd[1]+ ${pprof_cmd[*]:1}}" "$gover"
    printf -- '- diagnose directory: %s (%s files, %s bytes)\n' "$diagdir" \
      "$(find "$diagdir" -maxdepth 1 -type f | wc -l | tr -d ' ')" \
      "$(find "$diagdir" -maxdepth 1 -type f -exec cat {} + | wc -c | tr -d ' ')"
  fi
  if has_peer wc; then
    printf -- '- vs wc -l: `godiag %s DUMP` / `%s DUMP`' "$gor_g" "${wc_cmd[*]}"
    if [ ${#godiag_env[@]} -gt 0 ]; then
      printf '; godiag with %s' "${godiag_env[1]}"
    elif [[ " ${godiag_cmd[*]} " == *" -Xmx"* ]]; then
      printf '; godiag heap cap %s (in GODIAG)' "$(printf '%s\n' "${godiag_cmd[@]}" | grep -- '^-Xmx' | tail -n 1)"
    else
      printf '; godiag without a -Xmx heap cap (put one in GODIAG)'
    fi
    printf '\n'
    printf -- '- goroutine dump: %s (%s goroutines, seed %s), %s bytes\n' "$dump" "$goroutines" "$seed" \
      "$(wc -c <"$dump" | tr -d ' ')"
  fi
  if has_peer grep; then
    printf -- "- vs grep: \`godiag %s LOG\` / \`grep -c '^gc ' LOG\` (%s)\n" "$gc_g" "$(grep --version | head -n 1)"
    printf -- '- gctrace log: %s (%s MiB, seed %s), %s bytes\n' "$gclog" "$gctrace_mb" "$seed" \
      "$(wc -c <"$gclog" | tr -d ' ')"
  fi
  if [ -f "$stress" ] && has_peer pprof; then
    printf -- '- stress profile: %s (seed %s), %s bytes\n' "$stress" "$seed" "$(wc -c <"$stress" | tr -d ' ')"
  fi
  for pn in "${peers_used[@]}"; do
    printf '\n'
    table_rows "$pn" | {
      IFS= read -r h
      printf '| %s |\n' "${h//|/ | }"
      cols=$(awk -F'|' '{ print NF }' <<<"$h")
      printf '|---'
      for ((i = 2; i <= cols; i++)); do printf '|---:'; done
      printf '|\n'
      while IFS= read -r r; do printf '| %s |\n' "${r//|/ | }"; done
    }
  done
  printf '\nTimes are wall-clock seconds, peak = maximum resident set size; ratios above 1 mean godiag is faster or smaller'
  if has_peer grep; then
    printf ', except the time ratio of the grep table (godiag s / grep s: how many times slower godiag is)'
  fi
  printf '.\n'
  if has_peer wc || has_peer grep; then
    printf 'MB/s = input file size (10^6 bytes) / median wall time, start-up included.\n'
  fi
  printf '\n'
  for n in ${notes[@]+"${notes[@]}"}; do printf -- '- %s\n' "$n"; done
} >"$out/latest.md"
say "wrote $out/latest.md"
