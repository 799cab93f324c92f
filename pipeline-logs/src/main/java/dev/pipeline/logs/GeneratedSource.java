package dev.pipeline.logs;

import dev.pipeline.channel.Sender;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A generated input: {@code lines} lines of a {@link LogGenerator} in chunks of about {@value
 * InputReader#CHUNK} bytes, cut before lines that start an entry, as a file reader cuts them.
 */
final class GeneratedSource {
    private GeneratedSource() {}

    static void run(Input input, LogGenerator gen, long lines, AtomicBoolean stop, Sender<Chunk> tx)
            throws InterruptedException {
        byte[] buf = new byte[InputReader.CHUNK + 1024];
        int len = 0;
        boolean atStart = true;
        for (long n = 0; n < lines && !stop.get(); n++) {
            byte[] line = gen.next().getBytes(StandardCharsets.UTF_8);
            boolean entry = !Format.continuesAnyFormat(line, 0, line.length);
            if (entry && len >= InputReader.CHUNK) {
                atStart = send(input, buf, len, atStart, tx);
                buf = new byte[InputReader.CHUNK + 1024];
                len = 0;
            }
            if (len + line.length + 1 > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + line.length + 1));
            }
            System.arraycopy(line, 0, buf, len, line.length);
            len += line.length;
            buf[len++] = '\n';
        }
        if (len > 0) {
            send(input, buf, len, atStart, tx);
        }
    }

    private static boolean send(Input input, byte[] buf, int len, boolean atStart, Sender<Chunk> tx)
            throws InterruptedException {
        if (!input.detected) {
            input.format = Detector.detect(buf, len, true);
            input.detected = true;
        }
        tx.send(Chunk.of(input, buf, len, atStart, null));
        return false;
    }
}
