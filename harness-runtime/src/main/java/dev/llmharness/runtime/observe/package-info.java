/**
 * Observability around a run, all off by default except the scrape of a target that serves {@code
 * /metrics}: the server's own metrics scraped during each trial ({@link
 * dev.llmharness.runtime.observe.MetricsScraper}, mapped onto common concepts by {@link
 * dev.llmharness.runtime.observe.ServerConcept}), the client's figures pushed to a Prometheus
 * Pushgateway or served on a port ({@link dev.llmharness.runtime.observe.ClientMetrics}), JFR events
 * per request and per trial phase ({@link dev.llmharness.runtime.observe.JfrEvents}), and the cost
 * per token of the measured throughput ({@link dev.llmharness.runtime.observe.CostModel}).
 */
package dev.llmharness.runtime.observe;
