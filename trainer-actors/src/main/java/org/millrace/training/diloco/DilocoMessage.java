package org.millrace.training.diloco;

/**
 * Marks the DiLoCo messages that cross nodes; {@code pekko.actor.serialization-bindings} in reference.conf binds
 * it to Pekko's Jackson CBOR serializer. Why Jackson CBOR rather than a float-array serializer of our own: the
 * large fields are {@code byte[]} already encoded by {@link DeltaEncoding} (CBOR writes a byte string as it is,
 * with a few bytes of header), and the small fields (ids, round, actor refs) get Pekko's maintained ActorRef
 * handling for free. A hand-written serializer would save only those few header bytes.
 */
public interface DilocoMessage {
}
