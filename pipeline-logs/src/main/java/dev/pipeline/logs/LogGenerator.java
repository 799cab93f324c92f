package dev.pipeline.logs;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic log lines for the log aggregator when it is given no files: the same seed gives the
 * same lines. About one line in 500 is malformed, as real logs have (a truncated write, a
 * multi-line stack trace, a foreign format), so the dead-letter path has work to do.
 */
final class LogGenerator {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> SERVICES =
            List.of("api-gateway", "auth", "orders", "payments", "inventory", "search", "mailer");

    private final SplittableRandom random;
    private final String source;
    private long millis;

    /**
     * A generator for one source.
     *
     * @param seed the run's seed
     * @param index which source, from 0: each gets its own service name and random stream
     */
    LogGenerator(long seed, int index) {
        this.random = new SplittableRandom(seed * 1_000_003L + index);
        this.source = SERVICES.get(index % SERVICES.size()) + "-" + (index / SERVICES.size() + 1);
    }

    /** The source's name, as it appears in brackets in its lines. */
    String source() {
        return source;
    }

    /** The next line. */
    String next() {
        millis += 1 + random.nextInt(40);
        Instant at = START.plusMillis(millis);
        int roll = random.nextInt(1000);
        if (roll < 2) {
            return "\tat com.example.Handler.handle(Handler.java:" + random.nextInt(400) + ")";
        }
        Level level =
                roll < 300
                        ? Level.DEBUG
                        : roll < 850 ? Level.INFO : roll < 960 ? Level.WARN : Level.ERROR;
        String line = at + " " + level + " [" + source + "] " + message(level);
        return roll < 4 ? line.substring(0, 5 + random.nextInt(20)) : line; // a truncated write
    }

    private String message(Level level) {
        int id = random.nextInt(100_000);
        int ms = 1 + random.nextInt(random.nextInt(10) == 0 ? 5000 : 200);
        return switch (level) {
            case TRACE, DEBUG ->
                    "cache " + (random.nextBoolean() ? "hit" : "miss") + " for key user:" + id;
            case INFO -> "GET /api/orders/" + id + " 200 in " + ms + " ms";
            case WARN -> "slow query on orders (" + ms + " ms), user " + id;
            case ERROR, FATAL ->
                    "payment " + id + " declined: upstream timeout after " + ms + " ms";
        };
    }
}
