package org.millrace.processing.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * The fastText classifier as a DJL block: an embedding bag (the weighted sum of the embedding rows of
 * a text's hashed n-grams, weights 1/n: their mean) followed by a linear layer to one logit.
 * Inputs: ids (B, L) int64 and weights (B, L) float32 (zero on padding); output: logits (B, 1).
 */
public final class BagOfNgramsBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final Parameter embedding;
    private final Parameter weight;
    private final Parameter bias;

    public BagOfNgramsBlock(int buckets, int dim) {
        super(VERSION);
        embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(buckets, dim)).optInitializer(new NormalInitializer(0.1f)).build());
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(dim, 1)).optInitializer(new NormalInitializer(0.1f)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(1)).optInitializer(Initializer.ZEROS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);                                                    // (B, L)
        NDArray weights = inputs.get(1);                                                // (B, L)
        NDArray table = ps.getValue(embedding, ids.getDevice(), training);              // (V, D)
        NDArray rows = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow(); // (B, L, D)
        NDArray bag = rows.mul(weights.expandDims(2)).sum(new int[] {1});               // (B, D)
        NDArray logits = bag.matMul(ps.getValue(weight, ids.getDevice(), training))     // (B, 1)
                .add(ps.getValue(bias, ids.getDevice(), training));
        return new NDList(logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    public Parameter embedding() {
        return embedding;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }
}
