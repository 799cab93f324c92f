package dev.pipeline.internal.run;

/**
 * Carries a failure that a stage received from a channel it does not share with another stage (a
 * user's channel), so that the run records it as this stage's failure instead of passing it on.
 */
final class ForeignFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ForeignFailure(Throwable cause) {
        super(cause);
    }
}
