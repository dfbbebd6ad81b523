package dev.godiag.cli;

import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** godiag serve's settings: each mistake is one line and exit 2, before anything is served. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private Peers.Result serve(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "serve";
        all[1] = "--data-dir";
        all[2] = dir.resolve("data").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return Godiag.run(all);
    }

    private static void oneLine(Peers.Result r, String expected) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().lines()).hasSize(1);
        assertThat(r.stderr().strip()).startsWith("godiag: ").contains(expected);
    }

    @Test
    void aShortOrMissingTokenFileIsRefused() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "short\n");
        oneLine(serve("--auth-token-file", token.toString()), "--auth-token-file " + token
                + ": the token must be at least 16 characters on the first line");
        oneLine(serve("--auth-token-file", dir.resolve("none").toString()), "cannot read it");
    }

    @Test
    void aBadSizeThreadCountOrAllowlistEntryIsRefused() {
        oneLine(serve("--max-upload", "lots"), "--max-upload lots: want a size such as 256MiB or 1GiB");
        oneLine(serve("--analysis-threads", "0"), "--analysis-threads must be from 1 to 256");
        oneLine(serve("--capture-allow", "http://x/"), "--capture-allow 'http://x/'");
        oneLine(serve("--listen", "nowhere"), "--listen nowhere: want HOST:PORT or :PORT");
        oneLine(serve("--read-only", "--guard-config", "g.yml"), "--guard-config needs a server that writes");
    }

    @Test
    void aPortInUseIsOneLineAndTheStoreIsLeftClosed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Peers.Result r = serve("--listen", "127.0.0.1:" + taken.getLocalPort());
            oneLine(r, "--listen 127.0.0.1:" + taken.getLocalPort() + ": cannot serve there: ");
        }
        // the database was made and closed: a second server can open it
        assertThat(dir.resolve("data/godiag.db")).exists();
    }
}
