/*
 * Build helper: checks (or applies) google-java-format, AOSP style, on every .java file under the
 * given directory. Run by the build on the toolchain JDK (21+), because google-java-format parses
 * with the running JDK's javac and this project uses Java 21 syntax.
 *
 * Usage: java -cp google-java-format-all-deps.jar FormatCheck.java check|apply DIR
 */
import com.google.googlejavaformat.java.Formatter;
import com.google.googlejavaformat.java.JavaFormatterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

public class FormatCheck {
    public static void main(String[] args) throws Exception {
        boolean apply = args[0].equals("apply");
        Path root = Path.of(args[1]);
        if (!Files.isDirectory(root)) {
            return;
        }
        Formatter formatter =
                new Formatter(
                        JavaFormatterOptions.builder()
                                .style(JavaFormatterOptions.Style.AOSP)
                                .formatJavadoc(false)
                                .build());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        List<Path> bad = new ArrayList<>();
        for (Path file : files) {
            String source = Files.readString(file, StandardCharsets.UTF_8);
            String formatted;
            try {
                formatted = formatter.formatSourceAndFixImports(source);
            } catch (Exception e) {
                System.err.println("cannot format " + file + ": " + e.getMessage());
                bad.add(file);
                continue;
            }
            if (!formatted.equals(source)) {
                if (apply) {
                    Files.writeString(file, formatted, StandardCharsets.UTF_8);
                    System.out.println("formatted " + file);
                } else {
                    bad.add(file);
                }
            }
        }
        if (!bad.isEmpty()) {
            System.err.println(
                    "google-java-format (AOSP) check failed for "
                            + bad.size()
                            + " file(s); run: mvn compile -Dformat.mode=apply");
            bad.forEach(f -> System.err.println("  " + f));
            System.exit(1);
        }
    }
}
