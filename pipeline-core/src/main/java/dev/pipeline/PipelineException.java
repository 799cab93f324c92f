package dev.pipeline;

import java.util.List;

/**
 * The failure of a pipeline run: names the stage that failed first and carries its exception as
 * the cause. Failures of other stages during the same run are {@linkplain #getSuppressed()
 * suppressed}.
 */
public final class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String stageName;

    PipelineException(
            String pipelineName, String stageName, Throwable cause, List<Throwable> later) {
        super(
                "stage '" + stageName + "' of pipeline '" + pipelineName + "' failed: " + cause,
                cause);
        this.stageName = stageName;
        for (Throwable t : later) {
            addSuppressed(t);
        }
    }

    /**
     * The name of the stage that failed first.
     *
     * @return the stage's name
     */
    public String stageName() {
        return stageName;
    }
}
