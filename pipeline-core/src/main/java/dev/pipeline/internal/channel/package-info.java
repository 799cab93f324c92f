/**
 * The channel engine (not API; the module exports neither internal package): what {@link
 * dev.pipeline.channel.Channel}, its handles and {@link dev.pipeline.channel.Select} are made of.
 *
 * <p>{@link dev.pipeline.internal.channel.ChannelCore} holds what every flavour shares (handle
 * counting, closure, failure, the blocking paths, waking, counters); {@link
 * dev.pipeline.internal.channel.RingChannel} (bounded), {@link
 * dev.pipeline.internal.channel.SpscRingChannel} (bounded, one sending and one receiving thread:
 * the runtime's own edges), {@link dev.pipeline.internal.channel.RendezvousChannel} and {@link
 * dev.pipeline.internal.channel.UnboundedChannel} supply the non-blocking {@code offer}/{@code poll}
 * those paths are built on. Waiters queue on {@link dev.pipeline.internal.channel.WaitQueue}s; every
 * blocking path waits by the one {@link dev.pipeline.internal.channel.WaitPolicy}. {@link
 * dev.pipeline.internal.channel.SelectImpl} waits on several channels through the same queues.
 *
 * <p>The pipeline runtime ({@code dev.pipeline.internal.run}) uses this package through {@link
 * dev.pipeline.internal.channel.Engine} only (plus {@code WaitPolicy} for its own waits, {@code
 * Durations} and {@code RunChannelClosedException}).
 */
package dev.pipeline.internal.channel;
