package dev.pipeline.examples;

import java.io.PrintStream;

/**
 * One runnable example: a name to run it by, a one-line description, and a command that prints
 * what it teaches to {@code out} (the launcher passes {@code System.out}, the smoke tests a buffer)
 * and returns its exit status.
 *
 * @param name the name given to {@code run NAME}
 * @param description what the example shows, one line
 * @param command the example itself
 */
record Example(String name, String description, Command command) {

    /** An example that prints and returns, exit status 0 unless it throws. */
    static Example of(String name, String description, Body body) {
        return new Example(
                name,
                description,
                (out, err, args) -> {
                    body.run(out, args);
                    return 0;
                });
    }

    /** The body of an example. */
    @FunctionalInterface
    interface Body {
        /**
         * Runs the example.
         *
         * @param out where the example prints
         * @param args the arguments after {@code run NAME}
         * @throws Exception if the example fails
         */
        void run(PrintStream out, String... args) throws Exception;
    }

    /** An example that is a program of its own, with errors and an exit status. */
    @FunctionalInterface
    interface Command {
        /**
         * Runs the example.
         *
         * @param out where the example prints
         * @param err where it prints errors
         * @param args the arguments after {@code run NAME}
         * @return the exit status
         * @throws Exception if the example fails
         */
        int run(PrintStream out, PrintStream err, String... args) throws Exception;
    }
}
