package dev.rbacsynth.attributes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * apimachinery's field selector parser (k8s.io/apimachinery pkg/fields/selector.go), as far as
 * RequestInfo uses it: terms split at unescaped commas, each split at its first {@code !=}, {@code
 * ==} or {@code =}; values unescaped ({@code \\}, {@code \,}, {@code \=}); any other escape, an
 * unescaped {@code ,} or {@code =} in a value, or a term without an operator makes the whole
 * selector invalid, and an invalid selector restricts nothing. No white space is trimmed.
 */
final class FieldSelectors {

  private FieldSelectors() {}

  /** The value {@code field} must equal ({@code =} or {@code ==}), if the selector parses. */
  static Optional<String> exactMatch(String selector, String field) {
    List<String> terms = splitTerms(selector);
    terms.sort(null); // apimachinery sorts the terms; the first exact match wins
    String match = null;
    for (String term : terms) {
      if (term.isEmpty()) {
        continue;
      }
      int at = -1;
      String op = null;
      for (int i = 0; i < term.length() && op == null; i++) {
        for (String candidate : new String[] {"!=", "==", "="}) {
          if (term.startsWith(candidate, i)) {
            at = i;
            op = candidate;
            break;
          }
        }
      }
      if (op == null) {
        return Optional.empty();
      }
      Optional<String> value = unescape(term.substring(at + op.length()));
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (match == null && !op.equals("!=") && term.substring(0, at).equals(field)) {
        match = value.get();
      }
    }
    return Optional.ofNullable(match);
  }

  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    int start = 0;
    boolean escaped = false;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',') {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }

  private static Optional<String> unescape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    boolean escaped = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (escaped) {
        if (c != '\\' && c != ',' && c != '=') {
          return Optional.empty(); // an unrecognised escape sequence
        }
        out.append(c);
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',' || c == '=') {
        return Optional.empty(); // not allowed unescaped in a value
      } else {
        out.append(c);
      }
    }
    return escaped ? Optional.empty() : Optional.of(out.toString());
  }
}
