package org.yaml.snakeyaml.internal;

/**
 * rbac-synth's stand-in for SnakeYAML's internal logger, with the same methods; the shaded jar
 * leaves SnakeYAML's own out (pom.xml) and, on the test class path, this one comes first.
 *
 * <p>SnakeYAML's logger is a {@code java.util.logging} logger, made with the first YAML
 * constructor: starting {@code java.util.logging} (its log manager, configuration and logger
 * finder) cost can-i 13 ms of its main thread (its command's own work 76 -> 63 ms), for warnings
 * that came out as two lines with a timestamp. Here a warning is one line on standard error, like
 * the tool's own; debug messages are dropped. SnakeYAML warns of duplicate mapping keys (the last
 * one wins).
 */
public final class Logger {

  /** The levels SnakeYAML logs at. */
  public enum Level {
    WARNING,
    DEBUG
  }

  private static final Logger LOGGER = new Logger();

  private Logger() {}

  /** One logger for every name. */
  public static Logger getLogger(String name) {
    return LOGGER;
  }

  /** Warnings are written, debug messages are not. */
  public boolean isLoggable(Level level) {
    return level == Level.WARNING;
  }

  /** Writes {@code warning: yaml: <message>} to standard error. */
  public void warn(String message) {
    System.err.println("warning: yaml: " + message);
  }

  /** Dropped. */
  public void debug(String message) {}
}
