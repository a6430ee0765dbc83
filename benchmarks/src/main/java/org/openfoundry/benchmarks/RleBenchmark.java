package org.openfoundry.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openfoundry.rle.BinaryMask;
import org.openfoundry.rle.RleMask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a COCO compressed counts string to the pixels of a 1920 × 1080 mask, and encoding the
 * pixels back to the string: what the platform does for every mask a model returns and exports.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RleBenchmark {
  static final int HEIGHT = 1080;
  static final int WIDTH = 1920;
  static final long SEED = 1080;
  static final int BLOBS = 6;

  /** Share of pixels flipped at random on top of the blobs: none, speckle, heavy speckle. */
  @Param({"0", "0.001", "0.01"})
  public double noise;

  private BinaryMask mask;
  private String compressed;

  @Setup
  public void createMask() {
    mask = SyntheticMasks.blobsWithNoise(SEED, HEIGHT, WIDTH, BLOBS, noise);
    compressed = RleMask.of(mask).compressed();
  }

  @Benchmark
  public BinaryMask decodeToPixels() {
    return RleMask.fromCompressed(HEIGHT, WIDTH, compressed).toBinaryMask();
  }

  @Benchmark
  public String encodeFromPixels() {
    return RleMask.of(mask).compressed();
  }
}
