package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * workers: four workers share one channel through receiver copies and split 20 jobs; each job goes
 * to exactly one worker, with no lock around the receiver (Rust needs {@code Mutex<Receiver>}).
 */
final class Workers {
    static final String DESCRIPTION =
            "four workers split 20 jobs through receiver copies, with no lock around the receiver";

    private Workers() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(4);
        ConcurrentMap<Integer, String> doneBy = new ConcurrentHashMap<>();
        AtomicIntegerArray perWorker = new AtomicIntegerArray(4);
        List<Thread> workers = new ArrayList<>();
        try (Receiver<Integer> rx = ch.receiver()) {
            for (int id = 0; id < 4; id++) {
                Receiver<Integer> mine = rx.copy(); // each copy takes items the others do not
                int me = id;
                workers.add(
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            try (mine) {
                                                for (int job : mine) {
                                                    out.println("worker-" + me + " got job " + job);
                                                    doneBy.put(job, "worker-" + me);
                                                    perWorker.incrementAndGet(me);
                                                    Thread.sleep(5); // the work
                                                }
                                            } catch (InterruptedException e) {
                                                Thread.currentThread().interrupt();
                                            }
                                        }));
            }
        }

        try (Sender<Integer> tx = ch.sender()) {
            for (int job = 0; job < 20; job++) {
                tx.send(job);
            }
        } // closing the sender ends every worker's loop once the jobs are taken
        for (Thread w : workers) {
            w.join();
        }

        int taken = 0;
        for (int id = 0; id < 4; id++) {
            out.println("  worker-" + id + ": " + perWorker.get(id) + " jobs");
            taken += perWorker.get(id);
        }
        out.println(taken + " jobs taken, " + doneBy.size() + " distinct: each job done once.");
    }
}
