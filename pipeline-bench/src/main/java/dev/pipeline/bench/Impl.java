package dev.pipeline.bench;

/** The channel or queue implementations compared, a JMH parameter ({@code abq}: the baseline). */
public enum Impl {
    /** pipeline's {@code Channel.bounded(capacity)} ({@code rendezvous()} for capacity 0). */
    pipeline,
    /** {@link java.util.concurrent.ArrayBlockingQueue} put/take: the baseline. */
    abq,
    /** jox {@code Channel.newBufferedChannel(capacity)} send/receive. */
    jox,
    /** JCTools Spsc/Mpsc/MpmcArrayQueue by topology, with {@link SpinParkQueue} waiting. */
    jctools,
    /** {@link java.util.concurrent.SynchronousQueue}: the JDK's rendezvous. */
    sq
}
