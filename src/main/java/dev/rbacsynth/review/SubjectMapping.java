package dev.rbacsynth.review;

import dev.rbacsynth.kube.BindingSubjects;
import dev.rbacsynth.kube.RbacObjects;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --map-subject FROM=TO}: renames the subjects of the manifests' bindings before they are
 * evaluated, for RBAC written under other names than the cluster runs (a Helm release prefix, a
 * namespace). FROM and TO are {@code NS:NAME} (a ServiceAccount, as {@code --serviceaccount}), or
 * {@code user:NAME} or {@code group:NAME}; {@code *} in FROM matches any text (not crossing the
 * {@code :} between namespace and name) and each {@code *} of TO is replaced by what the matching
 * {@code *} of FROM matched: {@code cert-manager:cert-manager*=cert-manager:my-cert-manager*}. The
 * first mapping that matches a subject applies.
 */
public final class SubjectMapping {

  /** One FROM=TO. */
  public record Rule(String from, String to, String kind, Pattern pattern) {}

  public static final SubjectMapping NONE = new SubjectMapping(List.of());

  private final List<Rule> rules;
  private final Map<Rule, Integer> applied = new LinkedHashMap<>();

  private SubjectMapping(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * @throws IllegalArgumentException for a value that is not FROM=TO of one kind
   */
  public static SubjectMapping parse(List<String> values) {
    List<Rule> rules = new ArrayList<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      if (eq <= 0 || eq == v.length() - 1) {
        throw new IllegalArgumentException("--map-subject must be FROM=TO, got \"" + v + "\"");
      }
      String from = v.substring(0, eq);
      String to = v.substring(eq + 1);
      String kind = kind(from);
      if (kind == null || !kind.equals(kind(to))) {
        throw new IllegalArgumentException(
            "--map-subject "
                + v
                + ": FROM and TO must both be NS:NAME (a service account), user:NAME or group:NAME");
      }
      if (count(to) > count(from)) {
        throw new IllegalArgumentException(
            "--map-subject " + v + ": TO has more * than FROM, nothing to fill them with");
      }
      rules.add(new Rule(from, to, kind, glob(strip(from))));
    }
    return new SubjectMapping(rules);
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Rewrites the subjects of every binding of {@code objects} in place and returns them. */
  public RbacObjects apply(RbacObjects objects) {
    if (rules.isEmpty()) {
      return objects;
    }
    objects.clusterRoleBindings().forEach(b -> rewrite(b.getSubjects(), ""));
    objects
        .roleBindings()
        .forEach(
            b ->
                rewrite(
                    b.getSubjects(),
                    b.getMetadata() == null
                        ? ""
                        : Objects.requireNonNullElse(b.getMetadata().getNamespace(), "")));
    return objects;
  }

  /** One line per mapping: how many binding subjects it renamed. */
  public List<String> summary() {
    List<String> out = new ArrayList<>();
    for (Rule r : rules) {
      int n = applied.getOrDefault(r, 0);
      out.add(
          n == 0
              ? "--map-subject " + r.from() + "=" + r.to() + " matched no binding subject"
              : "--map-subject "
                  + r.from()
                  + "="
                  + r.to()
                  + " renamed "
                  + n
                  + " binding subject(s)");
    }
    return out;
  }

  private void rewrite(List<Subject> subjects, String bindingNamespace) {
    if (subjects == null) {
      return;
    }
    for (Subject s : subjects) {
      String kind = Objects.requireNonNullElse(s.getKind(), "");
      String name = Objects.requireNonNullElse(s.getName(), "");
      String key =
          switch (kind) {
            case "ServiceAccount" ->
                BindingSubjects.serviceAccountNamespace(s.getNamespace(), bindingNamespace)
                    + ":"
                    + name;
            case "User", "Group" -> name;
            default -> null;
          };
      if (key == null) {
        continue;
      }
      for (Rule r : rules) {
        if (!r.kind().equals(kind)) {
          continue;
        }
        Matcher m = r.pattern().matcher(key);
        if (!m.matches()) {
          continue;
        }
        String target = fill(strip(r.to()), m);
        if (kind.equals("ServiceAccount")) {
          int colon = target.indexOf(':');
          s.setNamespace(target.substring(0, colon));
          s.setName(target.substring(colon + 1));
        } else {
          s.setName(target);
        }
        applied.merge(r, 1, Integer::sum);
        break;
      }
    }
  }

  private static String kind(String side) {
    if (side.startsWith("user:")) {
      return side.length() > 5 ? "User" : null;
    }
    if (side.startsWith("group:")) {
      return side.length() > 6 ? "Group" : null;
    }
    String s = side.startsWith("system:serviceaccount:") ? side.substring(22) : side;
    int colon = s.indexOf(':');
    return colon > 0 && colon < s.length() - 1 && s.indexOf(':', colon + 1) < 0
        ? "ServiceAccount"
        : null;
  }

  private static String strip(String side) {
    if (side.startsWith("user:")) {
      return side.substring(5);
    }
    if (side.startsWith("group:")) {
      return side.substring(6);
    }
    return side.startsWith("system:serviceaccount:") ? side.substring(22) : side;
  }

  private static int count(String s) {
    return (int) s.chars().filter(c -> c == '*').count();
  }

  private static Pattern glob(String from) {
    StringBuilder re = new StringBuilder();
    for (String part : from.split("\\*", -1)) {
      if (re.length() > 0) {
        re.append("([^:]*)");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString());
  }

  private static String fill(String to, Matcher m) {
    StringBuilder out = new StringBuilder();
    int group = 1;
    for (char c : to.toCharArray()) {
      if (c == '*') {
        out.append(m.group(group++));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
