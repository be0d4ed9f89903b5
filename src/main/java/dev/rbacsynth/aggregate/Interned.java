package dev.rbacsynth.aggregate;

import dev.rbacsynth.attributes.RequestAttributes;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One copy of each repeated value an {@link ObservedUsage} keeps: every event brings its own copies
 * of the verb, resource, namespace and group strings, and a million distinct requests that share
 * them would otherwise keep a million copies each. Only the name of a request is usually its own.
 * Not thread-safe: its {@link ObservedUsage} calls it under its lock.
 */
final class Interned {
  private final HashMap<String, String> strings = new HashMap<>();
  private final HashMap<Set<String>, SortedSet<String>> sets = new HashMap<>();

  String string(String s) {
    if (s.isEmpty()) {
      return "";
    }
    String known = strings.putIfAbsent(s, s);
    return known == null ? s : known;
  }

  /** {@code r} with its shared parts (all but the name) replaced by their one copy. */
  RequestAttributes request(RequestAttributes r) {
    return new RequestAttributes(
        r.resourceRequest(),
        string(r.verb()),
        string(r.apiGroup()),
        string(r.resource()),
        string(r.subresource()),
        string(r.namespace()),
        r.name(),
        string(r.path()));
  }

  /** A sorted, unmodifiable set equal to {@code values}, the same instance for equal sets. */
  SortedSet<String> set(Collection<String> values) {
    if (values.isEmpty()) {
      return Collections.emptySortedSet();
    }
    TreeSet<String> sorted = new TreeSet<>(values);
    SortedSet<String> known = sets.get(sorted);
    if (known == null) {
      TreeSet<String> copy = new TreeSet<>();
      for (String v : sorted) {
        copy.add(string(v));
      }
      known = Collections.unmodifiableSortedSet(copy);
      sets.put(known, known);
    }
    return known;
  }
}
