/**
 * How guard reads its targets: {@link dev.godiag.guard.scrape.TargetScraper} scrapes the cheap
 * counts (goroutines, heap in use, open fds, process start) from a target's {@code /metrics},
 * falling back to its pprof and expvar endpoints, and captures the expensive evidence (goroutine
 * dump, heap profile, goroutineleak) when an alert opens; {@link dev.godiag.guard.scrape.QuerySource}
 * reads the same counts for a fleet from a Prometheus-compatible query API. Everything read from
 * the network is bounded in size and time, and every failure is one line.
 */
package dev.godiag.guard.scrape;
