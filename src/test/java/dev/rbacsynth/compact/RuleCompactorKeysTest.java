package dev.rbacsynth.compact;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The rule compactor's grouping keys have their equals and hashCode written out (start-up): they
 * must behave as the records' generated ones, hash values included (a HashMap's order follows
 * them).
 */
class RuleCompactorKeysTest {

  /** What javac generates for a record of three components. */
  private record Generated(Object a, Object b, Object c) {}

  private static Object key(String name, Object a, Object b, Object c) throws Exception {
    for (Class<?> type : RuleCompactor.class.getDeclaredClasses()) {
      if (type.getSimpleName().equals(name)) {
        Constructor<?> constructor = type.getDeclaredConstructors()[0];
        constructor.setAccessible(true);
        return constructor.newInstance(a, b, c);
      }
    }
    throw new AssertionError("no key " + name);
  }

  private static SortedSet<String> set(String... values) {
    return new TreeSet<>(Set.of(values));
  }

  @Test
  void keysAreEqualExactlyWhenEveryComponentIs() throws Exception {
    record Case(String name, List<Object> components, List<Object> others) {}
    List<Case> cases =
        List.of(
            new Case(
                "ByResource", List.of("apps", "deployments", "web"), List.of("", "pods", "db")),
            new Case(
                "ByVerbs",
                List.of("apps", "deployments", set("get", "list")),
                List.of("", "pods", set("get"))),
            new Case(
                "ByNames",
                List.of("apps", set("get", "list"), set("a", "b")),
                List.of("", set("get"), set("a"))));
    for (Case c : cases) {
      List<Object> v = c.components();
      Object key = key(c.name(), v.get(0), v.get(1), v.get(2));
      Object same = key(c.name(), v.get(0), v.get(1), v.get(2));
      assertThat(key).isEqualTo(same).hasSameHashCodeAs(same);
      assertThat(key.hashCode())
          .as("%s hashes as the generated record method", c.name())
          .isEqualTo(new Generated(v.get(0), v.get(1), v.get(2)).hashCode());
      assertThat(key).isNotEqualTo(null).isNotEqualTo(new Generated(v.get(0), v.get(1), v.get(2)));
      for (int i = 0; i < 3; i++) {
        Object[] changed = v.toArray();
        changed[i] = c.others().get(i);
        assertThat(key)
            .as("%s with component %d changed", c.name(), i)
            .isNotEqualTo(key(c.name(), changed[0], changed[1], changed[2]));
        changed[i] = null;
        Object withNull = key(c.name(), changed[0], changed[1], changed[2]);
        assertThat(withNull.hashCode())
            .isEqualTo(new Generated(changed[0], changed[1], changed[2]).hashCode());
        assertThat(withNull).isEqualTo(key(c.name(), changed[0], changed[1], changed[2]));
      }
    }
  }
}
