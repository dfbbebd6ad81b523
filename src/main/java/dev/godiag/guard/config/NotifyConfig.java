package dev.godiag.guard.config;

import java.util.List;

/**
 * Where the notify stage delivers: JSON webhooks signed with their secret (HMAC-SHA256 of the
 * body in {@code X-Godiag-Signature: sha256=<hex>}) and Alertmanagers (their v2 API).
 */
public record NotifyConfig(List<Webhook> webhooks, List<AlertmanagerTarget> alertmanagers) {
    public NotifyConfig {
        webhooks = List.copyOf(webhooks);
        alertmanagers = List.copyOf(alertmanagers);
    }

    /** A webhook URL and its secret (read from {@code secret} or {@code secret_file}; null: unsigned). */
    public record Webhook(String url, String secret) {
    }

    /** An Alertmanager's base URL (alerts go to {@code <url>/api/v2/alerts}). */
    public record AlertmanagerTarget(String url) {
    }
}
