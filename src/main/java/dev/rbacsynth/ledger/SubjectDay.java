package dev.rbacsynth.ledger;

import dev.rbacsynth.attributes.Interpretation;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One subject on one UTC day: the events it took part in (each request once, after stage merging),
 * the skipped ones by reason, the groups it was seen with and the privileged ones among them.
 */
public final class SubjectDay {
  private long events;
  private final EnumMap<Interpretation.Skip, Long> skipped =
      new EnumMap<>(Interpretation.Skip.class);
  private final TreeSet<String> groups = new TreeSet<>();

  SubjectDay() {}

  public static SubjectDay of(
      long events, Map<Interpretation.Skip, Long> skipped, Collection<String> groups) {
    SubjectDay d = new SubjectDay();
    d.events = events;
    d.skipped.putAll(skipped);
    d.groups.addAll(groups);
    return d;
  }

  void add(Interpretation.Skip skip, Collection<String> eventGroups, Interner interner) {
    events++;
    if (skip != Interpretation.Skip.NONE) {
      skipped.merge(skip, 1L, Long::sum);
    }
    for (String g : eventGroups) {
      if (!groups.contains(g)) {
        groups.add(interner.intern(g));
      }
    }
  }

  void merge(SubjectDay o) {
    events += o.events;
    o.skipped.forEach((k, v) -> skipped.merge(k, v, Long::sum));
    groups.addAll(o.groups);
  }

  SubjectDay copy() {
    SubjectDay d = new SubjectDay();
    d.merge(this);
    return d;
  }

  public long events() {
    return events;
  }

  public Map<Interpretation.Skip, Long> skipped() {
    return Collections.unmodifiableMap(skipped);
  }

  /** Every group the subject was seen with that day (the union). */
  public Set<String> groups() {
    return Collections.unmodifiableSet(groups);
  }
}
