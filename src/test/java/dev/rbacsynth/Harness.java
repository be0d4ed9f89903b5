package dev.rbacsynth;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.DefaultPolicy;
import dev.rbacsynth.authorize.PolicyVerifier;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.compact.GeneratedPolicy;
import dev.rbacsynth.compact.RuleSynthesizer;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.ProblemLog;
import dev.rbacsynth.pipeline.UsageLoader;
import dev.rbacsynth.read.InputResolver;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.write.ManifestBuilder;
import dev.rbacsynth.write.Naming;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    ProblemLog problems = new ProblemLog(new PrintWriter(err, true), false, 100);
    var sources = new InputResolver(new ByteArrayInputStream(new byte[0])).resolve(List.of(file));
    UsageLoader.Result loaded =
        UsageLoader.load(
            sources,
            subject,
            "",
            problems,
            dev.rbacsynth.read.envelope.Envelopes.all(),
            new ReadStats(),
            true);
    RuleSynthesizer synthesizer = new RuleSynthesizer(options, DefaultPolicy.authorizer()::allows);
    List<RequestAttributes> wanted =
        synthesizer.wanted(loaded.usage().requests(), subject.auditName());
    GeneratedPolicy policy = synthesizer.synthesize(wanted);
    Map<RequestAttributes, UserInfo> users = new LinkedHashMap<>();
    for (RequestAttributes r : wanted) {
      List<String> groups = new ArrayList<>(loaded.usage().requests().get(r).commonGroups());
      if (subject instanceof Subject.Group g) {
        groups.add(g.name());
      }
      users.put(
          r, UserInfo.of(subject instanceof Subject.Group ? "" : subject.auditName(), groups));
    }
    var objects =
        ManifestBuilder.build(
            policy,
            subject,
            new Naming(Naming.DEFAULT_NAME, Naming.DEFAULT_LABELS, List.of())
                .resolve(subject.auditName(), "test"));
    PolicyVerifier.Result verification =
        PolicyVerifier.verify(objects, DefaultPolicy.objects(), users);
    return new Run(loaded.usage(), policy, wanted, err.toString(), verification);
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
