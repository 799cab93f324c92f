#!/bin/bash
# #15 A/B: new3.jar = 556f610 (before the restructure), r15.jar = 4b7a67e (after); alternating rounds
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /tmp/jmh  # new3.jar: benchmarks.jar built at 556f610, r15.jar: at 4b7a67e; results in r15/
for round in 1 2 3; do
  for v in new3 r15; do
    echo "$v $round start $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
    $J -jar $v.jar 'ChannelThroughputBenchmark|ThreeStagePipelineBenchmark' -p impl=pipeline,abq,dsl -p threads=platform -f 1 -wi 2 -w 1 -i 5 -r 1 -rf json -rff r15/ch-$v-$round.json > r15/ch-$v-$round.log 2>&1
    $J -jar $v.jar 'RendezvousBenchmark' -p impl=pipeline,sq -p threads=platform,virtual -f 1 -wi 2 -w 1 -i 5 -r 1 -rf json -rff r15/rv-$v-$round.json > r15/rv-$v-$round.log 2>&1
    $J -jar $v.jar 'ParallelMapPipelineBenchmark' -p impl=dsl,abq -f 1 -wi 2 -w 1 -i 5 -r 1 -rf json -rff r15/pm-$v-$round.json > r15/pm-$v-$round.log 2>&1
    echo "$v $round done $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
