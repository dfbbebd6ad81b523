package dev.godiag.guard.config;

import java.util.regex.Pattern;

/** What a target address and a label may look like, as Prometheus accepts them. */
final class Addresses {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");

    private Addresses() {
    }

    /**
     * Why {@code address} is not a target ({@code host}, {@code host:port}, {@code [v6]:port}),
     * or null when it is one.
     */
    static String problem(String address) {
        if (address.isBlank()) {
            return "an empty target";
        }
        if (address.contains("/")) {
            return "'" + address + "' is not host:port (write the target without scheme or path; "
                    + "set scheme and metrics_path on the job)";
        }
        String host = address;
        String port = null;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || close < address.length() - 1 && address.charAt(close + 1) != ':') {
                return "'" + address + "' is not [ipv6]:port";
            }
            host = address.substring(1, close);
            port = close < address.length() - 1 ? address.substring(close + 2) : null;
            if (host.isEmpty() || !host.matches("[0-9A-Fa-f:.%a-z]+")) {
                return "'" + address + "' is not [ipv6]:port";
            }
        } else {
            int colon = address.lastIndexOf(':');
            if (colon >= 0) {
                host = address.substring(0, colon);
                port = address.substring(colon + 1);
            }
            if (!HOST.matcher(host).matches()) {
                return "'" + address + "' is not host:port";
            }
        }
        if (port != null && !validPort(port)) {
            return "'" + address + "' has no valid port (1-65535)";
        }
        return null;
    }

    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    static boolean validLabelName(String name) {
        return LABEL_NAME.matcher(name).matches();
    }

    /** Prometheus' internal labels ({@code __address__}, {@code __meta_*}): guard has no use for them. */
    static boolean internalLabel(String name) {
        return name.startsWith("__");
    }
}
