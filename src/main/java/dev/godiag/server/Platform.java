package dev.godiag.server;

import dev.godiag.diagnosis.Finding;
import dev.godiag.engine.DiagnoseRequest;
import dev.godiag.engine.DiagnoseResult;
import dev.godiag.engine.Engine;
import dev.godiag.engine.TopRequest;
import dev.godiag.engine.TopResult;
import dev.godiag.format.InputKind;
import dev.godiag.format.Inputs;
import dev.godiag.format.Source;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.report.TopView;
import dev.godiag.store.UploadRepository;
import dev.godiag.store.UploadRepository.Status;
import dev.godiag.util.BadInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The platform behind {@code godiag serve}, without HTTP: takes uploads in (unpacked, recognised,
 * stored whole before they are acknowledged), analyses them in a bounded pool of worker threads
 * with the {@link Engine} (so one huge upload occupies one worker and never the request threads),
 * and stores each analysis's reports, findings and trend numbers. Uploads still pending when the
 * server stopped are analysed when it starts again.
 */
public final class Platform implements AutoCloseable {
    /** Report formats stored per analysis, as the API names them. */
    public static final List<String> REPORT_FORMATS = List.of("json", "markdown", "html", "text");
    /** The page of an upload's execution trace, stored beside the reports when the upload has one. */
    public static final String TRACE_PAGE = "trace";
    /**
     * Uploads read into memory at once (each up to the upload limit): a burst of large uploads
     * waits for a slot rather than exhausting the heap.
     */
    public static final int UPLOAD_SLOTS = 16;
    /** How many functions of a CPU profile a service's trend follows. */
    static final int TREND_FUNCTIONS = 5;

    /**
     * @param maxUploadBytes    the bytes of one upload as sent (archives before unpacking)
     * @param analysisThreads   how many analyses run at once
     * @param memoryBudgetBytes what uploads may hold in memory at once: bodies being read and
     *                          archives being unpacked reserve their share first, and wait for it
     */
    public record Options(long maxUploadBytes, UploadArchives.Limits archiveLimits, int analysisThreads,
                          String godiagVersion, long memoryBudgetBytes) {
        public Options {
            if (analysisThreads < 1) {
                throw new IllegalArgumentException("at least one analysis thread");
            }
            if (memoryBudgetBytes < MIB) {
                throw new IllegalArgumentException("a memory budget of at least 1 MiB");
            }
        }

        /** With half of the JVM's heap as the memory budget. */
        public Options(long maxUploadBytes, UploadArchives.Limits archiveLimits, int analysisThreads,
                       String godiagVersion) {
            this(maxUploadBytes, archiveLimits, analysisThreads, godiagVersion,
                    Math.max(MIB, Runtime.getRuntime().maxMemory() / 2));
        }
    }

    private static final long MIB = 1L << 20;
    /** How long a request waits for its share of the memory budget before it is asked to retry. */
    static final Duration BUDGET_WAIT = Duration.ofSeconds(60);

    /** The server is at its limit (memory budget, upload slots): the client should retry later. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /** A share of the memory budget, given back when closed. */
    public final class Reservation implements AutoCloseable {
        private int permits;

        private Reservation(int permits) {
            this.permits = permits;
        }

        /** The bytes reserved. */
        public long bytes() {
            return permits * MIB;
        }

        @Override
        public void close() {
            if (permits > 0) {
                memory.release(permits);
                permits = 0;
            }
        }
    }

    /** One part of an upload as received: its file name and bytes. */
    public record Part(String name, byte[] data) {
    }

    /** What an upload is about. */
    public record Meta(String service, String version, Map<String, String> labels) {
        public Meta {
            labels = Map.copyOf(labels);
        }
    }

    /** An upload refused when it came in: it is stored as failed with this error (its id says where). */
    public static final class RefusedUpload extends RuntimeException {
        private final String id;

        RefusedUpload(String id, String message) {
            super(message, null, false, false);
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Engine engine;
    private final UploadRepository uploads;
    private final Options options;
    private final Clock clock;
    private final Consumer<String> log;
    private final SecureRandom random = new SecureRandom();
    private final LinkedBlockingDeque<String> queue = new LinkedBlockingDeque<>();
    private final Map<String, Instant> running = new ConcurrentHashMap<>();
    private final Map<String, Object> waiters = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong analysed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong analysisNanos = new AtomicLong();
    private final String owner;
    private final java.util.Set<String> queuedIds = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService sweeper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "godiag-analysis-sweep");
                t.setDaemon(true);
                return t;
            });
    private final java.util.concurrent.Semaphore uploadSlots = new java.util.concurrent.Semaphore(UPLOAD_SLOTS);
    private final java.util.concurrent.Semaphore memory;
    private volatile boolean closed;

    /** How long a claim on an upload's analysis holds: beyond any analysis, short enough after a crash. */
    static final Duration CLAIM = Duration.ofMinutes(10);
    /** How often the store is asked for pending uploads nobody analyses (another server's, or a crashed one's). */
    static final Duration SWEEP = Duration.ofSeconds(30);

    /**
     * @param owner the name this server's claims carry: stable across its restarts (host and data
     *              directory), so a server killed mid-analysis takes its uploads up again at once
     */
    public Platform(Engine engine, UploadRepository uploads, Options options, Clock clock, Consumer<String> log,
                    String owner) {
        this.owner = Objects.requireNonNull(owner);
        this.engine = Objects.requireNonNull(engine);
        this.uploads = Objects.requireNonNull(uploads);
        this.options = Objects.requireNonNull(options);
        this.clock = Objects.requireNonNull(clock);
        this.log = Objects.requireNonNull(log);
        this.memory = new java.util.concurrent.Semaphore((int) Math.min(Integer.MAX_VALUE,
                options.memoryBudgetBytes() / MIB), true);
    }

    /**
     * Reserves {@code bytes} of the memory budget (at most the whole budget), waiting up to
     * {@link #BUDGET_WAIT}; {@link Busy} when it is not free by then.
     */
    public Reservation reserve(long bytes, String what) throws InterruptedException {
        int budget = (int) Math.min(Integer.MAX_VALUE, options.memoryBudgetBytes() / MIB);
        int permits = (int) Math.max(1, Math.min(budget, (bytes + MIB - 1) / MIB));
        if (!memory.tryAcquire(permits, BUDGET_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new Busy("the server holds as many uploads in memory as it may (" + what + " waits for "
                    + permits + " MiB of its " + budget + " MiB); retry later");
        }
        return new Reservation(permits);
    }

    /** The part of the memory budget free now, in bytes. */
    public long memoryFree() {
        return memory.availablePermits() * MIB;
    }

    /**
     * Starts the analysis workers, and the sweep that queues pending uploads nobody holds a claim
     * on: what was pending when this server last stopped, and what another server on the same
     * database took in and could not analyse.
     */
    public Platform start() {
        sweeper.scheduleWithFixedDelay(this::sweep, 0, SWEEP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        for (int i = 0; i < options.analysisThreads(); i++) {
            Thread t = new Thread(this::work, "godiag-analysis-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        return this;
    }

    public Engine engine() {
        return engine;
    }

    public UploadRepository uploads() {
        return uploads;
    }

    public Options options() {
        return options;
    }

    public Clock clock() {
        return clock;
    }

    /** The slots uploads take while they are read and stored ({@link #UPLOAD_SLOTS}). */
    public java.util.concurrent.Semaphore uploadSlots() {
        return uploadSlots;
    }

    // ---- uploads in

    /**
     * Takes an upload in: unpacks archives, recognises every file by its content, stores it whole
     * and queues its analysis. An upload with nothing godiag reads is stored as failed and refused
     * ({@link RefusedUpload}: its message is the one line the client gets).
     *
     * @param origin "upload", or the URL of a live capture
     */
    public UploadRepository.Upload ingest(List<Part> parts, Meta meta, String origin) throws InterruptedException {
        List<Reservation> unpacking = new ArrayList<>();
        try {
            return ingest(parts, meta, origin, unpacking);
        } finally {
            unpacking.forEach(Reservation::close);
        }
    }

    private UploadRepository.Upload ingest(List<Part> parts, Meta meta, String origin, List<Reservation> unpacking)
            throws InterruptedException {
        String id = newId();
        Instant now = clock.instant();
        List<UploadRepository.NewFile> files = new ArrayList<>();
        String error = null;
        try {
            files = recognise(parts, unpacking);
        } catch (BadInputException e) {
            error = e.getMessage();
        }
        if (error == null && files.stream().allMatch(f -> f.kind().equals(UNRECOGNISED))) {
            error = files.size() == 1 ? files.get(0).name() + ": " + describe(files.get(0))
                    : "none of the " + files.size() + " files is an input godiag reads (profiles, goroutine dumps,"
                    + " gctrace logs, /debug/vars, /metrics, benchmarks)";
        }
        Status status = error == null ? Status.PENDING : Status.FAILED;
        uploads.save(new UploadRepository.NewUpload(id, now, meta.service(), meta.version(), meta.labels(), origin,
                files, status, error));
        if (error != null) {
            throw new RefusedUpload(id, error);
        }
        enqueue(id);
        return uploads.upload(id).orElseThrow();
    }

    private static final String UNRECOGNISED = "unrecognised";
    private static final String HEAP_DUMP = InputKind.HEAP_DUMP.name().toLowerCase(Locale.ROOT);

    /** Every part unpacked and recognised; an archive first reserves what it may expand to (held in {@code unpacking}). */
    private List<UploadRepository.NewFile> recognise(List<Part> parts, List<Reservation> unpacking)
            throws InterruptedException {
        if (parts.isEmpty()) {
            throw new BadInputException("the upload holds no file");
        }
        long sent = parts.stream().mapToLong(p -> p.data().length).sum();
        if (sent > options.maxUploadBytes()) {
            throw new BadInputException("the upload is " + sent + " bytes, over the limit of "
                    + options.maxUploadBytes() + " bytes");
        }
        List<UploadRepository.NewFile> out = new ArrayList<>();
        long total = 0;
        for (Part p : parts) {
            UploadArchives.Limits limits = options.archiveLimits();
            if (UploadArchives.expands(p.data())) {
                // at most half the budget, so that with its own body's share a request always fits
                Reservation r = reserve(Math.min(limits.maxTotalBytes(), options.memoryBudgetBytes() / 2),
                        "unpacking " + p.name());
                unpacking.add(r);
                // a server whose budget is below the archive limit unpacks no more than it has
                limits = new UploadArchives.Limits(Math.min(limits.maxTotalBytes(), r.bytes()), limits.maxEntries(),
                        Math.min(limits.maxEntryBytes(), r.bytes()));
            }
            for (UploadArchives.UploadFile f : UploadArchives.unpack(p.name(), p.data(), limits)) {
                total += f.data().length;
                if (total > options.archiveLimits().maxTotalBytes() || out.size() >= options.archiveLimits().maxEntries()) {
                    throw new BadInputException(p.name() + ": the upload unpacks beyond its limits ("
                            + options.archiveLimits().maxEntries() + " files, "
                            + options.archiveLimits().maxTotalBytes() + " bytes)");
                }
                InputKind kind = Inputs.detect(Arrays.copyOf(f.data(), Math.min(f.data().length, Inputs.SNIFF)));
                out.add(new UploadRepository.NewFile(uniqueName(out, f.name()),
                        kind == InputKind.UNRECOGNISED ? UNRECOGNISED : kind.name().toLowerCase(Locale.ROOT), f.data()));
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException("the upload holds no file (archives held only directories or skipped entries)");
        }
        return out;
    }

    private static String uniqueName(List<UploadRepository.NewFile> files, String name) {
        String n = name.isBlank() ? "upload" : name;
        String candidate = n;
        for (int i = 2; taken(files, candidate); i++) {
            candidate = n + "." + i;
        }
        return candidate;
    }

    private static boolean taken(List<UploadRepository.NewFile> files, String name) {
        return files.stream().anyMatch(f -> f.name().equals(name));
    }

    private static String describe(UploadRepository.NewFile f) {
        if (f.data().length == 0) {
            return "empty file";
        }
        return "not an input godiag reads (a profile, goroutine dump, gctrace log, /debug/vars JSON, Prometheus"
                + " metrics, or benchmark output)";
    }

    /** Queues an analysed or failed upload to be analysed again by this godiag; false when there is no such upload. */
    public boolean reanalyse(String id) {
        Optional<UploadRepository.Upload> u = uploads.upload(id);
        if (u.isEmpty() || uploads.files(id).isEmpty()) {
            return false;
        }
        if (u.get().status() != Status.PENDING && uploads.markPending(id)) {
            enqueue(id);
        }
        return true;
    }

    // ---- progress

    /** Where a pending upload stands: "analysing for 2.3 s", "queued, 4 ahead", or null when it is not pending here. */
    public String progress(String id) {
        Instant started = running.get(id);
        if (started != null) {
            Duration d = Duration.between(started, clock.instant());
            return String.format(Locale.ROOT, "analysing for %.1f s", d.toMillis() / 1000.0);
        }
        int ahead = 0;
        for (String q : queue) {
            if (q.equals(id)) {
                return "queued, " + (ahead + running.size()) + " ahead";
            }
            ahead++;
        }
        return null;
    }

    /** Uploads waiting for a worker. */
    public int queued() {
        return queue.size();
    }

    /** Analyses running now. */
    public int running() {
        return running.size();
    }

    public long analysedTotal() {
        return analysed.get();
    }

    public long failedTotal() {
        return failed.get();
    }

    public double analysisSecondsTotal() {
        return analysisNanos.get() / 1e9;
    }

    /**
     * Waits until the upload is no longer pending or {@code timeout} has passed; returns it as it is
     * then (empty when there is no such upload).
     */
    public Optional<UploadRepository.Upload> await(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object monitor = waiters.computeIfAbsent(id, k -> new Object());
        while (true) {
            Optional<UploadRepository.Upload> u = uploads.upload(id);
            long left = deadline - System.nanoTime();
            if (u.isEmpty() || u.get().status() != Status.PENDING || left <= 0) {
                return u;
            }
            synchronized (monitor) {
                // woken when an analysis of this id ends; the bounded wait covers a wake-up before this wait
                monitor.wait(Math.max(1, Math.min(250, left / 1_000_000)));
            }
        }
    }

    // ---- analysis

    private void enqueue(String id) {
        if (queuedIds.add(id)) {
            queue.add(id);
        }
    }

    private void sweep() {
        try {
            for (String id : uploads.claimable(owner, 1_000)) {
                if (!running.containsKey(id)) {
                    enqueue(id);
                }
            }
        } catch (RuntimeException e) {
            log.accept("level=warn msg=\"pending uploads not listed\" error=\"" + oneLine(e) + "\"");
        }
    }

    private void work() {
        while (!closed) {
            String id;
            try {
                id = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            queuedIds.remove(id);
            try {
                if (!uploads.claim(id, owner, clock.instant().plus(CLAIM))) {
                    continue; // analysed already, or another server's analysis holds it
                }
            } catch (RuntimeException e) {
                log.accept("level=warn msg=\"upload not claimed\" upload=" + id + " error=\"" + oneLine(e) + "\"");
                continue; // the next sweep offers it again
            }
            running.put(id, clock.instant());
            try {
                analyse(id);
            } catch (RuntimeException | Error e) {
                // a store failure or a bug must not kill the worker; the upload stays pending for the next start
                log.accept("level=error msg=\"analysis failed\" upload=" + id + " error=\"" + oneLine(e) + "\"");
            } finally {
                running.remove(id);
                Object monitor = waiters.remove(id);
                if (monitor != null) {
                    synchronized (monitor) {
                        monitor.notifyAll();
                    }
                }
            }
        }
    }

    private void analyse(String id) {
        Optional<UploadRepository.Upload> found = uploads.upload(id);
        if (found.isEmpty() || found.get().status() != Status.PENDING) {
            return;
        }
        UploadRepository.Upload upload = found.get();
        long start = System.nanoTime();
        try {
            UploadRepository.Analysis a = diagnose(upload, start);
            uploads.saveAnalysis(id, a);
            analysed.incrementAndGet();
        } catch (BadInputException e) {
            uploads.fail(id, e.getMessage(), options.godiagVersion(), (System.nanoTime() - start) / 1_000_000);
            failed.incrementAndGet();
        } catch (OutOfMemoryError e) {
            uploads.fail(id, "the analysis needs more memory than the server has (" + oneLine(e) + ")",
                    options.godiagVersion(), (System.nanoTime() - start) / 1_000_000);
            failed.incrementAndGet();
        } finally {
            analysisNanos.addAndGet(System.nanoTime() - start);
        }
    }

    private UploadRepository.Analysis diagnose(UploadRepository.Upload upload, long start) {
        List<UploadRepository.StoredFile> files = uploads.files(upload.id());
        List<Source> sources = new ArrayList<>();
        List<Source> dumps = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        byte[] executable = null;
        int executableAt = -1;
        boolean anyDump = files.stream().anyMatch(f -> f.kind().equals(HEAP_DUMP));
        for (UploadRepository.StoredFile f : files) {
            if (f.kind().equals(UNRECOGNISED)) {
                if (anyDump && executable == null) { // a heap dump's executable: read only when there is a dump
                    byte[] data = uploads.fileContent(upload.id(), f.position()).orElseThrow();
                    executable = isElf(data) ? data : null;
                    executableAt = f.position();
                }
                continue;
            }
            byte[] data = uploads.fileContent(upload.id(), f.position()).orElseThrow();
            (f.kind().equals(HEAP_DUMP) ? dumps : sources).add(new Source.Bytes(f.name(), data));
            positions.put(f.name(), f.position());
        }
        if (!dumps.isEmpty() && executable == null && sources.isEmpty()) {
            throw new BadInputException(dumps.get(0).name() + ": a Go heap dump: upload the executable that wrote it"
                    + " with it (its symbols name the dump's roots)");
        }
        String sourceUrl = upload.service() == null ? null
                : uploads.service(upload.service()).map(UploadRepository.Service::sourceUrl)
                .map(t -> withVersion(t, upload.version())).orElse(null);
        Path binary = null;
        try {
            if (executable != null && !dumps.isEmpty()) {
                // the ELF reader seeks: the binary goes to a file for the analysis's time
                binary = Files.createTempFile("godiag-binary", "");
                Files.write(binary, executable);
                sources.addAll(dumps);
            }
            DiagnoseRequest base = DiagnoseRequest.of(sources);
            DiagnoseResult result = engine.diagnose(new DiagnoseRequest(base.inputs(), base.minSeverity(), null, null,
                    sourceUrl, null, Map.of(), base.live(), true, binary));
            Map<Integer, String> fileKinds = new HashMap<>();
            if (binary != null) {
                fileKinds.put(executableAt, "executable"); // used: it named the dump's roots
            }
            return analysis(start, result, sources, positions, fileKinds);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (binary != null) {
                try {
                    Files.deleteIfExists(binary);
                } catch (IOException ignored) {
                    // a temporary file left behind costs disk, not the analysis
                }
            }
        }
    }

    private static boolean isElf(byte[] data) {
        return data.length >= 4 && data[0] == 0x7f && data[1] == 'E' && data[2] == 'L' && data[3] == 'F';
    }

    private UploadRepository.Analysis analysis(long start, DiagnoseResult result, List<Source> sources,
                                               Map<String, Integer> positions, Map<Integer, String> fileKinds) {
        DiagnosisRenderers.Report report = result.report();

        Map<String, byte[]> reports = new LinkedHashMap<>();
        reports.put("json", DiagnosisRenderers.json(report, options.godiagVersion()).getBytes(StandardCharsets.UTF_8));
        reports.put("markdown", DiagnosisRenderers.markdown(report).getBytes(StandardCharsets.UTF_8));
        reports.put("text", DiagnosisRenderers.text(report).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream html = new ByteArrayOutputStream();
        try {
            DiagnosisRenderers.html(report, options.godiagVersion(), result.tabs(), html);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        reports.put("html", html.toByteArray());
        result.tabs().stream().filter(t -> t.id().equals(TRACE_PAGE)).findFirst()
                .ifPresent(t -> reports.put(TRACE_PAGE, t.html().getBytes(StandardCharsets.UTF_8)));

        List<UploadRepository.FindingRow> findings = new ArrayList<>();
        for (DiagnosisRenderers.Item item : report.items()) {
            Finding f = item.finding();
            findings.add(new UploadRepository.FindingRow(f.rule(), f.severity().name().toLowerCase(Locale.ROOT),
                    f.score(), f.title()));
        }
        List<String> kinds = new ArrayList<>();
        for (DiagnosisRenderers.InputRow in : report.inputs()) {
            Integer position = positions.get(in.name());
            if (position != null && in.used()) {
                fileKinds.put(position, in.kind());
                kinds.add(in.kind());
            }
        }
        return new UploadRepository.Analysis(kinds, fileKinds, findings, reports,
                trendNumbers(report, sources, fileKinds, positions), options.godiagVersion(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The numbers a service's trend follows: goroutines and heap in use (the last of the series the
     * diagnosis measured), and the CPU share (flat) of the hottest functions of its CPU profile.
     */
    private Map<String, Double> trendNumbers(DiagnosisRenderers.Report report, List<Source> sources,
                                             Map<Integer, String> fileKinds, Map<String, Integer> positions) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (DiagnosisRenderers.Health h : report.health()) {
            if (!h.series().isEmpty() && (h.area().equals("goroutines") || h.area().equals("heap"))) {
                out.put(h.area().equals("heap") ? "heap_inuse_bytes" : "goroutines",
                        h.series().get(h.series().size() - 1));
            }
        }
        List<Source> cpu = sources.stream().filter(s -> "cpu".equals(fileKinds.get(positions.get(s.name())))).toList();
        if (!cpu.isEmpty()) {
            try {
                TopResult top = engine.top(TopRequest.of(cpu.get(cpu.size() - 1)));
                TopView v = top.view();
                out.put("cpu_seconds", v.total() / 1e9);
                v.rows().stream().limit(TREND_FUNCTIONS).forEach(line -> {
                    if (v.total() > 0) {
                        out.put("cpu_share:" + line.row().name(), (double) line.row().flat() / v.total());
                    }
                });
            } catch (BadInputException e) {
                log.accept("level=warn msg=\"no CPU trend\" error=\"" + oneLine(e) + "\"");
            }
        }
        return out;
    }

    /** A service's link template with the upload's version in place of {version} (HEAD when it has none). */
    static String withVersion(String template, String version) {
        String v = version == null || version.isBlank() ? "HEAD" : version;
        return template.replace("{version}", URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private String newId() {
        byte[] b = new byte[10];
        random.nextBytes(b);
        StringBuilder sb = new StringBuilder(16);
        long bits = 0;
        int have = 0;
        for (byte x : b) {
            bits = bits << 8 | (x & 0xff);
            have += 8;
            while (have >= 5) {
                sb.append("abcdefghijklmnopqrstuvwxyz234567".charAt((int) (bits >>> (have - 5)) & 31));
                have -= 5;
            }
        }
        return sb.toString();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("[\\r\\n\"]+", " ");
    }

    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        workers.forEach(Thread::interrupt);
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
