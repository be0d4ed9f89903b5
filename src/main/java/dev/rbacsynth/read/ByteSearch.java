package dev.rbacsynth.read;

/**
 * Finds a byte pattern by its rarest byte: the JDK's vectorised {@code String.indexOf(char)} (over
 * an ISO-8859-1 view of the bytes) jumps from one occurrence of that byte to the next, and only
 * there is the whole pattern compared. Which byte is rarest is measured on the data, so a username
 * made of common letters is still found while touching few bytes.
 */
final class ByteSearch {
  private final byte[] pattern;
  private int anchor = -1;
  private char anchorChar;

  ByteSearch(byte[] pattern) {
    if (pattern.length == 0) {
      throw new IllegalArgumentException("empty pattern");
    }
    this.pattern = pattern.clone();
  }

  /**
   * Picks the anchor: the pattern byte that occurs least often in {@code sample} (the first chunk
   * read).
   */
  void calibrate(byte[] sample, int length) {
    if (anchor >= 0) {
      return;
    }
    int[] counts = new int[256];
    for (int i = 0; i < length; i++) {
      counts[sample[i] & 0xff]++;
    }
    int best = pattern.length - 1;
    for (int i = pattern.length - 1; i >= 0; i--) {
      if (counts[pattern[i] & 0xff] < counts[pattern[best] & 0xff]) {
        best = i;
      }
    }
    anchor = best;
    anchorChar = (char) (pattern[best] & 0xff);
  }

  /**
   * First index of the pattern in {@code buf[from, to)}, where {@code text} is the ISO-8859-1 view
   * of buf.
   */
  int indexOf(String text, byte[] buf, int from, int to) {
    int p = text.indexOf(anchorChar, from + anchor);
    while (p >= 0) {
      int start = p - anchor;
      if (start + pattern.length > to) {
        return -1;
      }
      if (matchesAt(buf, start)) {
        return start;
      }
      p = text.indexOf(anchorChar, p + 1);
    }
    return -1;
  }

  private boolean matchesAt(byte[] buf, int at) {
    for (int j = 0; j < pattern.length; j++) {
      if (buf[at + j] != pattern[j]) {
        return false;
      }
    }
    return true;
  }
}
