package dev.godiag.guard.scrape;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.godiag.guard.config.HttpSettings;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tls_config against a JDK HTTPS server with a certificate for the name guard.test only (made by
 * the JDK's keytool) that requires a client certificate (the same one): the CA file, server_name, the client
 * certificate and key, insecure_skip_verify, and what fails without each.
 */
class TlsTargetTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String METRICS = "go_goroutines 42\n";

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static String address;
    private static TargetScraper scraper;

    @BeforeAll
    static void start() throws Exception {
        // one key pair serves as the server's certificate and as the client's (a keytool run is a JVM start)
        Path serverStore = keyPair("server", "CN=guard.test", "SAN=dns:guard.test");
        Path clientStore = serverStore;
        pem(serverStore, "server", dir.resolve("ca.pem"), null);
        pem(clientStore, "server", dir.resolve("client.pem"), dir.resolve("client.key"));

        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(serverStore), PASSWORD);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("client", load(clientStore).getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/metrics", x -> {
            byte[] b = METRICS.getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
        address = "127.0.0.1:" + server.getAddress().getPort();
        scraper = new TargetScraper();
    }

    @AfterAll
    static void stop() {
        if (scraper != null) {
            scraper.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static Path keyPair(String alias, String dname, String san) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
        if (san != null) {
            cmd.addAll(List.of("-ext", san));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("keytool: %s", out).isTrue();
        return store;
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** The certificate as PEM, and the private key as PKCS#8 PEM when {@code key} is given. */
    private static void pem(Path store, String alias, Path cert, Path key) throws Exception {
        KeyStore ks = load(store);
        Certificate c = ks.getCertificate(alias);
        Files.writeString(cert, block("CERTIFICATE", c.getEncoded()));
        if (key != null) {
            Files.writeString(key, block("PRIVATE KEY", ks.getKey(alias, PASSWORD).getEncoded()));
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static Reading scrape(HttpSettings.Tls tls) {
        ScrapeJob job = Jobs.job("tls", "https", "/metrics", Duration.ofSeconds(10), new HttpSettings(null, null, tls));
        return scraper.scrape(job, Jobs.target(job, address));
    }

    @Test
    void verifiesTheServerByItsNameAndShowsTheClientCertificate() {
        Reading r = scrape(new HttpSettings.Tls(dir.resolve("ca.pem"), dir.resolve("client.pem"),
                dir.resolve("client.key"), "guard.test", false));
        assertThat(r.error()).isNull();
        assertThat(r.value(Metric.GOROUTINES)).hasValue(42);
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        Reading r = scrape(new HttpSettings.Tls(dir.resolve("ca.pem"), dir.resolve("client.pem"),
                dir.resolve("client.key"), null, false));
        assertThat(r.error()).startsWith("TLS: ").contains("certificate is not valid for 127.0.0.1");
    }

    @Test
    void anUnknownIssuerIsRefused() {
        Reading r = scrape(new HttpSettings.Tls(null, dir.resolve("client.pem"), dir.resolve("client.key"),
                "guard.test", false));
        assertThat(r.error()).startsWith("TLS: ");
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() {
        Reading r = scrape(new HttpSettings.Tls(null, dir.resolve("client.pem"), dir.resolve("client.key"), null, true));
        assertThat(r.value(Metric.GOROUTINES)).hasValue(42);
    }

    @Test
    void withoutTheClientCertificateTheServerRefuses() {
        Reading r = scrape(new HttpSettings.Tls(dir.resolve("ca.pem"), null, null, "guard.test", false));
        assertThat(r.up()).isFalse();
    }

    @Test
    void unreadableKeyFilesAreOneLine() throws IOException {
        Path pkcs1 = dir.resolve("rsa.key");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Reading r = scrape(new HttpSettings.Tls(dir.resolve("ca.pem"), dir.resolve("client.pem"), pkcs1, null, false));
        assertThat(r.error()).isEqualTo("tls_config: key_file " + pkcs1 + " is RSA PRIVATE KEY (PKCS#1 or SEC 1):"
                + " convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt");
        Path missing = dir.resolve("missing.pem");
        assertThat(scrape(new HttpSettings.Tls(missing, null, null, null, false)).error())
                .startsWith("tls_config: cannot read ca_file " + missing);
    }
}
