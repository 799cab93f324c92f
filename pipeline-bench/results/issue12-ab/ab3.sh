#!/bin/bash
# quiet-machine A/B for #12: old = 906488c, new3 = main 556f610; alternating rounds
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /tmp/jmh  # old.jar: benchmarks.jar built at 906488c, new3.jar: at 556f610
for round in 1 2 3; do
  for v in old new3; do
    $J -jar $v.jar 'ChannelThroughputBenchmark|ThreeStagePipelineBenchmark' -p impl=pipeline,abq,dsl -p threads=platform -f 1 -wi 2 -w 1 -i 5 -r 1 -rf json -rff r3/ch-$v-$round.json > r3/ch-$v-$round.log 2>&1
    $J -jar $v.jar 'RendezvousBenchmark' -p impl=pipeline,sq -p threads=platform,virtual -f 1 -wi 2 -w 1 -i 5 -r 1 -rf json -rff r3/rv-$v-$round.json > r3/rv-$v-$round.log 2>&1
    echo "$v $round done $(date +%T)"
  done
done
