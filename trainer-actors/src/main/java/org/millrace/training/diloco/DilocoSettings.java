package org.millrace.training.diloco;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.millrace.common.Settings;

/**
 * The {@code millrace.diloco} block, read and checked once.
 *
 * @param innerSteps          H: AdamW steps a worker takes between two synchronisations
 * @param outerLearningRate   learning rate of the outer Nesterov step on the averaged delta
 * @param outerMomentum       momentum of the outer Nesterov step
 * @param deltaEncoding       how a worker sends its delta (parameters always go back in fp32)
 * @param chunkBytes          largest payload of one message; parameters and deltas are split into chunks of it
 * @param roundTimeout        how long the coordinator waits for a worker's delta before it drops the worker
 * @param checkpointEveryRounds a worker writes its checkpoint (offsets, inner optimizer) every this many rounds
 */
public record DilocoSettings(int innerSteps, double outerLearningRate, double outerMomentum, DeltaEncoding deltaEncoding,
                             int chunkBytes, Duration roundTimeout, int checkpointEveryRounds) {
    private static final String P = "millrace.diloco.";

    public DilocoSettings {
        if (innerSteps < 1) {
            throw new IllegalArgumentException(P + "inner-steps must be >= 1 (got " + innerSteps + ")");
        }
        if (!(outerLearningRate > 0)) {
            throw new IllegalArgumentException(P + "outer-learning-rate must be > 0 (got " + outerLearningRate + ")");
        }
        if (!(outerMomentum >= 0 && outerMomentum < 1)) {
            throw new IllegalArgumentException(P + "outer-momentum must be in [0, 1) (got " + outerMomentum + ")");
        }
        if (chunkBytes < 1024) {
            throw new IllegalArgumentException(P + "chunk-bytes must be >= 1 KiB (got " + chunkBytes + ")");
        }
        if (roundTimeout.isNegative() || roundTimeout.isZero()) {
            throw new IllegalArgumentException(P + "round-timeout must be > 0 (got " + roundTimeout + ")");
        }
        if (checkpointEveryRounds < 1) {
            throw new IllegalArgumentException(P + "checkpoint-every-rounds must be >= 1 (got " + checkpointEveryRounds + ")");
        }
    }

    public static DilocoSettings fromConfig(Config c) {
        String encoding = Settings.oneOf(c, P + "delta-encoding", List.of("fp32", "bf16", "fp16"));
        long chunk = c.getBytes(P + "chunk-bytes");
        if (chunk < 1024 || chunk > Integer.MAX_VALUE) {
            throw Settings.invalid(c, P + "chunk-bytes", chunk, "must be between 1 KiB and 2 GiB");
        }
        return new DilocoSettings(Settings.positiveInt(c, P + "inner-steps"),
                Settings.positiveDouble(c, P + "outer-learning-rate"),
                Settings.doubleInRange(c, P + "outer-momentum", 0.0, 0.999999),
                DeltaEncoding.valueOf(encoding.toUpperCase(Locale.ROOT)), (int) chunk,
                Settings.positiveDuration(c, P + "round-timeout"), Settings.positiveInt(c, P + "checkpoint-every-rounds"));
    }

    /** The paper's outer optimizer (lr 0.7, momentum 0.9) with H inner steps and fp32 deltas. */
    public static DilocoSettings paper(int innerSteps) {
        return new DilocoSettings(innerSteps, 0.7, 0.9, DeltaEncoding.FP32, 1 << 20, Duration.ofMinutes(30), 10);
    }

    public DilocoSettings withOuter(double learningRate, double momentum) {
        return new DilocoSettings(innerSteps, learningRate, momentum, deltaEncoding, chunkBytes, roundTimeout, checkpointEveryRounds);
    }

    public DilocoSettings withDeltaEncoding(DeltaEncoding encoding) {
        return new DilocoSettings(innerSteps, outerLearningRate, outerMomentum, encoding, chunkBytes, roundTimeout, checkpointEveryRounds);
    }

    public DilocoSettings withChunkBytes(int bytes) {
        return new DilocoSettings(innerSteps, outerLearningRate, outerMomentum, deltaEncoding, bytes, roundTimeout, checkpointEveryRounds);
    }

    public DilocoSettings withRoundTimeout(Duration timeout) {
        return new DilocoSettings(innerSteps, outerLearningRate, outerMomentum, deltaEncoding, chunkBytes, timeout, checkpointEveryRounds);
    }
}
