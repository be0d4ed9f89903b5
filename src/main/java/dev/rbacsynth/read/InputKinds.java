package dev.rbacsynth.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * What a source holds when it is not plain or gzip text in UTF-8, found by its first bytes: UTF-16
 * (read, after transcoding), and the compressed or binary formats rbac-synth does not read, named
 * with the command that makes them readable.
 */
final class InputKinds {
  private static final int PEEK = 4096;

  private InputKinds() {}

  /**
   * Why the source cannot be read (one line: what it is and how to read it), or null when it can.
   */
  static String unreadable(BufferedInputStream in, String name) throws IOException {
    byte[] head = peek(in, PEEK);
    String tool = null;
    String what = null;
    if (starts(head, 0x28, 0xB5, 0x2F, 0xFD)) {
      what = "zstd-compressed data";
      tool = "zstd -dc";
    } else if (starts(head, 0x42, 0x5A, 0x68)
        && head.length > 3
        && head[3] >= '1'
        && head[3] <= '9') {
      what = "bzip2-compressed data";
      tool = "bzip2 -dc";
    } else if (starts(head, 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00)) {
      what = "xz-compressed data";
      tool = "xz -dc";
    } else if (starts(head, 0x04, 0x22, 0x4D, 0x18)) {
      what = "lz4-compressed data";
      tool = "lz4 -dc";
    } else if (starts(head, 0x50, 0x4B, 0x03, 0x04)) {
      what = "a zip archive";
      tool = "unzip -p";
    }
    if (what != null) {
      return what
          + ", which rbac-synth does not read (it reads plain and gzip logs): decompress it first,"
          + " e.g. "
          + tool
          + " '"
          + name
          + "' | rbac-synth ... -f -";
    }
    if (utf16(head) == null) {
      for (byte b : head) {
        if (b == 0) {
          return "binary data, not an audit log (audit logs are JSON or YAML text)";
        }
      }
    }
    return null;
  }

  /** The charset when the source is UTF-16 text (with or without a byte order mark), else null. */
  static Charset utf16(BufferedInputStream in) throws IOException {
    return utf16(peek(in, 4));
  }

  private static Charset utf16(byte[] h) {
    if (starts(h, 0xFF, 0xFE) || starts(h, 0xFE, 0xFF)) {
      return StandardCharsets.UTF_16; // the byte order mark says which, and is dropped
    }
    if (h.length >= 4 && h[0] != 0 && h[1] == 0 && h[2] != 0 && h[3] == 0) {
      return StandardCharsets.UTF_16LE;
    }
    if (h.length >= 4 && h[0] == 0 && h[1] != 0 && h[2] == 0 && h[3] != 0) {
      return StandardCharsets.UTF_16BE;
    }
    return null;
  }

  private static byte[] peek(BufferedInputStream in, int n) throws IOException {
    in.mark(n);
    byte[] head = in.readNBytes(n);
    in.reset();
    return head;
  }

  private static boolean starts(byte[] head, int... magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
