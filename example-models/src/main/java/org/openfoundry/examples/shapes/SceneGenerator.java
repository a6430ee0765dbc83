package org.openfoundry.examples.shapes;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Draws the bundled street scenes from a seed: a sky with a gradient, hills, grass with blades, a
 * road with lane markings, up to three cars of different colours that may hide one another, a sun
 * that clouds may hide, and signs on poles; then salt-and-pepper noise over everything. Every pixel
 * is drawn with its truth, so a scene knows what of each object is visible.
 *
 * <p>Run {@code main} with a folder to write {@code scene-NN.png} and {@code ground-truth.json}
 * there; the same count and seed give the same files.
 */
public final class SceneGenerator {
  /** The bundled set: this many scenes from this seed. */
  public static final int BUNDLED_SCENES = 24;

  public static final long BUNDLED_SEED = 20_240_601L;

  static final int WIDTH = 320;
  static final int HEIGHT = 240;

  /** Objects drawn smaller than this, once hidden parts are taken away, are drawn again. */
  static final int SMALLEST_VISIBLE_OBJECT = 150;

  private static final double NOISE_SHARE = 0.025;
  private static final int NOISE_AMPLITUDE = 60;
  private static final double CLEAR_COVER_LIMIT = 0.12;
  private static final double CLOUDY_COVER_FLOOR = 0.28;
  private static final int ATTEMPTS = 200;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /** An object must show at least this share of the body drawn for it. */
  private static final double SMALLEST_VISIBLE_SHARE = 0.55;

  private final long seed;

  public SceneGenerator(long seed) {
    this.seed = seed;
  }

  /** Writes the scenes and their ground truth into the folder given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: SceneGenerator <folder>");
      System.exit(2);
    }
    Path folder = Path.of(args[0]);
    Files.createDirectories(folder);
    SceneGenerator generator = new SceneGenerator(BUNDLED_SEED);
    List<Scene> scenes = new ArrayList<>();
    for (int index = 1; index <= BUNDLED_SCENES; index++) {
      Scene scene = generator.scene(index);
      ImageIO.write(scene.image(), "png", folder.resolve(scene.name()).toFile());
      scenes.add(scene);
    }
    Files.writeString(folder.resolve("ground-truth.json"), groundTruth(scenes));
  }

  /** The scene of the given 1-based index, always the same for one seed. */
  Scene scene(int index) {
    Random random = new Random(scramble(seed + index * GOLDEN_GAMMA));
    String name = String.format(Locale.ROOT, "scene-%02d.png", index);
    boolean cloudy = random.nextDouble() < 0.35;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Canvas canvas = new Canvas(WIDTH, HEIGHT);
      Layout layout = Layout.draw(canvas, random, cloudy);
      if (layout.acceptable(canvas)) {
        canvas.addNoise(random, NOISE_SHARE, NOISE_AMPLITUDE);
        return canvas.toScene(name, layout.instances());
      }
    }
    throw new IllegalStateException(
        "no acceptable layout for " + name + " in " + ATTEMPTS + " tries");
  }

  /** Consecutive seeds give java.util.Random correlated first draws; this spreads them apart. */
  private static long scramble(long value) {
    long mixed = (value ^ (value >>> 30)) * 0xbf58476d1ce4e5b9L;
    mixed = (mixed ^ (mixed >>> 27)) * 0x94d049bb133111ebL;
    return mixed ^ (mixed >>> 31);
  }

  /** The ground truth file: per scene its objects' boxes, region areas and weather. */
  static String groundTruth(List<Scene> scenes) {
    JsonMapper mapper = JsonMapper.builder().build();
    ObjectNode root = mapper.createObjectNode();
    root.put(
        "about",
        "Visible objects (boxes are [left, top, width, height]), region areas in pixels and the weather of each bundled scene, written by SceneGenerator.");
    ArrayNode list = root.putArray("scenes");
    for (Scene scene : scenes) {
      ObjectNode entry = list.addObject();
      entry.put("image", scene.name());
      entry.putArray("size").add(HEIGHT).add(WIDTH);
      ArrayNode objects = entry.putArray("objects");
      for (Scene.TrueObject object : scene.objects()) {
        ObjectNode node = objects.addObject();
        node.put("feature", object.feature().featureName());
        ArrayNode box = node.putArray("box");
        for (int coordinate : object.box()) {
          box.add(coordinate);
        }
      }
      ObjectNode regions = entry.putObject("regions");
      for (SceneFeature feature :
          List.of(SceneFeature.SKY, SceneFeature.ROAD, SceneFeature.GRASS)) {
        regions.put(feature.featureName(), scene.regions().get(feature).area());
      }
      entry.put("weather", scene.weather());
    }
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  /** Where the parts of one scene go; drawing it paints the canvas. */
  private record Layout(List<Instance> instances, boolean cloudy) {
    static Layout draw(Canvas canvas, Random random, boolean cloudy) {
      List<Instance> instances = new ArrayList<>();
      double brightness = 0.9 + random.nextDouble() * 0.13;
      canvas.brightness(brightness);
      int horizon = 85 + random.nextInt(30);
      double hillHeight = random.nextInt(9);
      double hillPeriod = 90 + random.nextInt(120);
      double hillPhase = random.nextDouble() * Math.PI * 2;
      int[] skyline = new int[WIDTH];
      for (int x = 0; x < WIDTH; x++) {
        skyline[x] =
            horizon
                - (int)
                    Math.round(
                        hillHeight * StrictMath.sin(x * 2 * Math.PI / hillPeriod + hillPhase));
      }
      int roadTop =
          horizon
              + 38
              + random.nextInt(Math.max(1, Math.min(HEIGHT - 60, horizon + 75) - horizon - 38));
      int roadBottom = Math.min(HEIGHT - 2, roadTop + 46 + random.nextInt(13));
      Backdrop.sky(canvas, skyline);
      Backdrop.grass(canvas, random, skyline);
      Backdrop.road(canvas, random, roadTop, roadBottom);
      if (random.nextDouble() < 0.75) {
        instances.add(Things.sun(canvas, random, horizon, instances.size()));
      }
      Backdrop.clouds(canvas, random, horizon, cloudy);
      int signs = random.nextInt(3);
      List<Integer> signColumns = new ArrayList<>();
      for (int count = 0; count < signs; count++) {
        int column = 10 + random.nextInt(WIDTH - 24);
        if (signColumns.stream().anyMatch(other -> Math.abs(other - column) < 36)) {
          continue;
        }
        signColumns.add(column);
        instances.add(Things.sign(canvas, random, column, roadTop, instances.size()));
      }
      int cars = random.nextInt(4);
      List<Integer> colours = new ArrayList<>(List.of(0, 1, 2));
      Collections.shuffle(colours, random);
      List<int[]> spans = new ArrayList<>();
      List<int[]> placed = new ArrayList<>();
      for (int count = 0; count < cars; count++) {
        int carWidth = 48 + random.nextInt(17);
        int left = 4 + random.nextInt(WIDTH - carWidth - 8);
        int base = roadTop + 24 + random.nextInt(Math.max(1, roadBottom - roadTop - 30));
        spans.add(new int[] {left, carWidth, base, colours.get(count)});
      }
      spans.sort(Comparator.comparingInt(span -> span[2]));
      for (int[] span : spans) {
        placed.add(span);
        instances.add(
            Things.car(canvas, random, span[0], span[1], span[2], span[3], instances.size()));
      }
      return new Layout(List.copyOf(instances), cloudy);
    }

    boolean acceptable(Canvas canvas) {
      double cover = canvas.cloudCover();
      if (cloudy ? cover < CLOUDY_COVER_FLOOR : cover > CLEAR_COVER_LIMIT) {
        return false;
      }
      int[] visible = new int[instances.size()];
      int[] body = new int[instances.size()];
      canvas.countVisible(visible, body);
      for (Instance instance : instances) {
        int id = instance.id();
        if (visible[id] < SMALLEST_VISIBLE_OBJECT
            || body[id] < SMALLEST_VISIBLE_SHARE * canvas.bodyDrawn(id)
            || canvas.bodyParts(id) != 1) {
          return false;
        }
      }
      return true;
    }
  }

  /** One object drawn on the canvas under an instance id. */
  record Instance(int id, SceneFeature feature) {}

  /** The backdrop: sky, hills and grass, road, clouds. */
  private static final class Backdrop {
    private Backdrop() {}

    static void sky(Canvas canvas, int[] skyline) {
      for (int y = 0; y < HEIGHT; y++) {
        double depth = (double) y / 120;
        int rgb =
            canvas.lit(
                new Hsv(212 - 14 * depth, 0.5 - 0.2 * depth, Math.min(1, 0.86 + 0.11 * depth)));
        for (int x = 0; x < WIDTH; x++) {
          if (y < skyline[x]) {
            canvas.paintRgb(x, y, rgb, Truth.SKY, Canvas.NO_INSTANCE, false);
          }
        }
      }
    }

    static void grass(Canvas canvas, Random random, int[] skyline) {
      Hsv base =
          new Hsv(
              98 + random.nextInt(16),
              0.55 + random.nextDouble() * 0.1,
              0.5 + random.nextDouble() * 0.12);
      int grass = canvas.lit(base);
      for (int x = 0; x < WIDTH; x++) {
        for (int y = skyline[x]; y < HEIGHT; y++) {
          canvas.paintRgb(x, y, grass, Truth.GRASS, Canvas.NO_INSTANCE, false);
        }
      }
      Hsv dark = new Hsv(base.hue() - 6, base.saturation(), 0.34);
      Hsv light = new Hsv(base.hue() - 10, base.saturation() - 0.05, 0.7);
      int blades = 250 + random.nextInt(250);
      for (int blade = 0; blade < blades; blade++) {
        int x = random.nextInt(WIDTH);
        int top = skyline[x] + 2 + random.nextInt(Math.max(1, HEIGHT - skyline[x] - 6));
        int length = 2 + random.nextInt(4);
        Hsv colour = random.nextBoolean() ? dark : light;
        for (int y = top; y < Math.min(HEIGHT, top + length); y++) {
          canvas.paint(x, y, colour, Truth.GRASS, Canvas.NO_INSTANCE, false);
        }
      }
    }

    static void road(Canvas canvas, Random random, int top, int bottom) {
      Hsv asphalt = new Hsv(220, 0.05, 0.4 + random.nextDouble() * 0.05);
      canvas.fillRect(0, top, WIDTH, bottom, asphalt, Truth.ROAD, Canvas.NO_INSTANCE, false);
      Hsv marking = new Hsv(60, 0.02, 0.93);
      int middle = (top + bottom) / 2;
      for (int x = -random.nextInt(36); x < WIDTH; x += 36) {
        canvas.fillRect(
            Math.max(0, x + 2),
            middle - 1,
            Math.min(WIDTH - 2, x + 20),
            middle + 2,
            marking,
            Truth.ROAD,
            Canvas.NO_INSTANCE,
            false);
      }
    }

    static void clouds(Canvas canvas, Random random, int horizon, boolean cloudy) {
      int clouds = cloudy ? 3 + random.nextInt(3) : random.nextInt(2);
      for (int cloud = 0; cloud < clouds; cloud++) {
        int centreX = random.nextInt(WIDTH);
        int centreY = 12 + random.nextInt(Math.max(1, horizon - 35));
        int puffs = 3 + random.nextInt(3);
        Hsv white = new Hsv(210, 0.03, 0.94 + random.nextDouble() * 0.05);
        double size = cloudy ? 1.4 : 0.8;
        for (int puff = 0; puff < puffs; puff++) {
          int x = centreX + random.nextInt(41) - 20;
          int y = centreY + random.nextInt(9) - 4;
          int radiusX = (int) ((12 + random.nextInt(16)) * size);
          int radiusY = (int) ((6 + random.nextInt(7)) * size);
          canvas.fillEllipse(x, y, radiusX, radiusY, white, Truth.CLOUD, horizon);
        }
      }
    }
  }

  /** The objects: sun, signs on poles, cars with cabins, windows and tyres. */
  private static final class Things {
    private Things() {}

    static Instance sun(Canvas canvas, Random random, int horizon, int id) {
      int radius = 11 + random.nextInt(7);
      int x = 20 + random.nextInt(WIDTH - 40);
      int y = 16 + random.nextInt(Math.max(1, horizon - radius - 28));
      canvas.fillDisc(
          x, y, radius, new Hsv(50 + random.nextInt(6), 0.85, 0.98), Truth.OBJECT, id, true);
      return new Instance(id, SceneFeature.SUN);
    }

    static Instance sign(Canvas canvas, Random random, int column, int roadTop, int id) {
      int base = roadTop - 2;
      int poleTop = base - 24 - random.nextInt(10);
      canvas.fillRect(
          column,
          poleTop,
          column + 3,
          base,
          new Hsv(30, 0.55, 0.38),
          Truth.POLE,
          Canvas.NO_INSTANCE,
          false);
      int half = 9 + random.nextInt(4);
      canvas.fillDiamond(column + 1, poleTop, half, new Hsv(26 + random.nextInt(6), 0.9, 0.95), id);
      return new Instance(id, SceneFeature.SIGN);
    }

    static Instance car(
        Canvas canvas, Random random, int left, int width, int base, int colour, int id) {
      Hsv paint =
          switch (colour) {
            case 0 -> new Hsv(357, 0.82, 0.78);
            case 1 -> new Hsv(228, 0.8, 0.62);
            default -> new Hsv(300, 0.65, 0.62);
          };
      int bodyHeight = 14 + random.nextInt(5);
      int cabinHeight = 9 + random.nextInt(4);
      int bodyTop = base - bodyHeight;
      int cabinLeft = left + width / 5;
      int cabinRight = left + width * 4 / 5;
      canvas.fillRect(left, bodyTop, left + width, base, paint, Truth.OBJECT, id, true);
      canvas.fillRect(
          cabinLeft, bodyTop - cabinHeight, cabinRight, bodyTop, paint, Truth.OBJECT, id, true);
      Hsv glass = new Hsv(200, 0.22, 0.52);
      int pillar = (cabinLeft + cabinRight) / 2;
      canvas.fillRect(
          cabinLeft + 2,
          bodyTop - cabinHeight + 2,
          pillar - 1,
          bodyTop - 1,
          glass,
          Truth.OBJECT,
          id,
          false);
      canvas.fillRect(
          pillar + 1,
          bodyTop - cabinHeight + 2,
          cabinRight - 2,
          bodyTop - 1,
          glass,
          Truth.OBJECT,
          id,
          false);
      Hsv tyre = new Hsv(0, 0, 0.1);
      canvas.fillDisc(left + width / 5, base, 5, tyre, Truth.OBJECT, id, false);
      canvas.fillDisc(left + width * 4 / 5, base, 5, tyre, Truth.OBJECT, id, false);
      return new Instance(id, SceneFeature.CAR);
    }
  }

  /** What a pixel truly shows. */
  enum Truth {
    SKY,
    CLOUD,
    GRASS,
    ROAD,
    POLE,
    OBJECT
  }

  /** The pixels being drawn and the truth of each. */
  static final class Canvas {
    static final int NO_INSTANCE = -1;

    private final int width;
    private final int height;
    private final int[] colours;
    private final Truth[] truths;
    private final int[] instances;
    private final boolean[] bodies;
    private final Map<Integer, Integer> bodyDrawn = new HashMap<>();
    private double brightness = 1;

    Canvas(int width, int height) {
      this.width = width;
      this.height = height;
      this.colours = new int[width * height];
      this.truths = new Truth[width * height];
      this.instances = new int[width * height];
      this.bodies = new boolean[width * height];
      Arrays.fill(instances, NO_INSTANCE);
    }

    void brightness(double factor) {
      this.brightness = factor;
    }

    void paint(int x, int y, Hsv colour, Truth truth, int instance, boolean body) {
      paintRgb(x, y, lit(colour), truth, instance, body);
    }

    int lit(Hsv colour) {
      return new Hsv(colour.hue(), colour.saturation(), Math.min(1, colour.value() * brightness))
          .rgb();
    }

    void paintRgb(int x, int y, int rgb, Truth truth, int instance, boolean body) {
      if (x < 0 || y < 0 || x >= width || y >= height) {
        return;
      }
      int index = y * width + x;
      colours[index] = rgb;
      truths[index] = truth;
      instances[index] = instance;
      bodies[index] = body;
      if (body) {
        bodyDrawn.merge(instance, 1, Integer::sum);
      }
    }

    void fillRect(
        int left,
        int top,
        int right,
        int bottom,
        Hsv colour,
        Truth truth,
        int instance,
        boolean body) {
      int rgb = lit(colour);
      for (int y = top; y < bottom; y++) {
        for (int x = left; x < right; x++) {
          paintRgb(x, y, rgb, truth, instance, body);
        }
      }
    }

    void fillDisc(
        int centreX, int centreY, int radius, Hsv colour, Truth truth, int instance, boolean body) {
      int rgb = lit(colour);
      for (int y = centreY - radius; y <= centreY + radius; y++) {
        for (int x = centreX - radius; x <= centreX + radius; x++) {
          int dx = x - centreX;
          int dy = y - centreY;
          if (dx * dx + dy * dy <= radius * radius + radius) {
            paintRgb(x, y, rgb, truth, instance, body);
          }
        }
      }
    }

    /** Clouds stay in the sky: nothing at or below {@code horizon} is covered. */
    void fillEllipse(
        int centreX, int centreY, int radiusX, int radiusY, Hsv colour, Truth truth, int horizon) {
      int rgb = lit(colour);
      for (int y = centreY - radiusY; y <= Math.min(horizon - 12, centreY + radiusY); y++) {
        for (int x = centreX - radiusX; x <= centreX + radiusX; x++) {
          double dx = (double) (x - centreX) / radiusX;
          double dy = (double) (y - centreY) / radiusY;
          if (dx * dx + dy * dy <= 1) {
            paintRgb(x, y, rgb, truth, NO_INSTANCE, false);
          }
        }
      }
    }

    void fillDiamond(int centreX, int centreY, int half, Hsv colour, int instance) {
      int rgb = lit(colour);
      for (int y = centreY - half; y <= centreY + half; y++) {
        for (int x = centreX - half; x <= centreX + half; x++) {
          if (Math.abs(x - centreX) + Math.abs(y - centreY) <= half) {
            paintRgb(x, y, rgb, Truth.OBJECT, instance, true);
          }
        }
      }
    }

    /** Counts, per instance id, the visible pixels and the visible body pixels. */
    void countVisible(int[] visible, int[] body) {
      for (int index = 0; index < instances.length; index++) {
        int instance = instances[index];
        if (instance != NO_INSTANCE) {
          visible[instance]++;
          if (bodies[index]) {
            body[instance]++;
          }
        }
      }
    }

    int bodyDrawn(int instance) {
      return bodyDrawn.getOrDefault(instance, 0);
    }

    /** How many 8-connected pieces the visible body of an instance is in. */
    int bodyParts(int instance) {
      boolean[] seen = new boolean[colours.length];
      int parts = 0;
      int[] stack = new int[colours.length];
      for (int start = 0; start < colours.length; start++) {
        if (seen[start] || !isBody(start, instance)) {
          continue;
        }
        parts++;
        int size = 0;
        stack[size++] = start;
        seen[start] = true;
        while (size > 0) {
          int current = stack[--size];
          int x = current % width;
          int y = current / width;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int nx = x + dx;
              int ny = y + dy;
              if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
                continue;
              }
              int next = ny * width + nx;
              if (!seen[next] && isBody(next, instance)) {
                seen[next] = true;
                stack[size++] = next;
              }
            }
          }
        }
      }
      return parts;
    }

    private boolean isBody(int index, int instance) {
      return instances[index] == instance && bodies[index];
    }

    double cloudCover() {
      int cloud = 0;
      int sky = 0;
      for (Truth truth : truths) {
        if (truth == Truth.CLOUD) {
          cloud++;
        } else if (truth == Truth.SKY) {
          sky++;
        }
      }
      return cloud + sky == 0 ? 0 : (double) cloud / (cloud + sky);
    }

    /** Jitters a share of the pixels' channels: sensor noise, which leaves the truth alone. */
    void addNoise(Random random, double share, int amplitude) {
      int count = (int) (colours.length * share);
      for (int speck = 0; speck < count; speck++) {
        int index = random.nextInt(colours.length);
        int rgb = colours[index];
        int red = jitter((rgb >> 16) & 0xff, random, amplitude);
        int green = jitter((rgb >> 8) & 0xff, random, amplitude);
        int blue = jitter(rgb & 0xff, random, amplitude);
        colours[index] = red << 16 | green << 8 | blue;
      }
    }

    private static int jitter(int channel, Random random, int amplitude) {
      return Math.max(0, Math.min(255, channel + random.nextInt(2 * amplitude + 1) - amplitude));
    }

    Scene toScene(String name, List<Instance> drawn) {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      image.setRGB(0, 0, width, height, colours, 0, width);
      List<Scene.TrueObject> objects = new ArrayList<>();
      for (Instance instance : drawn) {
        PixelMask pixels = new PixelMask(width, height);
        for (int index = 0; index < instances.length; index++) {
          if (instances[index] == instance.id()) {
            pixels.set(index % width, index / width);
          }
        }
        objects.add(new Scene.TrueObject(instance.feature(), pixels));
      }
      Map<SceneFeature, PixelMask> regions = new EnumMap<>(SceneFeature.class);
      regions.put(SceneFeature.SKY, truthMask(Truth.SKY));
      regions.put(SceneFeature.ROAD, truthMask(Truth.ROAD));
      regions.put(SceneFeature.GRASS, truthMask(Truth.GRASS));
      String weather =
          cloudCover() >= Segmentation.CLOUDY_COVER ? SceneFeature.CLOUDY : SceneFeature.CLEAR;
      return new Scene(name, image, objects, regions, weather);
    }

    private PixelMask truthMask(Truth truth) {
      PixelMask mask = new PixelMask(width, height);
      for (int index = 0; index < truths.length; index++) {
        if (truths[index] == truth) {
          mask.set(index % width, index / width);
        }
      }
      return mask;
    }
  }
}
