package dev.pipeline.internal.run;

import java.util.List;

/**
 * One stage of a pipeline blueprint: what it does ({@link Op}), its settings, and the nodes that
 * feed it. Immutable, so safe to share between threads; a blueprint is a tree of nodes, and a node
 * reached twice while a run is wired runs twice.
 */
public final class Node {
    /** The default output capacity of a stage. */
    public static final int DEFAULT_CAPACITY = 1024;

    final Op op;
    final String name;
    final int capacity;
    final PolicySpec policy;

    /** Whether {@link #policy} was set with {@link #withPolicy} (else it is the default). */
    private final boolean policySet;

    final Boolean virtual;
    final List<Node> inputs;

    /** Whether a tracked source feeds this stage, directly or not (ADR 19). */
    final boolean tracked;

    private Node(
            Op op,
            String name,
            int capacity,
            PolicySpec policy,
            boolean policySet,
            Boolean virtual,
            List<Node> inputs) {
        this.op = op;
        this.name = name;
        this.capacity = capacity;
        this.policy = policy;
        this.policySet = policySet;
        this.virtual = virtual;
        this.inputs = List.copyOf(inputs);
        boolean t = op.tracksItems();
        for (Node in : this.inputs) {
            t |= in.tracked;
        }
        this.tracked = t;
    }

    /**
     * A new node with default settings.
     *
     * @param op what the stage does
     * @param name the stage's name
     * @param inputs the nodes feeding it
     * @return the node
     */
    public static Node of(Op op, String name, List<Node> inputs) {
        return new Node(op, name, DEFAULT_CAPACITY, PolicySpec.failFast(), false, null, inputs);
    }

    /**
     * A new placeholder for the input of a fan-out branch: the fan-out stage binds it to a channel
     * of each run ({@link StageContext#bind}).
     *
     * @param name the placeholder's name
     * @param tracked whether the fan-out's input carries tracked items (then so does the branch)
     * @return the node
     */
    public static Node branchInput(String name, boolean tracked) {
        return Node.of(new BranchInputOp(tracked), name, List.of());
    }

    /** This node with another output capacity. */
    public Node withCapacity(int newCapacity) {
        return new Node(op, name, newCapacity, policy, policySet, virtual, inputs);
    }

    /**
     * This node with its error policy.
     *
     * @throws IllegalStateException if the node has one set already (a stage has one policy; a
     *     second would silently replace the first)
     */
    public Node withPolicy(PolicySpec newPolicy) {
        if (policySet) {
            throw new IllegalStateException(
                    "stage '"
                            + name
                            + "' has an error policy already ("
                            + policy
                            + "); set one policy per stage, combining them as in"
                            + " ErrorPolicy.retry(n, backoff).thenDeadLetter(sink)");
        }
        return new Node(op, name, capacity, newPolicy, true, virtual, inputs);
    }

    /** This node with its own thread kind. */
    public Node withVirtual(boolean newVirtual) {
        return new Node(op, name, capacity, policy, policySet, newVirtual, inputs);
    }

    /** The stage's name. */
    public String name() {
        return name;
    }

    /**
     * Whether a tracked source feeds this stage, so its items travel with completions ({@link
     * dev.pipeline.Pipeline#generateTracked}).
     */
    public boolean tracked() {
        return tracked;
    }

    /** Whether this stage is inside a fan-out branch: a branch's input placeholder feeds it. */
    public boolean insideBranch() {
        if (op instanceof BranchInputOp) {
            return true;
        }
        for (Node in : inputs) {
            if (in.insideBranch()) {
                return true;
            }
        }
        return false;
    }

    /** Whether an {@link dev.pipeline.ErrorPolicy} applies to this stage. */
    public boolean acceptsPolicy() {
        return op.acceptsPolicy();
    }

    /** Whether {@code target} is this node or feeds it, directly or not. */
    public boolean reaches(Node target) {
        if (this == target) {
            return true;
        }
        for (Node in : inputs) {
            if (in.reaches(target)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Node[" + name + "]";
    }
}
