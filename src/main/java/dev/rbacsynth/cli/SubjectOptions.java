package dev.rbacsynth.cli;

import dev.rbacsynth.kube.Subject;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Exactly one subject: --user, --serviceaccount or --group (flag names as in audit2rbac). */
public final class SubjectOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description =
          "Username to select requests for and bind (exact, case-sensitive). A "
              + "system:serviceaccount:NS:NAME username is bound as a ServiceAccount.")
  String user;

  @Option(
      names = "--serviceaccount",
      paramLabel = "NS:NAME",
      description = "Service account to select and bind, as NAMESPACE:NAME.")
  String serviceAccount;

  @Option(
      names = "--group",
      paramLabel = "NAME",
      description =
          "Group whose members' requests are selected; the Group is bound, so every member gets the "
              + "rights.")
  String group;

  public Subject subject() {
    int given = (user != null ? 1 : 0) + (serviceAccount != null ? 1 : 0) + (group != null ? 1 : 0);
    if (given != 1) {
      throw new ParameterException(
          spec.commandLine(), "exactly one of --user, --serviceaccount or --group is required");
    }
    if (user != null) {
      if (user.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--user must not be empty");
      }
      return Subject.forUsername(user);
    }
    if (group != null) {
      if (group.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--group must not be empty");
      }
      return new Subject.Group(group);
    }
    String[] parts = serviceAccount.split(":", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--serviceaccount must be NAMESPACE:NAME, got \"" + serviceAccount + "\"");
    }
    return Subject.serviceAccountOf(Subject.SA_PREFIX + parts[0] + ":" + parts[1])
        .<Subject>map(sa -> sa)
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    "--serviceaccount "
                        + serviceAccount
                        + ": the namespace must be a DNS label and the name a DNS "
                        + "subdomain (lowercase letters, digits, '-' and '.')"));
  }
}
