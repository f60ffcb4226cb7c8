package org.millrace.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Normal(0, std²) values drawn from a Java RNG seeded by (seed, parameter name).
 *
 * <p>Hand-written rather than DJL's {@code NormalInitializer} because that one draws from the
 * engine's process-wide RNG: its values depend on the device, on the order parameters are created
 * and on whatever else used the RNG, so two trainers with one seed would not start equal.
 */
record SeededNormal(long seed, String name, double std) implements Initializer {

    SeededNormal withSeed(long newSeed) {
        return new SeededNormal(newSeed, name, std);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        SplittableRandom random = new SplittableRandom(streamSeed());
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        NDArray array = manager.create(values, shape);
        return dataType == DataType.FLOAT32 ? array : array.toType(dataType, false);
    }

    /** Mixes the seed with a hash of the name (FNV-1a 64 over UTF-8), stable across JVMs. */
    private long streamSeed() {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new SplittableRandom(seed ^ hash).nextLong();
    }
}
