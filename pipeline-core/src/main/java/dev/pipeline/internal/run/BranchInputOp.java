package dev.pipeline.internal.run;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.util.List;

/**
 * The input of a fan-out branch: a placeholder that the fan-out stage binds to a channel of each
 * run, so that the branch's blueprint is built once and wired afresh per run.
 */
final class BranchInputOp extends Op {
    @Override
    void build(
            RunWiring run,
            StageInfo stage,
            Node node,
            List<Receiver<Object>> ins,
            Sender<Object> out) {
        throw new AssertionError("bound by the fan-out stage, never built");
    }
}
