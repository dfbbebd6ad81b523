package dev.godiag.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Archives are unpacked within the server's memory budget: a small zip of several large entries,
 * each under the per-entry limit and all under the upload's total, is refused at the half of the budget the server
 * may hold rather than expanded into gigabytes of heap.
 */
class MemoryBudgetTest {
    private static byte[] zipOfZeros(int entries, int mibEach) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int e = 0; e < entries; e++) {
                zip.putNextEntry(new ZipEntry("capture/part" + e + ".pprof"));
                for (int i = 0; i < mibEach; i++) {
                    zip.write(zeros);
                }
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void anArchiveExpandsNoFurtherThanTheBudgetAllows() throws Exception {
        byte[] zip = zipOfZeros(5, 100); // 500 MiB in a few hundred KiB: within the 512 MiB entry and 1 GiB total limits
        assertThat(zip.length).isLessThan(2 << 20);
        try (TestServer server = TestServer.start(TestServer.Settings.sqlite(), 128L << 20)) {
            TestServer.Answer a = server.post("/api/uploads?name=capture.zip", zip, "application/zip");
            assertThat(a.status()).as(a.body()).isEqualTo(422);
            assertThat(new ObjectMapper().readTree(a.body()).get("error").asText())
                    .startsWith("capture.zip: ").contains("expands beyond 64 MiB");
            // the budget is given back: the next upload is taken
            assertThat(server.platform.memoryFree()).isEqualTo(128L << 20);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                z.putNextEntry(new ZipEntry("capture/cpu.pprof"));
                z.write(java.nio.file.Files.readAllBytes(dev.godiag.testutil.Corpus.file("go1.27/cpuwork/cpu.pprof")));
                z.closeEntry();
            }
            TestServer.Answer ok = server.post("/api/uploads?name=capture.zip&wait=60", out.toByteArray(),
                    "application/zip");
            assertThat(ok.status()).as(ok.body()).isEqualTo(201);
            assertThat(server.platform.memoryFree()).isEqualTo(128L << 20);
        }
    }
}
