package dev.godiag.guard.config;

import java.nio.file.Path;

/**
 * How guard talks to a job's targets, as Prometheus' scrape settings: basic auth, a bearer (or
 * other type of) authorization, TLS. Each field is null when not set; secrets are already read
 * from their {@code *_file}.
 */
public record HttpSettings(BasicAuth basicAuth, Authorization authorization, Tls tls) {
    public static final HttpSettings NONE = new HttpSettings(null, null, null);

    public record BasicAuth(String username, String password) {
    }

    /** {@code Authorization: <type> <credentials>}; type defaults to Bearer. */
    public record Authorization(String type, String credentials) {
    }

    /** {@code tls_config}: CA, client certificate and key (PEM files), server name, skip verification. */
    public record Tls(Path caFile, Path certFile, Path keyFile, String serverName, boolean insecureSkipVerify) {
    }
}
