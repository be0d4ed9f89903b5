package dev.rbacsynth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's examples read {@code testdata/hkerma/audit.log.gz}, the real CSV turned back into
 * audit events and bundled so that users can run them. It must stay what the tests' conversion
 * makes of the CSV, event for event (the order of an object's keys may differ: the conversion
 * builds some maps whose iteration order changes from one JVM to the next).
 */
class HkermaBundledLogTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void theBundledLogIsTheConversionOfTheCsv(@TempDir Path dir) throws IOException {
    List<String> bundled;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(HkermaAuditLog.BUNDLED))) {
      bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    // converted afresh: other tests may share HkermaAuditLog.jsonl()'s file
    List<String> converted =
        Files.readAllLines(AuditEvents.write(dir.resolve("hkerma.log"), HkermaAuditLog.events()));
    assertThat(converted).hasSize(16_563);
    assertThat(bundled)
        .as("lines of testdata/hkerma/audit.log.gz; rewrite it with HkermaAuditLog's main")
        .hasSameSizeAs(converted);
    for (int i = 0; i < converted.size(); i++) {
      JsonNode expected = JSON.readTree(converted.get(i));
      assertThat(JSON.readTree(bundled.get(i)))
          .as(
              "line %d of testdata/hkerma/audit.log.gz; rewrite it with HkermaAuditLog's main",
              i + 1)
          .isEqualTo(expected);
    }
  }
}
