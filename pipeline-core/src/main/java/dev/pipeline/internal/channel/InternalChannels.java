package dev.pipeline.internal.channel;

import dev.pipeline.channel.Channel;

/**
 * Channel kinds the runtime may create but the API does not offer: the bridge from this package to
 * {@link Channel}'s private constructor, which {@code Channel} installs when its class initializes
 * (the JDK's "shared secrets" pattern; this package is not exported).
 */
public final class InternalChannels {

    /** Creates channels on behalf of the runtime; implemented by {@link Channel}. */
    public interface Factory {
        /**
         * A bounded channel for one sending thread and one receiving thread ({@link
         * SpscRingChannel}), owned by a run: its two handles are not watched for leaks (see
         * {@link ChannelCore#newUnwatchedSender()}).
         *
         * @param capacity the capacity, at least 1
         * @param name the channel's name
         * @param <E> the item type
         * @return the channel, with one open sender and one open receiver
         */
        <E> Channel<E> singleProducerSingleConsumer(int capacity, String name);

        /**
         * A bounded channel ({@link Channel#bounded(int, String)}) owned by a run: its two
         * handles are not watched for leaks, since the run closes every handle it opens.
         *
         * @param capacity the capacity, at least 0
         * @param name the channel's name
         * @param <E> the item type
         * @return the channel, with one open sender and one open receiver
         */
        <E> Channel<E> runOwned(int capacity, String name);
    }

    private static volatile Factory factory;

    private InternalChannels() {}

    /**
     * Installs the factory; called once, by {@link Channel}'s static initializer.
     *
     * @param f the factory
     * @throws IllegalStateException if a factory is installed already
     */
    public static void install(Factory f) {
        synchronized (InternalChannels.class) {
            if (factory != null) {
                throw new IllegalStateException("channel factory already installed");
            }
            factory = f;
        }
    }

    /** A {@link Factory#singleProducerSingleConsumer} channel. */
    static <E> Channel<E> singleProducerSingleConsumer(int capacity, String name) {
        return factory().singleProducerSingleConsumer(capacity, name);
    }

    /** A {@link Factory#runOwned} channel. */
    static <E> Channel<E> runOwned(int capacity, String name) {
        return factory().runOwned(capacity, name);
    }

    private static Factory factory() {
        Factory f = factory;
        if (f == null) {
            try {
                Class.forName(Channel.class.getName(), true, Channel.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            f = factory;
        }
        return f;
    }
}
