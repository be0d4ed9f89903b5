package dev.rbacsynth.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.regex.Pattern;

/**
 * The output of {@code helm install --dry-run} (and {@code helm upgrade --dry-run}, {@code helm
 * status --show-resources}, {@code helm get all}) as YAML: the release summary before the first
 * document ({@code NAME:}, {@code LAST DEPLOYED:}, ..., {@code HOOKS:}, {@code MANIFEST:}), those
 * headings between documents, and the {@code NOTES:} section at the end (free text, not YAML)
 * become comments, so the manifests read and every line keeps its number. Any other input passes
 * unchanged: the summary's first two lines, {@code NAME: <release>} and {@code LAST DEPLOYED:} or
 * {@code NAMESPACE:}, are what tells.
 */
final class HelmReleaseText extends Reader {
  private static final Pattern RELEASE_NAME = Pattern.compile("^NAME: \\S+\\s*$");

  private enum State {
    START,
    SUMMARY,
    MANIFESTS,
    NOTES,
    PLAIN
  }

  private final BufferedReader in;
  private State state = State.START;
  private String line = "";
  private int position;
  private boolean skippedNotes;

  HelmReleaseText(Reader in) {
    this.in = new BufferedReader(in, 1 << 16);
  }

  /** True when a NOTES section was left out. */
  boolean skippedNotes() {
    return skippedNotes;
  }

  @Override
  public int read(char[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position == line.length()) {
      String next = in.readLine();
      if (next == null) {
        return -1;
      }
      line = transform(next) + "\n";
      position = 0;
    }
    int n = Math.min(len, line.length() - position);
    line.getChars(position, position + n, buf, off);
    position += n;
    return n;
  }

  private String transform(String text) throws IOException {
    switch (state) {
      case START -> {
        if (text.isBlank()) {
          return text;
        }
        if (!RELEASE_NAME.matcher(text).matches()) {
          state = State.PLAIN;
          return text;
        }
        // Helm's summary goes on with the deploy time or the namespace.
        String next = in.readLine();
        if (next == null) {
          state = State.PLAIN;
          return text;
        }
        if (!next.startsWith("LAST DEPLOYED: ") && !next.startsWith("NAMESPACE: ")) {
          state = State.PLAIN;
          return text + "\n" + next;
        }
        state = State.SUMMARY;
        return "# " + text + "\n# " + next;
      }
      case SUMMARY -> {
        if (text.equals("---") || text.startsWith("--- ")) {
          state = State.MANIFESTS;
          return text;
        }
        return "# " + text;
      }
      case MANIFESTS -> {
        if (text.equals("NOTES:")) {
          state = State.NOTES;
          skippedNotes = true;
          return "# " + text;
        }
        return text.equals("HOOKS:") || text.equals("MANIFEST:") ? "# " + text : text;
      }
      case NOTES -> {
        return "# " + text;
      }
      default -> {
        return text;
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
