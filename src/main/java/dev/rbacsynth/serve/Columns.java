package dev.rbacsynth.serve;

import dev.rbacsynth.ledger.RequestRow;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import org.sqlite.Function;

/**
 * How the store writes the ledger's values into SQLite columns, and the SQL functions that merge
 * the non-additive ones on upsert.
 *
 * <ul>
 *   <li>A time is a 12-byte BLOB (the epoch second with its sign bit flipped, then the nanosecond,
 *       both big-endian), so that SQLite's {@code min}/{@code max} (memcmp on BLOBs) order times as
 *       time does, for every instant an event can carry (an integer of nanoseconds would not reach
 *       the year 9999).
 *   <li>A set of strings (groups, sampled audit IDs and user agents) is its sorted members joined
 *       by {@code '\n'} (after each one), with {@code '\\'} and {@code '\n'} escaped; equal sets
 *       give equal text.
 * </ul>
 *
 * The merge functions, registered on the writing connection: {@code rs_intersect(a, b)} (the groups
 * a user had on every request of a row), {@code rs_union(a, b)} (the groups of a subject's day),
 * {@code rs_samples(a, b)} (the samples the ledger keeps of both, by {@link RequestRow}'s own
 * rule).
 */
final class Columns {
  private Columns() {}

  static byte[] time(Instant t) {
    if (t == null) {
      return null;
    }
    return ByteBuffer.allocate(12)
        .putLong(t.getEpochSecond() ^ Long.MIN_VALUE)
        .putInt(t.getNano())
        .array();
  }

  static Instant time(byte[] b) {
    if (b == null) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.wrap(b);
    return Instant.ofEpochSecond(buf.getLong() ^ Long.MIN_VALUE, buf.getInt());
  }

  static String set(Collection<String> values) {
    if (values.isEmpty()) {
      return "";
    }
    String[] sorted = values.toArray(String[]::new);
    if (sorted.length > 1) {
      Arrays.sort(sorted); // the members of a set: no two are equal
    }
    StringBuilder out = new StringBuilder();
    for (String v : sorted) {
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '\\') {
          out.append("\\\\");
        } else if (c == '\n') {
          out.append("\\n");
        } else {
          out.append(c);
        }
      }
      out.append('\n'); // every member ends with one, so {""} is not {}
    }
    return out.toString();
  }

  static List<String> set(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    StringBuilder member = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char n = text.charAt(++i);
        member.append(n == 'n' ? '\n' : n);
      } else if (c == '\n') {
        out.add(member.toString());
        member.setLength(0);
      } else {
        member.append(c);
      }
    }
    return out;
  }

  static void registerMergeFunctions(Connection c) throws SQLException {
    Function.create(
        c, "rs_intersect", new SetMerge(Columns::intersect), 2, Function.FLAG_DETERMINISTIC);
    Function.create(c, "rs_union", new SetMerge(Columns::union), 2, Function.FLAG_DETERMINISTIC);
    Function.create(
        c, "rs_samples", new SetMerge(Columns::samples), 2, Function.FLAG_DETERMINISTIC);
  }

  private static String intersect(String a, String b) {
    TreeSet<String> s = new TreeSet<>(set(a));
    s.retainAll(set(b));
    return set(s);
  }

  private static String union(String a, String b) {
    TreeSet<String> s = new TreeSet<>(set(a));
    s.addAll(set(b));
    return set(s);
  }

  /**
   * The samples the ledger keeps of both: its rule ({@link RequestRow}), the {@link
   * RequestRow#SAMPLES} smallest, so that the result does not depend on the order of merging.
   */
  private static String samples(String a, String b) {
    TreeSet<String> kept = new TreeSet<>(set(a));
    kept.addAll(set(b));
    while (kept.size() > RequestRow.SAMPLES) {
      kept.pollLast();
    }
    return set(kept);
  }

  private static final class SetMerge extends Function {
    private final BinaryOperator<String> merge;

    SetMerge(BinaryOperator<String> merge) {
      this.merge = merge;
    }

    @Override
    protected void xFunc() throws SQLException {
      String a = value_text(0);
      String b = value_text(1);
      if (a == null || b == null) {
        result(a == null ? b : a);
      } else if (a.equals(b)) {
        result(a);
      } else {
        result(merge.apply(a, b));
      }
    }
  }
}
