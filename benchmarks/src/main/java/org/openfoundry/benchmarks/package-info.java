/**
 * Benchmarks of OpenFoundry's hot paths and of the run engine as a whole: JMH micro-benchmarks
 * (decoding and encoding COCO RLE masks, reading detector responses) and the {@link
 * org.openfoundry.benchmarks.EngineLoadHarness} load runs (engine overhead, latency hiding, rate
 * fidelity, memory, a rate shared by worker processes), all run from the shaded {@code
 * benchmarks.jar}. How each figure was measured and how to reproduce it is in {@code
 * docs/performance.md}.
 */
package org.openfoundry.benchmarks;
