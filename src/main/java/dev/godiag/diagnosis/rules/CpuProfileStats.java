package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Score;
import dev.godiag.diagnosis.Severity;
import dev.godiag.model.GcCycle;
import dev.godiag.model.GcTrace;
import dev.godiag.model.Profile;
import dev.godiag.model.PromMetrics;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How much evidence a CPU profile holds before any rule judges shares in it: the number of samples,
 * the profile's duration, the CPU time it saw and so how busy the program was (CPU seconds per
 * second of profile, over GOMAXPROCS when another input says it: gctrace's "N P" or the
 * go_sched_gomaxprocs_threads metric). A share of a small profile is noise, and the hotspots of a
 * program that mostly waits are not where its time goes.
 *
 * @param samples     CPU samples (the "samples" count, else CPU time over the sampling period)
 * @param cpuNanos    CPU time the samples stand for
 * @param durationNanos the profile's wall-clock length (0 when it does not say)
 * @param gomaxprocs  GOMAXPROCS from the other inputs, 0 when unknown
 */
record CpuProfileStats(long samples, long cpuNanos, long durationNanos, int gomaxprocs) {
    /** Fewer samples than this (1 s of CPU at the default 100 Hz) cap a CPU finding at info. */
    static final long MIN_PROFILE_SAMPLES = 100;
    /** A function or family behind fewer samples than this is capped at info, however large its share. */
    static final long MIN_SITE_SAMPLES = 10;
    /** Below this share of its CPUs busy the program is off-CPU bound. */
    static final double LOW_UTILISATION = 0.25;

    /** The stats of the merged CPU profiles, or null when there are none. */
    static CpuProfileStats of(DiagnosisInput input) {
        Profile p = input.merged(Kind.CPU_PROFILE);
        if (p == null) {
            return null;
        }
        long samples = 0;
        long cpu = 0;
        int samplesAt = -1;
        int cpuAt = -1;
        for (int i = 0; i < p.sampleTypes().size(); i++) {
            String type = p.sampleTypes().get(i).type();
            if (type.equals("samples") && samplesAt < 0) {
                samplesAt = i;
            } else if (type.equals("cpu") && cpuAt < 0) {
                cpuAt = i;
            }
        }
        int k = p.samples().valueCount;
        for (int s = 0; s < p.samples().size(); s++) {
            if (samplesAt >= 0) {
                samples += p.samples().values[s * k + samplesAt];
            }
            if (cpuAt >= 0) {
                cpu += p.samples().values[s * k + cpuAt];
            }
        }
        long period = p.period();
        if (samplesAt < 0 && period > 0) {
            samples = cpu / period;
        }
        if (cpuAt < 0 && period > 0) {
            cpu = samples * period;
        }
        return new CpuProfileStats(samples, cpu, Math.max(0, p.durationNanos()), gomaxprocs(input));
    }

    /** GOMAXPROCS as the gctrace log or the Prometheus metrics report it, 0 when no input says. */
    static int gomaxprocs(DiagnosisInput input) {
        for (GcTrace t : input.gcTraces()) {
            for (GcCycle c : t.cycles()) {
                if (c.procs() > 0) {
                    return c.procs();
                }
            }
        }
        for (PromMetrics m : input.metricsSeries()) {
            OptionalDouble v = m.value("go_sched_gomaxprocs_threads");
            if (v.isPresent() && v.getAsDouble() >= 1) {
                return (int) v.getAsDouble();
            }
        }
        return 0;
    }

    boolean tooSmall() {
        return samples < MIN_PROFILE_SAMPLES;
    }

    /** CPUs busy on average over the profile (CPU seconds per second), NaN without a duration. */
    double cpusBusy() {
        return durationNanos <= 0 ? Double.NaN : (double) cpuNanos / durationNanos;
    }

    /** The busy share of GOMAXPROCS, NaN when either is unknown. */
    double utilisation() {
        return gomaxprocs <= 0 ? Double.NaN : cpusBusy() / gomaxprocs;
    }

    /**
     * Whether the program mostly waited: under {@link #LOW_UTILISATION} of GOMAXPROCS and under one
     * CPU busy (a goroutine that keeps one CPU busy is a CPU bottleneck however many there are), or,
     * without GOMAXPROCS, under that share of a single CPU (which is low whatever the machine).
     */
    boolean offCpuBound() {
        double busy = cpusBusy();
        if (Double.isNaN(busy)) {
            return false;
        }
        double u = utilisation();
        return Double.isNaN(u) ? busy < LOW_UTILISATION : u < LOW_UTILISATION && busy < 1;
    }

    /** "95 samples (0.95 s of CPU in 6.0 s, 0.16 CPUs busy of 4 (4%))": the evidence's size in words. */
    String describe() {
        return String.format(Locale.ROOT, "%d samples (%s)", samples, busyness());
    }

    /** "0.95 s of CPU in 6.0 s, 0.16 CPUs busy of 4 (4%)". */
    String busyness() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.2f s of CPU", cpuNanos / 1e9));
        if (durationNanos > 0) {
            sb.append(String.format(Locale.ROOT, " in %.1f s, %.2f CPUs busy", durationNanos / 1e9, cpusBusy()));
            if (gomaxprocs > 0) {
                sb.append(String.format(Locale.ROOT, " of %d (%.0f%%)", gomaxprocs, 100 * utilisation()));
            }
        }
        return sb.toString();
    }

    /** The profile's size and busyness as evidence. */
    void evidence(Finding.Builder b) {
        b.evidence("cpuSamples", samples).evidence("cpuSeconds", round(cpuNanos / 1e9));
        if (durationNanos > 0) {
            b.evidence("profileSeconds", round(durationNanos / 1e9)).evidence("cpusBusy", round(cpusBusy()));
        }
        if (gomaxprocs > 0) {
            b.evidence("gomaxprocs", gomaxprocs);
            if (durationNanos > 0) {
                b.evidence("cpuUtilisation", round(utilisation()));
            }
        }
    }

    /**
     * The score a CPU-share finding may have given the evidence: at most info when the profile or the
     * site's own samples are too few to trust the share, or when the program mostly waited (its CPU
     * hotspots are not where its time goes); null caveat when the score stands.
     */
    Judged judge(int score, long siteSamples) {
        if (tooSmall()) {
            return new Judged(Score.atMost(score, Severity.INFO), String.format(Locale.ROOT,
                    "profile too small to judge: %s, fewer than %d", describe(), MIN_PROFILE_SAMPLES));
        }
        if (siteSamples < MIN_SITE_SAMPLES) {
            return new Judged(Score.atMost(score, Severity.INFO), String.format(Locale.ROOT,
                    "too few samples to judge: %d of %d, fewer than %d", siteSamples, samples, MIN_SITE_SAMPLES));
        }
        if (offCpuBound()) {
            return new Judged(Score.atMost(score, Severity.INFO), "the program is off-CPU bound (" + busyness()
                    + "): its time goes to waiting, not to this CPU");
        }
        return new Judged(score, null);
    }

    /** A score after {@link #judge}, with why it was capped (null: not capped). */
    record Judged(int score, String caveat) {
    }

    /** CPU samples a value of the profile's cpu sample type stands for. */
    long samplesOf(long cpuValue) {
        return cpuNanos == 0 ? 0 : Math.round((double) cpuValue * samples / cpuNanos);
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
