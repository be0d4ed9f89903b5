package dev.rbacsynth.serve;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.ledger.Ledger;
import dev.rbacsynth.ledger.Observation;
import dev.rbacsynth.write.ManifestWriter;
import dev.rbacsynth.write.Naming;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /rbac}: what {@code generate --usage} would write for one subject from the stored
 * usage: the ledger the store rebuilds, the subject's usage as the ledger gives it, through the one
 * {@link Generator}. Like {@code generate}, it refuses {@code system:anonymous} and {@code
 * system:unauthenticated}.
 */
final class RbacEndpoint implements AuditServer.RbacView {
  @Override
  public Rendered render(Map<String, String> query, boolean json, UsageStore store)
      throws Exception {
    Subject subject = subject(query);
    if (subject.auditName().equals("system:anonymous")
        || (subject instanceof Subject.Group
            && subject.auditName().equals("system:unauthenticated"))) {
      throw new IllegalArgumentException(
          "refusing to generate RBAC for " + subject.describe() + ": it would grant everyone");
    }
    boolean exact = exact(query.getOrDefault("exact", "false"));
    Ledger ledger = store.ledger(Serve.since(query.getOrDefault("since", "")));
    ObservedUsage usage = ledger.usage(subject, "");
    if (usage.matchedEvents() == 0) {
      throw new NoUsage(
          "no usage recorded for "
              + subject.describe()
              + (query.containsKey("since") ? " since " + query.get("since") : "")
              + " (GET /usage lists the subjects seen)");
    }
    String version = RbacEndpoint.class.getPackage().getImplementationVersion();
    Naming.Resolved naming =
        new Naming(Naming.DEFAULT_NAME, Naming.DEFAULT_LABELS, Naming.DEFAULT_ANNOTATIONS)
            .resolve(subject.auditName(), version == null ? "dev" : version);
    Generator.Generated generated =
        new Generator(exact ? GenerateOptions.EXACT : GenerateOptions.DEFAULTS)
            .generate(subject, usage, naming);
    byte[] body =
        ManifestWriter.render(
                generated.objects(), json ? ManifestWriter.Format.JSON : ManifestWriter.Format.YAML)
            .getBytes(StandardCharsets.UTF_8);
    Observation o = ledger.observation();
    return new Rendered(
        body,
        "from="
            + o.from()
            + ", to="
            + o.to()
            + ", events="
            + o.events()
            + ", subject-events="
            + usage.matchedEvents());
  }

  /** {@code exact=true} or {@code exact=false}; anything else is a bad query, not false. */
  static boolean exact(String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("exact must be true or false, not " + value);
    };
  }

  static Subject subject(Map<String, String> query) {
    String user = query.get("user");
    String group = query.get("group");
    String sa = query.get("serviceaccount");
    int given = (user != null ? 1 : 0) + (group != null ? 1 : 0) + (sa != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException(
          "give exactly one of user=, group= or serviceaccount=NS:NAME");
    }
    if (user != null && !user.isEmpty()) {
      return Subject.forUsername(user);
    }
    if (group != null && !group.isEmpty()) {
      return new Subject.Group(group);
    }
    String[] parts = sa == null ? new String[0] : sa.split(":", -1);
    if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
      Subject s = Subject.forUsername(Subject.SA_PREFIX + parts[0] + ":" + parts[1]);
      if (s instanceof Subject.ServiceAccount) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "serviceaccount must be NAMESPACE:NAME (DNS names), user= and group= must not be empty");
  }
}
