package dev.godiag.guard.scrape;

import dev.godiag.guard.model.Target;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The evidence captured from one target when an alert opens: the files that were served, each
 * with its name and bytes as the target sent them, and one line per evidence that was not
 * captured ("goroutineleak: not served (HTTP 404)", "heap: timeout after 1m"...).
 */
public record Capture(Target target, Instant at, Duration duration, List<CapturedFile> files, List<String> problems) {
    public Capture {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
    }

    /** One evidence file: which it is, the name to store it under, its bytes. */
    public record CapturedFile(Evidence evidence, String name, byte[] bytes) {
    }

    /** The captured file of this kind, or null. */
    public CapturedFile file(Evidence evidence) {
        return files.stream().filter(f -> f.evidence() == evidence).findFirst().orElse(null);
    }

    /**
     * The pprof endpoints guard captures, in the order it fetches them (the dump first: it is what
     * an engineer reads first). The file names are the ones godiag's inputs recognise.
     */
    public enum Evidence {
        /** {@code goroutine?debug=2}: every goroutine's stack, state and wait time. */
        GOROUTINE_DUMP("goroutine", "/goroutine?debug=2", "goroutine.debug2.txt"),
        /** {@code goroutine?debug=1}: goroutines grouped by stack, with counts. */
        GOROUTINE_COUNTS("goroutine counts", "/goroutine?debug=1", "goroutine.debug1.txt"),
        /** {@code heap}: the heap profile (as of the last GC; no GC is forced on the target). */
        HEAP("heap", "/heap", "heap.pprof"),
        /** {@code goroutineleak}: goroutines the runtime proved leaked (Go 1.26+ where enabled; else not served). */
        GOROUTINE_LEAK("goroutineleak", "/goroutineleak", "goroutineleak.pprof");

        private final String label;
        private final String path;
        private final String fileName;

        Evidence(String label, String path, String fileName) {
            this.label = label;
            this.path = path;
            this.fileName = fileName;
        }

        /** How messages name it. */
        public String label() {
            return label;
        }

        /** The path under the job's {@code pprof_path}, with its query. */
        public String path() {
            return path;
        }

        public String fileName() {
            return fileName;
        }
    }
}
