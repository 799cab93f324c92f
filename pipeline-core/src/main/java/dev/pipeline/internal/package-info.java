/**
 * Implementation of the channels and the pipeline runtime. Not exported by the module: nothing
 * here is API, and everything may change.
 *
 * <p>Channels: {@link dev.pipeline.internal.ChannelCore} holds what every flavour shares (handle
 * counting, closure, failure, waiting and waking, counters); {@link
 * dev.pipeline.internal.RingChannel} (bounded), {@link dev.pipeline.internal.RendezvousChannel} and
 * {@link dev.pipeline.internal.UnboundedChannel} supply the non-blocking {@code offer}/{@code poll}
 * that the shared blocking paths are built on. {@link dev.pipeline.internal.SelectImpl} waits on
 * several channels through the same wait queues.
 */
package dev.pipeline.internal;
