package dev.rbacsynth.bench;

import dev.rbacsynth.HkermaAuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the real audit log of {@code testdata/hkerma} (kept there as CSV) as audit events, one a
 * line, for the benchmark: {@code HkermaEvents OUTPUT}.
 */
public final class HkermaEvents {
  private HkermaEvents() {}

  public static void main(String[] args) throws IOException {
    Files.copy(HkermaAuditLog.jsonl(), Path.of(args[0]), StandardCopyOption.REPLACE_EXISTING);
  }
}
