package dev.rbacsynth.attributes;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.ObjectReference;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.BuiltInResources;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.select.SubjectRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an audit event into the authorization checks it stands for (semantics.md §2 and §4): the
 * logged check, recomputed from {@code requestURI} with the RequestInfo algorithm, plus the checks
 * the apiserver makes without an audit event of their own (create on apply/create-on-update, create
 * on WebSocket exec, bind, approve, sign) and, for an impersonator, the impersonation checks.
 */
public final class EventInterpreter {

  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";
  private static final String AUTHN_GROUP = "authentication.k8s.io";
  private static final String CERT_GROUP = "certificates.k8s.io";
  private static final Set<String> STREAMING_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  /**
   * The expressions that read a denied impersonation's message, compiled on first use: most logs
   * have no such event, and every small run paid for compiling them.
   */
  private static final class Impersonation {
    static final Pattern TARGET =
        Pattern.compile(
            "^(users|groups|serviceaccounts|uids|userextras)(?:\\.[\\w.]+)? \"([^\"]*)\" is forbidden");

    /**
     * The denied check as the apiserver words it: {@code cannot impersonate resource
     * "userextras/KEY" in API group "G" in the namespace "NS"} (the namespace of an impersonated
     * service account).
     */
    static final Pattern CHECK =
        Pattern.compile(
            "cannot impersonate\\S* resource \"[^\"/]*/?([^\"]*)\" in API group \"[^\"]*\""
                + "(?: in the namespace \"([^\"]*)\")?");

    private Impersonation() {}
  }

  private EventInterpreter() {}

  public static Interpretation interpret(AuditEvent event, SubjectRole role) {
    if (event.responseCode() == 401
        || (event.user().isEmpty() && event.impersonatedUser() == null)) {
      return Interpretation.skipped(Interpretation.Skip.UNAUTHENTICATED);
    }
    if (!event.stage().isAfterAuthorization()) {
      return Interpretation.skipped(Interpretation.Skip.UNRESOLVED);
    }
    RequestInfo info = RequestInfo.parse(event.requestURI());
    return switch (role) {
      case NONE -> new Interpretation(List.of(), Interpretation.Skip.NONE);
      case REQUESTER -> refuseCrafted(requester(event, info), Refusals.reason(info));
      case IMPERSONATOR ->
          refuseCrafted(
              impersonator(event, info),
              // only constrained impersonation checks the request itself
              event.impersonationConstraint().isEmpty() ? Optional.empty() : Refusals.reason(info));
    };
  }

  /**
   * The whole event is refused when one of its checks could become a rule that RBAC reads as a
   * wildcard or as any name ({@link Refusals}); its checks are kept for the report, each with why.
   */
  private static Interpretation refuseCrafted(
      Interpretation interpretation, Optional<String> urlReason) {
    if (interpretation.skip() != Interpretation.Skip.NONE) {
      return interpretation;
    }
    Optional<String> reason = urlReason;
    for (Requirement r : interpretation.requirements()) {
      if (reason.isPresent()) {
        break;
      }
      reason = Refusals.reason(r.attributes());
    }
    if (reason.isEmpty()) {
      return interpretation;
    }
    String why = reason.get();
    List<Requirement> reported =
        interpretation.requirements().stream()
            .map(r -> new Requirement(r.attributes(), r.outcome(), why))
            .toList();
    return new Interpretation(reported, Interpretation.Skip.REFUSED, interpretation.dryRun());
  }

  /** The logged check alone, as the authorizer saw it. */
  public static RequestAttributes attributesOf(AuditEvent event) {
    return attributesOf(event, RequestInfo.parse(event.requestURI()));
  }

  static RequestAttributes attributesOf(AuditEvent event, RequestInfo info) {
    String verb = event.verb();
    if (info.resourceRequest()) {
      String name = info.name();
      if (name.isEmpty()
          && info.verbFromPath().isEmpty()
          && (verb.equals("list") || verb.equals("watch"))) {
        name = info.fieldSelectorName();
      }
      return RequestAttributes.resource(
          verb, info.apiGroup(), info.resource(), info.subresource(), info.namespace(), name);
    }
    ObjectReference ref = event.objectRef();
    if (ref != null && event.requestURI().isEmpty()) {
      // No URI (some exports): fall back to objectRef; a create's objectRef name came from the
      // body.
      String name = verb.equals("create") && ref.subresource().isEmpty() ? "" : ref.name();
      if (verb.equals("deletecollection")) {
        name = "";
      }
      return RequestAttributes.resource(
          verb, ref.apiGroup(), ref.resource(), ref.subresource(), ref.namespace(), name);
    }
    return RequestAttributes.nonResource(verb, info.path());
  }

  static Outcome outcomeOf(AuditEvent event) {
    String decision = event.decision();
    int code = event.responseCode();
    if (decision.equals("allow")) {
      return code == 403 ? Outcome.REJECTED_AFTER_AUTHORIZATION : Outcome.ALLOWED;
    }
    if (decision.equals("forbid")) {
      return Outcome.RBAC_DENIED;
    }
    if (code == 403) {
      return Outcome.RBAC_DENIED; // logs from before the decision annotation existed (< 1.11)
    }
    if (code == 429 || code == 400 || code == 0) {
      return Outcome.UNDECIDED;
    }
    return Outcome
        .ALLOWED; // a handler answered, so authorization passed (old logs carry no annotation)
  }

  private static Interpretation requester(AuditEvent event, RequestInfo info) {
    RequestAttributes main = attributesOf(event, info);
    Outcome outcome = outcomeOf(event);
    if (main.verb().isEmpty()) {
      return Interpretation.skipped(
          Interpretation.Skip.EMPTY_VERB, new Requirement(main, outcome, ""));
    }
    if (main.resourceRequest()
        && main.verb().equals("proxy")
        && info.verbFromPath().equals("proxy")) {
      return Interpretation.skipped(
          Interpretation.Skip.REMOVED_PROXY_PATH, new Requirement(main, outcome, ""));
    }
    if (main.resourceRequest()
        && !main.namespace().isEmpty()
        && BuiltInResources.clusterScopedForRbac(main.apiGroup(), main.resource())) {
      return Interpretation.skipped(
          Interpretation.Skip.CLUSTER_SCOPED_IN_NAMESPACE, new Requirement(main, outcome, ""));
    }
    if (event.decision().isEmpty()
        && event.responseCode() == 403
        && event.impersonatedUser() == null) {
      Optional<Requirement> impersonation = deniedImpersonation(event);
      if (impersonation.isPresent()) {
        return Interpretation.skipped(
            Interpretation.Skip.IMPERSONATION_DENIED, impersonation.get());
      }
    }
    List<Requirement> out = new ArrayList<>();
    out.add(new Requirement(main, outcome, ""));
    if (main.resourceRequest()) {
      addImpliedChecks(event, info, main, outcome, out);
    }
    return new Interpretation(out, Interpretation.Skip.NONE, info.dryRun());
  }

  private static void addImpliedChecks(
      AuditEvent event,
      RequestInfo info,
      RequestAttributes main,
      Outcome outcome,
      List<Requirement> out) {
    String verb = main.verb();
    int code = event.responseCode();
    if ((verb.equals("patch") || verb.equals("update")) && code == 201) {
      out.add(
          new Requirement(
              main.withVerb("create"),
              Outcome.ALLOWED,
              verb
                  + " answered 201: the object was created, which the apiserver authorizes as create with the name"));
    } else if (verb.equals("patch")
        && outcome == Outcome.REJECTED_AFTER_AUTHORIZATION
        && info.query().contains("force=")) {
      out.add(
          new Requirement(
              main.withVerb("create"),
              Outcome.REJECTED_AFTER_AUTHORIZATION,
              "server-side apply of a missing object also needs create with the name"));
    }
    if (verb.equals("get")
        && main.resource().equals("pods")
        && STREAMING_SUBRESOURCES.contains(main.subresource())) {
      out.add(
          new Requirement(
              main.withVerb("create"),
              outcome,
              "a WebSocket " + main.subresource() + " also needs create (Kubernetes 1.35+)"));
    }
    boolean binding =
        main.resource().equals("rolebindings") || main.resource().equals("clusterrolebindings");
    if (binding
        && main.apiGroup().equals(RBAC_GROUP)
        && main.subresource().isEmpty()
        && (verb.equals("create") || verb.equals("update") || verb.equals("patch"))
        && !event.requestObject().roleRefName().isEmpty()) {
      String roleResource =
          event.requestObject().roleRefKind().equals("Role") ? "roles" : "clusterroles";
      String namespace = main.resource().equals("rolebindings") ? main.namespace() : "";
      out.add(
          new Requirement(
              RequestAttributes.resource(
                  "bind",
                  RBAC_GROUP,
                  roleResource,
                  "",
                  namespace,
                  event.requestObject().roleRefName()),
              outcome,
              "creating a binding needs bind on its roleRef unless the creator holds all of the role's rules"));
    }
    // The apiserver checks the stored object's signer (an approval or status update cannot change
    // spec): the response's when it was logged, otherwise the body's, which a client could forge;
    // a * in either is refused by Refusals.
    String signer =
        event.requestObject().storedSignerName().isEmpty()
            ? event.requestObject().signerName()
            : event.requestObject().storedSignerName();
    if (main.apiGroup().equals(CERT_GROUP)
        && main.resource().equals("certificatesigningrequests")
        && verb.equals("update")
        && !signer.isEmpty()) {
      String signerVerb =
          switch (main.subresource()) {
            case "approval" -> "approve";
            case "status" -> "sign";
            default -> "";
          };
      if (!signerVerb.isEmpty()) {
        out.add(
            new Requirement(
                RequestAttributes.resource(signerVerb, CERT_GROUP, "signers", "", "", signer),
                outcome,
                "CSR admission checks " + signerVerb + " on the signer"));
      }
    }
  }

  private static Interpretation impersonator(AuditEvent event, RequestInfo info) {
    UserInfo target = event.impersonatedUser();
    String constraint = event.impersonationConstraint();
    List<Requirement> out = new ArrayList<>();
    String note = "impersonating " + target.username();
    if (constraint.isEmpty()) {
      legacyImpersonation(target, note, out);
    } else {
      constrainedImpersonation(event, info, target, constraint, note, out);
    }
    return new Interpretation(out, Interpretation.Skip.NONE, info.dryRun());
  }

  private static void legacyImpersonation(UserInfo target, String note, List<Requirement> out) {
    Optional<Subject.ServiceAccount> sa = Subject.serviceAccountOf(target.username());
    if (sa.isPresent()) {
      out.add(
          impersonate(
              "impersonate",
              "",
              "serviceaccounts",
              "",
              sa.get().namespace(),
              sa.get().name(),
              note));
    } else {
      out.add(impersonate("impersonate", "", "users", "", "", target.username(), note));
    }
    for (String group : explicitGroups(target, sa.isPresent())) {
      out.add(impersonate("impersonate", "", "groups", "", "", group, note));
    }
    identityExtras("impersonate", target, note, out);
  }

  private static void constrainedImpersonation(
      AuditEvent event,
      RequestInfo info,
      UserInfo target,
      String constraint,
      String note,
      List<Requirement> out) {
    String mode =
        constraint.startsWith("impersonate:")
            ? constraint.substring("impersonate:".length())
            : constraint;
    Optional<Subject.ServiceAccount> account = Subject.serviceAccountOf(target.username());
    // No apiserver logs the serviceaccount mode for a username that is not a service account; such
    // a record is read like an unknown mode rather than stopping the run.
    String checks = mode.equals("serviceaccount") && account.isEmpty() ? "" : mode;
    switch (checks) {
      case "serviceaccount" -> {
        Subject.ServiceAccount sa = account.orElseThrow();
        out.add(
            impersonate(
                constraint, AUTHN_GROUP, "serviceaccounts", "", sa.namespace(), sa.name(), note));
      }
      case "arbitrary-node", "associated-node" -> {
        String node =
            mode.equals("associated-node")
                ? "*"
                : target.username().replaceFirst("^system:node:", "");
        out.add(impersonate(constraint, AUTHN_GROUP, "nodes", "", "", node, note));
      }
      default -> {
        out.add(impersonate(constraint, AUTHN_GROUP, "users", "", "", target.username(), note));
        for (String group : explicitGroups(target, false)) {
          out.add(impersonate(constraint, AUTHN_GROUP, "groups", "", "", group, note));
        }
        identityExtras(constraint, target, note, out);
      }
    }
    RequestAttributes onRequest = attributesOf(event, info);
    out.add(
        new Requirement(
            onRequest.withVerb("impersonate-on:" + mode + ":" + onRequest.verb()),
            Outcome.ALLOWED,
            "constrained impersonation also checks the request itself"));
  }

  private static void identityExtras(
      String verb, UserInfo target, String note, List<Requirement> out) {
    if (!target.uid().isEmpty()) {
      out.add(impersonate(verb, AUTHN_GROUP, "uids", "", "", target.uid(), note));
    }
    for (Map.Entry<String, List<String>> extra : target.extra().entrySet()) {
      for (String value : extra.getValue()) {
        out.add(impersonate(verb, AUTHN_GROUP, "userextras", extra.getKey(), "", value, note));
      }
    }
  }

  /**
   * Groups that were sent as Impersonate-Group headers. Without headers the apiserver synthesises
   * the groups (system:authenticated, plus the service-account groups for an SA), so those are not
   * impersonated.
   */
  static List<String> explicitGroups(UserInfo target, boolean serviceAccount) {
    Set<String> synthesized = new HashSet<>();
    synthesized.add("system:authenticated");
    if (serviceAccount) {
      String ns =
          Subject.serviceAccountOf(target.username())
              .map(Subject.ServiceAccount::namespace)
              .orElse("");
      synthesized.add("system:serviceaccounts");
      synthesized.add("system:serviceaccounts:" + ns);
    }
    if (target.username().equals("system:anonymous")) {
      synthesized = Set.of("system:unauthenticated");
    }
    if (synthesized.equals(new HashSet<>(target.groups()))) {
      return List.of();
    }
    return target.groups().stream()
        .filter(g -> !g.equals("system:authenticated"))
        .sorted()
        .toList();
  }

  private static Requirement impersonate(
      String verb,
      String group,
      String resource,
      String sub,
      String namespace,
      String name,
      String note) {
    return new Requirement(
        RequestAttributes.resource(verb, group, resource, sub, namespace, name),
        Outcome.ALLOWED,
        note);
  }

  private static Optional<Requirement> deniedImpersonation(AuditEvent event) {
    Matcher m = Impersonation.TARGET.matcher(event.responseMessage());
    Matcher check = Impersonation.CHECK.matcher(event.responseMessage());
    if (!m.find() || !check.find()) {
      return Optional.empty();
    }
    String resource = m.group(1);
    String group = resource.equals("uids") || resource.equals("userextras") ? AUTHN_GROUP : "";
    String namespace = check.group(2) == null ? "" : check.group(2);
    return Optional.of(
        new Requirement(
            RequestAttributes.resource(
                "impersonate", group, resource, check.group(1), namespace, m.group(2)),
            Outcome.RBAC_DENIED,
            "impersonation denied"));
  }
}
