package org.openfoundry.cli.chat;

import java.util.ArrayList;
import java.util.List;

/** Lays answers out in columns of equal width, each wrapped at word boundaries. */
final class SideBySide {
  private static final String GAP = " | ";

  private SideBySide() {}

  /** The heading and the text of each column, within {@code width} characters a line. */
  static List<String> render(List<String> headings, List<String> texts, int width) {
    int columns = headings.size();
    int column = Math.max(10, (width - GAP.length() * (columns - 1)) / columns);
    List<List<String>> wrapped = new ArrayList<>();
    int height = 0;
    for (int index = 0; index < columns; index++) {
      List<String> lines = new ArrayList<>(wrap(headings.get(index), column));
      lines.add("-".repeat(column));
      lines.addAll(wrap(texts.get(index), column));
      wrapped.add(lines);
      height = Math.max(height, lines.size());
    }
    List<String> rows = new ArrayList<>();
    for (int row = 0; row < height; row++) {
      StringBuilder line = new StringBuilder();
      for (int index = 0; index < columns; index++) {
        List<String> lines = wrapped.get(index);
        String cell = row < lines.size() ? lines.get(row) : "";
        line.append(index == 0 ? "" : GAP).append(cell).append(" ".repeat(column - cell.length()));
      }
      rows.add(line.toString().stripTrailing());
    }
    return rows;
  }

  /** Paragraphs kept, words wrapped, words longer than a line cut. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n", -1)) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.split(" +")) {
        while (word.length() > width) {
          if (!line.isEmpty()) {
            lines.add(line.toString());
            line.setLength(0);
          }
          lines.add(word.substring(0, width));
          word = word.substring(width);
        }
        if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
          lines.add(line.toString());
          line.setLength(0);
        }
        if (!word.isEmpty()) {
          line.append(line.isEmpty() ? "" : " ").append(word);
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
