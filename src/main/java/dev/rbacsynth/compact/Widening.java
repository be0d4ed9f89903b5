package dev.rbacsynth.compact;

import java.util.ArrayList;
import java.util.List;

/**
 * Which expansions widened one observed request when its rule was made, and on what evidence.
 *
 * @param namespaces how many namespaces the same operation was seen in when it was granted
 *     cluster-wide ({@code --expand-multi-namespace}); 0 when not widened that way
 * @param names how many names the same operation was seen on when it was granted for any name
 *     ({@code --expand-multi-name}); 0 when not widened that way
 * @param verbs the verbs granted for it besides its own ({@code --expand-verbs}); empty when none
 * @param generatedName what the name is when it was granted for any name because a controller
 *     generated it (semantics.md §7.1); "" when not widened that way
 */
public record Widening(int namespaces, int names, List<String> verbs, String generatedName) {
  public static final Widening NONE = new Widening(0, 0, List.of(), "");

  public Widening {
    verbs = List.copyOf(verbs);
  }

  public Widening(int namespaces, int names, List<String> verbs) {
    this(namespaces, names, verbs, "");
  }

  /**
   * The expansions that applied, by their short names: {@code namespaces}, {@code names}, {@code
   * verbs}, {@code generated-names}.
   */
  public List<String> kinds() {
    List<String> out = new ArrayList<>();
    if (namespaces > 0) {
      out.add("namespaces");
    }
    if (names > 0) {
      out.add("names");
    }
    if (!verbs.isEmpty()) {
      out.add("verbs");
    }
    if (!generatedName.isEmpty()) {
      out.add("generated-names");
    }
    return out;
  }

  /**
   * {@code namespaces (seen in 3, granted cluster-wide); verbs (+get, watch)}, or "" when nothing
   * widened the request.
   */
  public String describe() {
    List<String> out = new ArrayList<>();
    if (namespaces > 0) {
      out.add("namespaces (seen in " + namespaces + ", granted cluster-wide)");
    }
    if (names > 0) {
      out.add("names (seen on " + names + ", granted for any name)");
    }
    if (!verbs.isEmpty()) {
      out.add("verbs (+" + String.join(", ", verbs) + ")");
    }
    if (!generatedName.isEmpty()) {
      out.add("generated-names (" + generatedName + ": granted for any name)");
    }
    return String.join("; ", out);
  }
}
