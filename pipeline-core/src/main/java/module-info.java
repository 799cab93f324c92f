/**
 * pipeline: concurrent in-process data pipelines built from typed, bounded channels.
 *
 * <p>{@code dev.pipeline.channel} holds the channels; {@code dev.pipeline} holds the pipeline DSL.
 * The {@code dev.pipeline.internal.*} packages (the channel engine and the pipeline runtime, see
 * docs/architecture.md) are implementation details and are not exported.
 */
module dev.pipeline {
    requires com.google.common;
    requires org.slf4j;

    exports dev.pipeline;
    exports dev.pipeline.channel;
}
