package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Records the threads of the runs of a pipeline, to check that none is left alive. */
final class Threads implements Consumer<Thread> {
    final List<Thread> seen = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Thread t) {
        seen.add(t);
    }

    <T> Pipeline<T> watch(Pipeline<T> p) {
        return p.observeThreads(this);
    }

    void assertAllEnded() {
        assertThat(seen).as("threads of the run").isNotEmpty();
        assertThat(seen.stream().filter(Thread::isAlive).map(Thread::getName).toList())
                .as("threads still alive")
                .isEmpty();
    }
}
