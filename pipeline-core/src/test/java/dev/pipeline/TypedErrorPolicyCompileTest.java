package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * What the compiler accepts and refuses around {@code onError}: a dead-letter channel must take the
 * stage's input type; user code of the older form still compiles.
 */
class TypedErrorPolicyCompileTest {
    @TempDir Path dir;

    private static final String HEADER =
            """
            import dev.pipeline.*;
            import dev.pipeline.channel.*;
            import java.time.Duration;
            import java.util.List;
            class Snippet {
                static void run(Channel<DeadLetter<String>> strings,
                                Channel<DeadLetter<Integer>> ints,
                                Channel<Object> anything) {
            """;

    /** Compiles {@code body} against the library; returns the error messages. */
    private List<String> compile(String body) throws IOException, URISyntaxException {
        Path src = dir.resolve("Snippet.java");
        Files.writeString(src, HEADER + body + "\n}}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path classes =
                Path.of(Pipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            javac.getTask(
                            null,
                            files,
                            diagnostics,
                            List.of("-d", dir.toString(), "-cp", classes.toString()),
                            null,
                            files.getJavaFileObjects(src))
                    .call();
        }
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null))
                .toList();
    }

    @Test
    void aDeadLetterChannelOfTheStageInputTypeCompiles() throws Exception {
        assertThat(
                        compile(
                                """
                                Pipeline<Integer> p = Pipeline.from(List.of("1"))
                                        .map("parse", Integer::parseInt)
                                        .capacity(8)
                                        .onError(ErrorPolicy.deadLetter(strings.sender()));
                                Pipeline<Integer> q = Pipeline.range(0, 3)
                                        .mapParallel(2, x -> x + 1)
                                        .onError(ErrorPolicy.retry(3, Duration.ofMillis(5))
                                                .thenDeadLetter(ints.sender()));
                                Pipeline<String> r = Pipeline.range(0, 3)
                                        .map(x -> "s" + x)
                                        .onError(ErrorPolicy.deadLetter(anything.sender()))
                                        .filter(s -> true).onError(ErrorPolicy.skip())
                                        .peek(s -> {}).onError(ErrorPolicy.retry(2, Duration.ofMillis(1)).thenSkip());
                                ErrorPolicy<String> each = ErrorPolicy.retry(2, Duration.ofMillis(1));
                                ErrorPolicy<Integer> none = ErrorPolicy.failFast();
                                """))
                .isEmpty();
    }

    @Test
    void aDeadLetterChannelOfAnotherTypeIsACompileError() throws Exception {
        assertThat(
                        compile(
                                """
                                Pipeline.range(0, 3)
                                        .map(x -> "s" + x)
                                        .onError(ErrorPolicy.deadLetter(strings.sender()));
                                """))
                .isNotEmpty();
        assertThat(
                        compile(
                                """
                                Pipeline.range(0, 3)
                                        .map(x -> "s" + x)
                                        .onError(ErrorPolicy.retry(2, Duration.ofMillis(1))
                                                .thenDeadLetter(strings.sender()));
                                """))
                .isNotEmpty();
    }

    @Test
    void onErrorOnAStageWithoutAFunctionIsACompileError() throws Exception {
        assertThat(compile("Pipeline.range(0, 3).take(2).onError(ErrorPolicy.skip());"))
                .isNotEmpty();
    }
}
