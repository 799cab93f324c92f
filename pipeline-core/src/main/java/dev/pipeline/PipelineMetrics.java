package dev.pipeline;

import dev.pipeline.channel.ChannelStats;

import java.util.List;
import java.util.Optional;

/**
 * Insight into a run: per-stage counters and per-channel stats. Live while the run goes on ({@link
 * PipelineRun#metrics()}): each call returns a fresh snapshot.
 */
public interface PipelineMetrics {

    /**
     * The stages of the run, sources first, the terminal last.
     *
     * @return one snapshot per stage, in that order
     */
    List<StageMetrics> stages();

    /**
     * The stats of every channel of the run, one per edge.
     *
     * @return one snapshot per channel
     */
    List<ChannelStats> channels();

    /**
     * The stage that limits throughput: a stage blocked on its full dead-letter channel right now
     * (it holds back the whole run; the one that has waited there longest), else the one whose
     * workers were busy the longest (busy time per worker, counting time spent waiting to hand off
     * dead letters); empty before any stage has done measurable work.
     *
     * @return the bottleneck stage, or empty
     */
    Optional<StageMetrics> bottleneck();

    /**
     * A text table of every stage and channel, a line per stage with a dead-letter channel (time
     * waited for room in it; "is blocked on its dead-letter channel" while it is), and the
     * bottleneck stage.
     *
     * @return a multi-line report
     */
    String report();
}
