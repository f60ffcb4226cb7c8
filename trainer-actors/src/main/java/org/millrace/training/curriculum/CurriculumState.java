package org.millrace.training.curriculum;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millrace.common.CurriculumUpdate;

/**
 * Where a curriculum stands, as a checkpoint records it.
 *
 * @param phase          index of the current phase
 * @param phaseName      its name (checked against the configuration on resume)
 * @param phaseTokens    tokens trained in the current phase
 * @param bucketTokens   tokens trained per bucket over the whole run (the mixture actually trained)
 * @param segmentTokens  tokens per bucket since the mixture in force took effect (for {@link DryPolicy#REWEIGHT})
 * @param live           the mixture received on the curriculum topic that is in force, or null (the phases rule)
 * @param pending        mixtures received whose step has not come yet, in step order
 * @param updateOffsets  next offset to read per curriculum topic partition ({@code topic:partition})
 */
public record CurriculumState(int phase, String phaseName, long phaseTokens, Map<String, Long> bucketTokens,
                              Map<String, Long> segmentTokens, CurriculumUpdate live, List<CurriculumUpdate> pending,
                              Map<String, Long> updateOffsets) {
    public CurriculumState {
        bucketTokens = new TreeMap<>(bucketTokens == null ? Map.of() : bucketTokens);
        segmentTokens = new TreeMap<>(segmentTokens == null ? Map.of() : segmentTokens);
        updateOffsets = new TreeMap<>(updateOffsets == null ? Map.of() : updateOffsets);
        pending = pending == null ? List.of() : List.copyOf(pending);
    }
}
