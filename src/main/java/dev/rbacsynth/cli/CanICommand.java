package dev.rbacsynth.cli;

import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Decision;
import dev.rbacsynth.cani.AccessList;
import dev.rbacsynth.cani.ResourceArg;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.BuiltInResources;
import dev.rbacsynth.kube.Identities;
import dev.rbacsynth.report.AccessListTable;
import dev.rbacsynth.report.ReviewText;
import dev.rbacsynth.review.ExistingRbac;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rbac-synth can-i}: {@code kubectl auth can-i} against RBAC manifests, offline. */
@Command(
    name = "can-i",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Answers whether a user may make a request, offline, from RBAC manifests.",
      "",
      "Evaluates exactly as the apiserver's RBAC authorizer: aggregated",
      "ClusterRoles, every subject form, RoleBindings only in their namespace.",
      "Prints yes (exit 0) or no (exit 1); -v also prints the binding and rule",
      "that allowed it, worded like the authorization.k8s.io/reason annotation.",
      "",
      "RESOURCE is resource[.group][/subresource]: pods, pods/log,",
      "deployments.apps/scale, deployments.v1.apps. Built-in resources, their",
      "short names and singulars find their group (deploy = deployments.apps).",
      "A RESOURCE starting with / is a non-resource URL.",
      "",
      "The user's groups are completed as the apiserver completes an",
      "impersonated user: without --as-group a service account gets",
      "system:serviceaccounts, system:serviceaccounts:NS and",
      "system:authenticated, anyone else system:authenticated. Members of",
      "system:masters are allowed everything before RBAC runs.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  rbac-synth can-i --rbac existing/ --as system:serviceaccount:shop:web \\",
      "    get pods -n shop",
      "  rbac-synth can-i --rbac existing/ --as alice --as-group dev \\",
      "    patch deployments.apps/scale web -n shop -v",
      "  rbac-synth can-i --rbac existing/ --as alice list secrets -A",
      "  rbac-synth can-i --rbac existing/ --as bob get /metrics",
      "  rbac-synth can-i --rbac existing/ --as alice --list -n shop",
      "",
      ExitCodes.CAN_I_HELP
    })
public final class CanICommand implements Callable<Integer> {

  @Mixin RbacOptions rbac;

  @Option(
      names = "--as",
      required = true,
      paramLabel = "USER",
      description = "Username to check, e.g. alice or system:serviceaccount:NS:NAME.")
  String as;

  @Option(
      names = "--as-group",
      paramLabel = "GROUP",
      description = "A group of the user. Repeatable.")
  List<String> asGroups = new ArrayList<>();

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Namespace of the request (default: default).")
  String namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      description =
          "Check at cluster scope: across all namespaces (only ClusterRoleBindings grant that).")
  boolean allNamespaces;

  @Option(
      names = "--subresource",
      paramLabel = "SUB",
      defaultValue = "",
      description = "Subresource, as kubectl's flag (same as RESOURCE/SUB).")
  String subresource;

  @Option(
      names = "--list",
      description = "Print everything the user may do in the namespace as a table.")
  boolean list;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Also print the binding and rule that allowed the request (--list: the bindings of each row).")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing; only the exit code answers.")
  boolean quiet;

  @Parameters(
      arity = "0..3",
      paramLabel = "VERB RESOURCE|URL [NAME]",
      description =
          "The request: a verb, a resource or non-resource URL, and optionally a resource name.")
  List<String> request = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (allNamespaces && namespace != null) {
      throw new ParameterException(spec.commandLine(), "-n and -A cannot be used together");
    }
    if (list != request.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          list
              ? "--list takes no VERB or RESOURCE"
              : "give VERB and RESOURCE (or a /URL), optionally a NAME; or --list");
    }
    RequestAttributes attributes = list ? null : attributes();
    UserInfo user = Identities.of(as, asGroups);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    InputOptions.checkStdin(spec.commandLine(), rbac.paths);
    ExistingRbac existing = rbac.load();
    existing.warnings().forEach(w -> err.println("warning: " + w));
    if (verbose) {
      existing.reach(user).unresolved().forEach(w -> err.println("warning: " + w));
    }
    boolean masters = user.groups().contains(Identities.MASTERS);
    if (list) {
      return list(existing, user, masters, out, err);
    }
    Decision decision = existing.authorizer().authorize(user, attributes);
    boolean allowed = masters || decision.allowed();
    if (!quiet) {
      out.println(allowed ? "yes" : "no");
      if (verbose) {
        if (masters) {
          out.println(
              "allowed: "
                  + as
                  + " is in system:masters, which the apiserver allows before RBAC runs");
        } else if (decision.allowed()) {
          out.println(decision.reason());
          out.println(
              "rule: rules["
                  + decision.ruleIndex()
                  + "] of "
                  + decision.binding().roleKind()
                  + " "
                  + decision.binding().roleName()
                  + ": "
                  + ReviewText.rule(decision.rule()));
        } else {
          out.println(
              "no RBAC rule allows "
                  + attributes.describe()
                  + " for "
                  + user.username()
                  + " (groups: "
                  + String.join(", ", user.groups())
                  + ")");
        }
      }
    }
    out.flush();
    return allowed ? ExitCodes.OK : ExitCodes.FINDINGS;
  }

  private int list(
      ExistingRbac existing, UserInfo user, boolean masters, PrintWriter out, PrintWriter err) {
    String ns = scope();
    if (masters) {
      err.println(
          "note: "
              + as
              + " is in system:masters: the apiserver allows it everything before RBAC runs; the "
              + "table shows only what RBAC grants");
    }
    AccessList access = AccessList.of(existing.authorizer(), user, ns);
    if (!quiet) {
      out.print(AccessListTable.render(access, verbose));
      if (verbose && access.inert() > 0) {
        err.println(
            "note: "
                + access.inert()
                + " grant(s) of RoleBindings in "
                + ns
                + " are not shown: cluster-scoped "
                + "resources and non-resource URLs are only granted by ClusterRoleBindings");
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private RequestAttributes attributes() {
    String verb = request.get(0);
    if (request.size() < 2) {
      throw new ParameterException(
          spec.commandLine(), "give VERB and RESOURCE (or a /URL), optionally a NAME");
    }
    String target = request.get(1);
    if (target.startsWith("/")) {
      if (request.size() > 2 || !subresource.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(), "a non-resource URL takes no NAME and no --subresource");
      }
      return RequestAttributes.nonResource(verb, target);
    }
    ResourceArg resource;
    try {
      resource = ResourceArg.parse(target, subresource);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    if (!resource.warning().isEmpty()) {
      err.println("warning: " + resource.warning());
    }
    String ns = scope();
    if (!ns.isEmpty()
        && BuiltInResources.clusterScopedForRbac(resource.apiGroup(), resource.resource())) {
      if (namespace != null) {
        err.println(
            "warning: "
                + resource.resource()
                + " is cluster-scoped: checked at cluster scope, not in "
                + namespace);
      }
      ns = "";
    }
    String name = request.size() > 2 ? request.get(2) : "";
    if (resource.apiGroup().isEmpty() && resource.resource().equals("namespaces")) {
      // The apiserver reads /api/v1/namespaces/N (and its status, finalize) as namespace N, and a
      // list of namespaces as cluster scope: RoleBindings in N reach the Namespace object N.
      if (namespace != null && !name.isEmpty() && !namespace.equals(name)) {
        err.println(
            "warning: the Namespace object "
                + name
                + " is requested in namespace "
                + name
                + ": checked there, not in "
                + namespace);
      }
      ns = name;
    }
    return RequestAttributes.resource(
        verb, resource.apiGroup(), resource.resource(), resource.subresource(), ns, name);
  }

  /** The namespace of the request: "" with -A, else -n, else default (kubectl's default). */
  private String scope() {
    return allNamespaces ? "" : namespace == null ? "default" : namespace;
  }
}
