package dev.pipeline.internal.run.op;

import dev.pipeline.StageFunction;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Node;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.PolicySpec;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;
import dev.pipeline.internal.run.ThreadKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fan-out and back: a router thread sends each input item to one branch (partition, by key) or to
 * every branch (broadcast); each branch is a sub-pipeline wired from a placeholder input; one
 * forwarding thread per branch merges the branches' outputs into the stage's output.
 *
 * <p>A branch that stops early (its receiver closes) is dropped by the router; when every branch
 * has stopped, the router stops too and so cancels upstream. The router is a coordinator thread;
 * the forwarding threads are the stage's workers.
 */
public final class FanOutOp extends Op {
    private final List<Node> heads;
    private final List<Node> tails;
    private final StageFunction<Object, Object> key; // null: broadcast

    private FanOutOp(List<Node> heads, List<Node> tails, StageFunction<Object, Object> key) {
        this.heads = List.copyOf(heads);
        this.tails = List.copyOf(tails);
        this.key = key;
    }

    /**
     * {@code broadcast}: every item to every branch, the branches merged.
     *
     * @param heads each branch's input placeholder ({@link Node#branchInput})
     * @param tails each branch's last node
     * @return the stage
     */
    public static Op broadcast(List<Node> heads, List<Node> tails) {
        return new FanOutOp(heads, tails, null);
    }

    /**
     * {@code partition}: items with the same key to the same branch, the branches merged.
     *
     * @param heads each branch's input placeholder ({@link Node#branchInput})
     * @param tails each branch's last node
     * @param key the key of an item
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op partition(List<Node> heads, List<Node> tails, StageFunction<?, ?> key) {
        return new FanOutOp(heads, tails, (StageFunction<Object, Object>) key);
    }

    @Override
    protected int workers() {
        return tails.size();
    }

    @Override
    protected void build(StageContext ctx) {
        Receiver<Object> in = ctx.input();
        List<Sender<Object>> branches = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            Channel<Object> ch = ctx.channel(".branch-" + i, ctx.capacity());
            branches.add(ch.sender());
            ctx.bind(heads.get(i), ch.receiver());
        }
        List<Receiver<Object>> tailOuts = new ArrayList<>();
        for (Node tail : tails) {
            tailOuts.add(ctx.wire(tail));
        }
        int n = branches.size();
        boolean[] gone = new boolean[n];
        RunLifecycle run = ctx.run();
        ItemWorker router =
                new ItemWorker(ctx, null, PolicySpec.failFast(), ItemWorker.Tracking.AS_IS) {
                    int live = n;

                    @Override
                    boolean onItem(Object item) throws Exception {
                        if (live < n && run.isStopping()) {
                            // a branch may be gone because the run is winding down, not because
                            // it needs no more items: route nothing more, and complete nothing
                            return false;
                        }
                        if (key == null) {
                            // a tracked item: one reference per branch that takes it, then the
                            // router gives up its own
                            Token token = item instanceof Envelope e ? e.token : null;
                            for (int i = 0; i < n; i++) {
                                if (!gone[i]) {
                                    if (token != null) {
                                        token.acquire();
                                    }
                                    if (!sendTo(i, item) && token != null) {
                                        dropped(token);
                                    }
                                }
                            }
                            if (token != null) {
                                token.release();
                            }
                        } else {
                            Object k = key.apply(Envelope.value(item));
                            int i = Math.floorMod(Objects.hashCode(k), n);
                            if ((gone[i] || !sendTo(i, item)) && item instanceof Envelope e) {
                                dropped(e.token);
                            }
                        }
                        return live > 0;
                    }

                    /**
                     * A branch that stopped early does not need the item: its reference is done.
                     * Unless the run is stopping: then the branch may have been torn down with
                     * the item unhandled, and nothing is done.
                     */
                    private void dropped(Token token) {
                        if (!run.isStopping()) {
                            token.release();
                        }
                    }

                    /** Whether branch {@code i} took the item (false: it stopped early). */
                    private boolean sendTo(int i, Object item) throws InterruptedException {
                        try {
                            branches.get(i).send(item);
                            return true;
                        } catch (ChannelClosedException e) {
                            if (e.isFailure()) {
                                throw e;
                            }
                            gone[i] = true; // this branch stopped early
                            live--;
                            return false;
                        }
                    }
                };
        ctx.spawn("route", ThreadKind.COORDINATOR, () -> router.run(in), List.of(in), branches);
        MergeOp.forward(ctx, tailOuts, ctx.output());
    }
}
