package org.openfoundry.examples.shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Connected-component labeling of a colour map: two passes over the pixels with a union-find of
 * provisional labels (path halving; the larger root joins the smaller), 8-connectivity between
 * pixels of the same class. Labels are dense, 0 to {@code components().size() - 1}, in scan order.
 */
final class Labeling {
  private final int width;
  private final int height;
  private final int[] labels;
  private final List<Component> components;

  private Labeling(int width, int height, int[] labels, List<Component> components) {
    this.width = width;
    this.height = height;
    this.labels = labels;
    this.components = components;
  }

  static Labeling of(ColourMap colours) {
    int width = colours.width();
    int height = colours.height();
    int[] labels = new int[colours.size()];
    UnionFind sets = new UnionFind(Math.max(16, colours.size() / 8));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int index = y * width + x;
        PixelClass pixelClass = colours.classAt(index);
        int label = -1;
        // The four neighbours already visited in scan order: west, north-west, north, north-east.
        label = join(sets, labels, colours, pixelClass, label, x > 0, index - 1);
        label = join(sets, labels, colours, pixelClass, label, x > 0 && y > 0, index - width - 1);
        label = join(sets, labels, colours, pixelClass, label, y > 0, index - width);
        label =
            join(
                sets,
                labels,
                colours,
                pixelClass,
                label,
                x < width - 1 && y > 0,
                index - width + 1);
        labels[index] = label >= 0 ? label : sets.add();
      }
    }
    return new Labeling(width, height, labels, summarise(colours, labels, sets));
  }

  private static int join(
      UnionFind sets,
      int[] labels,
      ColourMap colours,
      PixelClass pixelClass,
      int label,
      boolean inside,
      int neighbour) {
    if (!inside || colours.classAt(neighbour) != pixelClass) {
      return label;
    }
    if (label < 0) {
      return labels[neighbour];
    }
    return sets.union(label, labels[neighbour]);
  }

  private static List<Component> summarise(ColourMap colours, int[] labels, UnionFind sets) {
    int width = colours.width();
    int[] dense = new int[sets.size()];
    Arrays.fill(dense, -1);
    List<Accumulator> accumulators = new ArrayList<>();
    for (int index = 0; index < labels.length; index++) {
      int root = sets.find(labels[index]);
      if (dense[root] < 0) {
        dense[root] = accumulators.size();
        accumulators.add(new Accumulator(colours.classAt(index)));
      }
      int label = dense[root];
      labels[index] = label;
      accumulators.get(label).add(index % width, index / width, colours.membershipAt(index));
    }
    List<Component> components = new ArrayList<>(accumulators.size());
    for (int id = 0; id < accumulators.size(); id++) {
      components.add(accumulators.get(id).toComponent(id));
    }
    return List.copyOf(components);
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  int labelAt(int index) {
    return labels[index];
  }

  List<Component> components() {
    return components;
  }

  private static final class Accumulator {
    private final PixelClass pixelClass;
    private int area;
    private int minX = Integer.MAX_VALUE;
    private int minY = Integer.MAX_VALUE;
    private int maxX = -1;
    private int maxY = -1;
    private double membershipSum;

    Accumulator(PixelClass pixelClass) {
      this.pixelClass = pixelClass;
    }

    void add(int x, int y, double membership) {
      area++;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
      membershipSum += membership;
    }

    Component toComponent(int id) {
      return new Component(id, pixelClass, area, minX, minY, maxX, maxY, membershipSum);
    }
  }

  /** Disjoint sets of provisional labels, grown as labels are handed out. */
  private static final class UnionFind {
    private int[] parent;
    private int size;

    UnionFind(int capacity) {
      parent = new int[capacity];
    }

    int add() {
      if (size == parent.length) {
        parent = Arrays.copyOf(parent, parent.length * 2);
      }
      parent[size] = size;
      return size++;
    }

    int find(int label) {
      while (parent[label] != label) {
        parent[label] = parent[parent[label]];
        label = parent[label];
      }
      return label;
    }

    int union(int first, int second) {
      int rootFirst = find(first);
      int rootSecond = find(second);
      if (rootFirst == rootSecond) {
        return rootFirst;
      }
      int root = Math.min(rootFirst, rootSecond);
      parent[Math.max(rootFirst, rootSecond)] = root;
      return root;
    }

    int size() {
      return size;
    }
  }
}
