package dev.rbacsynth.read;

/**
 * An input that cannot be read at all (missing file, unreadable directory): the run stops with exit
 * code 2.
 */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
