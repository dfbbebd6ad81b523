#!/usr/bin/env bash
# bench/retention.sh: godiag retention on a heap dump of a heap of >= 1 GB: testdata/gen/retention
# with -scale and -chain (its sessions, pinned buffers and a linked list of small nodes) writes the
# dump, godiag reads it once; wall time, CPU time and peak RSS of the read, the dump's size and
# object count; writes bench/out/retention.md and deletes the dump. One run: the dump is big.
# Run on demand (not in CI). See bench/README.md.
#
# Environment (all optional):
#   GODIAG            godiag command (split on spaces); default bin/godiag
#   GO127             Go 1.27's go command (default /usr/lib/go-1.27/bin/go)
#   BENCH_SCALE       the program's -scale (default 40: 8,000 sessions of 40 KiB, 800 pinned MiB)
#   BENCH_CHAIN       the program's -chain (default 5000000 nodes of 48 B)
#   BENCH_XMX         a second read with the heap capped at this (default 768m: the read is bounded
#                     by the dump's objects and pointers, not its bytes); empty: no second read
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

go127=${GO127:-/usr/lib/go-1.27/bin/go}
scale=${BENCH_SCALE:-40}
chain=${BENCH_CHAIN:-5000000}
read -r -a godiag <<<"${GODIAG:-bin/godiag}"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
[ -x "$go127" ] || die "no Go 1.27 at $go127 (set GO127)"

bin=$out/retention-bin
dump=$out/retention.dump
trap 'rm -f "$dump" "$out/retention.pprof"' EXIT

say "building testdata/gen/retention"
(cd testdata/gen/retention && "$go127" build -trimpath -o "$root/$bin" .)

say "writing the heap dump (-scale $scale -chain $chain)"
/usr/bin/time -f '%e %M' -o "$out/retention-write.time" "$bin" -scale "$scale" -chain "$chain" -out "$dump" \
  >"$out/retention-report.json"
dump_mb=$(( $(stat -c %s "$dump") >> 20 ))

"${godiag[@]}" --help >/dev/null # the launcher builds the jar first if the sources changed: not timed
say "reading it with godiag ($dump_mb MiB)"
/usr/bin/time -f '%e %U %S %M' -o "$out/retention-read.time" \
  "${godiag[@]}" retention "$dump" --binary "$bin" -o "$out/retention.pprof" --format json >"$out/retention-findings.json"
xmx=${BENCH_XMX-768m}
if [ -n "$xmx" ]; then
  say "reading it again with -Xmx$xmx"
  GODIAG_JAVA_OPTS="-XX:+UseParallelGC -Xss16m -Xmx$xmx" /usr/bin/time -f '%e %U %S %M' \
    -o "$out/retention-read-capped.time" "${godiag[@]}" retention "$dump" --binary "$bin" >/dev/null
fi

read -r w_wall w_rss <"$out/retention-write.time"
read -r wall user sys rss <"$out/retention-read.time"
num() { sed -n "s/.*\"$1\" : \\([0-9]*\\).*/\\1/p" "$out/retention-findings.json" | head -1; }
{
  echo "| | value |"
  echo "|---|---|"
  echo "| program (-scale $scale -chain $chain): peak RSS, MiB | $(( w_rss / 1024 )) |"
  echo "| heap in the dump (objects' bytes), MiB | $(( $(num bytes) >> 20 )) |"
  echo "| objects in the dump | $(num objects) |"
  echo "| dump file, MiB | $dump_mb |"
  echo "| godiag retention: wall time, s | $wall |"
  echo "| godiag retention: user + system CPU, s | $user + $sys |"
  echo "| godiag retention: peak RSS, MiB | $(( rss / 1024 )) |"
  if [ -n "$xmx" ]; then
    read -r c_wall c_user c_sys c_rss <"$out/retention-read-capped.time"
    echo "| with -Xmx$xmx: wall time, s | $c_wall |"
    echo "| with -Xmx$xmx: user + system CPU, s | $c_user + $c_sys |"
    echo "| with -Xmx$xmx: peak RSS, MiB | $(( c_rss / 1024 )) |"
  fi
} | tee "$out/retention.md"
sed -n 's/.*"finding" : "\(.*\)".*/\1/p' "$out/retention-findings.json" | head -5 >&2
