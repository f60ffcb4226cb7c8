package org.millrace.bench.soak;

/**
 * One sample of a soak. Bytes are -1 where the figure could not be obtained.
 *
 * @param seconds            since the soak started
 * @param heapUsed           JVM heap in use (garbage included: it saw-tooths)
 * @param heapLive           heap in use right after a full collection, measured once a minute (-1 in between)
 * @param heapCommitted      JVM heap committed
 * @param nonHeapCommitted   JVM non-heap committed (metaspace, code cache)
 * @param rss                resident set size of the process (VmRSS of /proc/self/status)
 * @param nativeEstimate     rss minus committed heap and non-heap: PyTorch, Arrow, thread stacks, malloc arenas
 * @param djlTensorBytes     bytes of the NDArrays the trainer's DJL manager holds (parameters, optimizer state, a step's tensors)
 * @param djlTensors         number of those NDArrays
 * @param arrowBytes         bytes held by the Arrow allocators (curation's and the trainer's feed)
 * @param steps              training steps done
 * @param tokens             training tokens seen
 * @param docsIn             documents read by curation
 * @param batchesOut         token batches curation wrote
 * @param tokensPerSecond    training tokens per second since the previous sample
 * @param docsPerSecond      documents curated per second since the previous sample
 * @param threads            live JVM threads
 */
public record SoakSample(double seconds, long heapUsed, long heapLive, long heapCommitted, long nonHeapCommitted, long rss,
                         long nativeEstimate, long djlTensorBytes, long djlTensors, long arrowBytes, long steps, long tokens,
                         long docsIn, long batchesOut, double tokensPerSecond, double docsPerSecond, int threads) {
}
