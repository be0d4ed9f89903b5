package dev.rbacsynth.cani;

import dev.rbacsynth.kube.BuiltInResources;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A resource argument as {@code can-i} takes it, {@code resource[.group][/subresource]}: {@code
 * pods}, {@code pods/log}, {@code deployments.apps/scale}, {@code deployments.v1.apps}. Without a
 * group, built-in resources ({@link BuiltInResources}), their short names and singulars resolve to
 * their group offline, as kubectl's discovery would ({@code deploy} is {@code deployments.apps});
 * anything else is taken as a core resource, with a warning.
 *
 * @param warning "" or why the resolution is a guess
 */
public record ResourceArg(String resource, String apiGroup, String subresource, String warning) {

  /** An API version ({@code v1}, {@code v2beta1}), compiled on first use: few names have a dot. */
  private static final class Version {
    static final Pattern PATTERN = Pattern.compile("v\\d+((alpha|beta)\\d+)?");

    private Version() {}
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
      if (next > 0 && Version.PATTERN.matcher(rest.substring(0, next)).matches()) {
        rest = rest.substring(next + 1); // resource.version.group
      }
      return new ResourceArg(resource, rest, sub, "");
    }
    Optional<BuiltInResources.Resource> builtIn = BuiltInResources.lookup(lower);
    if (builtIn.isPresent()) {
      return new ResourceArg(builtIn.get().plural(), builtIn.get().group(), sub, "");
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

  /** {@code deployments.apps/scale}. */
  public String describe() {
    return resource
        + (apiGroup.isEmpty() ? "" : "." + apiGroup)
        + (subresource.isEmpty() ? "" : "/" + subresource);
  }
}
