package org.millrace.common;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Topic names of DESIGN.md under a configurable prefix ({@code millrace.topics.prefix}).
 *
 * @param prefix  prefix of every topic name, e.g. {@code millrace}
 * @param buckets curriculum buckets, one batch topic each
 */
public record Topics(String prefix, List<String> buckets) {
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    public Topics {
        Objects.requireNonNull(prefix, "prefix");
        if (!LEGAL.matcher(prefix).matches()) {
            throw new IllegalArgumentException("millrace.topics.prefix may hold only letters, digits, '.', '_' and '-' (got '" + prefix + "')");
        }
        buckets = List.copyOf(buckets);
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("millrace.topics.buckets must name at least one bucket");
        }
        for (String b : buckets) {
            if (!LEGAL.matcher(b).matches()) {
                throw new IllegalArgumentException("millrace.topics.buckets: '" + b + "' is not a legal topic name part");
            }
        }
    }

    public static Topics fromConfig(Config config) {
        return new Topics(config.getString("millrace.topics.prefix"), config.getStringList("millrace.topics.buckets"));
    }

    public String docsWeb() {
        return prefix + ".docs.web";
    }

    public String docsSynthetic() {
        return prefix + ".docs.synthetic";
    }

    public String docsFor(DocumentKind kind) {
        return kind == DocumentKind.SYNTHETIC ? docsSynthetic() : docsWeb();
    }

    public String curated() {
        return prefix + ".docs.curated";
    }

    public String rejected() {
        return prefix + ".docs.rejected";
    }

    public String batches(String bucket) {
        if (!buckets.contains(bucket)) {
            throw new IllegalArgumentException("unknown bucket '" + bucket + "', configured buckets are " + buckets);
        }
        return prefix + ".batches." + bucket;
    }

    public List<String> batchTopics() {
        return buckets.stream().map(this::batches).toList();
    }

    /** The bucket of a batch topic name, the inverse of {@link #batches(String)}. */
    public String bucketOf(String batchTopic) {
        String head = prefix + ".batches.";
        if (!batchTopic.startsWith(head)) {
            throw new IllegalArgumentException(batchTopic + " is not a batch topic of prefix " + prefix);
        }
        return batchTopic.substring(head.length());
    }

    public String trainEvents() {
        return prefix + ".train.events";
    }

    public String evalResults() {
        return prefix + ".eval.results";
    }

    public String curriculum() {
        return prefix + ".curriculum";
    }

    /** Every topic Millrace reads or writes. */
    public List<String> all() {
        var all = new java.util.ArrayList<>(List.of(docsWeb(), docsSynthetic(), curated(), rejected()));
        all.addAll(batchTopics());
        all.addAll(List.of(trainEvents(), evalResults(), curriculum()));
        return List.copyOf(all);
    }
}
