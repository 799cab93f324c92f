package dev.pipeline.examples;

import dev.pipeline.logs.LogAggregator;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Lists the examples and runs one by name: {@code list}, or {@code run NAME [ARGS]}.
 *
 * <pre>{@code
 * mvn -q -pl pipeline-examples -am compile exec:exec -Dexample=list
 * mvn -q -pl pipeline-examples -am compile exec:exec -Dexample=backpressure
 * mvn -q -pl pipeline-examples -am compile exec:exec -Dexample=log-aggregator -Dexample.args="--min-level WARN"
 * mvn -q -pl pipeline-examples -am compile exec:exec -Dexample=ship-logs -Dexample.args="--topic logs app.log"
 * }</pre>
 *
 * <p>{@code ship-logs} needs a Kafka broker (docs/kafka-logs.md); no other example does.
 */
public final class Examples {

    static final String LOG_AGGREGATOR =
            "reads logs of any known format, normalises, filters, batches, writes with fsync";

    /** Every example, in the order of the channels guide. */
    static final List<Example> ALL =
            List.of(
                    Example.of("hello", Hello.DESCRIPTION, Hello::run),
                    Example.of("stream", StreamOfValues.DESCRIPTION, StreamOfValues::run),
                    Example.of("producers", Producers.DESCRIPTION, Producers::run),
                    Example.of("backpressure", Backpressure.DESCRIPTION, Backpressure::run),
                    Example.of("errors", Errors.DESCRIPTION, Errors::run),
                    Example.of("polling", Polling.DESCRIPTION, Polling::run),
                    Example.of("squares", Squares.DESCRIPTION, Squares::run),
                    Example.of("commands", Commands.DESCRIPTION, Commands::run),
                    Example.of("workers", Workers.DESCRIPTION, Workers::run),
                    Example.of("shared-state", SharedState.DESCRIPTION, SharedState::run),
                    Example.of("select", SelectChannels.DESCRIPTION, SelectChannels::run),
                    new Example("log-aggregator", LOG_AGGREGATOR, LogAggregator::runInterruptibly),
                    Example.of("checksums", Checksums.DESCRIPTION, Checksums::run),
                    new Example("ship-logs", ShipLogs.DESCRIPTION, ShipLogs::run));

    private Examples() {}

    /**
     * Entry point; exits with 2 for a bad command line or an unknown example, 1 if the example
     * fails.
     *
     * @param args {@code list}, or {@code run NAME [ARGS]}
     */
    public static void main(String[] args) {
        int status = launch(System.out, System.err, args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command line; returns the exit status: 0 ok, 1 the example failed, 2 a bad command
     * line (an unknown example, or arguments it rejects with {@link IllegalArgumentException});
     * an example that is a program of its own (log-aggregator) returns its own status.
     */
    static int launch(PrintStream out, PrintStream err, String... args) {
        if (args.length == 1 && args[0].equals("list")) {
            list(out);
            return 0;
        }
        if (args.length >= 2 && args[0].equals("run")) {
            if (args[1].equals("list")) {
                list(out);
                return 0;
            }
            Optional<Example> example = find(args[1]);
            if (example.isEmpty()) {
                err.println("Unknown example '" + args[1] + "'. The examples are:");
                list(err);
                return 2;
            }
            try {
                return example.get()
                        .command()
                        .run(out, err, Arrays.copyOfRange(args, 2, args.length));
            } catch (IllegalArgumentException e) {
                err.println("Example '" + args[1] + "': " + e.getMessage());
                return 2;
            } catch (Exception e) {
                err.println("Example '" + args[1] + "' failed:");
                e.printStackTrace(err);
                return 1;
            }
        }
        err.println("Usage: Examples list | Examples run NAME [ARGS]");
        list(err);
        return 2;
    }

    static Optional<Example> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    private static void list(PrintStream out) {
        int width = ALL.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Example e : ALL) {
            out.printf("  %-" + width + "s  %s%n", e.name(), e.description());
        }
    }
}
