package dev.godiag.format.load;

/**
 * A load test's summary as its tool printed it. Times are in seconds; a value the tool did not
 * print is NaN (wrk prints no p95, hey no p90 when its distribution lacks it, a CSV of latencies
 * has no duration, throughput or errors).
 *
 * @param tool       hey, wrk, vegeta (text), vegeta-json or csv
 * @param requests   the requests counted (CSV: the samples)
 * @param duration   the test's wall time, seconds
 * @param throughput requests per second as the tool reports it
 * @param errors     the share (0..1) of requests that failed or got a non-2xx/3xx status
 * @param samples    the latencies of a CSV, seconds, in file order; empty for the other tools
 */
public record LoadSummary(String tool, long requests, double duration, double throughput, double errors,
                          double p50, double p90, double p95, double p99, double max, double[] samples) {
}
