/**
 * COCO run-length encoded masks, byte-exact with the reference COCO tools: the compressed counts
 * string ({@link org.openfoundry.rle.CocoRle}), masks as validated run lengths ({@link
 * org.openfoundry.rle.RleMask}) with their area and bounding box, and the bit masks they decode to
 * ({@link org.openfoundry.rle.BinaryMask}). Runs are column-major and the first run counts zeros,
 * as on the wire.
 */
package org.openfoundry.rle;
