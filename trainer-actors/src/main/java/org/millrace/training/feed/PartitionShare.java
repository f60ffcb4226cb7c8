package org.millrace.training.feed;

/**
 * Which partitions of each batch topic a feed reads: partitions {@code p} with {@code p mod workers == index}.
 * {@link #ALL} (index 0 of 1) is every partition. DiLoCo workers each read their own share, so the shares are
 * disjoint and every batch is fetched by one worker only.
 *
 * @param index   this reader's share, in {@code [0, workers)}
 * @param workers how many shares the partitions are split into
 */
public record PartitionShare(int index, int workers) {
    /** Every partition. */
    public static final PartitionShare ALL = new PartitionShare(0, 1);

    public PartitionShare {
        if (workers < 1) {
            throw new IllegalArgumentException("partition share: workers must be >= 1 (got " + workers + ")");
        }
        if (index < 0 || index >= workers) {
            throw new IllegalArgumentException("partition share: index " + index + " is out of range for " + workers
                    + " workers (must be in [0, " + workers + "))");
        }
    }

    /** Whether partition {@code partition} of a topic belongs to this share. */
    public boolean includes(int partition) {
        return Math.floorMod(partition, workers) == index;
    }

    @Override
    public String toString() {
        return workers == 1 ? "all partitions" : "partitions p mod " + workers + " = " + index;
    }
}
