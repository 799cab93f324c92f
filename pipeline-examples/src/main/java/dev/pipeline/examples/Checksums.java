package dev.pipeline.examples;

import dev.pipeline.Pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * checksums: the SHA-256 of every file under a directory, computed on N workers by an
 * order-keeping parallel map, printed in path order as {@code sha256sum} prints them.
 *
 * <pre>run checksums [DIR] [WORKERS]   (default: this module's sources, one worker per CPU)</pre>
 */
final class Checksums {
    static final String DESCRIPTION =
            "SHA-256 of every file under DIR on N workers (mapParallel), printed in path order";

    private Checksums() {}

    static void run(PrintStream out, String... args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : defaultDir();
        int workers =
                args.length > 1
                        ? Integer.parseInt(args[1])
                        : Runtime.getRuntime().availableProcessors();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }

        long start = System.nanoTime();
        // the workers finish in any order; mapParallel hands the results on in input order
        Pipeline.from(files)
                .mapParallel(workers, file -> checksumLine(dir, file))
                .forEach(out::println);
        out.printf(
                "%d files under %s, %d workers, %d ms%n",
                files.size(), dir, workers, (System.nanoTime() - start) / 1_000_000);
    }

    /** The digest and the path, or why the file could not be read: one file does not stop all. */
    private static String checksumLine(Path dir, Path file) {
        try {
            return sha256(file) + "  " + dir.relativize(file);
        } catch (IOException e) {
            return "cannot read " + dir.relativize(file) + ": " + e;
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** This module's sources, from the module's directory or the project's. */
    private static Path defaultDir() {
        Path here = Path.of("src/main/java");
        return Files.isDirectory(here) ? here : Path.of("pipeline-examples/src/main/java");
    }
}
