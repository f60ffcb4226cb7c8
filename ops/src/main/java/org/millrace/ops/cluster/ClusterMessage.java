package org.millrace.ops.cluster;

/**
 * Marker of messages that cross nodes; application.conf binds it to Pekko's Jackson (CBOR) serializer.
 * Messages of other modules that cross nodes are bound there by class name.
 */
public interface ClusterMessage {
}
