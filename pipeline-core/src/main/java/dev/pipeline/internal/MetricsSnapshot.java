package dev.pipeline.internal;

import dev.pipeline.PipelineMetrics;
import dev.pipeline.StageMetrics;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A snapshot of a run's metrics, taken from its stages' records and its channels. */
final class MetricsSnapshot implements PipelineMetrics {
    private final String pipelineName;
    private final List<StageMetrics> stages;
    private final List<ChannelStats> channels;
    private final long elapsedNanos;

    private MetricsSnapshot(
            String pipelineName,
            List<StageMetrics> stages,
            List<ChannelStats> channels,
            long elapsedNanos) {
        this.pipelineName = pipelineName;
        this.elapsedNanos = elapsedNanos;
        this.stages = List.copyOf(stages);
        this.channels = List.copyOf(channels);
    }

    static MetricsSnapshot of(RunState run, StageInfo terminal) {
        List<StageMetrics> stages = new ArrayList<>();
        for (StageInfo s : run.stages) {
            stages.add(s.metrics(-1));
        }
        List<ChannelStats> channels = new ArrayList<>();
        for (Channel<?> c : run.channels) {
            channels.add(c.stats());
        }
        return new MetricsSnapshot(run.pipelineName, stages, channels, run.elapsedNanos());
    }

    @Override
    public List<StageMetrics> stages() {
        return stages;
    }

    @Override
    public List<ChannelStats> channels() {
        return channels;
    }

    @Override
    public Optional<StageMetrics> bottleneck() {
        return stages.stream()
                .filter(s -> s.busyNanos() > 0)
                .max(Comparator.comparingDouble(s -> (double) s.busyNanos() / s.workers()));
    }

    @Override
    public String report() {
        StringBuilder b = new StringBuilder();
        Optional<StageMetrics> slowest = bottleneck();
        b.append("pipeline '")
                .append(pipelineName)
                .append("', ")
                .append(String.format("%.1f", elapsedNanos / 1e6))
                .append(" ms\n");
        b.append(
                String.format(
                        "%-24s %7s %12s %12s %7s %12s %12s %12s%n",
                        "stage",
                        "workers",
                        "in",
                        "out",
                        "busy%",
                        "busy ms",
                        "blk-send ms",
                        "blk-recv ms"));
        for (StageMetrics s : stages) {
            boolean isBottleneck = slowest.isPresent() && slowest.get() == s;
            b.append(
                    String.format(
                            "%-24s %7d %12d %12d %6.1f%% %12.1f %12.1f %12.1f%s%n",
                            s.name(),
                            s.workers(),
                            s.itemsIn(),
                            s.itemsOut(),
                            100 * busyFraction(s),
                            s.busyNanos() / 1e6,
                            s.blockedSendingNanos() / 1e6,
                            s.blockedReceivingNanos() / 1e6,
                            isBottleneck ? "  <- bottleneck" : ""));
        }
        b.append(
                String.format(
                        "%-32s %9s %9s %10s %12s%n",
                        "channel", "capacity", "depth", "high-water", "sent"));
        for (ChannelStats c : channels) {
            b.append(
                    String.format(
                            "%-32s %9d %9d %10d %12d%n",
                            c.name(), c.capacity(), c.length(), c.highWaterMark(), c.sent()));
        }
        b.append(
                slowest.map(s -> "bottleneck: stage '" + s.name() + "'")
                        .orElse("bottleneck: none measured yet"));
        return b.toString();
    }

    /** Busy time over the workers' share of the run's wall time so far. */
    private double busyFraction(StageMetrics s) {
        return elapsedNanos <= 0 || s.workers() == 0
                ? 0
                : Math.min(1.0, (double) s.busyNanos() / ((double) s.workers() * elapsedNanos));
    }

    @Override
    public String toString() {
        return report();
    }
}
