package dev.rbacsynth.aggregate;

import dev.rbacsynth.attributes.RequestAttributes;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Requests with their usage in {@link RequestAttributes#ORDER}, unmodifiable: two sorted arrays, 8
 * bytes a request where a {@code TreeMap} takes 40 (a million names are a million requests). {@link
 * #get} is a binary search.
 */
final class SortedRequests extends AbstractMap<RequestAttributes, Usage> {
  private final RequestAttributes[] keys;
  private final Usage[] values;

  private SortedRequests(RequestAttributes[] keys, Usage[] values) {
    this.keys = keys;
    this.values = values;
  }

  static SortedRequests of(Map<RequestAttributes, Usage> map) {
    RequestAttributes[] keys = map.keySet().toArray(new RequestAttributes[0]);
    Arrays.sort(keys, RequestAttributes.ORDER);
    Usage[] values = new Usage[keys.length];
    for (int i = 0; i < keys.length; i++) {
      values[i] = map.get(keys[i]);
    }
    return new SortedRequests(keys, values);
  }

  private int indexOf(Object key) {
    return key instanceof RequestAttributes r
        ? Arrays.binarySearch(keys, r, RequestAttributes.ORDER)
        : -1;
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean isEmpty() {
    return keys.length == 0;
  }

  @Override
  public Usage get(Object key) {
    int i = indexOf(key);
    return i >= 0 ? values[i] : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Set<Entry<RequestAttributes, Usage>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public Iterator<Entry<RequestAttributes, Usage>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Entry<RequestAttributes, Usage> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }
    };
  }
}
