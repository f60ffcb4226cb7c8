package org.millrace.ops.cluster;

import java.util.Set;

/**
 * Something a cluster node runs when it has one of {@link #roles()}: found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/org.millrace.ops.cluster.NodeComponent}), so that a module
 * adds its actors (a singleton through {@link NodeContext#singleton}, a worker registered with the
 * receptionist) without changing the node. Components start after the node has joined the cluster.
 */
public interface NodeComponent {

    /** The roles on which this component runs (any of them). */
    Set<NodeRole> roles();

    /** Starts the component; the returned handle is closed when the node stops. */
    AutoCloseable start(NodeContext context) throws Exception;
}
