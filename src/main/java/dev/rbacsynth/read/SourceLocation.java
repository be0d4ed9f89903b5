package dev.rbacsynth.read;

/**
 * Where a record came from: a file (or {@code <stdin>}) and a 1-based line number. For YAML the
 * line is where the document starts; {@code line == 0} means the whole source.
 */
public record SourceLocation(String source, long line) {

  @Override
  public String toString() {
    return line > 0 ? source + ":" + line : source;
  }
}
