package dev.pipeline.internal.run;

/**
 * Carries a failure that a stage received from a channel it does not share with another stage (a
 * user's channel), so that the run records it as this stage's failure instead of passing it on
 * ({@link RunLifecycle}). Thrown on the stage's own thread.
 */
public final class ForeignFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Wraps {@code cause}.
     *
     * @param cause the failure of the user's channel (or what the stage makes of it)
     */
    public ForeignFailure(Throwable cause) {
        super(cause);
    }
}
