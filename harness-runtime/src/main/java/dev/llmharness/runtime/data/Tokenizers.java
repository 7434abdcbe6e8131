package dev.llmharness.runtime.data;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The tokenizers bundled with jtokkit; nothing is downloaded. Instances are created once per
 * encoding (loading one takes a few hundred milliseconds) and shared: they are thread-safe.
 */
public final class Tokenizers {
    /** Encodings that {@link #forEncoding(String)} knows, in jtokkit's order. */
    public static final List<String> KNOWN_ENCODINGS =
            Arrays.stream(EncodingType.values()).map(EncodingType::getName).collect(Collectors.toUnmodifiableList());

    // Lazy: the default registry would load all five vocabularies (about 8 MB of ranks) up front.
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    private Tokenizers() {}

    /**
     * The tokenizer of the named encoding.
     *
     * @param encoding one of {@link #KNOWN_ENCODINGS}, e.g. {@code cl100k_base}
     * @throws IllegalArgumentException for an unknown name; the message lists the known ones
     */
    public static Tokenizer forEncoding(String encoding) {
        if (encoding == null || EncodingType.fromName(encoding).isEmpty()) {
            throw new IllegalArgumentException("unknown tokenizer encoding '" + encoding + "'; known encodings: "
                    + String.join(", ", KNOWN_ENCODINGS));
        }
        return CACHE.computeIfAbsent(
                encoding,
                name -> new JtokkitTokenizer(
                        REGISTRY.getEncoding(EncodingType.fromName(name).orElseThrow())));
    }

    /** jtokkit's encodings are immutable after loading, hence thread-safe. */
    private static final class JtokkitTokenizer implements Tokenizer {
        private final Encoding encoding;

        JtokkitTokenizer(Encoding encoding) {
            this.encoding = encoding;
        }

        @Override
        public int count(String text) {
            return encoding.countTokensOrdinary(text);
        }

        @Override
        public int[] encode(String text) {
            return encoding.encodeOrdinary(text).toArray();
        }

        @Override
        public String decode(int[] tokens) {
            IntArrayList list = new IntArrayList(tokens.length);
            for (int token : tokens) {
                list.add(token);
            }
            return encoding.decode(list);
        }

        @Override
        public String encoding() {
            return encoding.getName();
        }

        @Override
        public String toString() {
            return "Tokenizer[" + encoding.getName() + "]";
        }
    }
}
