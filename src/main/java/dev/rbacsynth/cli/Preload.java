package dev.rbacsynth.cli;

import dev.rbacsynth.authorize.DefaultPolicy;
import dev.rbacsynth.read.AuditLogReader;

/**
 * Start-up on the second core: while picocli reads the command line, a daemon thread builds what
 * every run needs next (Jackson's mapper, the bundled default policy), so the main thread does not
 * build them itself (what that saves is in the README's performance section). Each piece is built
 * once, under class initialisation, so the main thread waits for it rather than repeating it; a
 * failure here is left for the main thread to meet and report.
 */
final class Preload {
  private Preload() {}

  static void start() {
    Thread thread =
        new Thread(
            () -> {
              try {
                AuditLogReader.preload();
                DefaultPolicy.objects();
              } catch (RuntimeException | LinkageError e) {
                // the main thread loads the same and reports the error
              }
            },
            "rbac-synth-preload");
    thread.setDaemon(true);
    thread.start();
  }
}
