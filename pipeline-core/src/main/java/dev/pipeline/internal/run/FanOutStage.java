package dev.pipeline.internal.run;

import dev.pipeline.StageFunction;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fan-out and back: a router thread sends each input item to one branch (partition, by key) or to
 * every branch (broadcast); each branch is a sub-pipeline wired from a placeholder input; one
 * forwarding thread per branch merges the branches' outputs into the stage's output.
 *
 * <p>A branch that stops early (its receiver closes) is dropped by the router; when every branch
 * has stopped, the router stops too and so cancels upstream.
 */
final class FanOutStage extends Op {
    private final List<Node> heads;
    private final List<Node> tails;
    private final StageFunction<Object, Object> key; // null: broadcast

    private FanOutStage(List<Node> heads, List<Node> tails, StageFunction<Object, Object> key) {
        this.heads = List.copyOf(heads);
        this.tails = List.copyOf(tails);
        this.key = key;
    }

    static Op broadcast(List<Node> heads, List<Node> tails) {
        return new FanOutStage(heads, tails, null);
    }

    static Op partition(List<Node> heads, List<Node> tails, StageFunction<Object, Object> key) {
        return new FanOutStage(heads, tails, key);
    }

    @Override
    int workers() {
        return tails.size();
    }

    @Override
    void build(
            RunWiring run,
            StageInfo stage,
            Node node,
            List<Receiver<Object>> ins,
            Sender<Object> out) {
        Receiver<Object> in = ins.get(0);
        List<Sender<Object>> branches = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            Channel<Object> ch = run.channel(stage.name + ".branch-" + i, node.capacity);
            branches.add(ch.sender());
            run.bind(heads.get(i), ch.receiver());
        }
        List<Receiver<Object>> tailOuts = new ArrayList<>();
        for (Node tail : tails) {
            tailOuts.add(run.wire(tail));
        }
        int n = branches.size();
        boolean[] gone = new boolean[n];
        ItemWorker router =
                new ItemWorker(stage, null, PolicySpec.failFast()) {
                    int live = n;

                    @Override
                    boolean onItem(Object item) throws Exception {
                        if (key == null) {
                            for (int i = 0; i < n; i++) {
                                if (!gone[i]) {
                                    sendTo(i, item);
                                }
                            }
                        } else {
                            int i = Math.floorMod(Objects.hashCode(key.apply(item)), n);
                            if (!gone[i]) {
                                sendTo(i, item);
                            }
                        }
                        return live > 0;
                    }

                    private void sendTo(int i, Object item) throws InterruptedException {
                        try {
                            branches.get(i).send(item);
                        } catch (ChannelClosedException e) {
                            if (e.isFailure()) {
                                throw e;
                            }
                            gone[i] = true; // this branch stopped early
                            live--;
                        }
                    }
                };
        run.spawn(stage, "route", false, () -> router.run(in), List.of(in), branches);
        Stages.forward(run, stage, tailOuts, out);
    }
}
