package dev.godiag.badinput;

import dev.godiag.util.BadInputException;
import dev.godiag.format.pprof.legacy.LegacyProfileReader;
import dev.godiag.testutil.Godiag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.godiag.badinput.BadInput.assertBadInput;
import static dev.godiag.badinput.Pb.msg;
import static dev.godiag.badinput.Pb.sample;
import static dev.godiag.badinput.Pb.valueType;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages about problems found past the readers (by the fuzz tests): they still name the file
 * and stay short, whether the problem is seen by a legacy parser or by the analysis (no sample
 * types, duplicate sample type names).
 */
class WholeInputMessagesTest {
    @TempDir
    Path dir;

    /**
     * A Go count profile's header names its type ("NAME profile: total N") and the name goes into
     * every error message unshortened: a 20000-character name gives a 20000-character message.
     * Quoted input elsewhere is cut at 60 characters.
     */
    @Test
    void legacyMessageShortensTheProfileTypeName() {
        byte[] data = ("A".repeat(20000) + " profile: total 1\nnot a count line\n").getBytes(StandardCharsets.UTF_8);
        BadInputException e = assertThrows(BadInputException.class, () -> LegacyProfileReader.parse(data));
        assertTrue(e.getMessage().length() < 300, "message of " + e.getMessage().length() + " characters");
    }

    /**
     * A profile whose two sample types share a name (with different units) is read, then
     * rejected by the merge step with "godiag: profiles have no sample type in common": the
     * message does not name the file, and talks of several profiles when there is one.
     * (pprof's own message is the same, "profiles have no common sample types".)
     */
    @Test
    void duplicateSampleTypeNamesAreReportedWithTheFileName() throws IOException {
        Path f = dir.resolve("dup-types.pprof");
        Files.write(f, Pb.strings(msg().msg(1, valueType(1, 2)).msg(1, valueType(1, 3))
                .msg(2, sample(new long[0], 1, 2)), "", "cpu", "nanoseconds", "count").build());
        assertBadInput(Godiag.run("top", f.toString()), f.toString());
    }

    /** A profile.proto with no sample types at all (a valid, empty message) gets the same file-less message. */
    @Test
    void profileWithoutSampleTypesIsReportedWithTheFileName() throws IOException {
        Path f = dir.resolve("no-types.pprof");
        Files.write(f, Pb.strings(msg().uint(12, 100), "").build());
        assertBadInput(Godiag.run("top", f.toString()), f.toString());
    }
}
