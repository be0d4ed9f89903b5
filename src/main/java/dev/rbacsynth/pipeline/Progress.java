package dev.rbacsynth.pipeline;

import dev.rbacsynth.read.ReadStats;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on stderr while reading (bytes read of total, records, rate, time left), redrawn
 * in place. Only when stderr is a terminal (the launcher tells: {@code -Drbac-synth.progress=true})
 * and not {@code --quiet}.
 */
public final class Progress implements AutoCloseable {
  private static final long INTERVAL_MS = 250;

  private final Thread thread;
  private final PrintWriter err;
  private volatile boolean running = true;
  private boolean drawn;

  private Progress(PrintWriter err, ReadStats stats, long totalBytes) {
    this.err = err;
    long start = System.nanoTime();
    this.thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(INTERVAL_MS);
                } catch (InterruptedException e) {
                  return;
                }
                if (running) {
                  draw(line(stats, totalBytes, (System.nanoTime() - start) / 1e9));
                }
              }
            },
            "rbac-synth-progress");
    thread.setDaemon(true);
  }

  /** Starts a progress display, or returns a no-op one when progress is off. */
  public static Progress start(PrintWriter err, ReadStats stats, long totalBytes, boolean quiet) {
    Progress p = new Progress(err, stats, totalBytes);
    if (!quiet && Boolean.getBoolean("rbac-synth.progress")) {
      p.thread.start();
    } else {
      p.running = false;
    }
    return p;
  }

  static String line(ReadStats stats, long totalBytes, double seconds) {
    long bytes = stats.storedBytes.sum();
    double rate = seconds > 0 ? bytes / 1e6 / seconds : 0;
    StringBuilder s =
        new StringBuilder(String.format(Locale.ROOT, "reading: %.1f MB", bytes / 1e6));
    if (totalBytes > 0) {
      s.append(
          String.format(
              Locale.ROOT,
              " of %.1f MB (%d%%)",
              totalBytes / 1e6,
              Math.min(100, bytes * 100 / totalBytes)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            ", %d records, %d events, %.0f MB/s",
            stats.records.sum(),
            stats.events.sum(),
            rate));
    if (totalBytes > 0 && rate > 0 && bytes < totalBytes) {
      s.append(String.format(Locale.ROOT, ", %.0f s left", (totalBytes - bytes) / 1e6 / rate));
    }
    return s.toString();
  }

  private synchronized void draw(String line) {
    err.print("\r" + line + "\u001b[K");
    err.flush();
    drawn = true;
  }

  @Override
  public synchronized void close() {
    running = false;
    thread.interrupt();
    if (drawn) {
      err.print("\r\u001b[K");
      err.flush();
    }
  }
}
