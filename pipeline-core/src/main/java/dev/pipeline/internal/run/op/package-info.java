/**
 * The operators (not API): one class per stage kind, or per tight family, each holding the whole
 * behaviour of its stage, named after the {@link dev.pipeline.Pipeline} method that adds it ({@code
 * map} is {@link dev.pipeline.internal.run.op.MapOp}, {@code mapParallel} {@link
 * dev.pipeline.internal.run.op.MapParallelOp}, the terminal {@code count} {@link
 * dev.pipeline.internal.run.op.CountOp}). Each has a public static factory that {@code Pipeline}
 * calls; everything else is package-private.
 *
 * <p>Shared here: {@link dev.pipeline.internal.run.op.ItemWorker}, the loop of a thread that
 * handles items one at a time (chunked takes, buffered sends, the error policy per item), and
 * {@link dev.pipeline.internal.run.op.ItemOp}, the base of every one-thread item stage (it spawns
 * the thread; a subclass only makes its worker). {@link
 * dev.pipeline.internal.run.op.MergeOp#forward} forwards several inputs into one output; {@link
 * dev.pipeline.internal.run.StageContext#copies} gives one handle per thread. What the runtime does
 * around an operator (wiring, threads' start and teardown, failure and cancellation) lives in
 * {@code dev.pipeline.internal.run}, not here.
 *
 * <h2>To add an operator</h2>
 *
 * <ol>
 *   <li><b>One class like {@link dev.pipeline.internal.run.op.FilterOp}</b>: {@code public final
 *       class XOp extends ItemOp} with a private constructor taking the user's function, a {@code
 *       public static Op of(...)} factory (the one unchecked cast to {@code Object} types is
 *       there), {@code acceptsPolicy()} returning true if it calls a user function per item (so
 *       {@code onError} applies), and {@code worker(StageContext)} returning an {@code ItemWorker}
 *       whose {@code onItem} calls {@code emit} for each output and returns false to stop early.
 *       A stage with its own loop extends {@link dev.pipeline.internal.run.Op} and spawns its
 *       threads in {@code build} instead: one thread as {@link
 *       dev.pipeline.internal.run.op.TakeOp} or {@link dev.pipeline.internal.run.op.BatchOp}, N
 *       workers as {@link dev.pipeline.internal.run.op.MapParallelUnorderedOp}. Per-run state goes
 *       in the worker, never in the op (a blueprint runs many times, and concurrently).
 *   <li><b>Tracked items</b> (ADR 19): behind a tracked source, items travel in envelopes with a
 *       completion token. A worker that calls user code keeps the default ({@code
 *       ItemWorker.Tracking.UNWRAP}: it gets values, {@code emit} wraps outputs, the item is
 *       released after {@code onItem}); one that only moves items passes {@code Tracking.AS_IS}
 *       and releases any item it drops ({@link dev.pipeline.internal.run.op.DropOp}). A stage with
 *       its own loop must do the same by hand ({@link dev.pipeline.internal.run.op.BatchOp});
 *       add it to {@code TrackedSourceTest}'s shapes.
 *   <li><b>One factory line in {@code Pipeline}</b>, with its javadoc and its unnamed overload:
 *       {@code return stage(name, XOp.of(requireNonNull(fn, "fn")));} ({@code stage} for an
 *       operator with a per-item function, so that {@code onError} is offered; {@code then}
 *       otherwise). Check arguments there, with messages that show the bad value.
 *   <li><b>One test like {@code OperatorsTest.filterKeepsMatchingItems}</b> for what the operator
 *       does, and one like {@code RunEndsTest} if it stops early or waits on something of its own.
 *       {@code NewOperatorTest} (in this package's tests) runs an operator through the runtime
 *       alone, before it has a {@code Pipeline} method.
 * </ol>
 */
package dev.pipeline.internal.run.op;
