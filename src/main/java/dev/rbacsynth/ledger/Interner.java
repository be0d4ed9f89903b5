package dev.rbacsynth.ledger;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One copy of each repeated string and group set while a ledger is built or read: a log repeats the
 * same verbs, resources, namespaces, user agents and group lists on every line, and each event
 * brings new copies of them. Memory then grows with the distinct requests, not with the events. Not
 * thread-safe: one per collector or reader.
 */
final class Interner {
  private final HashMap<String, String> strings = new HashMap<>();
  private final HashMap<Set<String>, Set<String>> sets = new HashMap<>();
  private final HashMap<List<String>, String[]> samples = new HashMap<>();

  String intern(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    String known = strings.putIfAbsent(s, s);
    return known == null ? s : known;
  }

  /**
   * One array for every equal list of samples (rows' user agents: most rows of a client have the
   * same one or two); the arrays are never changed once made.
   */
  String[] samples(String[] values) {
    String[] known = samples.putIfAbsent(Arrays.asList(values), values);
    return known == null ? values : known;
  }

  /** A sorted, unmodifiable set equal to {@code values}, shared with every equal one. */
  Set<String> set(Collection<String> values) {
    if (values.isEmpty()) {
      return Set.of();
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String v : values) {
      sorted.add(intern(v));
    }
    Set<String> known = sets.get(sorted);
    if (known == null) {
      known = Collections.unmodifiableSortedSet(sorted);
      sets.put(known, known);
    }
    return known;
  }
}
