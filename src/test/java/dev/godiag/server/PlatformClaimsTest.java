package dev.godiag.server;

import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.store.Database;
import dev.godiag.store.StoreLocation;
import dev.godiag.store.UploadRepository;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers on one database analyse each pending upload once (claims), and a server restarted on
 * its data directory takes up at once what it was analysing when it died, while another server's
 * live claim is left alone until it runs out.
 */
class PlatformClaimsTest {
    @TempDir
    Path dir;

    private static Platform platform(Database db, String owner) {
        Clock clock = Clock.systemUTC();
        return new Platform(new Engine(EngineContext.of(TestServer.VERSION)), new UploadRepository(db, clock),
                new Platform.Options(64L << 20, UploadArchives.Limits.defaults(), 2, TestServer.VERSION), clock,
                line -> { }, owner);
    }

    private static List<String> store(UploadRepository repo, int n) throws Exception {
        byte[] cpu = Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "claim" + i;
            repo.save(new UploadRepository.NewUpload(id, Instant.now(), "claims", null, Map.of(), "upload",
                    List.of(new UploadRepository.NewFile("cpu.pprof", "profile", cpu)), UploadRepository.Status.PENDING,
                    null));
            ids.add(id);
        }
        return ids;
    }

    @Test
    void twoServersOnOneDatabaseAnalyseEachUploadOnce() throws Exception {
        try (Database db = Database.open(StoreLocation.parse(null, dir.resolve("godiag.db")))) {
            UploadRepository repo = new UploadRepository(db, Clock.systemUTC());
            List<String> ids = store(repo, 12);
            Platform a = platform(db, "server-a");
            Platform b = platform(db, "server-b");
            try {
                // both sweep at start and both queue all twelve: the claims decide who analyses
                a.start();
                b.start();
                Await.until("all analysed", () -> ids.stream().allMatch(id ->
                        repo.upload(id).orElseThrow().status() == UploadRepository.Status.DONE), () -> "");
                assertThat(a.analysedTotal() + b.analysedTotal()).isEqualTo(12);
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void aRestartedServerTakesUpItsOwnClaimsAndLeavesAnothersLiveClaim() throws Exception {
        try (Database db = Database.open(StoreLocation.parse(null, dir.resolve("godiag.db")))) {
            UploadRepository repo = new UploadRepository(db, Clock.systemUTC());
            List<String> ids = store(repo, 2);
            // died while analysing: its claims still hold for minutes
            assertThat(repo.claim(ids.get(0), "server-a", Instant.now().plusSeconds(600))).isTrue();
            assertThat(repo.claim(ids.get(1), "server-b", Instant.now().plusSeconds(600))).isTrue();
            assertThat(repo.claim(ids.get(1), "server-a", Instant.now().plusSeconds(600))).isFalse();
            Platform restarted = platform(db, "server-a");
            try {
                restarted.start();
                restarted.reanalyse(ids.get(1)); // still pending: queued again only by the sweep, and not claimable
                Await.until("its own upload analysed", () -> repo.upload(ids.get(0)).orElseThrow().status()
                        == UploadRepository.Status.DONE, () -> "");
                assertThat(repo.upload(ids.get(1)).orElseThrow().status()).isEqualTo(UploadRepository.Status.PENDING);
                assertThat(repo.claimable("server-a", 10)).isEmpty();
                assertThat(repo.claimable("server-b", 10)).containsExactly(ids.get(1));
                assertThat(restarted.analysedTotal()).isEqualTo(1);
            } finally {
                restarted.close();
            }
            // once the other server's claim runs out, it is free again
            assertThat(repo.claim(ids.get(1), "server-b", Instant.now().minusSeconds(1))).isTrue();
            assertThat(repo.claimable("server-c", 10)).containsExactly(ids.get(1));
        }
    }
}
