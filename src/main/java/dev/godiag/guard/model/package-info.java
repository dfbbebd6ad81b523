/**
 * What the guard's parts (config, scrape, watch, notify, store, the daemon) hand each other: a
 * watched {@link dev.godiag.guard.model.Target}, one scrape's {@link dev.godiag.guard.model.Reading},
 * an {@link dev.godiag.guard.model.Alert} with its evidence, and the persisted
 * {@link dev.godiag.guard.model.Outbox} of deliveries. Plain records, no behaviour beyond checks.
 */
package dev.godiag.guard.model;
