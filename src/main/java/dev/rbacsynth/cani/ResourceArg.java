package dev.rbacsynth.cani;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A resource argument as {@code can-i} takes it, {@code resource[.group][/subresource]}: {@code
 * pods}, {@code pods/log}, {@code deployments.apps/scale}, {@code deployments.v1.apps}. Without a
 * group, built-in resources, their short names and singulars resolve to their group offline, as
 * kubectl's discovery would ({@code deploy} is {@code deployments.apps}); anything else is taken as
 * a core resource, with a warning.
 *
 * @param warning "" or why the resolution is a guess
 */
public record ResourceArg(String resource, String apiGroup, String subresource, String warning) {

  private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?");

  /** Plural → group of the built-in resources (core = ""). */
  private static final Map<String, String> GROUPS = new HashMap<>();

  /** kubectl short names → plural. */
  private static final Map<String, String> SHORT = new HashMap<>();

  static {
    for (String r :
        new String[] {
          "pods",
          "services",
          "configmaps",
          "secrets",
          "namespaces",
          "nodes",
          "persistentvolumes",
          "persistentvolumeclaims",
          "serviceaccounts",
          "endpoints",
          "events",
          "limitranges",
          "resourcequotas",
          "replicationcontrollers",
          "podtemplates",
          "componentstatuses",
          "bindings"
        }) {
      GROUPS.put(r, "");
    }
    group(
        "apps", "deployments", "daemonsets", "statefulsets", "replicasets", "controllerrevisions");
    group("batch", "jobs", "cronjobs");
    group("autoscaling", "horizontalpodautoscalers");
    group("networking.k8s.io", "ingresses", "ingressclasses", "networkpolicies");
    group(
        "rbac.authorization.k8s.io",
        "roles",
        "rolebindings",
        "clusterroles",
        "clusterrolebindings");
    group("apiextensions.k8s.io", "customresourcedefinitions");
    group("apiregistration.k8s.io", "apiservices");
    group(
        "storage.k8s.io",
        "storageclasses",
        "csidrivers",
        "csinodes",
        "csistoragecapacities",
        "volumeattachments");
    group("certificates.k8s.io", "certificatesigningrequests");
    group("coordination.k8s.io", "leases");
    group("discovery.k8s.io", "endpointslices");
    group("policy", "poddisruptionbudgets");
    group("scheduling.k8s.io", "priorityclasses");
    group("node.k8s.io", "runtimeclasses");
    group(
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        "validatingwebhookconfigurations",
        "validatingadmissionpolicies",
        "validatingadmissionpolicybindings");
    group("authentication.k8s.io", "tokenreviews", "selfsubjectreviews");
    group(
        "authorization.k8s.io",
        "subjectaccessreviews",
        "selfsubjectaccessreviews",
        "selfsubjectrulesreviews",
        "localsubjectaccessreviews");
    group("flowcontrol.apiserver.k8s.io", "flowschemas", "prioritylevelconfigurations");
    String[][] shortNames = {
      {"po", "pods"},
      {"svc", "services"},
      {"cm", "configmaps"},
      {"ns", "namespaces"},
      {"no", "nodes"},
      {"pv", "persistentvolumes"},
      {"pvc", "persistentvolumeclaims"},
      {"sa", "serviceaccounts"},
      {"ep", "endpoints"},
      {"ev", "events"},
      {"limits", "limitranges"},
      {"quota", "resourcequotas"},
      {"rc", "replicationcontrollers"},
      {"cs", "componentstatuses"},
      {"deploy", "deployments"},
      {"ds", "daemonsets"},
      {"sts", "statefulsets"},
      {"rs", "replicasets"},
      {"cj", "cronjobs"},
      {"hpa", "horizontalpodautoscalers"},
      {"ing", "ingresses"},
      {"netpol", "networkpolicies"},
      {"crd", "customresourcedefinitions"},
      {"crds", "customresourcedefinitions"},
      {"sc", "storageclasses"},
      {"csr", "certificatesigningrequests"},
      {"pdb", "poddisruptionbudgets"},
      {"pc", "priorityclasses"}
    };
    for (String[] s : shortNames) {
      SHORT.put(s[0], s[1]);
    }
  }

  private static void group(String group, String... resources) {
    for (String r : resources) {
      GROUPS.put(r, group);
    }
  }

  /**
   * @param subresourceFlag kubectl's {@code --subresource}, "" when not given
   * @throws IllegalArgumentException when the argument is malformed or names two subresources
   */
  public static ResourceArg parse(String argument, String subresourceFlag) {
    String arg = argument.trim();
    String sub = "";
    int slash = arg.indexOf('/');
    if (slash >= 0) {
      sub = arg.substring(slash + 1);
      arg = arg.substring(0, slash);
      if (sub.isEmpty() || sub.contains("/")) {
        throw new IllegalArgumentException(
            "resource \"" + argument + "\" must be RESOURCE[.GROUP][/SUBRESOURCE]");
      }
    }
    if (!subresourceFlag.isEmpty()) {
      if (!sub.isEmpty() && !sub.equals(subresourceFlag)) {
        throw new IllegalArgumentException(
            "two subresources given: \"" + sub + "\" and --subresource " + subresourceFlag);
      }
      sub = subresourceFlag;
    }
    if (arg.isEmpty()) {
      throw new IllegalArgumentException("resource \"" + argument + "\" has no resource name");
    }
    if (arg.equals("*")) {
      return new ResourceArg("*", "", sub, ""); // as kubectl: "*" in the core group
    }
    String lower = arg.toLowerCase(Locale.ROOT);
    int dot = lower.indexOf('.');
    if (dot >= 0) {
      String resource = lower.substring(0, dot);
      String rest = lower.substring(dot + 1);
      int next = rest.indexOf('.');
      if (next > 0 && VERSION.matcher(rest.substring(0, next)).matches()) {
        rest = rest.substring(next + 1); // resource.version.group
      }
      return new ResourceArg(resource, rest, sub, "");
    }
    Optional<String> plural = plural(lower);
    if (plural.isPresent()) {
      return new ResourceArg(plural.get(), GROUPS.get(plural.get()), sub, "");
    }
    return new ResourceArg(
        lower,
        "",
        sub,
        "\""
            + arg
            + "\" is not a built-in resource: checked as "
            + lower
            + " in the core group; write RESOURCE.GROUP for other API groups");
  }

  private static Optional<String> plural(String name) {
    if (GROUPS.containsKey(name)) {
      return Optional.of(name);
    }
    if (SHORT.containsKey(name)) {
      return Optional.of(SHORT.get(name));
    }
    for (String candidate :
        new String[] {
          name + "s",
          name + "es",
          name.endsWith("y") ? name.substring(0, name.length() - 1) + "ies" : name
        }) {
      if (GROUPS.containsKey(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code deployments.apps/scale}. */
  public String describe() {
    return resource
        + (apiGroup.isEmpty() ? "" : "." + apiGroup)
        + (subresource.isEmpty() ? "" : "/" + subresource);
  }
}
