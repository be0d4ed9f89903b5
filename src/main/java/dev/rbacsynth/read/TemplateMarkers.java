package dev.rbacsynth.read;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Passes text through and notes the line of the first Go template action ({@code {{}), so that a
 * manifest that does not parse can be recognised as an unrendered Helm chart template.
 */
final class TemplateMarkers extends FilterReader {
  private int line = 1;
  private int firstMarkerLine;
  private int previous = -1;

  TemplateMarkers(Reader in) {
    super(in);
  }

  /** The line of the first {@code {{} read so far, 0 when none. */
  int firstMarkerLine() {
    return firstMarkerLine;
  }

  @Override
  public int read() throws IOException {
    int c = super.read();
    if (c >= 0) {
      see((char) c);
    }
    return c;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    for (int i = 0; i < n; i++) {
      see(buffer[offset + i]);
    }
    return n;
  }

  private void see(char c) {
    if (c == '{' && previous == '{' && firstMarkerLine == 0) {
      firstMarkerLine = line;
    }
    if (c == '\n') {
      line++;
    }
    previous = c;
  }

  /** The hint for a manifest that is a Helm template. */
  static String helmHint(int markerLine) {
    return "this is a Helm template ({{ ... }} on line "
        + markerLine
        + "), not a manifest: render it with `helm template RELEASE CHART` (or `helm template"
        + " --show-only templates/FILE RELEASE CHART`) and give the output to --rbac";
  }
}
