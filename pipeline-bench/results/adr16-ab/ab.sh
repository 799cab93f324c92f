#!/bin/bash
# alternating A/B of the 3-stage benchmark: old (906488c) and new jars
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /tmp/jmh
for round in 1 2 3; do
  for v in old new; do
    $J -jar $v.jar ThreeStagePipelineBenchmark -p impl=dsl,abq -f 1 -wi 2 -w 1 -i 5 -r 1 -rf json -rff ab-$v-$round.json > ab-$v-$round.log 2>&1
    echo "$v $round $(grep -E '^ThreeStage' ab-$v-$round.log | awk '{print $2, $(NF-2)}' | tr '\n' ' ')"
  done
done
