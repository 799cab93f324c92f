package dev.pipeline;

import dev.pipeline.channel.Sender;

/**
 * The body of a {@link Pipeline#generate(SourceBody) generated} source: a plain loop that sends
 * items into {@code out} and returns when it has no more.
 *
 * <p>The runtime closes {@code out} when the body returns (do not keep it). When every downstream
 * stage has stopped (for example after {@link Pipeline#take(long)}), a send throws {@link
 * dev.pipeline.channel.ChannelClosedException}: let it propagate, the source then stops quietly.
 * When the run is cancelled, a blocked send throws {@link InterruptedException}: let it propagate
 * too. Any other exception fails the run.
 *
 * <pre>{@code
 * Pipeline<Integer> numbers = Pipeline.generate("numbers", out -> {
 *     for (int i = 0; i < 100; i++) {
 *         out.send(i);
 *     }
 * });
 * }</pre>
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface SourceBody<T> {
    /**
     * Sends the source's items.
     *
     * @param out where the items go; closed by the runtime when this method returns
     * @throws Exception any failure, which fails the run
     */
    void run(Sender<T> out) throws Exception;
}
