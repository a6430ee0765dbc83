/**
 * Micro-benchmarks of OpenFoundry's hot paths, run with JMH from the shaded {@code benchmarks.jar}:
 * decoding and encoding COCO RLE masks of full-HD images. How each figure was measured and how to
 * reproduce it is in {@code docs/performance.md}.
 */
package org.openfoundry.benchmarks;
