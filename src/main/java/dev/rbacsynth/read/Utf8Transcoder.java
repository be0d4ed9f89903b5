package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text in another encoding (UTF-16, as PowerShell's {@code >} and {@code Out-File} write it) as
 * UTF-8 bytes, streaming, so the reader reads it like any log.
 */
final class Utf8Transcoder extends InputStream {
  private final InputStreamReader reader;
  private final CharsetEncoder encoder =
      StandardCharsets.UTF_8
          .newEncoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final CharBuffer chars = CharBuffer.allocate(1 << 14);
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
  private boolean ended;

  Utf8Transcoder(InputStream in, Charset charset) {
    this.reader = new InputStreamReader(in, charset);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!bytes.hasRemaining()) {
      if (ended) {
        return -1;
      }
      fill();
    }
    int n = Math.min(len, bytes.remaining());
    bytes.get(b, off, n);
    return n;
  }

  private void fill() throws IOException {
    bytes.clear();
    int n = reader.read(chars);
    chars.flip();
    if (n < 0) {
      ended = true;
      encoder.encode(chars, bytes, true);
      encoder.flush(bytes);
    } else {
      encoder.encode(chars, bytes, false);
    }
    chars.compact();
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
