#!/usr/bin/env bash
# bench/render-time.sh: time to first render of a godiag HTML page, measured in the browser.
# Opens the page N times in headless Chromium (Debian's chromium + chromedriver, driven by Selenium
# through src/test/java/dev/godiag/testutil/Browser.java) and prints, as a markdown table, the
# median / min / max of (all ms from the browser's navigation start):
#   firstRenderMs         window.godiag.firstRenderMs: the page's report of its first drawn frame
#   domContentLoaded      HTML (with the embedded JSON) parsed, inline scripts run
#   load                  load event end
#   firstContentfulPaint  the browser's first-contentful-paint entry
#   driverWall            wall time in the JVM from navigating until firstRenderMs was seen
#                         (WebDriver round trips included: an upper bound)
# Run on demand (not in CI). The table is also written to bench/out/render-time.md.
#
# Usage:
#   bench/render-time.sh PAGE.html [N]        # an HTML page godiag wrote (or any page that sets
#                                             # window.godiag.firstRenderMs)
#   bench/render-time.sh PROFILE [N]          # anything else is a profile: first turned into
#                                             # bench/out/render-<name>.html with
#                                             #   godiag flame --format html -o that.html PROFILE
#   bench/render-time.sh stress [N]           # the bench's stress profile (bench/out/stress-seed1.pb.gz,
#                                             # made by bench/run.sh or as bench/README.md says)
# N: measured runs (default 10, or $RENDER_RUNS).
#
# Environment (all optional):
#   RENDER_RUNS     measured runs (default 10; the second argument wins)
#   RENDER_WARMUP   unmeasured navigations first (default 1)
#   RENDER_FRESH    1: a fresh browser (new process, empty profile) for every run: cold caches
#   RENDER_TIMEOUT  seconds to wait for firstRenderMs per run (default 120)
#   GODIAG          godiag command for PROFILE inputs (split on spaces; default bin/godiag)
#   GODIAG_CHROMIUM, GODIAG_CHROMEDRIVER   the binaries (default /usr/bin/chromium, /usr/bin/chromedriver)
#
# How it runs the Java: `mvnw test-compile` (only when sources are newer than target/test-classes),
# then `mvnw dependency:build-classpath` of the test scope into target/render-time.classpath once,
# then plain `java -cp target/test-classes:target/classes:<that> dev.godiag.bench.RenderTime`.
# Needs a JDK >= 21 (bin/lib/find-jdk.sh) and `apt-get install chromium chromium-driver`.
set -euo pipefail
export LC_ALL=C

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=bench/out
mkdir -p "$out"

say() { printf '== render-time: %s\n' "$*" >&2; }
die() { printf 'render-time: %s\n' "$*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench/render-time.sh PAGE.html|PROFILE|stress [RUNS]"
input=$1
runs=${2:-${RENDER_RUNS:-10}}
warmup=${RENDER_WARMUP:-1}
timeout=${RENDER_TIMEOUT:-120}
case $runs in '' | *[!0-9]* | 0) die "RUNS must be a positive integer, not '$runs'" ;; esac
case $warmup in '' | *[!0-9]*) die "RENDER_WARMUP must be a number, not '$warmup'" ;; esac
case $timeout in '' | *[!0-9]* | 0) die "RENDER_TIMEOUT must be a positive integer, not '$timeout'" ;; esac

chromium=${GODIAG_CHROMIUM:-/usr/bin/chromium}
chromedriver=${GODIAG_CHROMEDRIVER:-/usr/bin/chromedriver}
[ -x "$chromium" ] && [ -x "$chromedriver" ] ||
  die "needs $chromium and $chromedriver: apt-get install chromium chromium-driver"

# shellcheck source=SCRIPTDIR/../bin/lib/find-jdk.sh
. "$root/bin/lib/find-jdk.sh"
java_home=$(godiag_java_home) || die "no JDK >= 21 found"
mvn_cmd() {
  JAVA_HOME=$java_home "$root/mvnw" -q -B -ntp "$@" </dev/null
}

# ---- the page ----
[ "$input" = stress ] && input=$out/stress-seed1.pb.gz
[ -f "$input" ] || die "no such file: $input"
case $input in
  *.html | *.htm) page=$input ;;
  *)
    name=$(basename "$input")
    page=$out/render-${name%%.*}.html
    if [ -n "${GODIAG:-}" ]; then
      read -r -a godiag_cmd <<<"$GODIAG"
    else
      godiag_cmd=("$root/bin/godiag")
    fi
    say "writing $page: ${godiag_cmd[*]} flame --format html -o $page $input"
    "${godiag_cmd[@]}" flame --format html -o "$page" "$input" </dev/null ||
      die "godiag flame --format html failed"
    ;;
esac

# ---- the Java: test classes and the test classpath ----
cp_file=target/render-time.classpath
if [ ! -f target/test-classes/dev/godiag/bench/RenderTime.class ] ||
  [ -n "$(find src pom.xml -newer target/test-classes/dev/godiag/bench/RenderTime.class -type f -print -quit)" ]; then
  say "compiling (mvnw test-compile)"
  mvn_cmd test-compile
fi
if [ ! -s "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  say "resolving the test classpath (mvnw dependency:build-classpath)"
  mvn_cmd dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$root/$cp_file"
fi

fresh=()
[ "${RENDER_FRESH:-0}" = 1 ] && fresh=(--fresh)
say "measuring $page: $runs runs after $warmup warmup"
report=$out/render-time.md
"$java_home/bin/java" -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  dev.godiag.bench.RenderTime "$page" --runs "$runs" --warmup "$warmup" --timeout "$timeout" \
  ${fresh[@]+"${fresh[@]}"} </dev/null | tee "$report.tmp"
{
  printf '# Time to first render in the browser\n\n'
  printf '%s; %s; %s\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$("$chromium" --version 2>/dev/null | head -1)" \
    "git $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
  cat "$report.tmp"
} >"$report"
rm -f "$report.tmp"
say "written to $report"
