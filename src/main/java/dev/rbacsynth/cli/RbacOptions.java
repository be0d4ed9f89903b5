package dev.rbacsynth.cli;

import dev.rbacsynth.review.ExistingRbac;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the existing RBAC comes from, shared by diff and can-i. */
public final class RbacOptions {

  @Option(
      names = "--rbac",
      required = true,
      paramLabel = "PATH",
      description =
          "Existing RBAC manifests: a file, a directory (its .yaml, .yml and .json files, recursively) or "
              + "- for stdin. Repeatable. Multi-document YAML or JSON, List kinds (kubectl get -o yaml) and Helm output "
              + "mixed with other kinds, which are skipped.")
  List<String> paths = new ArrayList<>();

  @Option(
      names = "--defaults",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "true",
      paramLabel = "BOOL",
      description =
          "Include the grants every cluster has (system:discovery, system:basic-user, "
              + "system:public-info-viewer, service-account issuer discovery, system:monitoring) where the manifests do "
              + "not define them (default: ${DEFAULT-VALUE}). diff does not review these bindings (nor manifest copies "
              + "of them) for unused or risky grants: every cluster has them.")
  boolean defaults;

  ExistingRbac load() {
    return ExistingRbac.load(paths, defaults, System.in);
  }
}
