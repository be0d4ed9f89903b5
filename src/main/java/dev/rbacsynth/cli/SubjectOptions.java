package dev.rbacsynth.cli;

import dev.rbacsynth.kube.Subject;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The subject: --user, --serviceaccount or --group (flag names as in audit2rbac), an exclusive
 * {@code @ArgGroup}, so picocli refuses two of them.
 */
public class SubjectOptions {

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

  /** The subject given, checked; {@code cli} is the command, for the error. */
  public Subject subject(CommandLine cli) {
    if (user != null) {
      if (user.isEmpty()) {
        throw new ParameterException(cli, "--user must not be empty");
      }
      return Subject.forUsername(user);
    }
    if (group != null) {
      if (group.isEmpty()) {
        throw new ParameterException(cli, "--group must not be empty");
      }
      return new Subject.Group(group);
    }
    String[] parts = serviceAccount.split(":", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new ParameterException(
          cli, "--serviceaccount must be NAMESPACE:NAME, got \"" + serviceAccount + "\"");
    }
    return Subject.serviceAccountOf(Subject.SA_PREFIX + parts[0] + ":" + parts[1])
        .<Subject>map(sa -> sa)
        .orElseThrow(
            () ->
                new ParameterException(
                    cli,
                    "--serviceaccount "
                        + serviceAccount
                        + ": the namespace must be a DNS label and the name a DNS "
                        + "subdomain (lowercase letters, digits, '-' and '.')"));
  }
}
