package dev.rbacsynth.serve;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for a condition instead of sleeping for a guessed time: polls until it holds or a generous
 * deadline passes (the machine that runs the tests may be shared and slow), then fails saying what
 * was awaited. No test asserts how long anything took.
 */
final class Await {
  /** Long enough for a loaded 2-core machine; a passing run never waits for it. */
  static final Duration GENEROUS = Duration.ofMinutes(2);

  private Await() {}

  /**
   * Polls {@code condition} until it returns a value that is not null; an exception counts as not
   * yet (a server that is not listening yet, a connection reset by a killed one).
   */
  static <T> T until(String what, Duration timeout, Callable<T> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        T value = condition.call();
        if (value != null) {
          return value;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError failure =
            new AssertionError("gave up waiting (" + timeout + ") for " + what);
        if (last != null) {
          failure.initCause(last);
        }
        throw failure;
      }
      Thread.sleep(50);
    }
  }

  /** {@link #until} for a condition that is true or false. */
  static void until(String what, Callable<Boolean> condition) throws InterruptedException {
    until(what, GENEROUS, () -> Boolean.TRUE.equals(condition.call()) ? Boolean.TRUE : null);
  }
}
