package dev.pipeline.kafka;

import dev.pipeline.kafka.MemberProcess.Processed;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the members of a group processed, against what the topic holds: records never processed
 * (lost), records processed more than once (duplicates), and whether a committed position covers
 * only processed records.
 *
 * <p>The tests' topics are written by a non-transactional producer and never compacted, so a
 * partition's records are exactly the offsets {@code 0 .. end - 1}.
 */
final class ScaleTally {

    private final Map<Long, Integer> times = new HashMap<>();
    /* the members that processed each record, in the order the processings were given */
    private final Map<Long, List<String>> by = new HashMap<>();
    private final Map<Integer, Long> ends = new HashMap<>();

    ScaleTally(Map<TopicPartition, Long> endOffsets, Collection<Processed> processed) {
        endOffsets.forEach((tp, end) -> ends.put(tp.partition(), end));
        for (Processed p : processed) {
            times.merge(p.key(), 1, Integer::sum);
            by.computeIfAbsent(p.key(), k -> new ArrayList<>(1)).add(p.member());
        }
    }

    /** Records of the topic no member processed. */
    long missing() {
        long missing = 0;
        for (Map.Entry<Integer, Long> e : ends.entrySet()) {
            for (long offset = 0; offset < e.getValue(); offset++) {
                if (!times.containsKey(key(e.getKey(), offset))) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /** Processings beyond the first of each record. */
    long duplicates() {
        long dups = 0;
        for (int n : times.values()) {
            dups += n - 1;
        }
        return dups;
    }

    /** The records processed more than once, as {@code partition:offset}. */
    List<String> duplicated() {
        List<String> out = new ArrayList<>();
        times.forEach(
                (k, n) -> {
                    if (n > 1) {
                        out.add(describe(k));
                    }
                });
        return out;
    }

    /**
     * The records processed more than once of which no processing was by {@code member}, as
     * {@code partition:offset [members]}: duplicates that {@code member} does not account for.
     */
    List<String> duplicatesWithout(String member) {
        List<String> out = new ArrayList<>();
        by.forEach(
                (k, members) -> {
                    if (members.size() > 1 && !members.contains(member)) {
                        out.add(describe(k) + " " + members);
                    }
                });
        return out;
    }

    /**
     * The records one member processed more than once, as {@code partition:offset [members]}: a
     * member that read a record again although it had kept its partition.
     */
    List<String> duplicatesWithinAMember() {
        List<String> out = new ArrayList<>();
        by.forEach(
                (k, members) -> {
                    if (members.size() > new HashSet<>(members).size()) {
                        out.add(describe(k) + " " + members);
                    }
                });
        return out;
    }

    private static String describe(long key) {
        return (key >>> 48) + ":" + (key & ((1L << 48) - 1));
    }

    /** Processings of records that are not in the topic at all (must be none). */
    long unknown() {
        long unknown = 0;
        for (Long k : times.keySet()) {
            int partition = (int) (k >>> 48);
            long offset = k & ((1L << 48) - 1);
            Long end = ends.get(partition);
            if (end == null || offset >= end) {
                unknown++;
            }
        }
        return unknown;
    }

    /**
     * The partitions whose committed position is past a record nobody processed: a commit of
     * work not done (must be none), as {@code partition=committed (first unprocessed offset)}.
     */
    List<String> committedBeyondProcessed(Map<TopicPartition, Long> committed) {
        List<String> out = new ArrayList<>();
        committed.forEach(
                (tp, position) -> {
                    for (long offset = 0; offset < position; offset++) {
                        if (!times.containsKey(key(tp.partition(), offset))) {
                            out.add(tp.partition() + "=" + position + " (" + offset + ")");
                            return;
                        }
                    }
                });
        return out;
    }

    /** The partitions some record of which {@code member} processed. */
    static Set<Integer> partitionsOf(String member, Collection<Processed> processed) {
        Set<Integer> out = new HashSet<>();
        for (Processed p : processed) {
            if (p.member().equals(member)) {
                out.add(p.partition());
            }
        }
        return out;
    }

    private static long key(int partition, long offset) {
        return ((long) partition << 48) | offset;
    }
}
