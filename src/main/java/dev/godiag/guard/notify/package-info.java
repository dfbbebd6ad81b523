/**
 * Guard's notify stage: an alert as JSON ({@link dev.godiag.guard.notify.AlertJson}), the requests a
 * transition is delivered as ({@link dev.godiag.guard.notify.Deliveries}: signed webhooks,
 * Alertmanager's v2 API, the job's callback) and the worker sending them from the outbox with
 * retries ({@link dev.godiag.guard.notify.DeliveryWorker}). Uses only guard.model and guard.config.
 */
package dev.godiag.guard.notify;
