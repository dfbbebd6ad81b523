#!/usr/bin/env bash
# bench/scan.sh: godiag scan over a whole standard library, side by side with gofmt -l (which
# parses every file too) and staticcheck, N alternating runs each, medians of wall time, user and
# system CPU time and peak RSS; writes bench/out/scan.md. Run on demand (not in CI).
#   1. Go 1.27's tree (GOROOT/src):  godiag scan --include-testdata --include-vendor --include-generated
#      (every .go file, the set gofmt -l walks) vs gofmt -l; and godiag's default scope for reference
#   2. Go 1.19's tree:               godiag scan (same full file set) vs gofmt -l, and
#      go-staticcheck std (with Go 1.19; BENCH_STATICCHECK=1, its runs take ~15 min each on 2 CPUs)
# staticcheck cannot read Go 1.27's export data (it is built with Go 1.19), so it runs on 1.19 only.
#
# Environment (all optional):
#   GODIAG             godiag command (default bin/godiag)
#   GO127, GO119       the go commands (default /usr/lib/go-1.27/bin/go, /usr/bin/go)
#   BENCH_RUNS         runs per tool (default 3)
#   BENCH_STATICCHECK  1 to also time go-staticcheck -checks SA1015,SA5003,SA6000,SA9001 std with empty
#                      caches (default 0; ~15 min a run here)
# Needs GNU time (/usr/bin/time).
set -euo pipefail
export LC_ALL=C GOTOOLCHAIN=local

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=bench/out
mkdir -p "$out"
say() { printf '== bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

runs=${BENCH_RUNS:-3}
case $runs in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer, not '$runs'" ;; esac
go127=${GO127:-/usr/lib/go-1.27/bin/go}
go119=${GO119:-/usr/bin/go}
time_bin=/usr/bin/time
"$time_bin" -f '%M' -o /dev/null true 2>/dev/null || die "need GNU time (/usr/bin/time): apt-get install time"
[ -x "$go127" ] || die "Go 1.27 not found at $go127 (set GO127)"
"$go119" version | grep -q 'go1\.19' || die "$go119 is not Go 1.19 (set GO119)"
src127=$(cd -P "$("$go127" env GOROOT)/src" && pwd)
src119=$(cd -P "$("$go119" env GOROOT)/src" && pwd)
gofmt127=$("$go127" env GOROOT)/bin/gofmt
gofmt119=$("$go119" env GOROOT)/bin/gofmt
if [ -n "${GODIAG:-}" ]; then read -r -a godiag <<<"$GODIAG"; else godiag=("$root/bin/godiag"); fi
"${godiag[@]}" --version >/dev/null || die "godiag does not run: ${godiag[*]} --version failed"
all=(--include-testdata --include-vendor --include-generated)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure CMD...: runs CMD once (output discarded: gofmt -l lists files, godiag its findings); sets
# m_wall, m_user, m_sys (s), m_rss (KB), m_rc
measure() {
  set +e
  "$time_bin" -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  m_rc=$?
  set -e
  read -r m_wall m_user m_sys m_rss < <(tail -n 1 "$tmp/time")
}
median() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
    END { if (NR % 2) printf "%.2f\n", a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# bench TITLE NAME=CMD... : N alternating rounds (the order rotates each round); one table row per tool
rows=()
bench() {
  local title=$1
  shift
  local names=() i j k n=$#
  declare -A cmds=() W=() U=() S=() M=()
  for spec in "$@"; do names+=("${spec%%=*}"); cmds[${spec%%=*}]=${spec#*=}; done
  say "$title"
  for ((i = 0; i < runs; i++)); do
    for ((j = 0; j < n; j++)); do
      k=${names[$(((i + j) % n))]}
      # shellcheck disable=SC2086
      measure ${cmds[$k]}
      # gofmt -l exits 2 on the tree's deliberately broken testdata files, staticcheck 1 when it reports
      [ "$m_rc" -le 2 ] || die "$k failed (rc $m_rc): $(tail -n 3 "$tmp/err")"
      W[$k]+="$m_wall " U[$k]+="$(awk -v u="$m_user" -v s="$m_sys" 'BEGIN { print u + s }') " M[$k]+="$m_rss "
      say "  run $((i + 1)) $k: ${m_wall}s wall, ${m_user}s user, ${m_sys}s sys, $((m_rss / 1024)) MB"
    done
  done
  local base
  base=$(median ${W[${names[1]}]})
  for k in "${names[@]}"; do
    local w c m
    w=$(median ${W[$k]}) c=$(median ${U[$k]}) m=$(median ${M[$k]})
    rows+=("| $title | $k | $w | $c | $(awk -v k="$m" 'BEGIN { printf "%.0f", k / 1024 }') | $(awk -v a="$w" -v b="$base" 'BEGIN { printf "%.2f", a / b }') | ${W[$k]}|")
  done
}

count() { find "$1" -name '*.go' -type f | wc -l; }
say "Go 1.27: $src127 ($(count "$src127") .go files); Go 1.19: $src119 ($(count "$src119") .go files)"
find "$src127" "$src119" -name '*.go' -type f -exec cat {} + >/dev/null # into the page cache for all

bench "Go 1.27 src, every .go file" \
  "godiag scan (all files)=${godiag[*]} scan ${all[*]} $src127" \
  "gofmt -l=$gofmt127 -l $src127" \
  "godiag scan (default scope)=${godiag[*]} scan $src127"
"${godiag[@]}" scan "${all[@]}" --format json "$src127" | grep -m1 '"files"' | tr -dc '0-9' >"$tmp/n127"
specs=("godiag scan (all files)=${godiag[*]} scan ${all[*]} $src119" "gofmt -l=$gofmt119 -l $src119")
if [ "${BENCH_STATICCHECK:-0}" = 1 ]; then
  command -v go-staticcheck >/dev/null || die "no go-staticcheck (apt-get install go-staticcheck)"
  # cold caches each run, as in CI: with its cache staticcheck answers from earlier results (~4 s)
  cat >"$tmp/staticcheck-cold.sh" <<COLD
#!/usr/bin/env bash
set -e
c=\$(mktemp -d)
trap 'rm -rf "\$c"' EXIT
cd "$src119"
PATH=$(dirname "$go119"):\$PATH GOFLAGS= XDG_CACHE_HOME=\$c GOCACHE=\$c/go go-staticcheck -checks SA1015,SA5003,SA6000,SA9001 std
COLD
  specs+=("go-staticcheck std (cold caches)=bash $tmp/staticcheck-cold.sh")
fi
bench "Go 1.19 src, every .go file" "${specs[@]}"

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
{
  printf '# godiag scan vs gofmt -l (and staticcheck)\n\n'
  printf '%s, %s CPUs, load average at the end %s. %s runs each, alternating; medians. godiag read %s files of Go 1.27 src (gofmt -l: %s .go files).\n\n' \
    "$(date -u +%Y-%m-%d)" "$(nproc)" "$load" "$runs" "$(cat "$tmp/n127")" "$(count "$src127")"
  printf '| tree | tool | wall s | user+sys s | peak RSS MB | wall / gofmt -l | every wall (s) |\n|---|---|---:|---:|---:|---:|---|\n'
  printf '%s\n' "${rows[@]}"
} >"$out/scan.md"
cat "$out/scan.md"
