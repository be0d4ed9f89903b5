package dev.rbacsynth.review;

import dev.rbacsynth.read.JsonProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Findings accepted on purpose ({@code diff --baseline FILE}): they are still reported, marked as
 * baselined, but do not fail the gate until their {@code expires} date has passed. The file is what
 * {@code diff --write-baseline} writes:
 *
 * <pre>
 * {"version": 1,
 *  "findings": [{"fingerprint", "ruleId", "subject", "finding" (for people; not matched),
 *                "reason" ("" or why it is accepted), "expires" ("" or YYYY-MM-DD: fails again after it)}]}
 * </pre>
 *
 * A finding matches an entry by its fingerprint ({@link ReviewFinding#fingerprint()}).
 */
public final class Baseline {

  /** One accepted finding; {@code expires} is null when it never expires. */
  public record Entry(
      String fingerprint,
      String ruleId,
      String subject,
      String finding,
      String reason,
      LocalDate expires) {

    /** Whether the waiver no longer holds on {@code today} (the day after {@code expires}). */
    public boolean expiredOn(LocalDate today) {
      return expires != null && today.isAfter(expires);
    }
  }

  /** A baseline that accepts nothing. */
  public static final Baseline NONE = new Baseline(Map.of());

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final Map<String, Entry> byFingerprint;

  private Baseline(Map<String, Entry> byFingerprint) {
    this.byFingerprint = byFingerprint;
  }

  public static Baseline of(List<Entry> entries) {
    Map<String, Entry> m = new LinkedHashMap<>();
    entries.forEach(e -> m.put(e.fingerprint(), e));
    return new Baseline(m);
  }

  /**
   * Reads a baseline file.
   *
   * @throws IllegalArgumentException with a one-line message naming the file (and the entry)
   */
  public static Baseline read(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read the baseline: " + e.getMessage());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          file + ": not a baseline (invalid JSON): " + JsonProblems.describe(e));
    }
    if (root == null || !root.isObject() || !root.path("findings").isArray()) {
      throw new IllegalArgumentException(
          file + ": not a baseline: expected {\"version\": 1, \"findings\": [...]}");
    }
    JsonNode version = root.path("version");
    // a hand-written baseline may leave the version out; any other version is a newer format
    if (!version.isMissingNode() && (!version.isIntegralNumber() || version.asLong() != 1)) {
      throw new IllegalArgumentException(
          file
              + ": baseline version "
              + version
              + " is not one this rbac-synth reads (version 1, as --write-baseline writes it)");
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode f : root.path("findings")) {
      JsonNode print = f.path("fingerprint");
      String fingerprint = print.isString() ? print.asString() : "";
      if (fingerprint.isEmpty()) {
        throw new IllegalArgumentException(
            file + ": findings[" + index + "] has no fingerprint (a string, as written)");
      }
      String expires = f.path("expires").asString("");
      LocalDate date = null;
      if (!expires.isEmpty()) {
        try {
          date = LocalDate.parse(expires);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              file
                  + ": findings["
                  + index
                  + "].expires must be a date YYYY-MM-DD, got \""
                  + expires
                  + "\"");
        }
      }
      entries.put(
          fingerprint,
          new Entry(
              fingerprint,
              f.path("ruleId").asString(""),
              f.path("subject").asString(""),
              f.path("finding").asString(""),
              f.path("reason").asString(""),
              date));
      index++;
    }
    return new Baseline(entries);
  }

  public Optional<Entry> entry(String fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  public int size() {
    return byFingerprint.size();
  }
}
