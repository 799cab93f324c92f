package dev.pipeline.internal.run;

import dev.pipeline.PipelineMetrics;
import dev.pipeline.StageMetrics;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a run's metrics, taken from its stages' records ({@link StageInfo}) and its
 * channels' counters at one moment, with the report and bottleneck computed from them. Immutable
 * once taken, so safe to share; taking one while the run goes on is safe (each counter is read
 * once).
 */
final class MetricsSnapshot implements PipelineMetrics {
    private final String pipelineName;
    private final List<StageMetrics> stages;
    private final List<ChannelStats> channels;
    private final long elapsedNanos;

    /** Stage name to the name of its dead-letter channel, for the stages that have one. */
    private final Map<String, String> deadLetterChannels;

    private MetricsSnapshot(
            String pipelineName,
            List<StageMetrics> stages,
            List<ChannelStats> channels,
            long elapsedNanos,
            Map<String, String> deadLetterChannels) {
        this.pipelineName = pipelineName;
        this.elapsedNanos = elapsedNanos;
        this.stages = List.copyOf(stages);
        this.channels = List.copyOf(channels);
        this.deadLetterChannels = Map.copyOf(deadLetterChannels);
    }

    static MetricsSnapshot of(RunWiring run) {
        List<StageMetrics> stages = new ArrayList<>();
        Map<String, String> deadLetterChannels = new HashMap<>();
        for (StageInfo s : run.stages) {
            stages.add(s.metrics());
            String dl = s.deadLetterChannel();
            if (dl != null) {
                deadLetterChannels.put(s.name, dl);
            }
        }
        List<ChannelStats> channels = new ArrayList<>();
        for (Channel<?> c : run.channels) {
            channels.add(c.stats());
        }
        return new MetricsSnapshot(
                run.pipelineName,
                stages,
                channels,
                run.lifecycle.elapsedNanos(),
                deadLetterChannels);
    }

    @Override
    public List<StageMetrics> stages() {
        return stages;
    }

    @Override
    public List<ChannelStats> channels() {
        return channels;
    }

    /**
     * A stage blocked on its dead-letter channel right now holds back the whole run, whatever its
     * busy time: the one that has waited longest there is the bottleneck. Otherwise the busiest
     * stage per worker, counting the time it waited to hand off its dead letters (its own work of
     * delivering them, slowed by whoever drains them).
     */
    @Override
    public Optional<StageMetrics> bottleneck() {
        Optional<StageMetrics> stuck =
                stages.stream()
                        .filter(StageMetrics::blockedOnDeadLetter)
                        .max(Comparator.comparingLong(StageMetrics::blockedDeadLetterNanos));
        if (stuck.isPresent()) {
            return stuck;
        }
        return stages.stream()
                .filter(s -> s.busyNanos() + s.blockedDeadLetterNanos() > 0)
                .max(
                        Comparator.comparingDouble(
                                s ->
                                        (double) (s.busyNanos() + s.blockedDeadLetterNanos())
                                                / Math.max(1, s.workers())));
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
        for (StageMetrics s : stages) {
            if (!s.status().isEmpty()) {
                b.append("status: stage '").append(s.name()).append("': ");
                b.append(s.status()).append('\n');
            }
        }
        appendDeadLetters(b);
        b.append(
                slowest.map(
                                s ->
                                        "bottleneck: stage '"
                                                + s.name()
                                                + "'"
                                                + (s.blockedOnDeadLetter()
                                                        ? ", blocked on its dead-letter channel '"
                                                                + deadLetterChannels.get(s.name())
                                                                + "'"
                                                        : ""))
                        .orElse("bottleneck: none measured yet"));
        return b.toString();
    }

    /**
     * One line per stage with a dead-letter channel: the time it waited for room there, and
     * whether it waits right now (a full channel nobody drains holds back the whole run).
     */
    private void appendDeadLetters(StringBuilder b) {
        for (StageMetrics s : stages) {
            String channel = deadLetterChannels.get(s.name());
            if (channel == null) {
                continue;
            }
            b.append(
                    String.format(
                            "dead letters: stage '%s' waited %.1f ms for room in '%s'%s%n",
                            s.name(),
                            s.blockedDeadLetterNanos() / 1e6,
                            channel,
                            s.blockedOnDeadLetter()
                                    ? "; stage '"
                                            + s.name()
                                            + "' is blocked on its dead-letter channel '"
                                            + channel
                                            + "' (full: drain it or make it larger)"
                                    : ""));
        }
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
