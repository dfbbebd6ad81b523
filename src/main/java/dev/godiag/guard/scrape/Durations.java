package dev.godiag.guard.scrape;

import java.time.Duration;

/** Durations and sizes in messages, as Prometheus and Go write them: 10s, 1m30s, 500ms; 16MiB. */
final class Durations {
    private Durations() {
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        StringBuilder b = new StringBuilder();
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        long s = ms / 1000 % 60;
        long rest = ms % 1000;
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0 || rest > 0) {
            b.append(s);
            if (rest > 0) {
                b.append('.').append(String.format("%03d", rest).replaceAll("0+$", ""));
            }
            b.append('s');
        }
        return b.toString();
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB"};
        int u = 0;
        long v = n;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }
}
