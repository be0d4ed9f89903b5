package dev.rbacsynth.serve;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one place where serve reads the files it is given (certificates, key, client CAs, tokens):
 * the whole file as text, or a one-line error naming the file.
 */
final class InputFiles {
  private InputFiles() {}

  /**
   * @param what what the file should hold, for the message ("certificate", "token file")
   * @throws IllegalArgumentException {@code FILE: cannot read the WHAT: reason}
   */
  static String read(Path file, Charset charset, String what) {
    try {
      return Files.readString(file, charset);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          file + ": cannot read the " + what + ": no such file or directory", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot read the " + what + ": " + e.getMessage(), e);
    }
  }
}
