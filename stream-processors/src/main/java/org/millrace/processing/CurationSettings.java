package org.millrace.processing;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.millrace.common.DocumentKind;
import org.millrace.common.Settings;
import org.millrace.common.Topics;

/**
 * The {@code millrace.curation} block, read and checked once, with the settings of the filters that
 * keep state ({@code dedup}) or a model ({@code classifier}) and the data directory they live in;
 * {@code config} is the whole configuration, from which other filters read their own block.
 */
public record CurationSettings(String consumerGroup, String transactionalId, int groupMaxDocs, Duration groupMaxWait,
                               int seqLen, int rowsPerBatch, int minDocChars, long maxDocBytes, List<String> pipeline,
                               Map<DocumentKind, String> bucketOfKind, Duration revokeDrainTimeout, boolean staticMembership, Path dataDir,
                               DedupSettings dedup, ClassifierSettings classifier, Config config) {

    public static CurationSettings fromConfig(Config c, Topics topics) {
        String p = "millrace.curation.";
        Map<DocumentKind, String> buckets = new HashMap<>();
        for (DocumentKind kind : DocumentKind.values()) {
            String key = p + "bucket-of-kind." + kind.wireName();
            String bucket = c.getString(key);
            if (!topics.buckets().contains(bucket)) {
                throw Settings.invalid(c, key, bucket, "not one of millrace.topics.buckets " + topics.buckets());
            }
            buckets.put(kind, bucket);
        }
        long maxBytes = c.getBytes(p + "max-doc-bytes");
        if (maxBytes < 1 || maxBytes > 64L * 1024 * 1024) {
            throw Settings.invalid(c, p + "max-doc-bytes", maxBytes, "must be within [1, 64 MiB] (the broker's record limit)");
        }
        List<String> pipeline = c.getStringList(p + "pipeline");
        for (String name : pipeline) {
            if (!FilterRegistry.NAMES.contains(name)) {
                throw Settings.invalid(c, p + "pipeline", pipeline, "unknown filter '" + name + "', known: " + FilterRegistry.NAMES);
            }
        }
        Path dataDir = Path.of(c.getString("millrace.data-dir")).toAbsolutePath().normalize();
        return new CurationSettings(c.getString(p + "consumer-group"), c.getString(p + "transactional-id"),
                Settings.positiveInt(c, p + "group-max-docs"), Settings.positiveDuration(c, p + "group-max-wait"),
                Settings.intInRange(c, p + "seq-len", 2, 1 << 16), Settings.positiveInt(c, p + "rows-per-batch"),
                Settings.nonNegativeInt(c, p + "min-doc-chars"), maxBytes, pipeline, Map.copyOf(buckets),
                Settings.positiveDuration(c, p + "revoke-drain-timeout"), c.getBoolean(p + "static-membership"), dataDir,
                DedupSettings.fromConfig(c, dataDir), ClassifierSettings.fromConfig(c, dataDir), c);
    }
}
