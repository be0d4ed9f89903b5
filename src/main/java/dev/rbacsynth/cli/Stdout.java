package dev.rbacsynth.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;

/**
 * Descriptor 1, remembering whether a write failed because the reader closed the pipe ({@code
 * rbac-synth subjects ... | head}): that ends the run quietly with {@link ExitCodes#CLOSED_PIPE},
 * as a shell's SIGPIPE would, while any other write error (a full disk) stays an error.
 */
final class Stdout extends FilterOutputStream {
  private static volatile boolean closedByReader;

  Stdout() {
    super(new FileOutputStream(FileDescriptor.out));
  }

  /** Whether a write to standard output met a closed pipe (EPIPE) in this process. */
  static boolean closedByReader() {
    return closedByReader;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw noted(e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw noted(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw noted(e);
    }
  }

  /** The JDK's message for EPIPE on Linux and macOS is the C library's: "Broken pipe". */
  private static IOException noted(IOException e) {
    if (isClosedPipe(e)) {
      closedByReader = true;
    }
    return e;
  }

  /**
   * Whether {@code e}, or an exception it was caused by, is a write that met a closed pipe: also
   * through a file opened on {@code /dev/stdout} ({@code collect --output-file /dev/stdout |
   * head}).
   */
  static boolean isClosedPipe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException
          && t.getMessage() != null
          && t.getMessage().contains("Broken pipe")) {
        return true;
      }
    }
    return false;
  }
}
