package dev.pipeline;

/**
 * A terminal stage that may finish items after its call returns: it writes each item somewhere
 * (a Kafka topic, a database batch) and acknowledges it when that write is durable. Run with {@link
 * Pipeline#drainTo(String, Sink)} or {@link Pipeline#start(String, Sink)}.
 *
 * <p>The acknowledgement is what a {@linkplain Pipeline#generateTracked tracked source} waits for:
 * the source's item is {@linkplain Completion done} once every item derived from it was
 * acknowledged ({@link Ack#done()}), so a Kafka source commits an input offset only after the
 * records produced from it are acknowledged by the broker. In a pipeline without a tracked source
 * the acknowledgements still report failures and are otherwise free.
 *
 * <p>Each run {@linkplain #open() opens} its own {@link Writer} on the terminal's thread; the
 * writer is then used by that thread only, except its {@link Ack}s, which any thread may call.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface Sink<T> {

    /**
     * Opens this sink for one run; called once per run, on the terminal's thread, before the first
     * item. An exception fails the run.
     *
     * @return the run's writer
     * @throws Exception if the sink cannot be opened
     */
    Writer<T> open() throws Exception;

    /**
     * One run's side of a {@link Sink}.
     *
     * @param <T> the item type
     */
    interface Writer<T> {

        /**
         * Writes one item, and arranges for {@code ack} to be told when the write is durable, or
         * failed. Called on the terminal's thread. An exception thrown here goes through the
         * stage's error policy, like a {@code forEach} action's, and the item's {@code ack} is then
         * void.
         *
         * @param item the item
         * @param ack to call once, from any thread, when the item is durably written or failed
         * @throws Exception if the write fails at once
         */
        void write(T item, Ack ack) throws Exception;

        /**
         * Called once when the input is drained, before {@link #close()}: waits until every item
         * written so far is acknowledged or failed. Failures reported meanwhile are handled after
         * it returns.
         *
         * @throws Exception if waiting fails, which fails the run
         */
        default void flush() throws Exception {}

        /**
         * Releases the writer; always called last, also when the run failed or was cancelled (it
         * need not wait for items in flight then).
         *
         * @throws Exception if closing fails, which fails a run that had not failed yet
         */
        void close() throws Exception;
    }

    /**
     * The acknowledgement of one written item. Thread-safe; the first call wins and later calls
     * are ignored.
     */
    interface Ack {

        /** The item is durably written: it (and the source item it came from) may complete. */
        void done();

        /**
         * The write failed: the stage's error policy decides. By default the run fails with
         * {@code error} at once; under a skipping policy the item is done at once; under a
         * dead-letter policy the terminal's thread sends the dead letter before the next item is
         * written (or once the input is drained), and the item is done then. Asynchronous
         * failures are not retried by the runtime (a client that writes asynchronously, such as
         * Kafka's producer, retries on its own).
         *
         * @param error why the write failed
         */
        void failed(Exception error);
    }
}
