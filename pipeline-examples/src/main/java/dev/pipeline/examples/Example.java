package dev.pipeline.examples;

import java.io.PrintStream;

/**
 * One runnable example: a name to run it by, a one-line description, and a body that prints what
 * it teaches to {@code out} (the launcher passes {@code System.out}, the smoke tests a buffer).
 *
 * @param name the name given to {@code run NAME}
 * @param description what the example shows, one line
 * @param body the example itself
 */
record Example(String name, String description, Body body) {

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
}
