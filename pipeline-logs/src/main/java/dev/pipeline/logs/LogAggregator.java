package dev.pipeline.logs;

import dev.pipeline.PipelineException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The log aggregator's command line: reads log files of the formats it knows (detected per file),
 * writes one normalised stream {@code TIMESTAMP LEVEL [SOURCE] MESSAGE} (or JSON lines) and a
 * dead-letter file, and reports what happened to every line. See {@code docs/log-aggregator.md}.
 *
 * <pre>{@code
 * int status = LogAggregator.run(System.out, System.err,
 *         "--min-level", "WARN", "--out", "/tmp/aggregated", "app.log", "syslog");
 * }</pre>
 *
 * <p>Exit status: 0 when every input was read, 1 when one was missing or unreadable (the others
 * are still read, and the report names it) or the output cannot be written, 2 for a usage error.
 */
public final class LogAggregator {
    private LogAggregator() {}

    /**
     * Runs the command line and exits with its status; Ctrl-C (SIGINT) or SIGTERM ends the run as
     * {@link #runInterruptibly} says.
     *
     * @param args the options and files; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(runInterruptibly(System.out, System.err, args));
    }

    /**
     * Runs the command line like {@link #run}, and while it runs, makes Ctrl-C (SIGINT) and
     * SIGTERM end it well: the readers stop, every line read is still written and forced to disk,
     * the report is printed, and the JVM exits with the run's own status (0 when every input was
     * read) rather than the signal's. Blocks until the run ends; one run at a time per JVM.
     *
     * @param out progress and the report
     * @param err errors and the usage
     * @param args the options and files
     * @return the exit status, when no signal came
     */
    public static int runInterruptibly(PrintStream out, PrintStream err, String... args) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger status = new AtomicInteger(1);
        Thread hook =
                new Thread(
                        () -> {
                            stop.set(true);
                            try {
                                finished.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            out.flush();
                            err.flush();
                            // a signal's status would be 128 + its number: the run ended as
                            // asked, so the JVM exits with the run's own status instead
                            Runtime.getRuntime().halt(status.get());
                        },
                        "log-aggregator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            status.set(run(out, err, stop, args));
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs and exits with the status
            }
        }
        return status.get();
    }

    /**
     * Runs the command line in this JVM and returns its exit status; the output goes to {@code
     * out}, errors to {@code err}. Thread-safe (each call is its own run).
     *
     * @param out progress and the report
     * @param err errors and the usage
     * @param args the options and files
     * @return 0 every input read, 1 an input missing or unreadable or the output unwritable, 2 a
     *     usage error
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, new AtomicBoolean(), args);
    }

    static int run(PrintStream out, PrintStream err, AtomicBoolean stop, String... args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("log-aggregator: " + e.getMessage());
            err.print(Options.usage());
            return 2;
        }
        if (o.help()) {
            out.print(Options.usage());
            return 0;
        }
        try {
            Aggregation.Result r = Aggregation.run(o, out, stop);
            Report.print(out, o, r);
            return r.failed() ? 1 : 0;
        } catch (IOException e) {
            err.println("log-aggregator: cannot write the output: " + InputReader.describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("log-aggregator: interrupted");
            return 1;
        } catch (PipelineException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("log-aggregator: stage '" + e.stageName() + "' failed: " + cause);
            return 1;
        }
    }
}
