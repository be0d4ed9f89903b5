package dev.rbacsynth.cli;

import dev.rbacsynth.kube.Subject;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * collect's subject: the flags of {@link SubjectOptions} (same names, same values, same checks),
 * with help text of their own, since collect only selects the requests it records and binds
 * nothing.
 */
public class CollectSubjectOptions {

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description =
          "Record only this username's requests (exact, case-sensitive); a "
              + "system:serviceaccount:NS:NAME username is that service account.")
  String user;

  @Option(
      names = "--serviceaccount",
      paramLabel = "NS:NAME",
      description =
          "Record only this service account's requests: NAMESPACE:NAME, NAMESPACE/NAME (as kubectl"
              + " writes it) or its username system:serviceaccount:NAMESPACE:NAME.")
  String serviceAccount;

  @Option(
      names = "--group",
      paramLabel = "NAME",
      description =
          "Record only the requests made by members of this group, each under its own user or "
              + "service account.")
  String group;

  /** The subject given, checked as {@link SubjectOptions#subject(CommandLine)} checks it. */
  public Subject subject(CommandLine cli) {
    return SubjectOptions.subject(cli, user, serviceAccount, group);
  }
}
