package dev.rbacsynth.kube;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names that a controller makes up per rollout or per object, which a rule must not pin: the next
 * rollout, Job run or Event has another one. Recognised by resource and by the shape Kubernetes
 * gives them (semantics.md §7.1): the safe-encoded hashes and random suffixes of {@code
 * k8s.io/apimachinery/pkg/util/rand} (the 27 characters {@code bcdfghjklmnpqrstvwxz2456789}: no
 * vowels, no 0, 1 or 3), pod-template hashes of Deployments' ReplicaSets and pods, {@code
 * generateName}'s five-character suffix, CronJob Jobs named by their scheduled minute, Events named
 * {@code OBJECT.<UnixNano in hex>}, dynamically provisioned volumes named after the claim's UID.
 * StatefulSet pods ({@code web-0}) and leader-election leases are stable and not recognised.
 */
public final class GeneratedNames {
  private GeneratedNames() {}

  private static final String SAFE = "[bcdfghjklmnpqrstvwxz2456789]";
  private static final String HASH = SAFE + "{6,10}";
  private static final String SUFFIX = SAFE + "{5}";

  /** One recognised shape: the resources it applies to, the pattern and what it is. */
  private record Shape(List<String> resources, Pattern pattern, String what) {}

  private static final List<Shape> SHAPES =
      List.of(
          new Shape(
              List.of("pods"),
              Pattern.compile("(.+)-(" + HASH + ")-" + SUFFIX),
              "a pod of the Deployment's ReplicaSet %s-%s (pod-template hash and random suffix)"),
          new Shape(
              List.of("pods"),
              Pattern.compile("(.+)-([0-9]{8,})-" + SUFFIX),
              "a pod of the CronJob %s's Job of minute %s"),
          new Shape(
              List.of("pods"),
              Pattern.compile("(.+)-" + SUFFIX),
              "a pod named by generateName %s- (a DaemonSet's or Job's pod)"),
          new Shape(
              List.of("replicasets", "controllerrevisions"),
              Pattern.compile("(.+)-(" + HASH + ")"),
              "a revision of %s (hash %s)"),
          new Shape(
              List.of("jobs"),
              Pattern.compile("(.+)-([0-9]{8,})"),
              "the CronJob %s's Job of minute %s"),
          new Shape(
              List.of("events"),
              Pattern.compile("(.+)\\.([0-9a-f]{12,16})"),
              "an Event about %s (named after its time, %s)"),
          new Shape(
              List.of("endpointslices", "certificatesigningrequests"),
              Pattern.compile("(.+-)" + SUFFIX),
              "named by generateName %s"),
          new Shape(
              List.of("secrets"),
              Pattern.compile("(.+)-token-" + SUFFIX),
              "the service account %s's token Secret"),
          new Shape(
              List.of("persistentvolumes"),
              Pattern.compile("pvc-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"),
              "a provisioned volume named after its claim's UID %s"),
          new Shape(
              List.of("volumeattachments"),
              Pattern.compile("csi-([0-9a-f]{64})"),
              "a CSI volume attachment (named by a hash)"));

  /**
   * What {@code name} of {@code resource} (the plural, without subresource: {@code pods} also for
   * {@code pods/log}) is when a controller generated it: {@code a pod of the Deployment's
   * ReplicaSet web-6585b4f8f7 ...}; empty for a name a person or chart chose.
   */
  public static Optional<String> recognise(String resource, String name) {
    for (Shape s : SHAPES) {
      if (!s.resources().contains(resource)) {
        continue;
      }
      Matcher m = s.pattern().matcher(name);
      if (m.matches()) {
        Object[] groups = new Object[m.groupCount()];
        for (int i = 0; i < groups.length; i++) {
          groups[i] = m.group(i + 1);
        }
        return Optional.of(String.format(Locale.ROOT, s.what(), groups));
      }
    }
    return Optional.empty();
  }
}
