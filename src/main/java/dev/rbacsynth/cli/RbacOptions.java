package dev.rbacsynth.cli;

import dev.rbacsynth.review.ExistingRbac;
import dev.rbacsynth.review.SubjectMapping;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

  @Option(
      names = "--map-subject",
      paramLabel = "FROM=TO",
      description =
          "Rename a subject of the manifests' bindings before the review, for RBAC written under "
              + "other names than the cluster runs (Helm release prefixes). FROM and TO are NS:NAME "
              + "(a service account), user:NAME or group:NAME; * in FROM matches any text and each "
              + "* in TO takes what it matched: "
              + "--map-subject 'cert-manager:cert-manager*=cert-manager:my-cert-manager*'. "
              + "Repeatable; the first that matches applies.")
  List<String> mapSubject = new ArrayList<>();

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  ExistingRbac load() {
    SubjectMapping mapping;
    try {
      mapping = SubjectMapping.parse(mapSubject);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return ExistingRbac.load(paths, defaults, System.in, mapping);
  }
}
