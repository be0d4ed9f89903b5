package dev.rbacsynth.read;

import java.util.Locale;

/**
 * A record that could not be used: malformed JSON, not an audit Event, a truncated gzip stream, and
 * so on.
 *
 * @param message one line: control characters, which may come from the record itself (a {@code
 *     kind} holding a line break), are escaped, so a record cannot forge further lines of output
 */
public record ReadProblem(SourceLocation location, String message) {

  public ReadProblem {
    message = escapeControls(message);
  }

  /** One line, compiler style: {@code audit.log:12: error: ...}. */
  public String format() {
    return location + ": " + message;
  }

  private static String escapeControls(String text) {
    if (text == null || text.chars().noneMatch(Character::isISOControl)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
