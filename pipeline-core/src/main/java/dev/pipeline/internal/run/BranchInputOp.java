package dev.pipeline.internal.run;

/**
 * The input of a fan-out branch: a placeholder that the fan-out stage binds to a channel of each
 * run ({@link StageContext#bind}), so that the branch's blueprint is built once and wired afresh
 * per run. {@link RunWiring} hands out the bound receiver in its place; it runs no thread.
 */
final class BranchInputOp extends Op {
    private final boolean tracked;

    BranchInputOp(boolean tracked) {
        this.tracked = tracked;
    }

    @Override
    protected boolean tracksItems() {
        return tracked; // the branch carries what the fan-out's input carries
    }

    @Override
    protected void build(StageContext ctx) {
        throw new AssertionError("bound by the fan-out stage, never built");
    }
}
