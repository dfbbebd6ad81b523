package dev.godiag.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Bytes that are not UTF-8 survive a trip through a String, judged by Go's rules of validity. */
class RawUtf8Test {
    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void validTextIsPlainText() {
        String s = "main.π → 😀";
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        assertThat(RawUtf8.decode(bytes)).isEqualTo(s);
        assertThat(RawUtf8.encode(s)).isEqualTo(bytes);
        assertThat(RawUtf8.hasRawBytes(s)).isFalse();
        // a U+FFFD in the text is text
        assertThat(RawUtf8.decode(b(0x61, 0xef, 0xbf, 0xbd))).isEqualTo("a\uFFFD");
    }

    @Test
    void eachInvalidByteIsKeptAloneAsGoReadsIt() {
        // Go's utf8.DecodeRune takes one byte of an invalid sequence and goes on with the next
        assertThat(RawUtf8.decode(b('a', 0xff, 'b'))).isEqualTo("a\uDCFFb");
        assertThat(RawUtf8.decode(b(0xe2, 0x82))).isEqualTo("\uDCE2\uDC82"); // cut short
        assertThat(RawUtf8.decode(b(0xc0, 0xaf))).isEqualTo("\uDCC0\uDCAF"); // overlong '/'
        assertThat(RawUtf8.decode(b(0xed, 0xa0, 0x80))).isEqualTo("\uDCED\uDCA0\uDC80"); // a surrogate
        assertThat(RawUtf8.decode(b(0xf4, 0x90, 0x80, 0x80))).isEqualTo("\uDCF4\uDC90\uDC80\uDC80"); // > U+10FFFF
        assertThat(RawUtf8.decode(b(0xcf, 0x80, 0x80))).isEqualTo("π\uDC80");
        assertThat(RawUtf8.decode(b(0xf0, 0x9f, 0x98, 0x80, 0xff))).isEqualTo("😀\uDCFF");
    }

    @Test
    void textOutputGetsTheBytesBackJsonGetsReplacementCharacters() {
        byte[] raw = b('f', 0xff, 0xcf, 0x80, 0xe2, 0x82);
        String s = RawUtf8.decode(raw);
        assertThat(RawUtf8.hasRawBytes(s)).isTrue();
        assertThat(RawUtf8.encode(s)).isEqualTo(raw);
        assertThat(RawUtf8.toUnicode(s)).isEqualTo("f\uFFFDπ\uFFFD\uFFFD");
        // a real surrogate pair whose low half is in the escape range is a character, not a byte
        String skull = "\uD83D\uDC80";
        assertThat(RawUtf8.hasRawBytes(skull)).isFalse();
        assertThat(RawUtf8.toUnicode(skull)).isEqualTo(skull);
        assertThat(RawUtf8.encode(skull)).isEqualTo(skull.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void namesCompareByTheirBytesAsInGo() {
        // Go compares bytes: 0xff after U+E000 (ee 80 80) and after an emoji (f0 ...); 0x80 before 'é' (c3 a9)
        String ff = RawUtf8.decode(b('a', 0xff));
        String e80 = RawUtf8.decode(b('a', 0x80));
        assertThat(GoFormat.compareGo(ff, "a\uE000")).isPositive();
        assertThat(GoFormat.compareGo(ff, "a😀")).isPositive();
        assertThat(GoFormat.compareGo(e80, "aé")).isNegative();
        assertThat(GoFormat.compareGo(e80, "a~")).isPositive();
        assertThat(GoFormat.compareGo(RawUtf8.decode(b('a', 0xc3)), "aé")).isNegative(); // c3 < c3 a9
        assertThat(GoFormat.compareGo(ff, ff)).isZero();
    }

    @Test
    void anyBytesRoundTrip() {
        Random r = new Random(3);
        int withRaw = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[r.nextInt(12)];
            for (int k = 0; k < bytes.length; k++) {
                // mostly the bytes UTF-8 is made of, so valid sequences occur too
                int pick = r.nextInt(6);
                bytes[k] = (byte) (pick == 0 ? r.nextInt(0x80) : pick < 3 ? 0x80 + r.nextInt(0x40)
                        : pick == 3 ? 0xc0 + r.nextInt(0x20) : pick == 4 ? 0xe0 + r.nextInt(0x10) : 0xf0 + r.nextInt(0x10));
            }
            String s = RawUtf8.decode(bytes);
            assertThat(RawUtf8.encode(s)).isEqualTo(bytes);
            // where Java's strict decoder takes the bytes (its rules of validity are Go's), no byte is kept
            boolean valid;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
                valid = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                valid = false;
            }
            assertThat(RawUtf8.hasRawBytes(s)).isEqualTo(!valid);
            if (valid) {
                assertThat(s).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
            }
            withRaw += RawUtf8.hasRawBytes(s) ? 1 : 0;
        }
        assertThat(withRaw).isGreaterThan(1000);
    }
}
