package dev.pipeline.kafka;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Polling waits for the scale-out tests: a condition on a broker, files or counters. */
final class ScaleAwait {

    private ScaleAwait() {}

    /** A condition to wait for; it may read files or ask the broker. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** What to say about the state of things when a wait times out. */
    @FunctionalInterface
    interface Details {
        String describe() throws Exception;
    }

    /** Polls {@code check} every 100 ms until it holds, or throws after {@code timeout}. */
    static void until(Duration timeout, String what, Check check) throws Exception {
        until(timeout, what, check, () -> "");
    }

    /**
     * Polls {@code check} every 100 ms until it holds; after {@code timeout} throws a {@link
     * TimeoutException} saying {@code what} and {@code details}.
     */
    static void until(Duration timeout, String what, Check check, Details details)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        "not " + what + " after " + timeout + "; " + details.describe());
            }
            Thread.sleep(100);
        }
    }
}
