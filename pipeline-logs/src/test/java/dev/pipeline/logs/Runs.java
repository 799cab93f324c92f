package dev.pipeline.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Test helpers: fixtures, in-process runs, and their output. */
final class Runs {
    private Runs() {}

    /** Copies a fixture into {@code dir}. */
    static Path fixture(Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = Runs.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            Files.copy(in, target);
        }
        return target;
    }

    /** What a run returned and printed. */
    record Run(Aggregation.Result result, String printed, Path out) {
        Input input(int i) {
            return result.inputs().get(i);
        }

        List<String> output() throws IOException {
            return Files.readAllLines(out.resolve(Aggregation.OUTPUT_FILE), StandardCharsets.UTF_8);
        }

        List<String> deadLetters() throws IOException {
            return Files.readAllLines(
                    out.resolve(Aggregation.DEAD_LETTER_FILE), StandardCharsets.UTF_8);
        }

        boolean addsUp() {
            return result.read() == result.written() + result.filtered() + result.deadLettered();
        }
    }

    /** Runs the aggregator in this JVM, output to {@code out}. */
    static Run aggregate(Path out, AtomicBoolean stop, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--out";
        all[1] = out.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        Options o = Options.parse(all);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Aggregation.Result r;
        try (PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            r = Aggregation.run(o, p, stop);
            Report.print(p, o, r);
        }
        return new Run(r, buf.toString(StandardCharsets.UTF_8), out);
    }

    static Run aggregate(Path out, String... args) throws Exception {
        return aggregate(out, new AtomicBoolean(), args);
    }

    /** Entries by level, TRACE to FATAL. */
    static long[] levels(long trace, long debug, long info, long warn, long error, long fatal) {
        return new long[] {trace, debug, info, warn, error, fatal};
    }
}
