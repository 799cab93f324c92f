/**
 * pipeline: concurrent in-process data pipelines built from typed, bounded channels.
 *
 * <p>{@code dev.pipeline.channel} holds the channels; {@code dev.pipeline} holds the pipeline DSL.
 * Everything in {@code dev.pipeline.internal} is an implementation detail and is not exported.
 */
module dev.pipeline {
    requires com.google.common;
    requires org.slf4j;

    exports dev.pipeline;
    exports dev.pipeline.channel;
}
