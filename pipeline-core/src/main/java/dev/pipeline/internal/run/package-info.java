/**
 * The pipeline runtime (not API): a blueprint of stages made into channels and threads.
 *
 * <p>{@link dev.pipeline.internal.run.Node} is one stage of a blueprint and {@link
 * dev.pipeline.internal.run.Op} what it does; {@link dev.pipeline.internal.run.RunWiring} wires a
 * blueprint into channels and threads, and {@link dev.pipeline.internal.run.RunLifecycle} owns one
 * run's start, failure, cancellation and end. The
 * runtime reaches the channel engine through {@link dev.pipeline.internal.channel.Engine} only.
 */
package dev.pipeline.internal.run;
