package dev.pipeline.logs;

import java.util.ArrayList;
import java.util.List;

/** What a parse worker made of a {@link Chunk}: the output bytes, the dead letters, the counts. */
final class Parsed extends Counts {
    /** A line that no format reads and that continues nothing (or a dead entry). */
    record DeadLine(int lineInChunk, String reason, byte[] text) {}

    final Input input;
    final boolean atStart;
    final ByteOut out;
    final List<DeadLine> deadLines = new ArrayList<>();

    Parsed(Input input, boolean atStart, ByteOut out) {
        this.input = input;
        this.atStart = atStart;
        this.out = out;
    }
}
