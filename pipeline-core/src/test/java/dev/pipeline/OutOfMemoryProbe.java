package dev.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * The child program of {@link OutOfMemoryTest}: a stage fills the heap until it runs out of memory
 * and keeps it full (in {@link #ballast}) while the run tears down; the main thread watches the run
 * end without allocating, then frees the heap and prints how the run ended. Exit 0 when it ended,
 * 1 when it hung.
 */
final class OutOfMemoryProbe {
    /** What the stage allocated, held until the run has ended. */
    static volatile List<Object> ballast;

    private OutOfMemoryProbe() {}

    /** Fills the heap until an allocation fails, keeping what was allocated. */
    static Object hog(Object item) {
        if (((Number) item).intValue() == 200) {
            List<Object> held = new ArrayList<>(1 << 20);
            ballast = held;
            int size = 1 << 20;
            while (true) {
                try {
                    held.add(new long[size]);
                } catch (OutOfMemoryError e) {
                    if (size <= 2) {
                        throw e;
                    }
                    size /= 2;
                }
            }
        }
        return item;
    }

    public static void main(String[] args) throws Exception {
        Threads threads = new Threads();
        Pipeline<Integer> endless =
                Pipeline.generate(
                        "endless",
                        out -> {
                            for (int i = 0; ; i++) {
                                out.send(i);
                            }
                        });
        PipelineRun<?> run =
                switch (args[0]) {
                    case "map" -> threads.watch(endless.map("hog", OutOfMemoryProbe::hog)).start();
                    case "mapParallel" ->
                            threads.watch(endless.mapParallel("hog", 3, OutOfMemoryProbe::hog))
                                    .start();
                    case "forEach" ->
                            threads.watch(endless.map("pass", x -> x))
                                    .start(
                                            java.util.stream.Collector.of(
                                                    () -> new Object[1],
                                                    (a, x) -> a[0] = OutOfMemoryProbe.hog(x),
                                                    (a, b) -> a));
                    case "source" ->
                            threads.watch(
                                            Pipeline.<Object>generate(
                                                            "hog",
                                                            out -> {
                                                                for (int i = 0; ; i++) {
                                                                    out.send(hog(i));
                                                                }
                                                            })
                                                    .map(x -> x))
                                    .start();
                    default -> throw new IllegalArgumentException(args[0]);
                };
        // wait for the end without allocating: isDone walks the run's threads
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!run.isDone() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        boolean done = run.isDone();
        ballast = null;
        System.gc();
        if (!done) {
            System.out.println("HUNG");
            for (Thread t : threads.seen) {
                System.out.println(t.getName() + " " + t.getState());
                for (StackTraceElement e : t.getStackTrace()) {
                    System.out.println("    at " + e);
                }
            }
            System.exit(1);
        }
        try {
            run.await();
            System.out.println("COMPLETED (no failure)");
        } catch (PipelineException e) {
            // the stage whose allocation failed: usually the hog, but with the heap full any
            // stage's allocation may be the one that fails first
            System.out.println(
                    "ENDED stage="
                            + e.stageName()
                            + " cause="
                            + e.getCause().getClass().getSimpleName());
        }
        long left = threads.seen.stream().filter(Thread::isAlive).count();
        System.out.println("THREADS LEFT " + left);
        System.exit(0);
    }
}
