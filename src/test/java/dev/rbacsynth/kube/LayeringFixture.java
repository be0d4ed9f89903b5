package dev.rbacsynth.kube;

import dev.rbacsynth.select.SubjectSelector;

/**
 * Test fixture for {@code LayeringTest}: kube using select is an upward import, and since select
 * uses kube it is also a cycle. Only that test imports this class.
 */
public final class LayeringFixture {
  private LayeringFixture() {}

  public static Class<?> upward() {
    return SubjectSelector.class;
  }
}
