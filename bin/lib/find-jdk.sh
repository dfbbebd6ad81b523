# shellcheck shell=bash
# bin/lib/find-jdk.sh: sourced by bin/godiag and bin/test; finds a Java >= 21 for godiag.
#
#   godiag_find_java [--jdk]  prints the path of a `java` binary of version >= 21
#                             (--jdk: only accept a full JDK, i.e. javac next to java)
#   godiag_java_home          prints the JAVA_HOME of a full JDK >= 21 (what ./mvnw needs)
#
# Search order: $JAVA_HOME, then the newest JDK (by major version) under
# ${GODIAG_JVM_DIR:-/usr/lib/jvm}, then `java` on PATH. Versions come from the JDK's
# `release` file when there is one (no JVM start-up), otherwise from `java -version`.
# If nothing qualifies, both print one message to stderr and return 1.
# GODIAG_JVM_DIR exists to make the search testable; normally leave it unset.

_GODIAG_MIN_JAVA=21

# _godiag_major VERSION: "25.0.3" -> 25, "21-ea" -> 21, "1.8.0_292" -> 8
_godiag_major() {
  local v=$1
  case $v in 1.*) v=${v#1.} ;; esac
  v=${v%%[!0-9]*}
  [ -n "$v" ] || return 1
  printf '%s\n' "$v"
}

# _godiag_release_version HOME: JAVA_VERSION from HOME/release (bash builtins only)
_godiag_release_version() {
  local line
  [ -f "$1/release" ] && [ -r "$1/release" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      JAVA_VERSION=*)
        line=${line#JAVA_VERSION=}
        printf '%s\n' "${line//\"/}"
        return 0 ;;
    esac
  done <"$1/release"
  return 1
}

# _godiag_java_major JAVA: major version of the java binary JAVA
_godiag_java_major() {
  local bin=$1 v real line
  [ -f "$bin" ] && [ -x "$bin" ] || return 1
  case $bin in
    */bin/java) if v=$(_godiag_release_version "${bin%/bin/java}"); then _godiag_major "$v"; return; fi ;;
  esac
  real=$(readlink -f -- "$bin" 2>/dev/null) || real=$bin
  case $real in
    */bin/java) if v=$(_godiag_release_version "${real%/bin/java}"); then _godiag_major "$v"; return; fi ;;
  esac
  # no release file: ask the JVM (first line like: openjdk version "21.0.5" 2024-10-15)
  v=$("$bin" -version 2>&1 </dev/null) || return 1
  while IFS= read -r line; do
    case $line in
      *' version "'*)
        line=${line#*' version "'}
        _godiag_major "${line%%\"*}"
        return ;;
    esac
  done <<<"$v"
  return 1
}

# _godiag_has_javac JAVA: is there a javac beside the (symlink-resolved) java binary?
_godiag_has_javac() {
  local real
  [ -x "${1%/java}/javac" ] && return 0
  real=$(readlink -f -- "$1" 2>/dev/null) || return 1
  [ -x "${real%/java}/javac" ]
}

# _godiag_search NEED_JDK(0|1): sets _GODIAG_JAVA (binary) and _GODIAG_HOME (its JAVA_HOME)
_godiag_search() {
  local need_jdk=$1 min=$_GODIAG_MIN_JAVA jvm_dir=${GODIAG_JVM_DIR:-/usr/lib/jvm}
  local seen=() bin m d best="" best_major=0 note
  _GODIAG_JAVA="" _GODIAG_HOME=""

  # 1. $JAVA_HOME
  if [ -n "${JAVA_HOME:-}" ]; then
    bin=${JAVA_HOME%/}/bin/java
    if m=$(_godiag_java_major "$bin"); then
      if [ "$m" -ge "$min" ] && { [ "$need_jdk" = 0 ] || _godiag_has_javac "$bin"; }; then
        _GODIAG_JAVA=$bin _GODIAG_HOME=${JAVA_HOME%/}
        return 0
      fi
      note="Java $m"; [ "$m" -ge "$min" ] && note="Java $m, no javac"
      seen+=("JAVA_HOME=$JAVA_HOME ($note)")
    else
      seen+=("JAVA_HOME=$JAVA_HOME (no usable bin/java)")
    fi
  fi

  # 2. the newest JDK under /usr/lib/jvm
  for d in "$jvm_dir"/*/; do
    d=${d%/}
    bin=$d/bin/java
    m=$(_godiag_java_major "$bin") || continue
    if [ "$m" -ge "$min" ] && [ "$m" -gt "$best_major" ] && { [ "$need_jdk" = 0 ] || _godiag_has_javac "$bin"; }; then
      best=$d best_major=$m
    fi
    note="Java $m"; [ "$m" -ge "$min" ] && note="Java $m, no javac"
    seen+=("$d ($note)")
  done
  if [ -n "$best" ]; then
    _GODIAG_JAVA=$best/bin/java _GODIAG_HOME=$best
    return 0
  fi

  # 3. java on PATH
  if bin=$(command -v java 2>/dev/null) && [ -n "$bin" ]; then
    if m=$(_godiag_java_major "$bin"); then
      if [ "$m" -ge "$min" ] && { [ "$need_jdk" = 0 ] || _godiag_has_javac "$bin"; }; then
        _GODIAG_JAVA=$bin
        d=$(readlink -f -- "$bin" 2>/dev/null) || d=$bin
        _GODIAG_HOME=${d%/bin/java}
        return 0
      fi
      note="Java $m"; [ "$m" -ge "$min" ] && note="Java $m, no javac"
      seen+=("java on PATH: $bin ($note)")
    else
      seen+=("java on PATH: $bin (version unknown)")
    fi
  fi

  local found="" s
  for s in ${seen[@]+"${seen[@]}"}; do found+=${found:+, }$s; done
  printf 'godiag needs a JDK >= %s; found %s; install one (e.g. apt-get install openjdk-21-jdk / temurin) or set JAVA_HOME\n' \
    "$min" "${found:-no Java at all}" >&2
  return 1
}

# godiag_find_java [--jdk]: path of a java binary >= 21
godiag_find_java() {
  local need_jdk=0
  [ "${1:-}" = --jdk ] && need_jdk=1
  _godiag_search "$need_jdk" || return 1
  printf '%s\n' "$_GODIAG_JAVA"
}

# godiag_java_home: JAVA_HOME of a full JDK >= 21
godiag_java_home() {
  _godiag_search 1 || return 1
  printf '%s\n' "$_GODIAG_HOME"
}
