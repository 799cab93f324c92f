package dev.pipeline.bench;

/** The kind of thread a benchmark's stages run on, a JMH parameter (public for JMH's code). */
public enum ThreadKind {
    /** Platform threads (the default). */
    platform,
    /** Virtual threads. */
    virtual
}
