package dev.rbacsynth;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.PolicyVerifier;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.compact.GeneratedPolicy;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.write.Naming;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the generation pipeline in-process and renders its result compactly, for tests. */
public final class Harness {
  private Harness() {}

  /** The result of one generation run. */
  public record Run(
      ObservedUsage usage,
      GeneratedPolicy policy,
      List<RequestAttributes> wanted,
      String stderr,
      PolicyVerifier.Result verification) {

    /** One line per rule: {@code Role/shop: [""] [pods] names=[web-0] [get, watch]}. */
    public List<String> rules() {
      return Harness.rules(policy);
    }
  }

  /** One line per rule: {@code Role/shop: [""] [pods] names=[web-0] [get, watch]}. */
  public static List<String> rules(GeneratedPolicy policy) {
    List<String> out = new ArrayList<>();
    policy
        .namespaceRules()
        .forEach((ns, rules) -> rules.forEach(r -> out.add("Role/" + ns + ": " + text(r))));
    policy.clusterRules().forEach(r -> out.add("ClusterRole: " + text(r)));
    return out;
  }

  public static Run generate(String file, Subject subject, GenerateOptions options) {
    StringWriter err = new StringWriter();
    UsageReader.Result loaded =
        UsageReader.of(List.of(file))
            .stdin(new ByteArrayInputStream(new byte[0]))
            .messages(new PrintWriter(err, true))
            .maxProblemsShown(100)
            .read(subject);
    ObservedUsage usage = loaded.usage(subject);
    Generator.Generated generated =
        new Generator(options)
            .generate(
                subject,
                usage,
                new Naming(Naming.DEFAULT_NAME, Naming.DEFAULT_LABELS, List.of())
                    .resolve(subject.auditName(), "test"));
    return new Run(
        usage, generated.policy(), generated.wanted(), err.toString(), generated.verify());
  }

  /** {@code [""] [pods] names=[web-0] [get, watch]} or {@code urls=[/metrics] [get]}. */
  public static String text(PolicyRule r) {
    if (r.getNonResourceURLs() != null && !r.getNonResourceURLs().isEmpty()) {
      return "urls=" + r.getNonResourceURLs() + " " + r.getVerbs();
    }
    String names =
        r.getResourceNames() == null || r.getResourceNames().isEmpty()
            ? ""
            : " names=" + r.getResourceNames();
    List<String> groups = r.getApiGroups().stream().map(g -> g.isEmpty() ? "\"\"" : g).toList();
    return groups + " " + r.getResources() + names + " " + r.getVerbs();
  }
}
