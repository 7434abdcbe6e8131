package dev.llmharness.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.protocol.EventDecoder.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI decoder's fast path ({@link OpenAiEventParser#fast}) must read every event exactly as
 * the Jackson path does, or leave it to Jackson: the same kind, content, text, finish, tool calls,
 * usage, timings and problem, over the wire captures, hand-written edge cases and many thousand
 * random corruptions of them.
 */
class OpenAiFastPathTest {
    /** Events of the usual shapes, which the fast path must read itself (not leave to Jackson). */
    private static final String[] USUAL = {
        // vLLM
        "{\"id\":\"chatcmpl-8f2c\",\"object\":\"chat.completion.chunk\",\"created\":1795422772,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word7\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
        "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":256,\"completion_tokens\":1000,\"total_tokens\":1256}}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"\",\"content\":\"a\\n\\\"b\\\"\\u00e9\\ud83d\\ude00\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}},{}]}}]}",
        "{\"choices\":[{\"text\":\"ichen\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"whole\"}}]}",
        "{\"object\":\"keepalive\",\"n\":[1,-2,3.5e-3,0,-0,true,false,null,{\"a\":[]}]}",
        "  {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}  \r\n",
        "{}",
    };

    /** Edge cases: several must go to Jackson (which decides them), all must read the same. */
    private static final String[] EDGE = {
        "{\"choices\":{}}",
        "{\"choices\":7}",
        "{\"usage\":7}",
        "{\"usage\":\"x\"}",
        "{\"error\":{\"message\":\"overloaded\"}}",
        "{\"error\":\"overloaded\"}",
        "{\"choices\":[{\"delta\":{\"content\":\"Мексика\"}}]}",
        "{\"choices\":[{\"delta\":{\"con\\u0074ent\":\"escaped name\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}{}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\",}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"\\x\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"tab\there\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":'a'}}]}",
        "{\"usage\":{\"prompt_tokens\":01}}",
        "{\"usage\":{\"prompt_tokens\":2147483648,\"completion_tokens\":1}}",
        "{\"usage\":{\"prompt_tokens\":1234567890,\"completion_tokens\":-5}}",
        "{\"usage\":{\"prompt_tokens\":12.0,\"completion_tokens\":3e2}}",
        "{\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":[3]}}",
        "{\"usage\":{\"prompt_tokens\":1}x}",
        "{\"usage\":{\"prompt_tokens\":1x}}",
        "{\"usage\":{\"prompt_tokens\":-}}",
        "{\"usage\":{\"prompt_tokens\":+1}}",
        "{\"choices\":[{\"delta\":{\"content\":tru}}]}",
        "{\"choices\":[{\"delta\":{\"content\":nulls}}]}",
        "{\"choices\":[1,\"x\",null,[{}],{\"delta\":\"no\",\"text\":5,\"finish_reason\":null}]}",
        "{\"choices\":[{\"delta\":{\"tool_calls\":[]}},{\"delta\":{\"tool_calls\":{}}}]}",
        "{\"choices\":[{\"delta\":{\"tool_calls\":[1,2,3]}}],\"choices\":[{\"finish_reason\":\"length\"}]}",
        "{\"choices\":[],\"timings\":{\"prompt_n\":28,\"prompt_ms\":12.996,\"predicted_n\":3,\"predicted_ms\":13.365}}",
        "{\"a\":" + "[".repeat(100) + "]".repeat(100) + ",\"choices\":[]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]",
        "{\"choices\":[{\"delta\":{\"content\":\"a",
        "{\"choices\":[{\"delta\":{\"content\":\"a\\",
        "{\"choices\":[{\"delta\":{\"content\":\"a\\u12",
        "[1,2]",
        "\"text\"",
        "",
        "   ",
        "\ufeff{\"choices\":[]}",
        "{\"choices\":[{\"delta\":{\"content\":\"\u0000\"}}]}",
    };

    @Test
    void usualEventsAreReadWithoutJackson() throws IOException {
        List<String> usual = new ArrayList<>(List.of(USUAL));
        for (String e : wireEvents()) {
            if (!e.contains("timings") && e.chars().allMatch(c -> c < 0x80) && !e.equals("[DONE]")) {
                usual.add(e);
            }
        }
        for (String e : usual) {
            for (boolean wantText : new boolean[] {false, true}) {
                OpenAiEventParser p = new OpenAiEventParser(wantText);
                byte[] b = e.getBytes(StandardCharsets.UTF_8);
                assertThat(p.fast(b, 0, b.length)).as(e).isNotNull();
            }
        }
        assertThat(usual).hasSizeGreaterThan(USUAL.length + 4);
    }

    @Test
    void fastPathReadsLikeJacksonOnCapturesAndEdgeCases() throws IOException {
        List<String> events = new ArrayList<>(List.of(USUAL));
        events.addAll(List.of(EDGE));
        events.addAll(wireEvents());
        for (String e : events) {
            assertSame(e.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void fastPathReadsLikeJacksonOnRandomCorruptions() throws IOException {
        List<String> bases = new ArrayList<>(List.of(USUAL));
        bases.addAll(List.of(EDGE));
        bases.addAll(wireEvents());
        byte[] alphabet = "{}[]\",:\\ 0123456789-+.eEtrufalsn\tu\u00e9x".getBytes(StandardCharsets.UTF_8);
        Random random = new Random(12);
        int fastReads = 0;
        for (int round = 0; round < 30_000; round++) {
            byte[] b = bases.get(random.nextInt(bases.size())).getBytes(StandardCharsets.UTF_8);
            int edits = 1 + random.nextInt(3);
            for (int k = 0; k < edits && b.length > 0; k++) {
                int at = random.nextInt(b.length);
                switch (random.nextInt(4)) {
                    case 0 -> b = splice(b, at, 1, new byte[0]); // delete
                    case 1 -> b = splice(b, at, 0, new byte[] {alphabet[random.nextInt(alphabet.length)]});
                    case 2 -> b[at] = alphabet[random.nextInt(alphabet.length)];
                    default -> b = java.util.Arrays.copyOf(b, at); // truncate
                }
            }
            if (assertSame(b)) {
                fastReads++;
            }
        }
        // The corruptions must exercise the fast path too, not only the fallback.
        assertThat(fastReads).isGreaterThan(3_000);
    }

    @Test
    void everyKindOfByteAtEveryPositionOfALongStringReadsLikeJackson() {
        // The string scan skips eight plain bytes at a time: a quote, backslash, control or
        // non-ASCII byte must be seen wherever it falls in a word.
        String[] specials = {"\\n", "\\u0041", "\\\"", "\u0001", "\u001f", " ", "\u007f", "é", "\"", "~"};
        for (String special : specials) {
            for (int length = 0; length < 40; length++) {
                for (int at = 0; at <= length; at++) {
                    String text = "a".repeat(at) + special + "b".repeat(length - at);
                    assertSame(("{\"id\":\"" + text + "\",\"choices\":[{\"delta\":{\"content\":\"" + text + "\"}}]}")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** Content events with their text as {@code %s}: the shapes a decoder remembers. */
    private static final String[] SHAPES = {
        "{\"id\":\"chatcmpl-8f2c\",\"object\":\"chat.completion.chunk\",\"created\":1795422772,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"%s\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"\",\"content\":\"%s\"}}]}",
        "{\"choices\":[{\"text\":\"%s\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":7}}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\",\"tool_calls\":[{\"index\":0}]}}]}",
        "  {\"choices\":[{\"delta\":{\"content\":\"%s\"}}]}  \r\n",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"}},{\"index\":1,\"delta\":{\"content\":\"\"}}]}",
    };

    /** Texts that must not be read from a remembered shape, or must be read right if they are. */
    private static final String[] TRICKY_TEXTS = {
        "",
        "\"",
        "\\",
        "\\n",
        "\\u0041",
        "\u0001",
        "\u001f",
        "\u007f",
        "é",
        "\ud83d\ude00",
        "\"},\"finish_reason\":\"stop",
        "\",\"content\":\"x",
        "\"}}]}{\"a\":\"",
        "}",
        "]",
        ",",
        ":",
        "\\\"",
        "a\"b",
        " ",
        "~",
    };

    @Test
    void aStreamsEventsAreReadFromTheLastContentEventsShapeAndReadLikeJackson() {
        OpenAiEventParser remembering = new OpenAiEventParser(true);
        OpenAiEventParser jackson = new OpenAiEventParser(true, false);
        String shape = SHAPES[0];
        List<String> stream = new ArrayList<>();
        stream.add(shape.replace("\"content\":\"%s\"", "\"role\":\"assistant\",\"content\":\"\""));
        for (int i = 0; i < 128; i++) {
            stream.add(shape.replace("%s", " word" + "x".repeat(i % 7)));
        }
        stream.add(shape.replace("%s", "").replace("\"finish_reason\":null", "\"finish_reason\":\"length\""));
        stream.add("{\"choices\":[],\"usage\":{\"prompt_tokens\":128,\"completion_tokens\":128}}");
        for (String e : stream) {
            byte[] b = e.getBytes(StandardCharsets.UTF_8);
            String a = reading(remembering, remembering.decode(b, 0, b.length), true);
            assertThat(a).as(e).isEqualTo(reading(jackson, jackson.decode(b, 0, b.length), true));
        }
        // All token events but the first, which the scan remembers.
        assertThat(remembering.shapeReads()).isEqualTo(127);
        assertThat(new OpenAiEventParser(true, true, false).shapeReads()).isZero();
    }

    @Test
    void eventsReadFromARememberedShapeReadLikeJacksonWhateverTheirTextAndEdits() {
        Random random = new Random(34);
        byte[] alphabet = "{}[]\",:\\ 0123456789-+.eEtrufalsn\tu\u00e9x\u0001".getBytes(StandardCharsets.UTF_8);
        long fromShape = 0;
        for (int round = 0; round < 20_000; round++) {
            String shape = SHAPES[random.nextInt(SHAPES.length)];
            boolean wantText = random.nextBoolean();
            OpenAiEventParser remembering = new OpenAiEventParser(wantText);
            byte[] first = shape.replace("%s", "tok" + random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
            assertSameAt(remembering, first, wantText, random);
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(4); k >= 0; k--) {
                text.append(
                        random.nextInt(3) == 0
                                ? TRICKY_TEXTS[random.nextInt(TRICKY_TEXTS.length)]
                                : "w" + random.nextInt(1000));
            }
            byte[] next = shape.replace("%s", text).getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(3) == 0) {
                int at = random.nextInt(next.length);
                next = random.nextBoolean()
                        ? splice(next, at, 1, new byte[0])
                        : splice(next, at, 0, new byte[] {alphabet[random.nextInt(alphabet.length)]});
            }
            long before = remembering.shapeReads();
            if (assertSameAt(remembering, next, wantText, random) != Kind.INVALID) {
                // The shape is still the first event's (or the next one's, if it was scanned).
                assertSameAt(remembering, first, wantText, random);
            }
            fromShape += remembering.shapeReads() - before;
        }
        // The comparison must be taken often, not only refused.
        assertThat(fromShape).isGreaterThan(5_000);
    }

    /**
     * Decodes {@code event} with {@code remembering} (which may hold a shape) at a random offset of
     * a larger array, and with a new Jackson-only decoder, and asserts the same reading.
     */
    private static Kind assertSameAt(OpenAiEventParser remembering, byte[] event, boolean wantText, Random random) {
        int offset = random.nextInt(9);
        byte[] framed = new byte[offset + event.length + random.nextInt(9)];
        java.util.Arrays.fill(framed, (byte) '"');
        System.arraycopy(event, 0, framed, offset, event.length);
        Kind kind = remembering.decode(framed, offset, event.length);
        String a = reading(remembering, kind, wantText);
        OpenAiEventParser jackson = new OpenAiEventParser(wantText, false);
        String b = reading(jackson, jackson.decode(event, 0, event.length), wantText);
        assertThat(a).as(new String(event, StandardCharsets.UTF_8)).isEqualTo(b);
        return kind;
    }

    /**
     * Decodes {@code event} with and without the fast path, with and without text, and asserts the
     * same reading; returns whether the fast path read it itself.
     */
    private static boolean assertSame(byte[] event) {
        boolean fast = false;
        for (boolean wantText : new boolean[] {false, true}) {
            OpenAiEventParser withFast = new OpenAiEventParser(wantText, true);
            OpenAiEventParser jackson = new OpenAiEventParser(wantText, false);
            // In the middle of a larger array, as the framing reader hands events over.
            byte[] framed = new byte[event.length + 7];
            System.arraycopy(event, 0, framed, 3, event.length);
            framed[0] = '{';
            framed[framed.length - 1] = '}';
            String a = reading(withFast, withFast.decode(framed, 3, event.length), wantText);
            String b = reading(jackson, jackson.decode(framed, 3, event.length), wantText);
            assertThat(a).as(new String(event, StandardCharsets.UTF_8)).isEqualTo(b);
            fast |= new OpenAiEventParser(wantText).fast(event, 0, event.length) != null;
        }
        return fast;
    }

    private static String reading(EventDecoder d, Kind kind, boolean wantText) {
        return kind + " last=" + d.last() + " finished=" + d.finished() + " text="
                + (wantText ? "[" + d.text() + "]" : "-") + " tools=" + d.toolCalls() + " reasoning=" + d.reasoning()
                + " prompt=" + d.promptTokens() + " completion=" + d.completionTokens() + " timings="
                + d.serverTimings() + " problem=" + d.problem();
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    /** The {@code data:} payloads of the OpenAI-shaped llama.cpp captures. */
    private static List<String> wireEvents() throws IOException {
        List<String> events = new ArrayList<>();
        for (String name : List.of("chat_stream.sse", "chat_stream_eos_stop.sse", "completions_stream.sse")) {
            try (InputStream in = OpenAiFastPathTest.class.getResourceAsStream("/wire/llama.cpp/" + name)) {
                assertThat(in).as(name).isNotNull();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("data: ")) {
                        events.add(line.substring(6));
                    }
                }
            }
        }
        assertThat(events).hasSizeGreaterThan(10);
        return events;
    }
}
