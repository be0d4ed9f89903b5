package dev.rbacsynth.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each RBAC object of the {@code --rbac} manifests was read: its file, the line its document
 * (or {@code List} item) starts on, and the lines of its {@code rules[i]} and {@code subjects[i]}.
 * Objects are keyed by kind, namespace ("" for cluster-scoped kinds) and name; a later definition
 * of the same object replaces the earlier one, as the reader's objects do.
 */
public final class ManifestPositions {

  /** One place in a manifest; {@code line} is 1-based. */
  public record Location(String file, int line) {}

  /** Where one object and its rules and subjects are. */
  public record ObjectPosition(
      String file, int line, List<Integer> ruleLines, List<Integer> subjectLines) {
    public ObjectPosition {
      ruleLines = List.copyOf(ruleLines);
      subjectLines = List.copyOf(subjectLines);
    }

    public Location object() {
      return new Location(file, line);
    }

    /** Line of {@code rules[index]}, or the object's line when the rule is not written there. */
    public Location rule(int index) {
      return new Location(
          file, index >= 0 && index < ruleLines.size() ? ruleLines.get(index) : line);
    }

    /** Line of {@code subjects[index]}, or the object's line. */
    public Location subject(int index) {
      return new Location(
          file, index >= 0 && index < subjectLines.size() ? subjectLines.get(index) : line);
    }
  }

  private final Map<String, ObjectPosition> objects = new HashMap<>();
  private final List<String> files = new ArrayList<>();

  void fileRead(String file) {
    if (!files.contains(file)) {
      files.add(file);
    }
  }

  void put(String kind, String namespace, String name, ObjectPosition position) {
    objects.put(key(kind, namespace, name), position);
  }

  /** The position of an object, if it was read from a manifest. */
  public Optional<ObjectPosition> of(String kind, String namespace, String name) {
    return Optional.ofNullable(objects.get(key(kind, namespace, name)));
  }

  /** The manifest files in the order they were read. */
  public List<String> files() {
    return List.copyOf(files);
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + (namespace == null ? "" : namespace) + "/" + (name == null ? "" : name);
  }
}
