#!/usr/bin/env bash
# bench/scan-counts.sh NAME=DIR...: godiag scan's findings per check over each tree (default scope),
# one column per tree, as a markdown table; NAME ending in "-no-tests" scans with --no-tests.
#   bench/scan-counts.sh std=/usr/lib/go-1.27/src std-no-tests=/usr/lib/go-1.27/src gen=testdata/gen
# Every finding is kept in bench/out/scan-counts/NAME.json for review.
set -euo pipefail
export LC_ALL=C
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=bench/out/scan-counts
mkdir -p "$out"
[ $# -gt 0 ] || { echo "usage: bench/scan-counts.sh NAME=DIR..." >&2; exit 2; }
if [ -n "${GODIAG:-}" ]; then read -r -a godiag <<<"$GODIAG"; else godiag=("$root/bin/godiag"); fi
names=()
for spec in "$@"; do
  name=${spec%%=*} dir=${spec#*=}
  flags=()
  case $name in *-no-tests) flags=(--no-tests) ;; esac
  "${godiag[@]}" scan "${flags[@]}" --format json "$dir" >"$out/$name.json"
  names+=("$name")
done
checks=$("${godiag[@]}" scan --list-checks | awk '/^scan\./ { print $1 }')
printf '| check |'; printf ' %s |' "${names[@]}"; printf '\n|---|'; printf -- '---:|%.0s' "${names[@]}"; printf '\n'
for c in $checks; do
  printf '| %s |' "$c"
  for n in "${names[@]}"; do
    printf ' %s |' "$(grep -c "\"check\" : \"$c\"" "$out/$n.json" || true)"
  done
  printf '\n'
done
printf '| files |'
for n in "${names[@]}"; do printf ' %s |' "$(grep -m1 '"files"' "$out/$n.json" | tr -dc '0-9')"; done
printf '\n'
