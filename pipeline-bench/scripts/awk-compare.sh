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
#
# The aggregator runs from the built jars, on the runtime class path (what README's launcher has:
# no test jars), with the launcher's JVM options (pom.xml, logs.jvm) plus a class-data archive
# (-XX:+AutoCreateSharedArchive, made afresh by a first, unmeasured run: the JVM silently ignores
# an archive made for another class path rather than making it again): NO_CDS=1 measures without
# it. Each run's line shows the 1-minute load average before it. Inputs and outputs go to $WORK
# (default /tmp/log-aggregator-vs-awk).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-9}"
WORK="${WORK:-/tmp/log-aggregator-vs-awk}"
mkdir -p "$WORK"

source "$ROOT/pipeline-bench/scripts/find-java.sh"

echo "building pipeline-logs..." >&2
mvn -q -f "$ROOT/pom.xml" -pl pipeline-logs -am package -DskipTests >&2
mvn -q -f "$ROOT/pom.xml" -pl pipeline-logs dependency:build-classpath \
    -DincludeScope=runtime -Dmdep.outputFile="$WORK/deps.txt" >&2
DEPS="$(tr ':' '\n' < "$WORK/deps.txt" | grep -v '/pipeline-core/' | paste -sd: -)"
CP="$ROOT/pipeline-logs/target/pipeline-logs-0.1.0-SNAPSHOT.jar:$ROOT/pipeline-core/target/pipeline-core-0.1.0-SNAPSHOT.jar:$DEPS"
JVM_OPTS="$(sed -n 's:.*<logs.jvm>\(.*\)</logs.jvm>.*:\1:p' "$ROOT/pom.xml")"
if [[ -z "${NO_CDS:-}" ]]; then
  rm -f "$WORK/log-aggregator.jsa"
  JVM_OPTS="$JVM_OPTS -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$WORK/log-aggregator.jsa"
fi
read -r -a OPTS <<< "$JVM_OPTS"
OURS=("$JAVA" "${OPTS[@]}" -cp "$CP" dev.pipeline.logs.LogAggregator)

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
echo "aggregator: java $JVM_OPTS -cp ... dev.pipeline.logs.LogAggregator --min-level WARN --out DIR FILES"
"${OURS[@]}" --min-level WARN --out "$WORK/out-warmup" "$WORK"/own/*.log > /dev/null  # makes the archive
for input in own mix; do
  files=("$WORK/$input"/*)
  prog="$AWK_OWN"; [[ $input == mix ]] && prog="$AWK_MIX"
  : > "$WORK/awk-$input.times"; : > "$WORK/ours-$input.times"
  for ((r = 1; r <= RUNS; r++)); do
    T="$WORK/awk-$input.times" timed "$WORK/awk-$input.out" awk "$prog" "${files[@]}"
    T="$WORK/ours-$input.times" timed "$WORK/ours-$input.report" "${OURS[@]}" --min-level WARN --out "$WORK/out-$input" "${files[@]}"
  done
  aw=$(cut -d' ' -f1 "$WORK/awk-$input.times" | median); ac=$(cut -d' ' -f2 "$WORK/awk-$input.times" | median)
  ow=$(cut -d' ' -f1 "$WORK/ours-$input.times" | median); oc=$(cut -d' ' -f2 "$WORK/ours-$input.times" | median)
  echo
  echo "input $input: $(cat "${files[@]}" | wc -l) lines in ${#files[@]} files; awk wrote $(wc -l < "$WORK/awk-$input.out") lines, the aggregator $(wc -l < "$WORK/out-$input/aggregated.log")"
  echo "  $(grep '^read ' "$WORK/ours-$input.report")"
  echo "  run  awk wall  awk cpu  ours wall  ours cpu  ours max RSS  load"
  paste -d' ' "$WORK/awk-$input.times" "$WORK/ours-$input.times" | awk '{ printf "  %3d  %8.3f  %7.3f  %9.3f  %8.3f  %8d MiB  %4.2f\n", NR, $1, $2, $5, $6, $7, $4 }'
  printf "  median of %d paired runs: awk %.3f s wall, %.3f s CPU; ours %.3f s wall, %.3f s CPU\n" "$RUNS" "$aw" "$ac" "$ow" "$oc"
  awk -v aw="$aw" -v ac="$ac" -v ow="$ow" -v oc="$oc" 'BEGIN { printf "  ratio: wall %.2fx (target <= 1.5x), CPU %.2fx (target <= 3x)\n", ow / aw, oc / ac }'
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
