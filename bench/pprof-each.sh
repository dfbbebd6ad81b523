#!/usr/bin/env bash
# bench/pprof-each.sh PPROF-COMMAND... DIR: the peer of bench/run.sh's `diagnose` case.
# Runs `PPROF-COMMAND -top FILE` once per profile file of DIR (every *.pprof, in name order; the
# debug=1/debug=2 text forms, gctrace logs and expvar JSON beside them are not pprof inputs), all
# output to stdout, one process after another: what a user does to look at every profile of a
# directory with pprof. Exits with the first non-zero status of pprof (after running all files).
# Example: bench/pprof-each.sh go tool pprof ../shared/corpus/go1.27/leakysvc
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: pprof-each.sh PPROF-COMMAND... DIR" >&2; exit 2; }
dir=${!#}
cmd=("${@:1:$#-1}")
[ -d "$dir" ] || { echo "pprof-each.sh: $dir is not a directory" >&2; exit 2; }
shopt -s nullglob
files=("$dir"/*.pprof)
[ ${#files[@]} -gt 0 ] || { echo "pprof-each.sh: no *.pprof in $dir" >&2; exit 2; }
rc=0
for f in "${files[@]}"; do
  printf '==> %s\n' "$f"
  "${cmd[@]}" -top "$f" || { s=$?; [ "$rc" != 0 ] || rc=$s; }
done
exit "$rc"
