package dev.pipeline;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

/**
 * A stage written as a plain receive/send loop over channels, added with {@link
 * Pipeline#through(String, CustomStage)}.
 *
 * <p>The runtime owns both handles: it closes {@code in} and {@code out} when {@link #run} returns
 * (or fails {@code out} if it throws). Returning early cancels upstream. A {@link
 * dev.pipeline.channel.ChannelClosedException} from {@code out.send} means downstream has stopped;
 * an {@link InterruptedException} means the run was cancelled: let both propagate.
 *
 * <pre>{@code
 * Pipeline<String> pairs = Pipeline.range(0, 10).through("pairs", (in, out) -> {
 *     for (Integer a : in) {
 *         out.send(a + "," + a);
 *     }
 * });
 * }</pre>
 *
 * @param <T> the input type
 * @param <R> the output type
 */
@FunctionalInterface
public interface CustomStage<T, R> {
    /**
     * Runs the stage until its input is drained or it chooses to stop.
     *
     * @param in the stage's input
     * @param out the stage's output
     * @throws Exception any failure, which fails the run
     */
    void run(Receiver<T> in, Sender<R> out) throws Exception;
}
