package org.millrace.ops.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What a cluster node runs; a node has one or more roles, and they are its Pekko Cluster roles. */
public enum NodeRole {
    /** Producers: publish the configured sources to the document topics. */
    INGEST,
    /** The curation stream (one consumer group across every process node) and the dedup shards. */
    PROCESS,
    /** Trainer actors (and the training singletons). */
    TRAIN,
    /** Evaluator actors, which follow checkpoint events. */
    EVAL,
    /** The OpenAI-compatible API on the latest checkpoint. */
    SERVE,
    /** Prometheus metrics and the live dashboard. */
    OPS;

    /** The name in settings, on the command line and as Pekko Cluster role. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Roles from their names; {@code what} names the setting or flag in the error. */
    public static Set<NodeRole> parse(List<String> names, String what) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty: give at least one of " + wireNames());
        }
        EnumSet<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
        for (String n : names) {
            String name = n.trim().toLowerCase(Locale.ROOT);
            NodeRole role = Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(what + ": unknown role '" + n + "', known: " + wireNames()));
            roles.add(role);
        }
        return roles;
    }

    public static List<String> wireNames() {
        List<String> names = new ArrayList<>();
        for (NodeRole r : values()) {
            names.add(r.wireName());
        }
        return names;
    }
}
