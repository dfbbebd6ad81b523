package dev.godiag.server;

import dev.godiag.format.InputKind;
import dev.godiag.format.InputSource;
import dev.godiag.format.Inputs;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.goroutine.GoroutineSources;
import dev.godiag.util.BadInputException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Capture from a live service for {@code godiag serve}: the server fetches a service's
 * {@code /debug/pprof/} endpoints, but only from hosts on the operator's allowlist
 * ({@code --capture-allow}), so that a request cannot turn the server against internal hosts.
 *
 * <p>The rules, checked before anything is fetched and again for a redirect's target:
 * <ul>
 * <li>An empty allowlist disables capture.</li>
 * <li>Only {@code http} and {@code https}; a URL with user info ({@code http://a@b/}) is refused,
 *     whatever its host.</li>
 * <li>A host is a host name (letters, digits and hyphens in dot-separated labels; the last label
 *     not numeric), a dotted IPv4 address of four decimal parts without leading zeros, or a
 *     bracketed IPv6 address without a zone. Anything else is refused, so the forms resolvers read
 *     as addresses ({@code 2130706433}, {@code 0x7f000001}, {@code 127.1}, {@code 017.0.0.1})
 *     never reach one. Host names compare lower-cased, one trailing dot removed; an IPv4-mapped
 *     IPv6 address ({@code [::ffff:10.0.0.1]}) is its IPv4 address.</li>
 * <li>The port is the URL's, else 80 for http and 443 for https.</li>
 * <li>Entries: {@code host} allows that host on any port and {@code host:port} on that port only
 *     (a name matches the same name only, never a subdomain nor its addresses; an address matches
 *     that address, written {@code 10.0.0.5}, {@code ::1} or {@code [::1]:6060});
 *     {@code *.example.com} (optionally {@code :port}) allows the names under example.com, not
 *     example.com itself; {@code 10.0.0.0/8} or {@code fd00::/8} allows the addresses in the range
 *     on any port, and a host name when every address it resolves to is in the ranges.</li>
 * <li>Only a {@code /debug/pprof/} base (under any path prefix) or one of its profile endpoints is
 *     fetched, never another path of an allowed host; the {@code /debug/vars} and {@code /metrics}
 *     next to a base are the exceptions.</li>
 * <li>Redirects are never followed by the HTTP client: one is, when its target passes the same
 *     checks (any path). Each body is held to the read limits (Content-Length checked before
 *     reading) and each fetch to a timeout (60 s, or 1.5 times a CPU profile's seconds, plus 5 s).</li>
 * </ul>
 *
 * <p>A host name is resolved twice: here for a range check, then by the HTTP client. The JVM
 * caches answers (30 s by default), so the client mostly connects to an address checked here,
 * but a DNS server that answers differently the second time could still lead it outside the
 * ranges; entries naming hosts or addresses are not exposed to that.
 */
public final class LiveCapture {
    /** What {@code godiag diagnose} fetches from a base (DiagnoseInputs.PPROF_ENDPOINTS). */
    private static final List<String> BASE_ENDPOINTS = List.of("goroutine", "heap", "allocs", "block", "mutex");
    /** The endpoints one URL may name: the profiles godiag reads. */
    private static final Set<String> PROFILE_ENDPOINTS = Set.of("goroutine", "goroutineleak", "heap", "allocs",
            "block", "mutex", "profile", "threadcreate");
    private static final int MAX_CPU_SECONDS = 300;
    private static final Pattern PPROF_PATH = Pattern.compile("((?:/[A-Za-z0-9._~-]+)*?)/debug/pprof(?:/([a-z]*))?");
    private static final Pattern SECONDS_PARAM = Pattern.compile("(?:^|&)seconds=([^&]*)");
    private static final Pattern DEBUG_PARAM = Pattern.compile("(?:^|&)debug=(\\d{1,2})(?:&|$)");
    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Pattern HOST_NAME = Pattern.compile(
            "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("\\d+|0x[0-9a-f]*");

    private final List<Rule> rules;

    private LiveCapture(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The operator's allowlist (--capture-allow, repeatable / comma-separated): "host",
     * "host:port", "*.example.com", "10.0.0.0/8" (CIDR matches the resolved address). Empty:
     * capture is disabled.
     */
    public static LiveCapture allowing(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String option : Objects.requireNonNull(patterns)) {
            for (String entry : option.split(",", -1)) {
                if (!entry.isBlank()) {
                    rules.add(rule(entry.strip()));
                }
            }
        }
        return new LiveCapture(rules);
    }

    public boolean enabled() {
        return !rules.isEmpty();
    }

    /**
     * A fetched file: a name as {@code godiag diagnose} would store it (goroutine-debug2.txt,
     * heap.pprof, allocs.pprof, block.pprof, mutex.pprof, profile.pprof (cpu),
     * goroutineleak.pprof, vars.json, metrics.txt) and its bytes.
     */
    public record Fetched(String name, byte[] data) {
    }

    /**
     * A URL that passed the allowlist and the path rules, not yet fetched: the service's root, the
     * endpoint named (empty for a /debug/pprof/ base), the URL's query and the CPU profile's length.
     */
    public static final class Approved {
        private final String url;
        private final String root;
        private final String endpoint;
        private final String query;
        private final int cpuSeconds;

        private Approved(String url, String root, String endpoint, String query, int cpuSeconds) {
            this.url = url;
            this.root = root;
            this.endpoint = endpoint;
            this.query = query;
            this.cpuSeconds = cpuSeconds;
        }

        /** The URL as given. */
        public String url() {
            return url;
        }
    }

    /**
     * Fetches a live service: url is a /debug/pprof/ base (every endpoint diagnose fetches, a CPU
     * profile of cpuSeconds when > 0, the optional goroutineleak endpoint and the optional
     * /debug/vars and /metrics of the root: each left out when the service answers it with an
     * error status or something else) or one /debug/pprof/&lt;endpoint&gt; URL (one file).
     * Refuses (BadInputException, one line, nothing fetched) any URL the class comment's rules do
     * not allow; never follows a redirect to a host off the list; bounds each body by the limits
     * and each fetch by a timeout.
     */
    public List<Fetched> fetch(String url, int cpuSeconds, ReadLimits limits) {
        return fetch(approve(url, cpuSeconds), limits);
    }

    /**
     * Checks a URL against the class comment's rules without fetching anything: the URL to fetch,
     * or a BadInputException (one line) saying why it is refused.
     */
    public Approved approve(String url, int cpuSeconds) {
        if (!enabled()) {
            throw new BadInputException("capture from a URL is disabled: the server was started without"
                    + " --capture-allow");
        }
        if (cpuSeconds < 0 || cpuSeconds > MAX_CPU_SECONDS) {
            throw new BadInputException("a CPU profile of " + cpuSeconds + " s: give 0 (none) to "
                    + MAX_CPU_SECONDS + " seconds");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new BadInputException(url + ": invalid URL (" + e.getReason() + ")");
        }
        String refusal = refusal(uri);
        if (refusal != null) {
            throw new BadInputException(url + ": refused: " + refusal);
        }
        // the host as checked: fetched as written there (LOCALHOST. as localhost), not as resolvers read the URL
        String authority = Host.parse(uri.getHost()).text() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        Matcher m = PPROF_PATH.matcher(path);
        if (!m.matches() || hasDotSegment(m.group(1))) {
            throw new BadInputException(url + ": refused: not a /debug/pprof/ URL (a base such as"
                    + " http://host:6060/debug/pprof/, or one profile endpoint under it)");
        }
        String root = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + authority + m.group(1);
        String endpoint = m.group(2) == null ? "" : m.group(2);
        if (!endpoint.isEmpty() && !PROFILE_ENDPOINTS.contains(endpoint)) {
            throw new BadInputException(url + ": refused: " + endpoint + " is not a profile endpoint godiag"
                    + " captures (" + String.join(", ", PROFILE_ENDPOINTS.stream().sorted().toList()) + ")");
        }
        Matcher seconds = SECONDS_PARAM.matcher(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        while (!endpoint.isEmpty() && seconds.find()) {
            // a CPU or delta profile takes that long: held to the bound of cpuSeconds
            if (!seconds.group(1).matches("\\d{1,3}") || Integer.parseInt(seconds.group(1)) > MAX_CPU_SECONDS) {
                throw new BadInputException(url + ": refused: seconds=" + seconds.group(1) + " (give 0 to "
                        + MAX_CPU_SECONDS + ")");
            }
        }
        return new Approved(url, root, endpoint, uri.getRawQuery(), cpuSeconds);
    }

    /** Fetches an approved URL (see {@link #fetch(String, int, ReadLimits)}). */
    public List<Fetched> fetch(Approved a, ReadLimits limits) {
        if (a.endpoint.isEmpty()) {
            return fetchBase(a.root, a.cpuSeconds, limits);
        }
        return List.of(fetchEndpoint(a.root + "/debug/pprof/" + a.endpoint, a.query, a.endpoint, a.cpuSeconds,
                limits));
    }

    private List<Fetched> fetchBase(String root, int cpuSeconds, ReadLimits limits) {
        String base = root + "/debug/pprof/";
        InputSource.FetchOptions plain = InputSource.FetchOptions.DEFAULT;
        List<Fetched> files = new ArrayList<>();
        for (String e : BASE_ENDPOINTS) {
            boolean dump = e.equals("goroutine");
            files.add(fetchOne(dump ? GoroutineSources.dumpUrl(base + e) : base + e,
                    dump ? "goroutine-debug2.txt" : e + ".pprof", plain, limits,
                    dump ? InputKind.GOROUTINES : InputKind.PROFILE, false));
        }
        if (cpuSeconds > 0) {
            files.add(fetchOne(base + "profile?seconds=" + cpuSeconds, "profile.pprof",
                    new InputSource.FetchOptions(cpuSeconds, 0), limits, InputKind.PROFILE, false));
        }
        addIfServed(files, fetchOne(base + "goroutineleak", "goroutineleak.pprof", plain, limits,
                InputKind.PROFILE, true));
        addIfServed(files, fetchOne(root + "/debug/vars", "vars.json", plain, limits, InputKind.EXPVAR, true));
        addIfServed(files, fetchOne(root + "/metrics", "metrics.txt", plain, limits, InputKind.PROMETHEUS, true));
        return files;
    }

    private static void addIfServed(List<Fetched> files, Fetched f) {
        if (f != null) {
            files.add(f);
        }
    }

    /**
     * One endpoint with the URL's query: a goroutine endpoint without one as its full dump, a CPU
     * profile for cpuSeconds when given (else its own seconds parameter). The name says the form:
     * a debug=N query gives text (heap-debug1.txt), else the profile (heap.pprof).
     */
    private Fetched fetchEndpoint(String endpointUrl, String query, String endpoint, int cpuSeconds,
                                  ReadLimits limits) {
        String url = GoroutineSources.dumpUrl(query == null ? endpointUrl : endpointUrl + "?" + query);
        String fetchedQuery = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
        Matcher debug = DEBUG_PARAM.matcher(fetchedQuery);
        int level = debug.find() ? Integer.parseInt(debug.group(1)) : 0;
        String name = level > 0 ? endpoint + "-debug" + level + ".txt" : endpoint + ".pprof";
        InputSource.FetchOptions options = endpoint.equals("profile") && cpuSeconds > 0
                ? new InputSource.FetchOptions(cpuSeconds, 0) : InputSource.FetchOptions.DEFAULT;
        return fetchOne(url, name, options, limits, null, false);
    }

    /**
     * Fetches one URL, every URL requested on the way checked against the allowlist. An optional
     * endpoint the service answers with an error status, or with no data of the expected kind,
     * is left out (null); anything else that fails fails the capture, in one line naming the URL.
     * A null {@code expected}: any input godiag recognises.
     */
    private Fetched fetchOne(String url, String name, InputSource.FetchOptions options, ReadLimits limits,
                             InputKind expected, boolean optional) {
        byte[] data;
        AtomicBoolean first = new AtomicBoolean(true);
        try {
            data = InputSource.fetch(url, options, limits, next -> {
                String refusal = refusal(next);
                if (refusal != null) {
                    throw new BadInputException(first.get() ? "refused: " + refusal
                            : "refused a redirect to " + next + ": " + refusal);
                }
                first.set(false);
            });
        } catch (BadInputException e) {
            if (optional && InputSource.errorStatus(e) >= 400) {
                return null;
            }
            throw new BadInputException(url + ": " + e.getMessage());
        }
        InputKind kind = data.length == 0 ? null : Inputs.detect(data);
        boolean fits = kind != null && (expected == null ? kind != InputKind.UNRECOGNISED : kind == expected);
        if (fits) {
            return new Fetched(name, data);
        }
        if (optional) {
            return null;
        }
        throw new BadInputException(url + ": " + (kind == null ? "empty response"
                : "the service answered " + kind.description() + (expected == null ? ""
                : ", not " + expected.description())));
    }

    // ---- the allowlist

    /** Why a URL may not be fetched, or null when it may. */
    private String refusal(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "only http and https URLs are captured";
        }
        if (u.getRawUserInfo() != null || u.getRawAuthority() != null && u.getRawAuthority().contains("@")) {
            return "a URL with user info (user@host) is never fetched";
        }
        if (u.getHost() == null) {
            return "no host godiag accepts in " + (u.getRawAuthority() == null ? "the URL"
                    : "'" + u.getRawAuthority() + "'") + " (a host name, a dotted IPv4 address or a bracketed IPv6"
                    + " address)";
        }
        Host host;
        try {
            host = Host.parse(u.getHost());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        if (port < 1 || port > 65535) {
            return "port " + port + " is out of range";
        }
        for (Rule r : rules) {
            if (r.allows(host, port)) {
                return null;
            }
        }
        String where = host.text() + ":" + port;
        List<Range> ranges = rules.stream().filter(r -> r instanceof Range).map(r -> (Range) r).toList();
        if (host.name() == null || ranges.isEmpty()) {
            return where + " is not on the capture allowlist (--capture-allow)";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.name());
        } catch (UnknownHostException e) {
            return "unknown host " + host.name();
        }
        for (InetAddress a : addresses) {
            byte[] b = unmapped(a.getAddress());
            if (ranges.stream().noneMatch(r -> r.contains(b))) {
                return where + " is not on the capture allowlist (--capture-allow): it resolves to an address"
                        + " outside the allowed ranges";
            }
        }
        return null;
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address; any other as it is. */
    private static byte[] unmapped(byte[] a) {
        if (a.length != 16) {
            return a;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return a;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff ? new byte[]{a[12], a[13], a[14], a[15]} : a;
    }

    /**
     * A host as a URL or an entry names it: a lower-case name without trailing dot, or an address;
     * {@code text} is how a URL writes it (the name, 10.0.0.1, [::1]).
     */
    private record Host(String name, byte[] address, String text) {
        static Host parse(String raw) {
            String h = raw.toLowerCase(Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) {
                return new Host(null, ipv6(h.substring(1, h.length() - 1)), h);
            }
            if (IPV4.matcher(h).matches()) {
                return new Host(null, literal(h), h);
            }
            String name = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
            if (name.length() > 253 || !HOST_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + raw + "' is not a host name, a dotted IPv4 address or a"
                        + " bracketed IPv6 address");
            }
            if (NUMERIC_LABEL.matcher(name.substring(name.lastIndexOf('.') + 1)).matches()) {
                throw new IllegalArgumentException("'" + raw + "' is a number, not a host name: write an IPv4"
                        + " address as four decimal parts (127.0.0.1)");
            }
            return new Host(name, null, name);
        }

        static byte[] ipv6(String text) {
            if (!IPV6.matcher(text).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 address"
                        + (text.contains("%") ? " without a zone" : ""));
            }
            return literal(text);
        }

        /** An address from a literal already checked to be one, so that no name is looked up. */
        private static byte[] literal(String text) {
            try {
                return unmapped(InetAddress.getByName(text).getAddress());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Host h && Objects.equals(name, h.name) && Arrays.equals(address, h.address);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(address));
        }
    }

    private sealed interface Rule permits Exact, Subdomains, Range {
        boolean allows(Host host, int port);
    }

    /** {@code host} or {@code host:port} (port -1: any), a name or an address. */
    private record Exact(Host host, int port) implements Rule {
        @Override
        public boolean allows(Host h, int p) {
            return host.equals(h) && (port < 0 || port == p);
        }
    }

    /** {@code *.domain} or {@code *.domain:port}. */
    private record Subdomains(String domain, int port) implements Rule {
        @Override
        public boolean allows(Host h, int p) {
            return h.name() != null && h.name().endsWith("." + domain) && (port < 0 || port == p);
        }
    }

    /** An address range; a name is checked by what it resolves to, in {@link #refusal}. */
    private record Range(byte[] network, int prefix) implements Rule {
        @Override
        public boolean allows(Host h, int p) {
            return h.address() != null && contains(h.address());
        }

        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Rule rule(String entry) {
        try {
            int slash = entry.indexOf('/');
            if (slash >= 0) {
                return range(entry.substring(0, slash), entry.substring(slash + 1));
            }
            String host = entry;
            int port = -1;
            int colon = entry.lastIndexOf(':');
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0 || close != entry.length() - 1 && entry.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("a bracketed IPv6 address is written [::1] or [::1]:6060");
                }
                host = entry.substring(0, close + 1);
                port = close == entry.length() - 1 ? -1 : port(entry.substring(close + 2));
            } else if (colon >= 0 && entry.indexOf(':') == colon) {
                host = entry.substring(0, colon);
                port = port(entry.substring(colon + 1));
            } else if (colon >= 0) {
                host = "[" + entry + "]"; // a bare IPv6 address: its colons are no port
            }
            if (host.startsWith("*.")) {
                Host domain = Host.parse(host.substring(2));
                if (domain.name() == null) {
                    throw new IllegalArgumentException("*. is followed by a domain name, not an address");
                }
                return new Subdomains(domain.name(), port);
            }
            return new Exact(Host.parse(host), port);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--capture-allow '" + entry + "': " + e.getMessage() + " (entries: host,"
                    + " host:port, *.example.com or a CIDR range such as 10.0.0.0/8)");
        }
    }

    private static Range range(String address, String prefix) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        byte[] network = IPV4.matcher(a).matches() ? Host.literal(a) : Host.ipv6(a);
        int bits;
        try {
            bits = Integer.parseInt(prefix);
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits < 0 || bits > network.length * 8 || !prefix.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("the prefix length /" + prefix + " is not 0 to " + network.length * 8);
        }
        return new Range(network, bits);
    }

    private static int port(String text) {
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("port '" + text + "' is not 1 to 65535");
        }
        return Integer.parseInt(text);
    }
}
