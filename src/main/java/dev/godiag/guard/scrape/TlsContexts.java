package dev.godiag.guard.scrape;

import dev.godiag.guard.config.HttpSettings;
import dev.godiag.util.BadInputException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SSL context of a job's {@code tls_config}, as Prometheus reads it: {@code ca_file} (PEM
 * certificates) replaces the system's roots, {@code cert_file} and {@code key_file} (PEM; the key
 * in PKCS#8, "BEGIN PRIVATE KEY") are the client certificate, {@code server_name} is the name the
 * server's certificate must carry (instead of the target's host), {@code insecure_skip_verify}
 * accepts any certificate. Host names are checked against the certificate's subject alternative
 * names (DNS with a leading wildcard label, or IP), not its common name, as Go does.
 */
final class TlsContexts {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private TlsContexts() {
    }

    static SSLContext sslContext(HttpSettings.Tls tls) throws FetchException {
        try {
            X509TrustManager base = tls.caFile() == null ? systemTrust(null) : systemTrust(caStore(tls.caFile()));
            TrustManager trust = new NameCheckingTrustManager(base, tls.serverName(), tls.insecureSkipVerify());
            javax.net.ssl.KeyManager[] keys = null;
            if (tls.certFile() != null || tls.keyFile() != null) {
                if (tls.certFile() == null || tls.keyFile() == null) {
                    throw new FetchException("tls_config: cert_file and key_file go together");
                }
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                List<X509Certificate> chain = certificates(tls.certFile(), "cert_file");
                ks.setKeyEntry("client", privateKey(tls.keyFile()), new char[0],
                        chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                keys = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, new TrustManager[]{trust}, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new FetchException("tls_config: " + BadInputException.oneLine(e.getMessage()));
        }
    }

    private static KeyStore caStore(Path caFile) throws GeneralSecurityException, IOException, FetchException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : certificates(caFile, "ca_file")) {
            ks.setCertificateEntry("ca" + i++, c);
        }
        return ks;
    }

    private static X509TrustManager systemTrust(KeyStore roots) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(roots);
        for (TrustManager t : tmf.getTrustManagers()) {
            if (t instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    private static List<X509Certificate> certificates(Path file, String key) throws FetchException {
        byte[] bytes = read(file, key);
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new FetchException("tls_config: " + key + " " + file + " holds no certificate");
            }
            return out;
        } catch (CertificateException e) {
            throw new FetchException("tls_config: " + key + " " + file + " is not a PEM certificate: "
                    + BadInputException.oneLine(e.getMessage()));
        }
    }

    private static PrivateKey privateKey(Path file) throws FetchException {
        String text = new String(read(file, "key_file"), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                for (String algorithm : new String[]{"RSA", "EC", "Ed25519", "Ed448"}) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException e) {
                        // not this algorithm
                    }
                }
                throw new FetchException("tls_config: key_file " + file + ": unsupported key algorithm");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new FetchException("tls_config: key_file " + file + " is " + type
                        + " (PKCS#1 or SEC 1): convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt");
            }
        }
        throw new FetchException("tls_config: key_file " + file + " holds no PEM private key");
    }

    private static byte[] read(Path file, String key) throws FetchException {
        try {
            if (Files.size(file) > 1 << 20) {
                throw new FetchException("tls_config: " + key + " " + file + " is over 1 MiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FetchException("tls_config: cannot read " + key + " " + file + ": "
                    + BadInputException.oneLine(e.getMessage()));
        }
    }

    /**
     * Trusts what the roots trust and checks the name itself: the JDK's own check would compare
     * with the URI's host, where {@code server_name} must win.
     */
    private static final class NameCheckingTrustManager extends X509ExtendedTrustManager {
        private final X509TrustManager roots;
        private final String serverName;
        private final boolean insecure;

        NameCheckingTrustManager(X509TrustManager roots, String serverName, boolean insecure) {
            this.roots = roots;
            this.serverName = serverName == null || serverName.isBlank() ? null : serverName;
            this.insecure = insecure;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, engine == null ? null : engine.getPeerHost());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, socket == null || socket.getInetAddress() == null ? null
                    : socket.getInetAddress().getHostName());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, null);
        }

        private void check(X509Certificate[] chain, String authType, String peerHost) throws CertificateException {
            if (insecure) {
                return;
            }
            roots.checkServerTrusted(chain, authType);
            String name = serverName != null ? serverName : peerHost;
            if (name == null || !matches(chain[0], name)) {
                throw new CertificateException("certificate is not valid for " + name);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a scraper trusts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a scraper trusts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a scraper trusts no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return roots.getAcceptedIssuers();
        }
    }

    /** Whether the certificate's subject alternative names cover {@code host} (a DNS name or an IP). */
    static boolean matches(X509Certificate cert, String host) throws CertificateException {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ip = h.contains(":") || h.matches("[0-9.]+");
        for (List<?> n : names) {
            int type = (Integer) n.get(0);
            String value = String.valueOf(n.get(1));
            if (ip && type == 7 && sameAddress(value, h)) {
                return true;
            }
            if (!ip && type == 2 && dnsMatch(value, h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // both are literals: no lookup happens
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean dnsMatch(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }
}
