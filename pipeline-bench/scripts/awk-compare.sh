#!/usr/bin/env bash
# The log aggregator beside awk, cold, as a user runs them: each run is a fresh process (the JVM's
# start-up counts), timed by /usr/bin/time (wall, and CPU = user + sys). On two inputs of
# 1,000,000 lines, filtered at WARN:
#   own  4 files of the aggregator's own form (what it generates), awk '$2 == "WARN" || ...'
#   mix  11 files of real formats (SampleLogs), awk looking for a level word among the first six
#        fields ([warn], error:, W, ... : what a one-line awk can do across formats)
# Runs are paired (awk, ours, awk, ours, ...) so that a busy machine slows both; medians of RUNS.
#
#   pipeline-bench/scripts/awk-compare.sh [RUNS]        # default 9
#   CACHES="aot cds none" pipeline-bench/scripts/awk-compare.sh 11   # each kind in the same run
#
# The aggregator runs from the built jars, on the runtime class path (what README's launcher has:
# no test jars), with the launcher's JVM options (pom.xml, logs.jvm), and with one of the JVM's
# start-up caches (CACHES, default "aot" when the build made the cache, else "cds"):
#   aot   the AOT cache the build makes with -Dlogs.aot (JDK 25+; pipeline-logs/pom.xml: a
#         training run over 40,000 sample lines writes pipeline-logs/target/log-aggregator.aot for
#         the class path in pipeline-logs/target/log-aggregator.dependencies): classes loaded and
#         linked ahead. Made with the jars every time (a JDK 25 given a stale cache runs the
#         cached classes), and refused if a jar is newer than it
#   cds   a class-data archive (-XX:+AutoCreateSharedArchive), made afresh by a first, unmeasured
#         run (the JVM silently ignores, and does not remake, an archive of another class path)
#   none  neither: README's launcher (compile exec:exec) runs from class folders, which neither
#         cache can hold, so this is what it gets
# Each run's line shows the 1-minute load average before it. Inputs and outputs go to $WORK
# (default /tmp/log-aggregator-vs-awk).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-9}"
WORK="${WORK:-/tmp/log-aggregator-vs-awk}"
mkdir -p "$WORK"

source "$ROOT/pipeline-bench/scripts/find-java.sh"

echo "building pipeline-logs..." >&2
mvn -q -f "$ROOT/pom.xml" -pl pipeline-logs -am package -DskipTests -Dlogs.aot >&2
TARGET="$ROOT/pipeline-logs/target"
AOT="$TARGET/log-aggregator.aot"
if [[ -f "$TARGET/log-aggregator.dependencies" ]]; then
  DEPS="$(cat "$TARGET/log-aggregator.dependencies")" # the class path the AOT cache was made for
else
  mvn -q -f "$ROOT/pom.xml" -pl pipeline-logs dependency:build-classpath \
      -DincludeScope=runtime -Dmdep.outputFile="$WORK/deps.txt" >&2
  DEPS="$ROOT/pipeline-core/target/pipeline-core-0.1.0-SNAPSHOT.jar:$(tr ':' '\n' < "$WORK/deps.txt" | grep -v '/pipeline-core/' | paste -sd: -)"
fi
CP="$TARGET/pipeline-logs-0.1.0-SNAPSHOT.jar:$DEPS"
JVM_OPTS="$(sed -n 's:.*<logs.jvm>\(.*\)</logs.jvm>.*:\1:p' "$ROOT/pom.xml")"
read -r -a OPTS <<< "$JVM_OPTS"
if [[ -z "${CACHES:-}" ]]; then
  CACHES=cds; [[ -f "$AOT" ]] && CACHES=aot
fi
read -r -a KINDS <<< "$CACHES"
rm -f "$WORK/log-aggregator.jsa"
# ours KIND: sets OURS to the aggregator's command with that start-up cache
ours() {
  local cache=()
  case "$1" in
    aot) [[ -f "$AOT" ]] || { echo "no $AOT: build with a JDK 25+" >&2; exit 1; }
         cache=(-XX:AOTCache="$AOT") ;;
    cds) cache=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$WORK/log-aggregator.jsa") ;;
    none) ;;
    *) echo "unknown cache kind $1 (aot, cds, none)" >&2; exit 2 ;;
  esac
  OURS=("$JAVA" "${OPTS[@]}" "${cache[@]}" -cp "$CP" dev.pipeline.logs.LogAggregator)
}

[[ -d "$WORK/own" ]] || "$JAVA" -cp "$CP" dev.pipeline.logs.SampleLogs own "$WORK/own" 1000000 4 >/dev/null
[[ -d "$WORK/mix" ]] || "$JAVA" -cp "$CP" dev.pipeline.logs.SampleLogs mix "$WORK/mix" 1000000 >/dev/null

AWK_OWN='$2 == "WARN" || $2 == "ERROR" || $2 == "FATAL"'
AWK_MIX='{ for (i = 1; i <= 6; i++) { w = toupper($i); gsub(/[\[\]:]/, "", w);
  if (w ~ /^(WARN|WARNING|NOTICE|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT|EMERG|ALERT|W|E|F)$/) { print; next } } }'

# timed OUT CMD...: appends "wall cpu maxrss load" (seconds, seconds, MiB, the 1-minute load
# average before the run) of one run to the file in $T
timed() {
  local out="$1"; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$@" > "$out"
  awk -v load="$load" '{ printf "%.3f %.3f %.0f %s\n", $1, $2 + $3, $4 / 1024, load }' "$WORK/t" >> "$T"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "machine: $(nproc) cores, $(uname -sr), $("$JAVA" -version 2>&1 | head -1), $(awk -W version 2>&1 | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in "${KINDS[@]}"; do
  case "$kind" in
    aot) how="-XX:AOTCache=$AOT" ;;
    cds) how="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$WORK/log-aggregator.jsa" ;;
    *) how="" ;;
  esac
  echo "ours ($kind): java $JVM_OPTS $how -cp ... dev.pipeline.logs.LogAggregator --min-level WARN --out DIR FILES"
done
for kind in "${KINDS[@]}"; do
  ours "$kind"
  if [[ $kind == aot ]]; then
    for jar in ${CP//:/ }; do
      [[ "$jar" -nt "$AOT" ]] && { echo "$jar is newer than $AOT: rebuild with -Dlogs.aot" >&2; exit 1; }
    done
  fi
  "${OURS[@]}" --min-level WARN --out "$WORK/out-warmup" "$WORK"/own/*.log > /dev/null # cds: makes the archive
done
for input in own mix; do
  files=("$WORK/$input"/*)
  prog="$AWK_OWN"; [[ $input == mix ]] && prog="$AWK_MIX"
  : > "$WORK/awk-$input.times"
  for kind in "${KINDS[@]}"; do : > "$WORK/ours-$kind-$input.times"; done
  for ((r = 1; r <= RUNS; r++)); do
    T="$WORK/awk-$input.times" timed "$WORK/awk-$input.out" awk "$prog" "${files[@]}"
    for kind in "${KINDS[@]}"; do
      ours "$kind"
      T="$WORK/ours-$kind-$input.times" timed "$WORK/ours-$input.report" "${OURS[@]}" --min-level WARN --out "$WORK/out-$input" "${files[@]}"
    done
  done
  echo
  echo "input $input: $(cat "${files[@]}" | wc -l) lines in ${#files[@]} files; awk wrote $(wc -l < "$WORK/awk-$input.out") lines, the aggregator $(wc -l < "$WORK/out-$input/aggregated.log")"
  echo "  $(grep '^read ' "$WORK/ours-$input.report")"
  header="  run  load  awk wall  awk cpu"
  for kind in "${KINDS[@]}"; do header+="$(printf '  %-4s wall  %-4s cpu  %-4s RSS' "$kind" "$kind" "$kind")"; done
  echo "$header"
  for ((r = 1; r <= RUNS; r++)); do
    line="$(sed -n "${r}p" "$WORK/awk-$input.times" | awk -v r="$r" '{ printf "  %3d  %4.2f  %8.3f  %7.3f", r, $4, $1, $2 }')"
    for kind in "${KINDS[@]}"; do
      line+="$(sed -n "${r}p" "$WORK/ours-$kind-$input.times" | awk '{ printf "  %9.3f  %8.3f  %4d MiB", $1, $2, $3 }')"
    done
    echo "$line"
  done
  aw=$(cut -d' ' -f1 "$WORK/awk-$input.times" | median); ac=$(cut -d' ' -f2 "$WORK/awk-$input.times" | median)
  printf "  median of %d paired runs: awk %.3f s wall, %.3f s CPU\n" "$RUNS" "$aw" "$ac"
  for kind in "${KINDS[@]}"; do
    ow=$(cut -d' ' -f1 "$WORK/ours-$kind-$input.times" | median); oc=$(cut -d' ' -f2 "$WORK/ours-$kind-$input.times" | median)
    awk -v k="$kind" -v aw="$aw" -v ac="$ac" -v ow="$ow" -v oc="$oc" 'BEGIN { printf "  ours (%s): %.3f s wall, %.3f s CPU; ratio: wall %.2fx (target <= 1.5x), CPU %.2fx (target <= 3x)\n", k, ow, oc, ow / aw, oc / ac }'
  done
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
