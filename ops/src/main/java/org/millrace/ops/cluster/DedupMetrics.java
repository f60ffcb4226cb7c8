package org.millrace.ops.cluster;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The cluster-wide dedup's metrics, registered once per JVM in the default registry. */
final class DedupMetrics {
    static final DedupMetrics INSTANCE = new DedupMetrics(PrometheusRegistry.defaultRegistry);

    /** Claim requests this node sent to the shards (a request holds a group's claims at one shard). */
    final Counter claimRequests;
    /** Claim requests sent again because their shard did not answer within the ask timeout. */
    final Counter claimRetries;
    /** Changelog records a shard applied when it started on this node (it moved here without its directory). */
    final Counter changelogReplayed;

    private DedupMetrics(PrometheusRegistry registry) {
        claimRequests = Counter.builder().name("millrace_dedup_claim_requests_total")
                .help("Claim requests sent to the cluster's dedup shards").register(registry);
        claimRetries = Counter.builder().name("millrace_dedup_claim_retries_total")
                .help("Claim requests sent again after their shard did not answer in time").register(registry);
        changelogReplayed = Counter.builder().name("millrace_dedup_changelog_replayed_records_total")
                .help("Changelog records applied by dedup shards starting on this node").register(registry);
    }
}
