package dev.pipeline;

/**
 * The failure of a pipeline run: names the stage that failed first and carries its exception as
 * the cause. Failures of other stages during the same run are {@linkplain #getSuppressed()
 * suppressed}.
 */
public final class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String stageName;

    PipelineException(String pipelineName, String stageName, Throwable cause) {
        super(
                "stage '" + stageName + "' of pipeline '" + pipelineName + "' failed: " + cause,
                cause);
        this.stageName = stageName;
    }

    /** The name of the stage that failed first. */
    public String stageName() {
        return stageName;
    }
}
