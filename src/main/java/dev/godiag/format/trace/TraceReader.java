package dev.godiag.format.trace;

import dev.godiag.model.trace.CpuSample;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceStack;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.util.BadInputException;
import dev.godiag.util.LongObjectMap;
import dev.godiag.util.RawUtf8;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads Go execution traces ({@code runtime/trace}, {@code /debug/pprof/trace},
 * {@code go test -trace}) one generation at a time: a generation's batches are gathered, its tables
 * decoded, its events put in Go's order ({@link ThreadMerge} with {@link TraceOrder}, Go's
 * ordering state machine: by time, each event held back until its scheduler preconditions and
 * sequence numbers hold) and handed to the consumer, then dropped. Events are decoded from the
 * raw batches as the merge reaches them and handed over in parts of at most about 64k events
 * (consecutive {@link TraceGeneration}s with the same number and tables), so memory is bounded by
 * the largest generation's batch data ({@code maxGenerationBytes}), one part's objects and the live
 * goroutines, Ps and threads whose states carry over, not by the file or a generation's event count.
 *
 * <p>A generation ends at its EndOfGeneration batch (Go 1.26+) or where the next generation's
 * first batch starts (Go 1.22-1.25). Experimental batches are skipped, as Go's reader skips them.
 * A file that is not a trace throws {@link BadInputException}, and so does a trace that breaks
 * the scheduler's rules (a goroutine created without a P, an event whose predecessors never come,
 * a stack id the tables lack...): Go's reader fails the whole read there, with the words used here.
 * A trace damaged or cut short after its header gives every generation complete before the damage
 * and one warning.
 *
 * <p>Traces of Go 1.11-1.21 (the old format: headers "go 1.11", "go 1.19", "go 1.21") go to
 * {@link V1TraceReader}: read whole and converted to the same events as Go 1.27 does, handed over
 * in slices; damage there fails the read with one line, as it fails Go's.
 */
public final class TraceReader {
    /** Batch data a generation may hold; Go's runtime starts a new generation about every second. */
    public static final long DEFAULT_MAX_GENERATION_BYTES = 64L << 20;

    private static final int EV_EVENT_BATCH = 1;
    private static final int EV_STACKS = 2;
    private static final int EV_STACK = 3;
    private static final int EV_STRINGS = 4;
    private static final int EV_STRING = 5;
    private static final int EV_CPU_SAMPLES = 6;
    private static final int EV_CPU_SAMPLE = 7;
    private static final int EV_FREQUENCY = 8;
    private static final int EV_EXPERIMENTAL_BATCH = 49;
    private static final int EV_SYNC = 50;
    private static final int EV_CLOCK_SNAPSHOT = 51;
    private static final int EV_END_OF_GENERATION = 52;
    private static final int MAX_BATCH_SIZE = 64 << 10;
    private static final int MAX_FRAMES_PER_STACK = 128;
    private static final int MAX_STRING_SIZE = 1 << 10;
    private static final int HEADER_LENGTH = 16;

    private final long maxGenerationBytes;
    private final int partEvents;

    public TraceReader() {
        this(DEFAULT_MAX_GENERATION_BYTES);
    }

    public TraceReader(long maxGenerationBytes) {
        this(maxGenerationBytes, ThreadMerge.PART_EVENTS);
    }

    /** A reader handing generations on in parts of at most {@code partEvents} events (small ones in tests). */
    TraceReader(long maxGenerationBytes, int partEvents) {
        if (partEvents < 1) {
            throw new IllegalArgumentException("partEvents must be positive, not " + partEvents);
        }
        this.maxGenerationBytes = maxGenerationBytes;
        this.partEvents = partEvents;
    }

    /**
     * Reads the trace, handing each generation to {@code sink} in file order. A generation may come
     * in parts: consecutive {@link TraceGeneration}s with the same {@link TraceGeneration#number()}
     * and the same tables, each with at most about 64k events in Go's order (CPU samples with the
     * part whose time they fall in), so that a generation is never held as objects all at once.
     *
     * @throws BadInputException when the input is not a Go execution trace, breaks the scheduler's rules as
     *                           Go's reader checks them (generations before it were handed over), or is an
     *                           old-format one that is damaged or too large (one line)
     */
    public TraceSummary read(InputStream input, Consumer<TraceGeneration> sink) throws IOException {
        return readParts(input, (g, part) -> sink.accept(g));
    }

    /** Receives each part of a generation with the ordering's result for its events (null for an old format). */
    interface PartSink {
        void accept(TraceGeneration generation, ThreadMerge.Part part);
    }

    /** As {@link #read(InputStream, Consumer)}, with the ordering's result, so that it is not computed twice. */
    TraceSummary readParts(InputStream input, PartSink sink) throws IOException {
        InputStream buffered = input instanceof BufferedInputStream ? input : new BufferedInputStream(input, 1 << 16);
        Bytes in = new Bytes(buffered);
        int minor = readHeader(in);
        if (minor < 22) {
            return new V1TraceReader().read(buffered, minor, g -> sink.accept(g, null));
        }
        int generations = 0;
        long[] events = {0};
        Batch spill = null;
        long lastTime = 0;
        TraceOrder order = new TraceOrder();
        while (true) {
            GenerationBuilder g = new GenerationBuilder(minor, partEvents);
            g.lastTime = lastTime;
            String damage = null;
            boolean complete;
            try {
                if (spill != null) {
                    g.add(spill);
                    spill = null;
                }
                complete = minor >= 26 ? readUntilEnd(in, g) : (spill = readUntilNext(in, g)) != null || g.number != 0;
            } catch (Damage d) {
                damage = d.getMessage();
                // before 1.26 a generation has no end marker: Go keeps what was gathered before the damage
                // (and orders it: a trace breaking the scheduler's rules there is refused, as by Go)
                complete = minor < 26 && g.number != 0 && g.frequency != 0;
            }
            if (complete) {
                try {
                    g.build(order, (done, part) -> {
                        events[0] += done.events().size();
                        sink.accept(done, part);
                    });
                    lastTime = g.lastTime;
                    generations++;
                } catch (Damage d) {
                    damage = damage != null ? damage : d.getMessage();
                }
            }
            if (damage != null) {
                return new TraceSummary(minor, generations, events[0], Optional.of(
                        "trace damaged at byte " + in.offset + ": " + damage + "; read " + generations
                                + " complete generation" + (generations == 1 ? "" : "s") + " before it"));
            }
            if (!complete || (minor < 26 && spill == null)) {
                return new TraceSummary(minor, generations, events[0], Optional.empty());
            }
        }
    }

    private static int readHeader(Bytes in) throws IOException {
        byte[] h = in.readUpTo(HEADER_LENGTH);
        String text = new String(h, StandardCharsets.ISO_8859_1);
        int end = text.indexOf(" trace\0\0\0");
        if (!text.startsWith("go 1.") || end < 6 || end > 7 || !text.substring(5, end).chars().allMatch(Character::isDigit)
                || h.length < HEADER_LENGTH) {
            throw new BadInputException("not a Go execution trace: it does not start with \"go 1.N trace\"");
        }
        int minor = Integer.parseInt(text.substring(5, end));
        if (minor != 11 && minor != 19 && minor != 21 && minor != 22 && minor != 23 && minor != 25 && minor != 26) {
            throw new BadInputException("unknown or unsupported trace version go 1." + minor);
        }
        return minor;
    }

    /** Go 1.26+: batches up to the EndOfGeneration marker; false at the end of the input. */
    private boolean readUntilEnd(Bytes in, GenerationBuilder g) throws IOException {
        while (true) {
            Batch b = readBatch(in);
            if (b == null) {
                if (g.batchCount > 0) {
                    throw new Damage("the last generation is incomplete; the trace was likely truncated");
                }
                return false;
            }
            if (b.endOfGeneration) {
                return true;
            }
            if (b.gen == 0) {
                throw new Damage("invalid generation number 0");
            }
            if (g.number != 0 && b.gen != g.number) {
                throw new Damage("generation " + b.gen + " inside generation " + g.number
                        + " (missing end-of-generation marker)");
            }
            g.add(b);
            checkSize(g);
        }
    }

    /** Go 1.22-1.25: batches until one of the next generation, which is returned (null at the end). */
    private Batch readUntilNext(Bytes in, GenerationBuilder g) throws IOException {
        while (true) {
            Batch b = readBatch(in);
            if (b == null) {
                return null;
            }
            if (b.endOfGeneration || b.gen == 0) {
                throw new Damage("invalid generation number 0");
            }
            if (g.number != 0 && b.gen == g.number + 1) {
                return b;
            }
            if (g.number != 0 && b.gen != g.number) {
                throw new Damage("generations out of order: " + b.gen + " after " + g.number);
            }
            g.add(b);
            checkSize(g);
        }
    }

    private void checkSize(GenerationBuilder g) {
        if (g.bytes > maxGenerationBytes) {
            throw new Damage("generation " + g.number + " holds more than " + (maxGenerationBytes >> 20)
                    + " MiB of events, more than godiag reads in one generation");
        }
    }

    private static Batch readBatch(Bytes in) throws IOException {
        int kind = in.read();
        if (kind < 0) {
            return null;
        }
        if (kind == EV_END_OF_GENERATION) {
            return new Batch(0, 0, 0, 0, null, true);
        }
        if (kind != EV_EVENT_BATCH && kind != EV_EXPERIMENTAL_BATCH) {
            throw new Damage("expected a batch, found event type " + kind);
        }
        int experiment = 0;
        if (kind == EV_EXPERIMENTAL_BATCH) {
            experiment = in.readByteOrDamage("batch experiment");
        }
        long gen = in.uvarint("batch generation");
        long m = in.uvarint("batch thread");
        long time = in.uvarint("batch timestamp");
        long size = in.uvarint("batch size");
        if (Long.compareUnsigned(size, MAX_BATCH_SIZE) > 0) {
            throw new Damage("batch of " + Long.toUnsignedString(size) + " bytes, the maximum is " + MAX_BATCH_SIZE);
        }
        byte[] data = in.readUpTo((int) size);
        if (data.length != size) {
            throw new Damage("the input ends inside a batch (" + data.length + " of " + size
                    + " bytes): the trace was likely truncated");
        }
        return new Batch(experiment, gen, m, time, data, false);
    }

    private record Batch(int experiment, long gen, long thread, long time, byte[] data, boolean endOfGeneration) {
        int first() {
            return data.length > 0 ? data[0] & 0xff : -1;
        }
    }

    /** Damage inside a trace: ends the read with a warning. */
    private static final class Damage extends RuntimeException {
        Damage(String message) {
            super(message, null, false, false);
        }
    }

    /** One generation's batches on the way in; tables decoded as they come, events at the end. */
    private static final class GenerationBuilder {
        final int minor;
        long number;
        long minTicks;
        long bytes;
        int batchCount;
        long frequency;
        boolean hasClockSnapshot;
        long snapshotTicks;
        long wallClockNanos = -1;
        int experimental;
        final Map<Long, String> strings = new HashMap<>();
        /** The same strings, looked up per event without boxing. */
        final LongObjectMap<String> stringIds = new LongObjectMap<>();
        final Map<Long, long[]> rawStacks = new LinkedHashMap<>();
        /** Function, file and line by PC: the first frame written for a PC holds for the generation, as in Go. */
        final Map<Long, long[]> framesByPc = new HashMap<>();
        final List<long[]> rawSamples = new ArrayList<>();
        /** Event batches by thread, threads in the order of their first batch (as Go groups them). */
        final Map<Long, List<Batch>> eventBatches = new LinkedHashMap<>();

        final int partEvents;

        GenerationBuilder(int minor, int partEvents) {
            this.minor = minor;
            this.partEvents = partEvents;
        }

        void add(Batch b) {
            if (number == 0) {
                number = b.gen;
            }
            if (batchCount == 0 || Long.compareUnsigned(b.time, minTicks) < 0) {
                minTicks = b.time;
            }
            batchCount++;
            bytes += b.data.length;
            if (b.experiment != 0) {
                experimental++;
                return;
            }
            int first = b.first();
            if (first == EV_STRINGS) {
                addStrings(b);
            } else if (first == EV_STACKS) {
                addStacks(b);
            } else if (first == EV_CPU_SAMPLES) {
                addSamples(b);
            } else if ((first == EV_FREQUENCY && minor < 25) || (first == EV_SYNC && minor >= 25)) {
                addSync(b);
            } else {
                eventBatches.computeIfAbsent(b.thread, t -> new ArrayList<>()).add(b);
            }
        }

        private void addStrings(Batch b) {
            Cursor c = new Cursor(b.data, 1);
            while (c.more()) {
                c.expect(EV_STRING, "string");
                long id = c.uvarint();
                long len = c.uvarint();
                if (Long.compareUnsigned(len, MAX_STRING_SIZE) > 0) {
                    throw new Damage("string of " + Long.toUnsignedString(len) + " bytes, the maximum is "
                            + MAX_STRING_SIZE);
                }
                String s = RawUtf8.decode(b.data, c.take((int) len), (int) len);
                stringIds.putIfAbsent(id, s);
                if (strings.putIfAbsent(id, s) != null) {
                    throw new Damage("string id " + Long.toUnsignedString(id) + " appears twice");
                }
            }
        }

        private void addStacks(Batch b) {
            Cursor c = new Cursor(b.data, 1);
            while (c.more()) {
                c.expect(EV_STACK, "stack");
                long id = c.uvarint();
                long n = c.uvarint();
                if (Long.compareUnsigned(n, MAX_FRAMES_PER_STACK) > 0) {
                    throw new Damage("stack of " + Long.toUnsignedString(n) + " frames, the maximum is "
                            + MAX_FRAMES_PER_STACK);
                }
                long[] frames = new long[(int) n * 4];
                for (int i = 0; i < frames.length; i += 4) {
                    frames[i] = c.uvarint();
                    long[] frame = {c.uvarint(), c.uvarint(), c.uvarint()};
                    framesByPc.putIfAbsent(frames[i], frame);
                }
                if (rawStacks.putIfAbsent(id, frames) != null) {
                    throw new Damage("stack id " + Long.toUnsignedString(id) + " appears twice");
                }
            }
        }

        private void addSamples(Batch b) {
            Cursor c = new Cursor(b.data, 1);
            while (c.more()) {
                c.expect(EV_CPU_SAMPLE, "CPU sample");
                rawSamples.add(new long[] {c.uvarint(), c.uvarint(), c.uvarint(), c.uvarint(), c.uvarint()});
            }
        }

        private void addSync(Batch b) {
            Cursor c = new Cursor(b.data, minor >= 25 ? 1 : 0);
            long lastTicks = b.time;
            while (c.more()) {
                int ev = c.next();
                if (ev == EV_FREQUENCY) {
                    if (frequency != 0) {
                        throw new Damage("two frequency events in one generation");
                    }
                    frequency = c.uvarint();
                    if (frequency == 0) {
                        throw new Damage("a trace clock frequency of 0");
                    }
                } else if (ev == EV_CLOCK_SNAPSHOT && minor >= 25) {
                    if (hasClockSnapshot) {
                        throw new Damage("two clock snapshots in one generation");
                    }
                    hasClockSnapshot = true;
                    lastTicks += c.uvarint();
                    snapshotTicks = lastTicks;
                    c.uvarint(); // the monotonic clock: Go keeps it only to pair with the wall clock
                    long sec = c.uvarint();
                    long nsec = c.uvarint();
                    wallClockNanos = sec * 1_000_000_000L + nsec;
                } else {
                    throw new Damage("expected a frequency or clock snapshot event, found type " + ev);
                }
            }
        }

        /** The time of the last event handed over, carried from generation to generation. */
        long lastTime;

        /**
         * Orders the generation's events and hands it on in parts. Every batch is checked first, so
         * damage fails the generation before any part of it goes out.
         */
        void build(TraceOrder order, PartSink sink) {
            if (frequency == 0) {
                throw new Damage("generation " + number + " has no frequency event");
            }
            if (minor >= 25 && !hasClockSnapshot) {
                throw new Damage("generation " + number + " has no clock snapshot");
            }
            // Go's scale: nanoseconds per tick, as a float64
            double nsPerTick = 1.0 / (unsignedDouble(frequency) / 1e9);
            Map<Long, TraceStack> stacks = new HashMap<>(rawStacks.size() * 2);
            LongObjectMap<TraceStack> stackIds = new LongObjectMap<>(rawStacks.size());
            for (Map.Entry<Long, long[]> e : rawStacks.entrySet()) {
                TraceStack stack = resolve(e.getKey(), e.getValue());
                stacks.put(e.getKey(), stack);
                stackIds.put(e.getKey(), stack);
            }
            List<BatchEvents> threads = new ArrayList<>(eventBatches.size());
            for (List<Batch> batches : eventBatches.values()) {
                for (Batch b : batches) {
                    checkEvents(b);
                }
                BatchEvents t = new BatchEvents(batches, nsPerTick);
                t.next();
                threads.add(t);
            }
            eventBatches.clear();
            List<CpuSample> samples = new ArrayList<>(rawSamples.size());
            for (long[] s : rawSamples) {
                samples.add(new CpuSample(ns(s[0], nsPerTick), s[1], s[2], s[3], s[4]));
            }
            rawSamples.clear();
            samples.sort(Comparator.comparingLong(CpuSample::time));
            Map<Long, String> stringTable = Map.copyOf(strings);
            Map<Long, TraceStack> stackTable = Map.copyOf(stacks);
            long snapshot = hasClockSnapshot ? ns(snapshotTicks, nsPerTick) : -1;
            // Go's reader makes times strictly increasing over the whole read: the generation's sync
            // event first, then events (in Go's order) and CPU samples, each at least 1 ns after the last
            long start = Math.max(ns(minTicks, nsPerTick), lastTime + 1);
            lastTime = ThreadMerge.merge(threads, partEvents, samples, order, number, strings,
                    e -> checkTableIds(e, stackIds), start,
                    part -> sink.accept(new TraceGeneration(number, frequency, stringTable, stackTable,
                            Collections.unmodifiableList(part.events()), Collections.unmodifiableList(part.samples()),
                            snapshot, wallClockNanos, experimental), part));
        }

        /** A thread's events, decoded from its batches one at a time; each batch let go once read. */
        private final class BatchEvents extends ThreadMerge.EventSource {
            private final List<Batch> batches;
            private final double nsPerTick;
            private int batch = -1;
            private Cursor cursor;
            private long thread;
            private long last;

            BatchEvents(List<Batch> batches, double nsPerTick) {
                this.batches = batches;
                this.nsPerTick = nsPerTick;
            }

            @Override
            void next() {
                while (cursor == null || !cursor.more()) {
                    if (batch >= 0) {
                        batches.set(batch, null);
                    }
                    if (++batch == batches.size()) {
                        head = null;
                        return;
                    }
                    Batch b = batches.get(batch);
                    cursor = new Cursor(b.data, 0);
                    thread = b.thread;
                    last = ns(b.time, nsPerTick);
                }
                TraceEventType type = TraceEventType.of(cursor.next(), minor);
                // like Go: each delta is scaled on its own and added to the last event's time
                long time = ns(cursor.uvarint(), nsPerTick) + last;
                last = time;
                long[] args = new long[type.args().size()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = cursor.uvarint();
                }
                head = new TraceEvent(type, time, thread, args);
            }
        }

        /** Checks a batch's events as {@link BatchEvents} will read them (types known, numbers whole). */
        private void checkEvents(Batch b) {
            Cursor c = new Cursor(b.data, 0);
            while (c.more()) {
                int code = c.next();
                TraceEventType type = TraceEventType.of(code, minor);
                if (type == null) {
                    throw new Damage("event type " + code + " is not a timed event of a Go 1." + minor + " trace");
                }
                for (int i = type.args().size(); i >= 0; i--) {
                    c.uvarint();
                }
            }
        }

        private TraceStack resolve(long id, long[] raw) {
            List<TraceFrame> frames = new ArrayList<>(raw.length / 4);
            for (int i = 0; i < raw.length; i += 4) {
                long[] frame = framesByPc.get(raw[i]);
                String function = tableString(frame[0]);
                String file = tableString(frame[1]);
                if (function == null || file == null) {
                    throw new Damage("stack " + Long.toUnsignedString(id) + " names string "
                            + Long.toUnsignedString(function == null ? frame[0] : frame[1])
                            + ", which the string table lacks");
                }
                frames.add(new TraceFrame(raw[i], function, file, frame[2]));
            }
            return new TraceStack(id, frames);
        }

        /** Go's check before it hands an event out: its stack and string ids are in the tables. */
        private void checkTableIds(TraceEvent e, LongObjectMap<TraceStack> stacks) {
            long[] a = e.args();
            int mask = e.type().tableIdArgs();
            for (int i = 0; mask != 0; i++, mask >>>= 1) {
                long id = a[i];
                if ((mask & 1) == 0 || id == 0) {
                    continue;
                }
                boolean string = e.type().args().get(i).endsWith("_string");
                if (string ? !stringIds.containsKey(id) : !stacks.containsKey(id)) {
                    throw new BadInputException("invalid trace: found invalid " + (string ? "string" : "stack")
                            + " ID " + Long.toUnsignedString(id) + " for event " + e.type().goName() + " at "
                            + e.time() + " ns");
                }
            }
        }

        /** String id 0 is the empty string, as in Go. */
        private String tableString(long id) {
            return id == 0 ? "" : strings.get(id);
        }
    }

    /** Go's Time(float64(t) * f): the product truncated toward zero. */
    static long ns(long ticks, double nsPerTick) {
        return (long) (unsignedDouble(ticks) * nsPerTick);
    }

    private static double unsignedDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** A bounds-checked varint cursor over one batch's data. */
    private static final class Cursor {
        private final byte[] data;
        private int pos;

        Cursor(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        boolean more() {
            return pos < data.length;
        }

        int next() {
            return data[pos++] & 0xff;
        }

        void expect(int type, String what) {
            int t = next();
            if (t != type) {
                throw new Damage("expected a " + what + " event, found type " + t);
            }
        }

        int take(int n) {
            if (n > data.length - pos) {
                throw new Damage("data runs past the end of its batch");
            }
            int at = pos;
            pos += n;
            return at;
        }

        long uvarint() {
            if (pos < data.length && data[pos] >= 0) {
                return data[pos++]; // one byte: most deltas and arguments
            }
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= data.length) {
                    throw new Damage("a number runs past the end of its batch");
                }
                int b = data[pos++] & 0xff;
                if (shift == 63 && b > 1) {
                    throw new Damage("a number overflows 64 bits");
                }
                v |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return v;
                }
            }
            throw new Damage("a number overflows 64 bits");
        }
    }

    /** The input with its offset, for the warning. */
    private static final class Bytes {
        private final InputStream in;
        long offset;

        Bytes(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                offset++;
            }
            return b;
        }

        int readByteOrDamage(String what) throws IOException {
            int b = read();
            if (b < 0) {
                throw new Damage("the input ends inside the " + what + ": the trace was likely truncated");
            }
            return b;
        }

        long uvarint(String what) throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByteOrDamage(what);
                if (shift == 63 && b > 1) {
                    throw new Damage("the " + what + " overflows 64 bits");
                }
                v |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return v;
                }
            }
            throw new Damage("the " + what + " overflows 64 bits");
        }

        byte[] readUpTo(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            offset += b.length;
            return b;
        }
    }
}
