package org.millrace.training.curriculum;

/**
 * What a step does when the bucket it drew has no batch ready and its topic is read to the end (for
 * {@code millrace.trainer.dry-wait}): {@code millrace.curriculum.on-dry}.
 */
public enum DryPolicy {
    /** The step waits for the drawn bucket: the mixture is exact, training stalls while a bucket is dry. */
    WAIT,
    /** The step draws again among the buckets that have batches; the dry bucket's share is not made up later. */
    SKIP,
    /**
     * Like {@link #SKIP}, and every draw weighs each bucket by how far its trained share lags its target share
     * in the current phase (×¼ … ×4), so a bucket that ran dry catches up when batches arrive again.
     */
    REWEIGHT,
    /**
     * The feed starts the dry bucket again from its first batch (another epoch of that bucket, as phi-4 does
     * with synthetic data); a bucket that never had a batch is skipped.
     */
    REPEAT
}
