package dev.rbacsynth.cli;

import dev.rbacsynth.kube.Subject;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * diff's subject: the flags of {@link SubjectOptions} (same names, same values, same checks), with
 * help text of their own, since diff reviews the bindings a subject already has and binds nothing.
 */
public class DiffSubjectOptions {

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description =
          "Review this username (exact, case-sensitive): its requests in the input against the"
              + " bindings of the given RBAC that name it or a group it was seen in. A"
              + " system:serviceaccount:NS:NAME username is that service account.")
  String user;

  @Option(
      names = "--serviceaccount",
      paramLabel = "NS:NAME",
      description =
          "Review this service account: NAMESPACE:NAME, NAMESPACE/NAME (as kubectl writes it) or"
              + " its username system:serviceaccount:NAMESPACE:NAME.")
  String serviceAccount;

  @Option(
      names = "--group",
      paramLabel = "NAME",
      description =
          "Review the bindings that name this group against its members' requests (unused and"
              + " risky grants); a member's missing requests are reported under the member:"
              + " review it with --user or --serviceaccount.")
  String group;

  /** The subject given, checked as {@link SubjectOptions#subject(CommandLine)} checks it. */
  public Subject subject(CommandLine cli) {
    return SubjectOptions.subject(cli, user, serviceAccount, group);
  }
}
