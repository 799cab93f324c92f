#!/bin/bash
# alternating A/B: channel group (platform) and the 3-stage, jar at 906488c (old) vs main (new2)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /tmp/jmh
for round in 1 2; do
  for v in old new2; do
    $J -jar $v.jar 'ChannelThroughputBenchmark|ThreeStagePipelineBenchmark' -p impl=pipeline,abq,dsl -p threads=platform -f 1 -wi 2 -w 1 -i 4 -r 1 -rf json -rff ab2-$v-$round.json > ab2-$v-$round.log 2>&1
    echo "$v $round done"
  done
done
