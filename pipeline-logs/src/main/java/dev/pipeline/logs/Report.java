package dev.pipeline.logs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-of-run report: per input, the totals that must add up, where the output is, stages. */
final class Report {
    private Report() {}

    /** {@code 1 line}, {@code 2 lines}, {@code 2 entries}: a count and its noun, with grouping. */
    static String count(long n, String noun) {
        String plural =
                noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? noun : plural);
    }

    static void print(PrintStream out, Options o, Aggregation.Result r) {
        long read = r.read();
        out.println();
        out.printf(
                Locale.ROOT,
                "Done in %.2f s: %s from %s (%,.0f lines/s)%n",
                r.nanos() / 1e9,
                count(read, "line"),
                count(r.inputs().size(), "input"),
                read / Math.max(1e-9, r.nanos() / 1e9));
        out.println();
        printInputs(out, r.inputs());
        out.println();
        if (r.kafka() != null) {
            out.print(r.kafka());
            out.println();
        }
        boolean addsUp = read == r.written() + r.filtered() + r.deadLettered();
        out.printf(
                Locale.ROOT,
                "read %,d = written %,d + filtered (below %s) %,d + dead-lettered %,d  %s%n",
                read,
                r.written(),
                o.minLevel(),
                r.filtered(),
                r.deadLettered(),
                addsUp ? "(adds up)" : "(DOES NOT ADD UP)");
        out.println(
                "  (in lines: a continuation line, such as a stack trace's, goes with its entry)");
        if (r.deleted()) {
            out.println(
                    "No --out given: the output went to "
                            + r.outDir()
                            + ", deleted now; give --out DIR to keep it");
        } else {
            out.println(
                    "Written to "
                            + r.outDir().resolve(Aggregation.OUTPUT_FILE)
                            + (o.json() ? " (JSON lines)" : "")
                            + ", forced to disk "
                            + count(r.syncs(), "time"));
            out.println(
                    "Dead letters (ORIGIN:LINE, reason, text) in "
                            + r.outDir().resolve(Aggregation.DEAD_LETTER_FILE));
        }
        for (Input in : r.inputs()) {
            if (in.failure != null) {
                out.println("FAILED " + in.origin + ": " + in.failure);
            }
        }
        out.println();
        out.print(r.stageReport());
        out.println();
        printLegend(out, r);
    }

    /** What each stage of the report does, for the stages this run had. */
    private static void printLegend(PrintStream out, Aggregation.Result r) {
        String report = r.stageReport();
        if (r.kafka() != null) {
            printLegend(out, report, "a record (one entry)", KAFKA_STAGES);
            return;
        }
        String[][] stages = {
            {
                "split",
                "opens the files, detects each one's format, hands out byte ranges (the first"
                        + " ones parsed ahead while the pipeline starts)"
            },
            {"follow ", "reads a followed file as it grows (tail -F)"},
            {"generate ", "generates the lines of one source"},
            {"merge", "joins the sources' chunks into one stream"},
            {
                "parse",
                "on "
                        + count(r.workers(), "worker")
                        + ", chunk order kept: reads a range, splits it into lines, detects"
                        + " entries, parses, filters and formats them"
            },
            {"write", "appends each chunk's lines in order; forces run on a thread of their own"},
            {"discard", "the end of the pipeline: the writer sends nothing on"}
        };
        printLegend(out, report, "a chunk of lines, not a line", stages);
    }

    private static final String[][] KAFKA_STAGES = {
        {"kafka ", "reads the topic's records as a member of the group (pauses when behind)"},
        {"max-records", "takes --max-records records, then ends the source"},
        {"ticks", "a tick every 50 ms, so that the end is checked while the topic is quiet"},
        {"merge", "joins the records and the ticks"},
        {"until", "ends the run (--idle-exit, --max-records, a signal); drops no record"},
        {"records", "drops the ticks"},
        {
            "parse",
            "detects each record's format, parses, filters and formats its entry (order kept)"
        },
        {"write", "appends each record's lines in order; forces run on a thread of their own"},
        {"discard", "the end of the pipeline"}
    };

    private static void printLegend(
            PrintStream out, String report, String item, String[][] stages) {
        out.println("Stages (an item is " + item + "):");
        for (String[] s : stages) {
            if (report.lines().anyMatch(l -> l.startsWith(s[0]))) {
                out.println("  " + s[0].strip() + (s[0].endsWith(" ") ? " ..." : "") + ": " + s[1]);
            }
        }
    }

    private static void printInputs(PrintStream out, List<Input> inputs) {
        List<String[]> rows = new ArrayList<>();
        List<String> header =
                new ArrayList<>(List.of("input", "format", "lines", "written", "filtered", "dead"));
        for (Level l : Level.values()) {
            header.add(l.name());
        }
        header.add("notes");
        rows.add(header.toArray(String[]::new));
        for (Input in : inputs) {
            List<String> row = new ArrayList<>();
            row.add(in.origin);
            row.add(
                    in.failure != null && in.lines == 0
                            ? "-"
                            : in.recordsByFormat != null
                                    ? "per record"
                                    : in.format != null ? in.format.displayName : "unknown");
            row.add(n(in.lines));
            row.add(n(in.written));
            row.add(n(in.filtered));
            row.add(n(in.deadLettered));
            for (long c : in.entriesByLevel) {
                row.add(n(c));
            }
            row.add(notes(in));
            rows.add(row.toArray(String[]::new));
        }
        int cols = header.size();
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean left = c < 2 || c == cols - 1;
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                if (c > 0) {
                    sb.append("  ");
                }
                sb.append(left ? cell + (c == cols - 1 ? "" : pad) : pad + cell);
            }
            out.println(sb.toString().stripTrailing());
        }
        out.println(
                "(lines, written, filtered, dead: in lines; TRACE to FATAL: entries at each"
                        + " level, filtered ones included)");
    }

    private static String notes(Input in) {
        List<String> notes = new ArrayList<>();
        if (in.failure != null) {
            notes.add("FAILED: " + in.failure);
        }
        if (in.recordsByFormat != null) {
            List<String> formats = new ArrayList<>();
            Format[] all = Format.values();
            for (int f = 0; f < in.recordsByFormat.length; f++) {
                if (in.recordsByFormat[f] > 0) {
                    formats.add(
                            (f < all.length ? all[f].displayName : "unknown")
                                    + " "
                                    + n(in.recordsByFormat[f]));
                }
            }
            notes.add(count(in.records, "record") + ": " + String.join(", ", formats));
        }
        if (in.invalidUtf8 > 0) {
            notes.add(count(in.invalidUtf8, "invalid UTF-8 sequence") + " replaced");
        }
        if (in.otherFormat > 0) {
            notes.add(count(in.otherFormat, "entry") + " of another format");
        }
        if (in.rotations > 0) {
            notes.add("rotated " + count(in.rotations, "time"));
        }
        if (in.truncations > 0) {
            notes.add("truncated " + count(in.truncations, "time"));
        }
        return String.join("; ", notes);
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
