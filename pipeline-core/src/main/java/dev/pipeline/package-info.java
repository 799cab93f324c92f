/**
 * The pipeline DSL: {@link dev.pipeline.Pipeline} wires sources, transforms and a terminal into
 * stages that run on their own threads, joined by bounded {@link dev.pipeline.channel.Channel}s.
 *
 * <p>Here: the blueprint ({@link dev.pipeline.Pipeline}), the checked-exception-friendly function
 * types the stages call ({@link dev.pipeline.StageFunction} and friends), the run handle ({@link
 * dev.pipeline.PipelineRun}), failures ({@link dev.pipeline.PipelineException}, {@link
 * dev.pipeline.ErrorPolicy}, {@link dev.pipeline.DeadLetter}) and insight ({@link
 * dev.pipeline.PipelineMetrics}, {@link dev.pipeline.StageMetrics}). Not here: the channels
 * ({@code dev.pipeline.channel}) and the runtime that runs the stages (an internal package).
 */
package dev.pipeline;
