package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void nothingIsCommittableUntilTheFirstRecordIsDone() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.handOut(P0, 0);
        OffsetTracker.Ticket second = tracker.handOut(P0, 1);

        assertThat(tracker.done(second)).isTrue();

        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.inFlight(P0)).isEqualTo(2);
    }

    @Test
    void positionIsTheFirstRecordNotDoneWhateverTheOrderOfDone() {
        OffsetTracker tracker = new OffsetTracker();
        List<OffsetTracker.Ticket> t = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            t.add(tracker.handOut(P0, i));
        }
        tracker.done(t.get(4));
        tracker.done(t.get(2));
        assertThat(tracker.committable()).isEmpty();
        tracker.done(t.get(0));
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, 1L));
        tracker.done(t.get(1));
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, 3L));
        tracker.done(t.get(3));
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, 5L));
        assertThat(tracker.inFlight(P0)).isZero();
    }

    @Test
    void gapsOfACompactedTopicAreSkippedToTheNextHandedOutOffset() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket a = tracker.handOut(P0, 3);
        OffsetTracker.Ticket b = tracker.handOut(P0, 7);
        OffsetTracker.Ticket c = tracker.handOut(P0, 20);

        tracker.done(a);
        assertThat(tracker.committable()).containsEntry(P0, 7L);
        tracker.done(c);
        assertThat(tracker.committable()).containsEntry(P0, 7L);
        tracker.done(b);
        assertThat(tracker.committable()).containsEntry(P0, 21L);
        // all done, then a record after a gap: the position is that record's offset
        tracker.handOut(P0, 30);
        assertThat(tracker.committable()).containsEntry(P0, 30L);
    }

    @Test
    void partitionsAreIndependent() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket a = tracker.handOut(P0, 10);
        tracker.handOut(P1, 5);
        OffsetTracker.Ticket c = tracker.handOut(P1, 6);
        tracker.done(a);
        tracker.done(c);

        assertThat(tracker.committable()).isEqualTo(Map.of(P0, 11L));
    }

    @Test
    void doneTwiceCountsOnce() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket a = tracker.handOut(P0, 0);
        OffsetTracker.Ticket b = tracker.handOut(P0, 1);
        assertThat(tracker.done(b)).isTrue();
        assertThat(tracker.done(b)).isFalse();
        assertThat(tracker.done(a)).isTrue();
        assertThat(tracker.done(a)).isFalse();
        assertThat(tracker.committable()).containsEntry(P0, 2L);
    }

    @Test
    void revokeDropsThePartitionAndItsOldTicketsDoNothingAfterReassignment() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket old0 = tracker.handOut(P0, 0);
        OffsetTracker.Ticket old1 = tracker.handOut(P0, 1);
        OffsetTracker.Ticket other = tracker.handOut(P1, 0);
        tracker.done(old0);

        tracker.revoke(List.of(P0));
        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.inFlight(P0)).isZero();
        assertThat(tracker.done(old1)).isFalse();

        // assigned again, from the last committed offset
        OffsetTracker.Ticket new1 = tracker.handOut(P0, 1);
        assertThat(tracker.done(old1)).isFalse();
        assertThat(tracker.committable()).doesNotContainKey(P0);
        assertThat(tracker.done(new1)).isTrue();
        assertThat(tracker.done(other)).isTrue();
        assertThat(tracker.committable()).isEqualTo(Map.of(P0, 2L, P1, 1L));
    }

    @Test
    void revokeGivesThePositionsThePartitionsHadAndLaterDonesDoNotMoveThem() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket a = tracker.handOut(P0, 0);
        OffsetTracker.Ticket b = tracker.handOut(P0, 1);
        tracker.handOut(P1, 0);
        tracker.done(a);

        assertThat(tracker.revoke(List.of(P0, P1))).isEqualTo(Map.of(P0, 1L));
        assertThat(tracker.done(b)).isFalse();
        assertThat(tracker.revoke(List.of(P0))).isEmpty();
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void aRetractedHandOutIsNotTrackedAndMayBeHandedOutAgain() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket a = tracker.handOut(P0, 4);
        OffsetTracker.Ticket b = tracker.handOut(P0, 5);
        tracker.retract(b);
        assertThat(tracker.inFlight(P0)).isEqualTo(1);
        tracker.done(a);
        assertThat(tracker.committable()).containsEntry(P0, 5L);
        assertThat(tracker.inFlight(P0)).isZero();

        OffsetTracker.Ticket again = tracker.handOut(P0, 5);
        assertThat(tracker.committable()).containsEntry(P0, 5L);
        assertThat(tracker.done(again)).isTrue();
        assertThat(tracker.committable()).containsEntry(P0, 6L);
        // only the latest hand-out not done can be taken back
        OffsetTracker.Ticket c = tracker.handOut(P0, 6);
        tracker.handOut(P0, 7);
        assertThatThrownBy(() -> tracker.retract(c)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRetractAfterAGapKeepsAPositionThatPassesNoRecord() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.done(tracker.handOut(P0, 0));
        OffsetTracker.Ticket afterGap = tracker.handOut(P0, 9);
        tracker.retract(afterGap);
        // 1 to 8 do not exist; 9 is not done: the position is at most 9
        assertThat(tracker.committable().get(P0)).isBetween(1L, 9L);
        tracker.done(tracker.handOut(P0, 9));
        assertThat(tracker.committable()).containsEntry(P0, 10L);
    }

    @Test
    void awaitCompletionWakesOnADoneFromAnotherThread() throws Exception {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket t = tracker.handOut(P0, 0);
        Thread marker =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                            tracker.done(t);
                        });
        long t0 = System.nanoTime();
        marker.start();
        while (tracker.inFlight() > 0) {
            tracker.awaitCompletion(java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
        }
        marker.join();
        assertThat(System.nanoTime() - t0)
                .isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
        assertThat(tracker.completions()).isEqualTo(1);
    }

    @Test
    void handOutRefusesOffsetsThatDoNotIncrease() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.handOut(P0, 5);
        assertThatThrownBy(() -> tracker.handOut(P0, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 5 of t-0 handed out after 5");
        assertThatThrownBy(() -> tracker.handOut(P0, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Random hand-outs (with gaps), dones and revokes against a plain model, one thread. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void agreesWithASimpleModelOnRandomHistories(long seed) {
        Random rnd = new Random(seed);
        OffsetTracker tracker = new OffsetTracker();
        List<TopicPartition> parts = List.of(P0, P1, new TopicPartition("u", 0));
        Map<TopicPartition, Model> models = new HashMap<>();
        Map<TopicPartition, Long> nextOffset = new HashMap<>();
        List<OffsetTracker.Ticket> open = new ArrayList<>();
        Map<OffsetTracker.Ticket, Model> ticketModel = new IdentityHashMap<>();
        for (int step = 0; step < 5_000; step++) {
            TopicPartition tp = parts.get(rnd.nextInt(parts.size()));
            int action = rnd.nextInt(100);
            if (action < 45) {
                long offset = nextOffset.getOrDefault(tp, 0L);
                OffsetTracker.Ticket t = tracker.handOut(tp, offset);
                Model m = models.computeIfAbsent(tp, k -> new Model());
                m.handed.add(offset);
                open.add(t);
                ticketModel.put(t, m);
                // gaps: a compacted topic, transaction markers
                nextOffset.put(tp, offset + 1 + (rnd.nextInt(5) == 0 ? rnd.nextInt(4) : 0));
            } else if (action < 97 && !open.isEmpty()) {
                OffsetTracker.Ticket t = open.remove(rnd.nextInt(open.size()));
                Model m = ticketModel.get(t);
                boolean live = !m.revoked && !m.done.contains(t.offset());
                assertThat(tracker.done(t)).isEqualTo(live);
                if (live) {
                    m.done.add(t.offset());
                }
            } else if (action >= 97) {
                tracker.revoke(List.of(tp));
                Model m = models.remove(tp);
                if (m != null) {
                    m.revoked = true;
                }
            }
            Map<TopicPartition, Long> expected = new HashMap<>();
            models.forEach(
                    (p, m) -> {
                        Long pos = m.position();
                        if (pos != null) {
                            expected.put(p, pos);
                        }
                    });
            assertThat(tracker.committable()).as("step %s", step).isEqualTo(expected);
        }
    }

    /** The plain model: every handed-out offset and every done one of a partition's assignment. */
    private static final class Model {
        final TreeSet<Long> handed = new TreeSet<>();
        final Set<Long> done = new HashSet<>();
        boolean revoked;

        /** The first handed-out offset not done, or last + 1; null while the first is not done. */
        Long position() {
            if (handed.isEmpty() || !done.contains(handed.first())) {
                return null;
            }
            for (long h : handed) {
                if (!done.contains(h)) {
                    return h;
                }
            }
            return handed.last() + 1;
        }
    }

    /**
     * Many threads mark records done in random orders while another reads committable(): every
     * position read is one below which every record was done, and at the end each partition's
     * position is its last offset + 1.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void concurrentDonesNeverMakeAnUndoneRecordCommittable(long seed) throws Exception {
        Random rnd = new Random(seed);
        OffsetTracker tracker = new OffsetTracker();
        List<TopicPartition> parts = List.of(P0, P1);
        Map<TopicPartition, TreeMap<Long, Boolean>> handed = new HashMap<>();
        List<OffsetTracker.Ticket> tickets = new ArrayList<>();
        for (TopicPartition tp : parts) {
            TreeMap<Long, Boolean> offsets = new TreeMap<>();
            long offset = rnd.nextInt(100);
            for (int i = 0; i < 20_000; i++) {
                tickets.add(tracker.handOut(tp, offset));
                offsets.put(offset, true);
                offset += 1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(3) : 0);
            }
            handed.put(tp, offsets);
        }
        Collections.shuffle(tickets, rnd);
        Map<TopicPartition, Set<Long>> doneBeforeCall = new HashMap<>();
        Map<TopicPartition, Long> checkedUpTo = new HashMap<>();
        for (TopicPartition tp : parts) {
            doneBeforeCall.put(tp, ConcurrentHashMap.newKeySet());
            checkedUpTo.put(tp, -1L);
        }
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            List<OffsetTracker.Ticket> mine =
                    tickets.subList(
                            w * tickets.size() / threads, (w + 1) * tickets.size() / threads);
            workers.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try {
                                            start.await();
                                            for (OffsetTracker.Ticket t : mine) {
                                                doneBeforeCall.get(t.partition()).add(t.offset());
                                                if (!tracker.done(t)) {
                                                    throw new AssertionError(
                                                            "not marked: " + t.offset());
                                                }
                                            }
                                        } catch (Throwable e) {
                                            failures.add(e);
                                        }
                                    }));
        }
        start.countDown();
        boolean running = true;
        while (running) {
            running = workers.stream().anyMatch(Thread::isAlive);
            tracker.committable()
                    .forEach(
                            (tp, position) -> {
                                // positions only grow: check each offset once
                                long from = checkedUpTo.get(tp);
                                for (long offset :
                                        handed.get(tp)
                                                .subMap(from, false, position, false)
                                                .keySet()) {
                                    if (!doneBeforeCall.get(tp).contains(offset)) {
                                        failures.add(
                                                new AssertionError(
                                                        tp + "@" + offset + " below " + position));
                                        return;
                                    }
                                }
                                checkedUpTo.put(tp, Math.max(from, position - 1));
                            });
        }
        for (Thread t : workers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        for (TopicPartition tp : parts) {
            assertThat(tracker.committable()).containsEntry(tp, handed.get(tp).lastKey() + 1);
            assertThat(tracker.inFlight(tp)).isZero();
        }
    }
}
