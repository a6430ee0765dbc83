/**
 * The shapes example model: a transparent classical segmentation of street scenes. Every pixel is
 * given a colour class by HSV ranges, pixels of one class are grouped into 8-connected components
 * with a union-find labeling, and components above a minimum area become objects (cars, suns,
 * signs: boxes) or regions (sky, road, grass: masks with small enclosed holes filled). Also owns
 * the seeded generator of the bundled scenes and their ground truth.
 */
package org.openfoundry.examples.shapes;
