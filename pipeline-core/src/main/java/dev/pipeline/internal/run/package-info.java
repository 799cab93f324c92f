/**
 * The pipeline runtime (not API): a blueprint of stages made into channels and threads, and one
 * run's life from start to end.
 *
 * <p>{@link dev.pipeline.internal.run.Node} is one stage of a blueprint and {@link
 * dev.pipeline.internal.run.Op} what it does. {@link dev.pipeline.internal.run.RunWiring} wires a
 * blueprint into a run: a channel per edge (a single-producer single-consumer ring where one
 * runtime thread writes and one reads), a {@link dev.pipeline.internal.run.StageInfo} record per
 * stage, and each op built with its {@link dev.pipeline.internal.run.StageContext}, which spawns
 * the stage's threads unstarted. {@link dev.pipeline.internal.run.RunLifecycle} starts them and
 * owns the rest: each thread's teardown, the first failure, cancellation, the outcome and the end.
 * {@link dev.pipeline.internal.run.MetricsSnapshot} reads a run's metrics from its records and
 * channels.
 *
 * <p>The operators themselves live in {@code dev.pipeline.internal.run.op}, one class each (its
 * package comment says how to add one). The runtime reaches the channel engine through {@link
 * dev.pipeline.internal.channel.Engine} only (plus {@code WaitPolicy}, {@code Durations} and
 * {@code RunChannelClosedException}); the engine itself lives in {@code
 * dev.pipeline.internal.channel}.
 */
package dev.pipeline.internal.run;
