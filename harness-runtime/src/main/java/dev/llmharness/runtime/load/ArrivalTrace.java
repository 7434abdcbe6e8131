package dev.llmharness.runtime.load;

import java.util.Arrays;

/**
 * Recorded arrivals to replay, as read from a trace file by {@code data.TraceReader}: each
 * request's offset from the first, in time order, and optionally its input and output lengths in
 * tokens. The one value that a trial's pre-run check, its prompts and its schedule share, so that
 * a file is read once, before any trial's clock starts.
 *
 * <p>Held in primitive columns of {@value #CHUNK} rows, which grow a chunk at a time and are never
 * copied: a week-long Azure trace (27 million requests) takes 8 bytes a request for its times and 4
 * for each length, 432 MB, and no more while it is read (a trace out of time order needs about 2.5
 * times that while it is sorted). Immutable: built by a {@link Builder}, or from arrays, which are
 * copied in; nothing is handed out.
 */
public final class ArrivalTrace {
    /** Marks a length the trace does not give. */
    public static final int UNKNOWN = -1;

    private static final int CHUNK_BITS = 16;

    /** Rows per chunk of a column. */
    static final int CHUNK = 1 << CHUNK_BITS;

    private static final int IN_CHUNK = CHUNK - 1;

    private final String source;
    private final int size;
    /** Offsets from the first request, ns, non-decreasing, in chunks of {@link #CHUNK}. */
    private final long[][] offsets;
    /** Input lengths, or {@code null} when the trace gives none. */
    private final int[][] inputs;
    /** Output lengths, or {@code null} when the trace gives none. */
    private final int[][] outputs;
    /** Requests whose lengths can make a prompt: {@link #hasLengths}. */
    private final int withLengths;

    private ArrivalTrace(String source, int size, long[][] offsets, int[][] inputs, int[][] outputs) {
        this.source = source;
        this.size = size;
        this.offsets = offsets;
        this.inputs = inputs;
        this.outputs = outputs;
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += hasLengths(i) ? 1 : 0;
        }
        this.withLengths = n;
    }

    /**
     * A trace from arrays, copied in.
     *
     * @param source where the trace came from (a file name), for messages and results
     * @param offsetsNanos each request's offset from the first, ns, non-decreasing, starting at 0;
     *     at least one
     * @param inputTokens input length per request, or {@link #UNKNOWN}; same length as the offsets
     * @param outputTokens output length per request, or {@link #UNKNOWN}; same length as the offsets
     */
    public ArrivalTrace(String source, long[] offsetsNanos, int[] inputTokens, int[] outputTokens) {
        this(checked(source, offsetsNanos, inputTokens, outputTokens));
    }

    private ArrivalTrace(Builder built) {
        this(built.source, built.size, built.times, built.inputs, built.outputs);
    }

    private static Builder checked(String source, long[] offsetsNanos, int[] inputTokens, int[] outputTokens) {
        if (offsetsNanos.length == 0) {
            throw new IllegalArgumentException(source + ": the trace has no requests");
        }
        if (inputTokens.length != offsetsNanos.length || outputTokens.length != offsetsNanos.length) {
            throw new IllegalArgumentException(source + ": token lengths and arrivals differ in number");
        }
        if (offsetsNanos[0] != 0) {
            throw new IllegalArgumentException(
                    source + ": the first arrival must be at offset 0, got " + offsetsNanos[0] + " ns");
        }
        Builder b = new Builder(source);
        for (int i = 0; i < offsetsNanos.length; i++) {
            if (i > 0 && offsetsNanos[i] < offsetsNanos[i - 1]) {
                throw new IllegalArgumentException(source + ": arrival " + i + " is earlier than the one before it");
            }
            b.add(offsetsNanos[i], inputTokens[i], outputTokens[i]);
        }
        b.finish();
        return b;
    }

    /** A builder for a trace read from {@code source}. */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /** Where the trace came from. */
    public String source() {
        return source;
    }

    /** Number of requests in the trace, {@code >= 1}. */
    public int size() {
        return size;
    }

    /** Request {@code i}'s offset from the first, as recorded, ns. */
    public long offsetNanos(int i) {
        return offsets[i >>> CHUNK_BITS][i & IN_CHUNK];
    }

    /** Request {@code i}'s input length in tokens, or {@link #UNKNOWN}. */
    public int inputTokens(int i) {
        return inputs == null ? UNKNOWN : inputs[i >>> CHUNK_BITS][i & IN_CHUNK];
    }

    /** Request {@code i}'s output length in tokens, or {@link #UNKNOWN}. */
    public int outputTokens(int i) {
        return outputs == null ? UNKNOWN : outputs[i >>> CHUNK_BITS][i & IN_CHUNK];
    }

    /**
     * Whether request {@code i} has both lengths, each at least 1 token: what a prompt of that many
     * tokens asking for that many can be built from.
     */
    public boolean hasLengths(int i) {
        return inputTokens(i) >= 1 && outputTokens(i) >= 1;
    }

    /** Requests that {@link #hasLengths have lengths}, from 0 to {@link #size()}. */
    public int requestsWithLengths() {
        return withLengths;
    }

    /** From the first arrival to the last, as recorded, ns. */
    public long spanNanos() {
        return offsetNanos(size - 1);
    }

    /** The recorded mean rate, requests per second (0 for one request or a zero span). */
    public double meanRate() {
        return spanNanos() == 0 ? 0 : (size() - 1) / (spanNanos() / 1e9);
    }

    @Override
    public String toString() {
        long[] first = new long[Math.min(3, size)];
        for (int i = 0; i < first.length; i++) {
            first[i] = offsetNanos(i);
        }
        return "ArrivalTrace[" + source + ", " + size + " requests over " + spanNanos() / 1e9 + " s, first "
                + Arrays.toString(first) + "]";
    }

    /**
     * Collects a trace's requests as a reader meets them, in file order, at any instants (ns on one
     * scale, e.g. since the epoch); {@link #build()} puts them in time order (equal instants keep
     * the file's order) and makes the earliest offset 0. One use: a builder is spent by {@code
     * build()}.
     */
    public static final class Builder {
        private final String source;
        private long[][] times = new long[16][];
        private int[][] inputs = new int[16][];
        private int[][] outputs = new int[16][];
        private int size;
        private boolean anyLength;
        private boolean inOrder = true;
        private long earliest = Long.MAX_VALUE;
        private long latest = Long.MIN_VALUE;
        private boolean built;

        private Builder(String source) {
            this.source = source;
        }

        /**
         * Adds the next request of the file.
         *
         * @param atNanos its instant, ns, on the scale of every other request of the trace
         * @param inputTokens its input length, {@code >= 0}, or {@link #UNKNOWN}
         * @param outputTokens its output length, {@code >= 0}, or {@link #UNKNOWN}
         * @throws IllegalStateException past {@link Integer#MAX_VALUE} requests
         */
        public Builder add(long atNanos, int inputTokens, int outputTokens) {
            if (built) {
                throw new IllegalStateException("this trace is already built");
            }
            if (size == Integer.MAX_VALUE) {
                throw new IllegalStateException(source + " holds more than " + Integer.MAX_VALUE + " requests");
            }
            int chunk = size >>> CHUNK_BITS;
            int at = size & IN_CHUNK;
            if (at == 0) {
                if (chunk == times.length) {
                    // Only the chunk tables grow (a few KB), never the rows.
                    times = Arrays.copyOf(times, chunk * 2);
                    inputs = Arrays.copyOf(inputs, chunk * 2);
                    outputs = Arrays.copyOf(outputs, chunk * 2);
                }
                times[chunk] = new long[CHUNK];
                inputs[chunk] = new int[CHUNK];
                outputs[chunk] = new int[CHUNK];
            }
            inOrder &= size == 0 || atNanos >= latestAdded();
            times[chunk][at] = atNanos;
            inputs[chunk][at] = inputTokens;
            outputs[chunk][at] = outputTokens;
            anyLength |= inputTokens != UNKNOWN || outputTokens != UNKNOWN;
            earliest = Math.min(earliest, atNanos);
            latest = Math.max(latest, atNanos);
            size++;
            return this;
        }

        private long latestAdded() {
            int last = size - 1;
            return times[last >>> CHUNK_BITS][last & IN_CHUNK];
        }

        /** Requests added so far. */
        public int size() {
            return size;
        }

        /**
         * The trace: its requests in time order, the earliest at offset 0.
         *
         * @throws IllegalArgumentException when no request was added, or the instants span more
         *     than the 292 years that nanoseconds in a {@code long} hold (the message names the
         *     source)
         */
        public ArrivalTrace build() {
            finish();
            return new ArrivalTrace(this);
        }

        /** Sorts, shifts and trims the columns in place; the builder's state is then the trace's. */
        private void finish() {
            if (built) {
                throw new IllegalStateException("this trace is already built");
            }
            built = true;
            if (size == 0) {
                throw new IllegalArgumentException("trace file " + source + " has no requests");
            }
            if (latest - earliest < 0) {
                // The difference overflowed: instants centuries apart.
                throw new IllegalArgumentException("trace file " + source + " spans more than 292 years (from the"
                        + " earliest timestamp to the latest): check its timestamps");
            }
            int chunks = ((size - 1) >>> CHUNK_BITS) + 1;
            times = Arrays.copyOf(times, chunks);
            inputs = anyLength ? Arrays.copyOf(inputs, chunks) : null;
            outputs = anyLength ? Arrays.copyOf(outputs, chunks) : null;
            if (!inOrder) {
                inTimeOrder();
            }
            for (long[] chunk : times) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] -= earliest;
                }
            }
        }

        /** Rearranges the columns in time order, equal instants in file order. */
        private void inTimeOrder() {
            int[] order = stableOrder();
            long[][] t = new long[times.length][];
            int[][] in = inputs == null ? null : new int[times.length][];
            int[][] out = outputs == null ? null : new int[times.length][];
            for (int c = 0; c < times.length; c++) {
                t[c] = new long[CHUNK];
                if (in != null) {
                    in[c] = new int[CHUNK];
                    out[c] = new int[CHUNK];
                }
            }
            for (int i = 0; i < size; i++) {
                int from = order[i];
                int fc = from >>> CHUNK_BITS;
                int fa = from & IN_CHUNK;
                t[i >>> CHUNK_BITS][i & IN_CHUNK] = times[fc][fa];
                if (in != null) {
                    in[i >>> CHUNK_BITS][i & IN_CHUNK] = inputs[fc][fa];
                    out[i >>> CHUNK_BITS][i & IN_CHUNK] = outputs[fc][fa];
                }
            }
            times = t;
            inputs = in;
            outputs = out;
        }

        /**
         * The rows' indices in time order, equal instants in file order: a bottom-up merge sort of
         * ints (stable, and no boxing of millions of rows).
         */
        private int[] stableOrder() {
            int[] a = new int[size];
            for (int i = 0; i < size; i++) {
                a[i] = i;
            }
            int[] b = new int[size];
            for (long width = 1; width < size; width *= 2) {
                for (long lo = 0; lo < size; lo += 2 * width) {
                    int mid = (int) Math.min(lo + width, size);
                    int hi = (int) Math.min(lo + 2 * width, size);
                    int i = (int) lo;
                    int j = mid;
                    int k = (int) lo;
                    while (i < mid && j < hi) {
                        // The right run's row goes first only when strictly earlier: equal stay in order.
                        b[k++] = at(a[j]) < at(a[i]) ? a[j++] : a[i++];
                    }
                    while (i < mid) {
                        b[k++] = a[i++];
                    }
                    while (j < hi) {
                        b[k++] = a[j++];
                    }
                }
                int[] swap = a;
                a = b;
                b = swap;
            }
            return a;
        }

        private long at(int row) {
            return times[row >>> CHUNK_BITS][row & IN_CHUNK];
        }
    }
}
