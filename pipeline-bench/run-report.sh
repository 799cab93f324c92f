#!/usr/bin/env bash
# The full performance-report run: every JMH benchmark at report settings, the heap harness, then
# the tables and charts for docs/performance.md. Run it from anywhere on a QUIET machine (nothing
# else building or running: the scores are only as good as the machine is idle).
#
#   pipeline-bench/run-report.sh            # everything, about 35-40 minutes on 2 cores
#   pipeline-bench/run-report.sh channels   # one group: channels | pipelines | scaling | heap | report
#
# Results: pipeline-bench/results/{channels,pipelines,scaling}.json, heap.csv, machine.txt,
# report.md (tables, ratios vs abq of the same run); charts: docs/perf/*.svg.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS=pipeline-bench/results
JAR=pipeline-bench/target/benchmarks.jar
# The benchmarks need Java 21+; Maven may run on 17, so find the JDK the toolchain uses.
source "$ROOT/pipeline-bench/scripts/find-java.sh"

# Report settings: 1 fork, 3 warm-up and 5 measured iterations of 2 s each, fail on any error
# (a wrong checksum throws), an iteration that hangs for 3 minutes fails. Override with
# JMH_SETTINGS="...".
JMH_SETTINGS="${JMH_SETTINGS:--f 1 -wi 3 -i 5 -w 2s -r 2s -to 3m -foe true}"

mkdir -p "$RESULTS" docs/perf

build() {
  mvn -q -pl pipeline-bench -am package -DskipTests
}

machine() {
  { echo "date: $(date -u +%FT%TZ)"; echo "commit: $(git rev-parse HEAD 2>/dev/null || echo '?')";
    echo "nproc: $(nproc)"; lscpu; echo; "$JAVA" -version 2>&1; echo; uptime; } > "$RESULTS/machine.txt"
}

jmh() { # name, regexp
  # shellcheck disable=SC2086
  "$JAVA" -jar "$JAR" $JMH_SETTINGS -rf json -rff "$RESULTS/$1.json" "$2" | tee "$RESULTS/$1.log"
}

channels()  { jmh channels  'dev.pipeline.bench.(ChannelThroughput|ChannelBatch|Rendezvous|PingPong)Benchmark'; }
pipelines() { jmh pipelines 'dev.pipeline.bench.(ThreeStagePipeline|ParallelMapPipeline|LogAggregation|LongChain)Benchmark'; }
scaling()   { jmh scaling   'dev.pipeline.bench.(StageScaling|ProducerScaling|CapacityScaling)Benchmark'; }
heap() {
  "$JAVA" -Xms512m -Xmx512m -cp "$JAR" dev.pipeline.bench.HeapVsCapacity "$RESULTS/heap.csv" 20000 4096 50
}
report() {
  local files=()
  for f in channels pipelines scaling; do [[ -f "$RESULTS/$f.json" ]] && files+=("$RESULTS/$f.json"); done
  local heap_args=()
  [[ -f "$RESULTS/heap.csv" ]] && heap_args=(--heap "$RESULTS/heap.csv")
  python3 pipeline-bench/scripts/jmh_report.py "${files[@]}" "${heap_args[@]}" \
    --out "$RESULTS/report.md" --svg-dir docs/perf --svg-prefix perf/
  echo "wrote $RESULTS/report.md and docs/perf/*.svg: paste the tables into docs/performance.md"
}

build
machine
if [[ $# -eq 0 ]]; then
  channels; pipelines; scaling; heap; report
else
  for step in "$@"; do "$step"; done
fi
