package org.openfoundry.examples.endpoint;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What a model answers for one feature, in the shape the wire contract gives that kind. */
public sealed interface Answer {

  /** {@code {"boxes": [[left, top, width, height], ...], "scores": [...]}}. */
  record Boxes(List<ScoredBox> boxes) implements Answer {
    public Boxes {
      boxes = List.copyOf(boxes);
    }
  }

  /** {@code {"masks": [{"size": [h, w], "counts": "..."}], "scores": [...]}}. */
  record Masks(List<ScoredMask> masks) implements Answer {
    public Masks {
      masks = List.copyOf(masks);
    }
  }

  /** {@code [{"start", "end", "text"}, ...]}: UTF-16 offsets, {@code end} exclusive. */
  record Entities(List<EntitySpan> spans) implements Answer {
    public Entities {
      spans = List.copyOf(spans);
    }
  }

  /** One option value. */
  record Radio(String value) implements Answer {
    public Radio {
      requireNonNull(value, "value is null");
    }
  }

  /** Option values, possibly none. */
  record Checklist(List<String> values) implements Answer {
    public Checklist {
      values = List.copyOf(values);
    }
  }

  /** Free text. */
  record FreeText(String text) implements Answer {
    public FreeText {
      requireNonNull(text, "text is null");
    }
  }

  /** A box in pixels with the model's score in [0, 1]. */
  record ScoredBox(int left, int top, int width, int height, double score) {
    public ScoredBox {
      if (left < 0 || top < 0 || width <= 0 || height <= 0) {
        throw new IllegalArgumentException(
            "box must be inside the image and not empty, got " + List.of(left, top, width, height));
      }
      checkScore(score);
    }
  }

  /** A mask as COCO compressed RLE (column-major, first run zeros) with its score. */
  record ScoredMask(int height, int width, String counts, double score) {
    public ScoredMask {
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "mask size must be positive, got " + height + "x" + width);
      }
      requireNonNull(counts, "counts is null");
      checkScore(score);
    }
  }

  /** A span of the row text; {@code text} is exactly {@code rowText.substring(start, end)}. */
  record EntitySpan(int start, int end, String text) {
    public EntitySpan {
      requireNonNull(text, "text is null");
      if (start < 0 || end <= start || text.length() != end - start) {
        throw new IllegalArgumentException(
            "span " + start + ".." + end + " does not fit its text \"" + text + "\"");
      }
    }
  }

  private static void checkScore(double score) {
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be in [0, 1], got " + score);
    }
  }
}
