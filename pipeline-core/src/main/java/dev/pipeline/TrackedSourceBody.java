package dev.pipeline;

/**
 * The body of a {@linkplain Pipeline#generateTracked tracked source}: a plain loop, like a {@link
 * SourceBody}, whose sends carry a {@link Completion} the runtime calls when the item is done
 * downstream.
 *
 * <p>The runtime closes the sender when the body returns. When every downstream stage has stopped,
 * a blocking send throws {@link dev.pipeline.channel.ChannelClosedException}: let it propagate,
 * the source then stops quietly. When the run is cancelled, a blocked send throws {@link
 * InterruptedException}: let it propagate too. Any other exception fails the run.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface TrackedSourceBody<T> {
    /**
     * Sends the source's items, each with its completion.
     *
     * @param out where the items go; closed by the runtime when this method returns
     * @throws Exception any failure, which fails the run
     */
    void run(TrackedSender<T> out) throws Exception;
}
