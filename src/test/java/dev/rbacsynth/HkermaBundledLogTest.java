package dev.rbacsynth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The README's examples read {@code testdata/hkerma/audit.log.gz}, the real CSV turned back into
 * audit events and bundled so that users can run them. It must stay exactly what the tests'
 * conversion makes of the CSV, line for line.
 */
class HkermaBundledLogTest {

  @Test
  void theBundledLogIsTheConversionOfTheCsv() throws IOException {
    byte[] bundled;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(HkermaAuditLog.BUNDLED))) {
      bundled = in.readAllBytes();
    }
    byte[] converted = Files.readAllBytes(HkermaAuditLog.jsonl());
    assertThat(converted).hasSizeGreaterThan(1_000_000);
    assertThat(bundled)
        .as("testdata/hkerma/audit.log.gz differs from the conversion of audit-logs.csv;"
            + " rewrite it with HkermaAuditLog's main")
        .isEqualTo(converted);
  }
}
