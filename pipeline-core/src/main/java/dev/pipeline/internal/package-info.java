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
 *
 * <p>Pipeline runtime: {@link dev.pipeline.internal.Node} is one stage of a blueprint and {@link
 * dev.pipeline.internal.Op} what it does (one package-private class per stage kind, made by {@link
 * dev.pipeline.internal.Stages}); {@link dev.pipeline.internal.RunState} wires a blueprint into
 * channels and threads and owns one run's lifecycle, failure and cancellation.
 */
package dev.pipeline.internal;
