package org.openfoundry.examples.shapes;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the labeled colour components of an image into objects and regions.
 *
 * <p>Objects: a component of a car colour, the sun's yellow or a sign's orange of at least {@code
 * minArea} pixels is one instance. A car also takes the dark components (its tyres) that touch it
 * more than any other car. An instance's mask is its pixels with enclosed holes (windows) filled.
 *
 * <p>Regions: the sky-blue, asphalt-grey and grass-green components of at least five times {@code
 * minArea} make up the region, and holes up to a quarter of a percent of the image (noise, lane
 * markings) are filled. Cloud cover is the white area above the horizon over white plus sky.
 *
 * <p>Scores: an object scores the mean class membership of its pixels, scaled down while its area
 * is under three times {@code minArea}; a region scores the mean membership of its pixels.
 */
final class SceneSegmenter {
  private static final int REGION_AREA_FACTOR = 5;
  private static final int FULL_SCORE_AREA_FACTOR = 3;
  private static final int SMALLEST_HOLE_LIMIT = 64;
  private static final int HOLE_SHARE_DIVISOR = 400;

  private final int minArea;

  SceneSegmenter(int minArea) {
    if (minArea < 1) {
      throw new IllegalArgumentException("minArea must be at least 1, got " + minArea);
    }
    this.minArea = minArea;
  }

  Segmentation segment(BufferedImage image) {
    ColourMap colours = ColourMap.of(image);
    Labeling labeling = Labeling.of(colours);
    List<Segment> objects = objects(labeling);
    Map<SceneFeature, List<Segment>> parts = new EnumMap<>(SceneFeature.class);
    Map<SceneFeature, Segment> regions = new EnumMap<>(SceneFeature.class);
    region(labeling, PixelClass.SKY, SceneFeature.SKY, parts, regions);
    region(labeling, PixelClass.ASPHALT, SceneFeature.ROAD, parts, regions);
    region(labeling, PixelClass.GRASS, SceneFeature.GRASS, parts, regions);
    double cover = cloudCover(labeling, regions.get(SceneFeature.SKY));
    return new Segmentation(labeling.width(), labeling.height(), objects, parts, regions, cover);
  }

  private List<Segment> objects(Labeling labeling) {
    List<Component> components = labeling.components();
    Map<Integer, PixelMask> instances = new HashMap<>();
    List<Component> bodies = new ArrayList<>();
    for (Component component : components) {
      if (component.area() >= minArea && objectFeature(component.pixelClass()).isPresent()) {
        bodies.add(component);
        instances.put(component.id(), pixels(labeling, component));
      }
    }
    attachTyres(labeling, instances);
    List<Segment> objects = new ArrayList<>();
    for (Component body : bodies) {
      PixelMask instance = instances.get(body.id());
      instance.fillHoles(Integer.MAX_VALUE);
      double scale = Math.min(1, (double) body.area() / (FULL_SCORE_AREA_FACTOR * minArea));
      SceneFeature feature = objectFeature(body.pixelClass()).orElseThrow();
      objects.add(new Segment(feature, instance, body.meanMembership() * scale));
    }
    return objects;
  }

  private static Optional<SceneFeature> objectFeature(PixelClass pixelClass) {
    return switch (pixelClass) {
      case CAR_RED, CAR_BLUE, CAR_PURPLE -> Optional.of(SceneFeature.CAR);
      case SUN -> Optional.of(SceneFeature.SUN);
      case SIGN -> Optional.of(SceneFeature.SIGN);
      case SKY, GRASS, ASPHALT, WHITE, DARK, OTHER -> Optional.empty();
    };
  }

  /** Gives each dark component to the car it shares the longest border with, if any. */
  private static void attachTyres(Labeling labeling, Map<Integer, PixelMask> instances) {
    List<Component> components = labeling.components();
    int width = labeling.width();
    int height = labeling.height();
    for (Component dark : components) {
      if (dark.pixelClass() != PixelClass.DARK) {
        continue;
      }
      Map<Integer, Integer> contacts = new HashMap<>();
      for (int y = dark.minY(); y <= dark.maxY(); y++) {
        for (int x = dark.minX(); x <= dark.maxX(); x++) {
          if (labeling.labelAt(y * width + x) != dark.id()) {
            continue;
          }
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int nx = x + dx;
              int ny = y + dy;
              if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
                continue;
              }
              Component neighbour = components.get(labeling.labelAt(ny * width + nx));
              if (neighbour.pixelClass().isCar() && instances.containsKey(neighbour.id())) {
                contacts.merge(neighbour.id(), 1, Integer::sum);
              }
            }
          }
        }
      }
      contacts.entrySet().stream()
          .filter(contact -> components.get(contact.getKey()).area() >= dark.area())
          .max(Map.Entry.comparingByValue())
          .ifPresent(contact -> instances.get(contact.getKey()).addAll(pixels(labeling, dark)));
    }
  }

  private void region(
      Labeling labeling,
      PixelClass pixelClass,
      SceneFeature feature,
      Map<SceneFeature, List<Segment>> parts,
      Map<SceneFeature, Segment> regions) {
    PixelMask whole = new PixelMask(labeling.width(), labeling.height());
    List<Segment> found = new ArrayList<>();
    double membership = 0;
    int area = 0;
    for (Component component : labeling.components()) {
      if (component.pixelClass() != pixelClass || component.area() < REGION_AREA_FACTOR * minArea) {
        continue;
      }
      PixelMask part = pixels(labeling, component);
      found.add(new Segment(feature, part, component.meanMembership()));
      whole.addAll(part);
      membership += component.membershipSum();
      area += component.area();
    }
    if (found.isEmpty()) {
      return;
    }
    int imageArea = labeling.width() * labeling.height();
    whole.fillHoles(Math.max(SMALLEST_HOLE_LIMIT, imageArea / HOLE_SHARE_DIVISOR));
    parts.put(feature, found);
    regions.put(feature, new Segment(feature, whole, membership / area));
  }

  private double cloudCover(Labeling labeling, Segment sky) {
    if (sky == null) {
      return 0;
    }
    int horizon = sky.pixels().bounds()[3];
    int cloud = 0;
    for (Component component : labeling.components()) {
      if (component.pixelClass() == PixelClass.WHITE
          && component.area() >= minArea
          && component.minY() < horizon) {
        cloud += component.area();
      }
    }
    return (double) cloud / (cloud + sky.pixels().area());
  }

  private static PixelMask pixels(Labeling labeling, Component component) {
    PixelMask mask = new PixelMask(labeling.width(), labeling.height());
    int width = labeling.width();
    for (int y = component.minY(); y <= component.maxY(); y++) {
      for (int x = component.minX(); x <= component.maxX(); x++) {
        if (labeling.labelAt(y * width + x) == component.id()) {
          mask.set(x, y);
        }
      }
    }
    return mask;
  }
}
