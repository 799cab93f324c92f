#!/bin/bash
# #14 A/B: does the completion hook cost an untracked pipeline anything?
# base14.jar = benchmarks.jar built at 49bfca2 (before the hook), hook14.jar = at 73e3ad3 (after: the hook, ADR 21, the Kafka work);
# alternating rounds, no build running; results in /tmp/jmh/r14 (copied here)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /tmp/jmh
for round in 1 2 3; do
  for v in base14 hook14; do
    echo "$v $round start $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
    $J -jar $v.jar 'ThreeStagePipelineBenchmark|ParallelMapPipelineBenchmark' -p impl=dsl,dsl_virtual,abq -f 1 -wi 2 -w 1 -i 5 -r 1 -rf json -rff r14/p-$v-$round.json > r14/p-$v-$round.log 2>&1
    echo "$v $round done $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
