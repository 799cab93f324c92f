package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.kafka.MemberProcess.Processed;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Three members of one group, each a {@link MemberMain} in its own JVM, share a topic; one is
 * killed with {@code SIGKILL} mid-run. The other two take its partitions, every record is processed
 * at least once, and the records processed twice are at most the killed member's uncommitted
 * window: the records it processed at or past the last position it committed (from its commit
 * log) of each partition.
 */
@ExtendWith(KafkaBroker.class)
class CrashedMemberTest {

    private static final String TOPIC = "crash-in";
    private static final String GROUP = "crash";
    private static final int PARTITIONS = 6;
    private static final int RECORDS = 18_000;

    /** Per record: about 1,000 records/s per member. */
    private static final long WORK_MICROS = 1_000;

    @Test
    @Timeout(150)
    void theSurvivorsTakeOverAndDuplicatesStayWithinTheKilledMembersUncommittedWindow(
            InProcessBroker broker, @TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        String bootstrap = broker.bootstrapServers();
        KafkaTestClients.createTopic(bootstrap, TOPIC, PARTITIONS);
        KafkaTestClients.produceStrings(
                bootstrap, TOPIC, IntStream.range(0, RECORDS).mapToObj(i -> "r" + i).toList());
        Map<TopicPartition, Long> ends = KafkaTestClients.endOffsets(bootstrap, TOPIC);

        List<MemberProcess> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(
                        MemberProcess.start(dir, "m" + i, bootstrap, GROUP, TOPIC, WORK_MICROS));
            }
            // every member has partitions and has worked on them a while
            ScaleAwait.until(
                    Duration.ofSeconds(60),
                    "every member processing",
                    () -> {
                        for (MemberProcess m : members) {
                            // and has committed: its window at the kill is then a part of
                            // what it did, not all of it
                            if (m.processed().size() < 500 || m.lastCommits().isEmpty()) {
                                return false;
                            }
                        }
                        return true;
                    },
                    () -> describe(members));
            MemberProcess victim = members.get(0);
            System.out.println("crash: the group before the kill: " + assignment(bootstrap));
            List<Processed> before = all(members);
            for (MemberProcess m : members) {
                System.out.printf(
                        "crash: before the kill %s processed %d of partitions %s, committed %s%n",
                        m.name(),
                        count(before, m),
                        ScaleTally.partitionsOf(m.name(), before),
                        m.lastCommits());
            }
            assertThat(new ScaleTally(ends, before).missing())
                    .as("still to do at the kill")
                    .isPositive();

            victim.kill();
            // a commit it sent just before dying has landed by then; nobody else commits its
            // partitions before its session (6 s) times out
            Thread.sleep(1_000);

            // what the group had committed when the victim died
            Map<TopicPartition, Long> committedAtKill =
                    KafkaTestClients.committedOffsets(bootstrap, GROUP);
            List<Processed> victimDone = victim.processed();
            Map<Integer, Long> victimCommits = victim.lastCommits();
            // its uncommitted window: what it processed at or past its last commit of the
            // partition, by its own log (which lags its commits, so the window is if anything
            // too large), and by the group's committed offsets read just after the kill (exact:
            // nobody else commits its partitions until its session times out)
            long window = 0;
            long exactWindow = 0;
            for (Processed p : victimDone) {
                if (p.offset() >= victimCommits.getOrDefault(p.partition(), 0L)) {
                    window++;
                }
                if (p.offset()
                        >= committedAtKill.getOrDefault(
                                new TopicPartition(TOPIC, p.partition()), 0L)) {
                    exactWindow++;
                }
            }
            System.out.printf(
                    "crash: %s killed after %d records; its partitions %s; its last commits %s;"
                            + " the group's commits then %s; uncommitted window %d by its commit"
                            + " log, %d by the group's commits%n",
                    victim.name(),
                    victimDone.size(),
                    ScaleTally.partitionsOf(victim.name(), victimDone),
                    victimCommits,
                    committedAtKill,
                    window,
                    exactWindow);

            List<MemberProcess> survivors = members.subList(1, members.size());
            ScaleAwait.until(
                    Duration.ofSeconds(90),
                    "every record processed and committed",
                    () ->
                            new ScaleTally(ends, all(members)).missing() == 0
                                    && KafkaTestClients.committedOffsets(bootstrap, GROUP)
                                            .equals(ends),
                    () ->
                            "committed "
                                    + KafkaTestClients.committedOffsets(bootstrap, GROUP)
                                    + ", ends "
                                    + ends
                                    + describe(members));

            List<Processed> processed = all(members);
            ScaleTally tally = new ScaleTally(ends, processed);
            System.out.printf(
                    "crash: %d records, %d processings, %d duplicates (window %d) %s; survivors"
                            + " processed %d after the kill; %d ms%n",
                    RECORDS,
                    processed.size(),
                    tally.duplicates(),
                    window,
                    tally.duplicated().size() > 20
                            ? tally.duplicated().subList(0, 20) + "..."
                            : tally.duplicated(),
                    processed.size() - before.size() - (victimDone.size() - count(before, victim)),
                    (System.nanoTime() - t0) / 1_000_000);

            assertThat(tally.missing()).as("records never processed").isZero();
            assertThat(tally.unknown()).isZero();
            assertThat(tally.duplicates())
                    .as("duplicates against the killed member's uncommitted window")
                    .isLessThanOrEqualTo(window);
            // and they are its records: the survivors read again exactly what it had not committed
            assertThat(tally.duplicatesWithout(victim.name())).isEmpty();
            assertThat(tally.duplicates()).isEqualTo(exactWindow);
            // the killed member's partitions went on without it
            for (int partition : ScaleTally.partitionsOf(victim.name(), victimDone)) {
                long last = ends.get(new TopicPartition(TOPIC, partition)) - 1;
                assertThat(
                                processed.stream()
                                        .anyMatch(
                                                p ->
                                                        p.partition() == partition
                                                                && p.offset() == last
                                                                && !p.member()
                                                                        .equals(victim.name())))
                        .as("partition %d finished by a survivor", partition)
                        .isTrue();
            }
            Map<TopicPartition, Long> committed =
                    KafkaTestClients.committedOffsets(bootstrap, GROUP);
            assertThat(committed).isEqualTo(ends);
            assertThat(tally.committedBeyondProcessed(committedAtKill)).isEmpty();

            for (MemberProcess m : survivors) {
                m.stop();
            }
            assertThat(KafkaTestClients.groupMembers(bootstrap, GROUP)).isZero();
        } finally {
            for (MemberProcess m : members) {
                m.close();
            }
        }
    }

    private static long count(List<Processed> processed, MemberProcess member) {
        return processed.stream().filter(p -> p.member().equals(member.name())).count();
    }

    static List<Processed> all(List<MemberProcess> members) throws Exception {
        List<Processed> out = new ArrayList<>();
        for (MemberProcess m : members) {
            out.addAll(m.processed());
        }
        return out;
    }

    /** The group's state and each member's assigned partitions, as the coordinator tells. */
    private static String assignment(String bootstrap) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = KafkaTestClients.admin(bootstrap)) {
            var group =
                    admin.describeConsumerGroups(List.of(GROUP))
                            .all()
                            .get(30, java.util.concurrent.TimeUnit.SECONDS)
                            .get(GROUP);
            StringBuilder sb = new StringBuilder(String.valueOf(group.groupState()));
            group.members()
                    .forEach(
                            m ->
                                    sb.append(' ')
                                            .append(m.clientId())
                                            .append('=')
                                            .append(m.assignment().topicPartitions()));
            return sb.toString();
        }
    }

    /** What each member processed, and its last output. */
    private static String describe(List<MemberProcess> members) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (MemberProcess m : members) {
            sb.append("\n--- ")
                    .append(m)
                    .append(", ")
                    .append(m.processed().size())
                    .append(" processed; output:\n")
                    .append(m.logTail());
        }
        return sb.toString();
    }
}
