package dev.llmharness.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time LF search finds exactly what a byte-by-byte search finds. */
class LinesIndexOfLfTest {
    private static int naive(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstLfAtEveryPositionAndAlignment() {
        // Bytes next to LF in value (0x09, 0x0B), LF with the high bit (0x8A), 0x00 and 0xFF: the
        // ones a SWAR search gets wrong when its borrow or mask is off.
        byte[] fill = {0x09, 0x0B, (byte) 0x8A, 0x00, (byte) 0xFF, 'a', 0x0A ^ 0x01, (byte) 0x80};
        for (byte f : fill) {
            for (int length = 0; length <= 40; length++) {
                for (int lf = -1; lf < length; lf++) {
                    byte[] b = new byte[length];
                    java.util.Arrays.fill(b, f);
                    if (lf >= 0) {
                        b[lf] = '\n';
                    }
                    for (int from = 0; from <= length; from++) {
                        for (int end = from; end <= length; end++) {
                            assertThat(Lines.indexOfLf(b, from, end))
                                    .as("fill %d, LF at %d, [%d, %d)", f, lf, from, end)
                                    .isEqualTo(naive(b, from, end));
                        }
                    }
                }
            }
        }
    }

    @Test
    void agreesWithAByteByByteSearchOnRandomBytes() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(300)];
            random.nextBytes(b);
            // Few LFs, so that long stretches are searched.
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '\n' && random.nextInt(4) != 0) {
                    b[i] = 'x';
                }
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int end = from + random.nextInt(b.length - from + 1);
            assertThat(Lines.indexOfLf(b, from, end)).isEqualTo(naive(b, from, end));
        }
    }
}
