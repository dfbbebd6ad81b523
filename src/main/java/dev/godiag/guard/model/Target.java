package dev.godiag.guard.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One watched process: the job it belongs to, its {@code host:port} address as written in
 * {@code static_configs}/{@code file_sd_configs} (or a query source's {@code instance} label) and
 * its labels (the target group's, sorted). Its identity is {@link #key()}: job and address.
 */
public record Target(String job, String address, Map<String, String> labels) {
    public Target {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(address, "address");
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** Stable identity across restarts and reloads: {@code job/address}. */
    public String key() {
        return job + "/" + address;
    }
}
