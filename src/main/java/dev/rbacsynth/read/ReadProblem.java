package dev.rbacsynth.read;

/**
 * A record that could not be used: malformed JSON, not an audit Event, a truncated gzip stream, and
 * so on.
 */
public record ReadProblem(SourceLocation location, String message) {

  /** One line, compiler style: {@code audit.log:12: error: ...}. */
  public String format() {
    return location + ": " + message;
  }
}
