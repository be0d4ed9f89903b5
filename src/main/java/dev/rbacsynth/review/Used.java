package dev.rbacsynth.review;

import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.RuleMatcher;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence for an existing rule that was used: the observed requests it allows for the subject,
 * through the binding that reaches it. Found by the authorizer's own walk ({@link
 * Authorizer#visitRulesFor}) and {@link RuleMatcher}, so a request counts for a rule exactly when
 * the apiserver's RBAC would let that rule allow it; a request that several rules allow is listed
 * under each of them.
 *
 * @param requests the observed requests the rule allows, in request order
 */
public record Used(AppliedRule rule, List<RequestAttributes> requests) {

  /** The rules of {@code applied} that allowed at least one observed request, in their order. */
  public static List<Used> find(
      Authorizer authorizer,
      List<AppliedRule> applied,
      Subject subject,
      Map<RequestAttributes, Usage> requests) {
    Map<String, List<RequestAttributes>> byKey = new HashMap<>();
    for (AppliedRule r : applied) {
      byKey.put(r.key(), new ArrayList<>());
    }
    requests.forEach(
        (request, usage) ->
            authorizer.visitRulesFor(
                Generator.requester(subject, usage),
                request.namespace(),
                (binding, matched, index, rule) -> {
                  List<RequestAttributes> list =
                      byKey.get(new AppliedRule(binding, matched, index, rule).key());
                  if (list != null && RuleMatcher.allows(rule, request)) {
                    list.add(request);
                  }
                  return true;
                }));
    List<Used> out = new ArrayList<>();
    for (AppliedRule r : applied) {
      List<RequestAttributes> allowed = byKey.get(r.key());
      if (!allowed.isEmpty()) {
        allowed.sort(RequestAttributes.ORDER);
        out.add(new Used(r, List.copyOf(allowed)));
      }
    }
    return out;
  }
}
