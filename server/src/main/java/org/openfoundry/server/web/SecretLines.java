package org.openfoundry.server.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openfoundry.models.SecretValue;

/**
 * Masks the values under a manifest's {@code secrets} key in its YAML text, line by line, so that a
 * refused manifest can be shown back with its problems without sending its secrets back to the
 * browser. It works on text the loader refused, so it cannot rely on the YAML being readable: it
 * masks the rest of the {@code secrets:} line and every line indented under it, keeping the line
 * count so that problems still point at their lines.
 */
final class SecretLines {
  static final String MASK = SecretValue.MASK;

  private static final Pattern TOP_LEVEL =
      Pattern.compile("^([\"']?)secrets\\1[ \\t]*:(?<rest>.*)$");
  private static final Pattern INLINE = Pattern.compile("([\"']?)secrets\\1[ \\t]*:");
  private static final Pattern CHILD =
      Pattern.compile("^(?<lead>[ \\t]*(?:-[ \\t]*)?)(?<key>[\\w.\\-\"' ]+:(?=[ \\t]|$))?.*$");

  private SecretLines() {}

  static String mask(String yaml) {
    String[] lines = yaml.split("\\R", -1);
    StringBuilder masked = new StringBuilder(yaml.length());
    boolean under = false;
    for (int index = 0; index < lines.length; index++) {
      String line = lines[index];
      if (under && isChild(line)) {
        line = maskChild(line);
      } else {
        under = false;
        Matcher top = TOP_LEVEL.matcher(line);
        if (top.matches()) {
          under = true;
          line = top.group("rest").isBlank() ? line : "secrets: " + MASK;
        } else {
          Matcher inline = INLINE.matcher(line);
          if (inline.find()) {
            line = line.substring(0, inline.end()) + " " + MASK;
          }
        }
      }
      masked.append(index == 0 ? "" : "\n").append(line);
    }
    return masked.toString();
  }

  private static boolean isChild(String line) {
    return line.isBlank() || line.startsWith(" ") || line.startsWith("\t") || line.startsWith("-");
  }

  private static String maskChild(String line) {
    if (line.isBlank()) {
      return line;
    }
    Matcher child = CHILD.matcher(line);
    if (!child.matches()) {
      return MASK;
    }
    String key = child.group("key") == null ? "" : child.group("key") + " ";
    return child.group("lead") + key + MASK;
  }
}
