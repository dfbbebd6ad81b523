#!/usr/bin/env bash
# bench/scan-peer.sh: godiag scan beside its peers on the checks they share, over the same trees:
#   staticcheck SA1015 (time.Tick leaks)           vs scan.ticker-not-stopped
#   staticcheck SA6000 (regexp.Match* in a loop)   vs scan.regexp-compile-in-loop
#   staticcheck SA9001, SA5003 (defer in a channel range, in an endless loop) vs scan.defer-in-loop
#   go vet copylocks                                vs scan.lock-copy
#   go vet lostcancel                               vs scan.context-cancel-dropped
# Debian's go-staticcheck (2023.1) is built with Go 1.19 and type-checks only what Go 1.19 can, so
# the trees are: Go 1.19's standard library (PEER_STD=1; staticcheck needs ~15-20 min of CPU there),
# the Go programs of testdata/gen, and, for each directory in PEER_REPOS (checkouts of real-world
# projects), its packages that import only the standard library, copied into a module of their own
# (without the network the tools cannot load a project's dependencies). A package the peers cannot
# type-check (Go 1.21+ features) is left out for all three tools. Prints the agreement table per
# check and writes every finding and difference to bench/out/scan-peer/.
#
# Environment (all optional):
#   GODIAG       godiag command (default bin/godiag)
#   GO119        Go 1.19's go command (default /usr/bin/go); put first on PATH for staticcheck
#   STATICCHECK  default go-staticcheck
#   PEER_STD     1 to include Go 1.19's standard library (default 0: slow)
#   PEER_REPOS   space-separated checkouts of real-world Go projects (default none)
# Needs python3 (to pick the standard-library-only packages and to compare).
set -euo pipefail
export LC_ALL=C GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=bench/out/scan-peer
rm -rf "$out"
mkdir -p "$out"
say() { printf '== scan-peer: %s\n' "$*" >&2; }
die() { printf 'scan-peer: %s\n' "$*" >&2; exit 1; }

go119=${GO119:-/usr/bin/go}
staticcheck=${STATICCHECK:-go-staticcheck}
"$go119" version | grep -q 'go1\.19' || die "$go119 is not Go 1.19 (set GO119)"
command -v "$staticcheck" >/dev/null || die "no $staticcheck (apt-get install go-staticcheck)"
command -v python3 >/dev/null || die "needs python3"
goroot119=$("$go119" env GOROOT)
export PATH=$(dirname "$go119"):$PATH
if [ -n "${GODIAG:-}" ]; then read -r -a godiag <<<"$GODIAG"; else godiag=("$root/bin/godiag"); fi
"${godiag[@]}" --version >/dev/null || die "godiag does not run"
shared=scan.ticker-not-stopped,scan.regexp-compile-in-loop,scan.defer-in-loop,scan.lock-copy,scan.context-cancel-dropped

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# peers NAME DIR PKGS...: the three tools on the packages PKGS of the module (or GOROOT) at DIR
peers() {
  local name=$1 dir=$2
  shift 2
  say "$name: staticcheck"
  (cd "$dir" && "$staticcheck" -checks SA1015,SA5003,SA6000,SA9001 "$@" >"$root/$out/$name.staticcheck" 2>&1 || true)
  say "$name: go vet"
  (cd "$dir" && "$go119" vet -copylocks -lostcancel "$@" >"$root/$out/$name.vet" 2>&1 || true)
  say "$name: godiag scan"
  "${godiag[@]}" scan --checks "$shared" --format json "$dir" >"$out/$name.godiag.json" 2>"$out/$name.godiag.err" || true
  echo "$name $dir" >>"$out/trees"
}

if [ "${PEER_STD:-0}" = 1 ]; then
  peers std119 "$goroot119/src" std
fi

# the programs of testdata/gen, each a module of its own, in one tree
mkdir -p "$tmp/gen"
for m in testdata/gen/*/; do
  cp -r "$m" "$tmp/gen/"
done
( cd "$tmp/gen" && for m in */; do (cd "$m" && "$staticcheck" -checks SA1015,SA5003,SA6000,SA9001 ./... 2>&1 | sed "s|^|$m|" || true); done ) >"$out/gen.staticcheck"
( cd "$tmp/gen" && for m in */; do (cd "$m" && "$go119" vet -copylocks -lostcancel ./... 2>&1 | sed "s|^\(\./\)\{0,1\}\([^#]\)|$m\2|" || true); done ) >"$out/gen.vet"
"${godiag[@]}" scan --checks "$shared" --format json "$tmp/gen" >"$out/gen.godiag.json" 2>"$out/gen.godiag.err" || true
echo "gen $tmp/gen" >>"$out/trees"

# real-world checkouts: their standard-library-only packages, in a module of their own
for repo in ${PEER_REPOS:-}; do
  name=$(basename "$repo")
  dest=$tmp/rw/$name
  python3 - "$repo" "$dest" "$name" <<'PY'
import os, re, shutil, sys
src, dest, name = sys.argv[1:]
imp_block = re.compile(r'^import\s*\((.*?)^\)', re.S | re.M)
imp_line = re.compile(r'^import\s+(?:[\w.]+\s+)?"([^"]+)"', re.M)
quoted = re.compile(r'"([^"]+)"')
kept = 0
for d, dirs, files in os.walk(src):
    dirs[:] = [x for x in dirs if x not in ("vendor", "testdata") and not x.startswith((".", "_"))]
    gofiles = [f for f in files if f.endswith(".go") and not f.endswith("_test.go")]
    if not gofiles:
        continue
    ok = True
    for f in gofiles:
        text = open(os.path.join(d, f), encoding="utf-8", errors="replace").read()
        paths = imp_line.findall(text) + [p for b in imp_block.findall(text) for p in quoted.findall(b)]
        if any(p == "C" or "." in p.split("/")[0] for p in paths):
            ok = False
            break
    if ok:
        target = os.path.join(dest, os.path.relpath(d, src))
        os.makedirs(target, exist_ok=True)
        for f in gofiles:
            shutil.copy(os.path.join(d, f), target)
        kept += 1
os.makedirs(dest, exist_ok=True)
open(os.path.join(dest, "go.mod"), "w").write("module peer.example/%s\n\ngo 1.19\n" % name)
print("%s: %d standard-library-only packages" % (name, kept), file=sys.stderr)
PY
  peers "$name" "$dest" ./...
done

python3 - "$out" <<'PY'
import json, os, re, sys
out = sys.argv[1]
# staticcheck's and vet's words for the shared checks; vet's "this return statement may be reached"
# is the second line of a lostcancel report, whose first line (the call) is the one compared
peer_check = [
    (re.compile(r"\(SA1015\)$"), "scan.ticker-not-stopped"),
    (re.compile(r"\(SA6000\)$"), "scan.regexp-compile-in-loop"),
    (re.compile(r"\(SA9001\)$|\(SA5003\)$"), "scan.defer-in-loop"),
    (re.compile(r"lock by value|copies lock"), "scan.lock-copy"),
    (re.compile(r"cancel function"), "scan.context-cancel-dropped"),
]
report = re.compile(r"^(?:\./)?([^\s:]+\.go):(\d+):\d+: (.*)$")
checks = [c for _, c in peer_check]
rows = {c: [0, 0, 0] for c in checks}
lines = []
unchecked = []
for t in open(os.path.join(out, "trees")).read().split("\n"):
    if not t:
        continue
    name, path = t.split(" ", 1)
    path = path.rstrip("/") + "/"
    broken = set()  # packages (directories) a peer could not type-check: left out for all
    peer = {}
    for tool in ("staticcheck", "vet"):
        for l in open(os.path.join(out, "%s.%s" % (name, tool)), errors="replace"):
            m = report.match(l.strip())
            if not m:
                continue
            f, line, msg = m.groups()
            f = f[len(path):] if f.startswith(path) else f
            if msg.endswith("(compile)") or tool == "vet" and re.match(r"vet: ", l):
                broken.add(os.path.dirname(f))
                continue
            for pat, c in peer_check:
                if pat.search(msg):
                    peer.setdefault((c, f, int(line)), msg)
        for l in open(os.path.join(out, "%s.%s" % (name, tool)), errors="replace"):
            m = re.match(r"^vet: (?:\./)?([^\s:]+\.go):", l)
            if m:
                broken.add(os.path.dirname(m.group(1)))
    ours = {}
    for fnd in json.load(open(os.path.join(out, "%s.godiag.json" % name)))["findings"]:
        f = fnd["file"]
        f = f[len(path):] if f.startswith(path) else f
        ours[(fnd["check"], f, fnd["line"])] = fnd["message"]
    drop = lambda k: os.path.dirname(k[1]) in broken
    unchecked.append("%s: %d packages the peers could not type-check, left out: %s" % (name, len(broken), " ".join(sorted(broken)) or "-"))
    for k in sorted(set(peer) | set(ours)):
        if drop(k):
            continue
        if k in peer and k in ours:
            rows[k[0]][0] += 1; who = "both"
        elif k in ours:
            rows[k[0]][1] += 1; who = "godiag only"
        else:
            rows[k[0]][2] += 1; who = "peer only"
        lines.append("%s\t%s\t%s:%d\t%s\t%s" % (who, k[0], name + "/" + k[1], k[2], ours.get(k, "")[:160], peer.get(k, "")[:160]))
open(os.path.join(out, "findings.tsv"), "w").write("\n".join(lines) + "\n")
open(os.path.join(out, "unchecked.txt"), "w").write("\n".join(unchecked) + "\n")
peer_name = {"scan.ticker-not-stopped": "SA1015", "scan.regexp-compile-in-loop": "SA6000",
             "scan.defer-in-loop": "SA9001+SA5003", "scan.lock-copy": "vet copylocks",
             "scan.context-cancel-dropped": "vet lostcancel"}
print("trees: " + ", ".join(t.split(" ")[0] for t in open(os.path.join(out, "trees")).read().split("\n") if t))
print()
print("| godiag check | peer | both | godiag only | peer only |")
print("|---|---|---:|---:|---:|")
for c in checks:
    b, g, p = rows[c]
    print("| %s | %s | %d | %d | %d |" % (c, peer_name[c], b, g, p))
print()
print("Every finding: %s/findings.tsv; left out: %s/unchecked.txt" % (out, out))
PY
