package dev.godiag.format.pprof;

import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;
import dev.godiag.util.StringTable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes a {@link Profile} as profile.proto, the inverse of {@link ProtoProfileReader}: every
 * field the reader reads is written. The output is streamed: each sample, location and function
 * is encoded into a small reusable buffer and appended to a chunk that goes to the stream when
 * full, so writing allocates nothing per sample (a hand-written varint encoder, no protobuf
 * runtime).
 *
 * <p>Ids are the model's ids (location, function and mapping ids are written as they are). Fields
 * are written in field-number order, as Go's encoder does; the string table is built while
 * encoding and written after the functions (field 6), with index 0 the empty string. Zero scalars
 * are omitted (proto3 defaults), so a string label must have a non-empty value and a numeric label
 * a non-zero value or a unit to survive a round trip (a reader drops labels with neither, as pprof
 * does).
 */
public final class ProtoProfileWriter {
    private static final int CHUNK = 1 << 16;

    private final OutputStream out;
    private final StringTable strings = new StringTable();
    /** The top-level chunk: whole fields of the Profile message, flushed to {@link #out} when full. */
    private final Buf top = new Buf(CHUNK + 1024);
    /** One message (a sample, a location, ...) being encoded. */
    private final Buf msg = new Buf(1024);
    /** A nested message or packed field inside {@link #msg}. */
    private final Buf sub = new Buf(1024);

    private ProtoProfileWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Writes {@code p} as gzip-compressed profile.proto at the default compression level, as
     * pprof's {@code profile.Write} does. Does not close {@code os}.
     */
    public static void write(Profile p, OutputStream os) throws IOException {
        write(p, os, Deflater.DEFAULT_COMPRESSION);
    }

    /**
     * Writes {@code p} as gzip-compressed profile.proto at a {@link Deflater} level (the Go runtime
     * writes its profiles at {@link Deflater#BEST_SPEED}). Does not close {@code os}.
     */
    public static void write(Profile p, OutputStream os, int level) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(nonClosing(os), CHUNK) {
            {
                def.setLevel(level);
            }
        };
        new ProtoProfileWriter(gz).encode(p);
        gz.finish();
        gz.flush();
    }

    /** Writes {@code p} as raw (uncompressed) profile.proto. Does not close {@code os}. */
    public static void writeUncompressed(Profile p, OutputStream os) throws IOException {
        new ProtoProfileWriter(os).encode(p);
        os.flush();
    }

    /** The gzip-compressed encoding of {@code p}. */
    public static byte[] toBytes(Profile p) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            write(p, bos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** The uncompressed encoding of {@code p}. */
    public static byte[] toUncompressedBytes(Profile p) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            writeUncompressed(p, bos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private void encode(Profile p) throws IOException {
        // header strings first, so they get small indexes (they are needed after the string table)
        int[] sampleTypeX = new int[p.sampleTypes().size() * 2];
        for (int i = 0; i < p.sampleTypes().size(); i++) {
            ValueType vt = p.sampleTypes().get(i);
            sampleTypeX[2 * i] = strings.intern(vt.type());
            sampleTypeX[2 * i + 1] = strings.intern(vt.unit());
        }
        int periodTypeX = strings.intern(p.periodType().type());
        int periodUnitX = strings.intern(p.periodType().unit());
        int dropX = strings.intern(p.dropFrames());
        int keepX = strings.intern(p.keepFrames());
        int defaultX = strings.intern(p.defaultSampleType());
        int docX = strings.intern(p.docUrl());
        int[] commentX = new int[p.comments().size()];
        for (int i = 0; i < commentX.length; i++) {
            commentX[i] = strings.intern(p.comments().get(i));
        }

        // 1: sample_type
        for (int i = 0; i < sampleTypeX.length; i += 2) {
            msg.reset();
            msg.uint64Opt(1, sampleTypeX[i]);
            msg.uint64Opt(2, sampleTypeX[i + 1]);
            emit(1, msg);
        }
        writeSamples(p);
        writeMappings(p);
        writeLocations(p);
        writeFunctions(p.functions());

        // 6: string_table (everything is interned by now)
        for (String s : strings.strings()) {
            byte[] b = dev.godiag.util.RawUtf8.encode(s); // invalid UTF-8 read in goes out as it came
            top.tag(6, Wire.LEN);
            top.varint(b.length);
            top.raw(b, 0, b.length);
            maybeFlush();
        }

        top.uint64Opt(7, dropX);
        top.uint64Opt(8, keepX);
        top.uint64Opt(9, p.timeNanos());
        top.uint64Opt(10, p.durationNanos());
        if (!p.periodType().type().isEmpty() || !p.periodType().unit().isEmpty()) {
            msg.reset();
            msg.uint64Opt(1, periodTypeX);
            msg.uint64Opt(2, periodUnitX);
            emit(11, msg);
        }
        top.uint64Opt(12, p.period());
        if (commentX.length > 0) {
            msg.reset();
            for (int c : commentX) {
                msg.varint(c);
            }
            emit(13, msg);
        }
        top.uint64Opt(14, defaultX);
        top.uint64Opt(15, docX);
        flush();
    }

    private void writeSamples(Profile p) throws IOException {
        SampleTable s = p.samples();
        long[] locIds = p.locations().id;
        int k = s.valueCount;
        for (int i = 0, n = s.size(); i < n; i++) {
            msg.reset();
            int from = s.locStart[i];
            int to = s.locStart[i + 1];
            if (to > from) {
                sub.reset();
                for (int j = from; j < to; j++) {
                    sub.varint(locIds[s.locations[j]]);
                }
                msg.lenField(1, sub);
            }
            if (k > 0) {
                sub.reset();
                for (int j = i * k, e = j + k; j < e; j++) {
                    sub.varint(s.values[j]);
                }
                msg.lenField(2, sub);
            }
            for (int j = s.labelStart[i]; j < s.labelStart[i + 1]; j++) {
                sub.reset();
                sub.uint64Opt(1, strings.intern(s.labelKey[j]));
                if (s.labelStr[j] != null) {
                    sub.uint64Opt(2, strings.intern(s.labelStr[j]));
                } else {
                    sub.uint64Opt(3, s.labelNum[j]);
                    if (s.labelUnit[j] != null) {
                        sub.uint64Opt(4, strings.intern(s.labelUnit[j]));
                    }
                }
                msg.lenField(3, sub);
            }
            emit(2, msg);
        }
    }

    private void writeMappings(Profile p) throws IOException {
        for (Mapping m : p.mappings()) {
            msg.reset();
            msg.uint64Opt(1, m.id());
            msg.uint64Opt(2, m.start());
            msg.uint64Opt(3, m.limit());
            msg.uint64Opt(4, m.offset());
            msg.uint64Opt(5, strings.intern(m.file()));
            msg.uint64Opt(6, strings.intern(m.buildId()));
            msg.uint64Opt(7, m.hasFunctions() ? 1 : 0);
            msg.uint64Opt(8, m.hasFilenames() ? 1 : 0);
            msg.uint64Opt(9, m.hasLineNumbers() ? 1 : 0);
            msg.uint64Opt(10, m.hasInlineFrames() ? 1 : 0);
            emit(3, msg);
        }
    }

    private void writeLocations(Profile p) throws IOException {
        LocationTable l = p.locations();
        long[] fnIds = p.functions().id;
        long[] mappingIds = new long[p.mappings().size()];
        for (int i = 0; i < mappingIds.length; i++) {
            mappingIds[i] = p.mappings().get(i).id();
        }
        for (int i = 0, n = l.size(); i < n; i++) {
            msg.reset();
            msg.uint64Opt(1, l.id[i]);
            msg.uint64Opt(2, l.mapping[i] < 0 ? 0 : mappingIds[l.mapping[i]]);
            msg.uint64Opt(3, l.address[i]);
            for (int j = l.lineStart[i]; j < l.lineStart[i + 1]; j++) {
                sub.reset();
                sub.uint64Opt(1, l.lineFunction[j] < 0 ? 0 : fnIds[l.lineFunction[j]]);
                sub.uint64Opt(2, l.lineNumber[j]);
                sub.uint64Opt(3, l.lineColumn[j]);
                msg.lenField(4, sub);
            }
            msg.uint64Opt(5, l.folded[i] ? 1 : 0);
            emit(4, msg);
        }
    }

    private void writeFunctions(FunctionTable f) throws IOException {
        for (int i = 0, n = f.size(); i < n; i++) {
            msg.reset();
            msg.uint64Opt(1, f.id[i]);
            msg.uint64Opt(2, strings.intern(f.name[i]));
            msg.uint64Opt(3, strings.intern(f.systemName[i]));
            msg.uint64Opt(4, strings.intern(f.filename[i]));
            msg.uint64Opt(5, f.startLine[i]);
            emit(5, msg);
        }
    }

    /** Appends {@code m} as length-delimited field {@code field} of the Profile message. */
    private void emit(int field, Buf m) throws IOException {
        top.lenField(field, m);
        maybeFlush();
    }

    private void maybeFlush() throws IOException {
        if (top.len >= CHUNK) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (top.len > 0) {
            out.write(top.data, 0, top.len);
            top.len = 0;
        }
    }

    private static OutputStream nonClosing(OutputStream os) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                os.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                os.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                os.flush();
            }
        };
    }

    /** A growable byte buffer with protobuf wire-format primitives. */
    private static final class Buf {
        byte[] data;
        int len;

        Buf(int capacity) {
            data = new byte[capacity];
        }

        void reset() {
            len = 0;
        }

        private void ensure(int extra) {
            if (len + extra > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, len + extra));
            }
        }

        /** Base-128 varint of the unsigned 64-bit value (negative int64s take 10 bytes, as in Go). */
        void varint(long v) {
            ensure(10);
            byte[] d = data;
            int p = len;
            while ((v & ~0x7fL) != 0) {
                d[p++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            d[p++] = (byte) v;
            len = p;
        }

        void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        /** A varint field, omitted when zero (the proto3 default). */
        void uint64Opt(int field, long v) {
            if (v != 0) {
                tag(field, Wire.VARINT);
                varint(v);
            }
        }

        void lenField(int field, Buf m) {
            tag(field, Wire.LEN);
            varint(m.len);
            raw(m.data, 0, m.len);
        }

        void raw(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, data, len, n);
            len += n;
        }
    }
}
