package dev.rbacsynth.cli;

import dev.rbacsynth.kube.Subject;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * generate's subject: --user, --serviceaccount or --group (flag names as in audit2rbac), an
 * exclusive {@code @ArgGroup}, so picocli refuses two of them.
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
      description =
          "Service account to select and bind: NAMESPACE:NAME, NAMESPACE/NAME (as kubectl writes it)"
              + " or its username system:serviceaccount:NAMESPACE:NAME.")
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
    return subject(cli, user, serviceAccount, group);
  }

  /**
   * The subject of one of --user, --serviceaccount or --group (the other two null), checked; shared
   * with collect's {@link CollectSubjectOptions} and diff's {@link DiffSubjectOptions}, whose help
   * texts differ.
   */
  static Subject subject(CommandLine cli, String user, String serviceAccount, String group) {
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
    String[] parts = serviceAccountParts(serviceAccount);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new ParameterException(
          cli,
          "--serviceaccount must be NAMESPACE:NAME (or NAMESPACE/NAME, or"
              + " system:serviceaccount:NAMESPACE:NAME), got \""
              + serviceAccount
              + "\"");
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

  /**
   * Namespace and name of a --serviceaccount value: {@code shop:web}, {@code shop/web} (kubectl's
   * NS/NAME) or the username {@code system:serviceaccount:shop:web}. Neither a namespace (a DNS
   * label) nor a name (a DNS subdomain) can hold ':' or '/', so the forms cannot be confused.
   */
  static String[] serviceAccountParts(String value) {
    String v =
        value.startsWith(Subject.SA_PREFIX) ? value.substring(Subject.SA_PREFIX.length()) : value;
    return v.indexOf(':') < 0 && v.indexOf('/') >= 0 ? v.split("/", -1) : v.split(":", -1);
  }
}
