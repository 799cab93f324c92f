package dev.pipeline.internal;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

class LincheckSmokeTest {
    @Test
    void lincheckRunsOnThisJdk() {
        Lincheck.runConcurrentTest(
                200,
                () -> {
                    AtomicInteger n = new AtomicInteger();
                    Thread t1 = new Thread(n::incrementAndGet);
                    Thread t2 = new Thread(n::incrementAndGet);
                    t1.start();
                    t2.start();
                    try {
                        t1.join();
                        t2.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    if (n.get() != 2) {
                        throw new AssertionError(n.get());
                    }
                });
    }
}
