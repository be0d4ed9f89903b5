package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.AuditEvents;
import dev.rbacsynth.Cli;
import dev.rbacsynth.kube.BuiltInResources;
import dev.rbacsynth.kube.BuiltInResources.Resource;
import dev.rbacsynth.kube.BuiltInResources.Scope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code can-i} and {@code generate} agree on the scope of every built-in resource: a request for a
 * cluster-scoped one under a namespace is never granted by {@code generate} and is checked at
 * cluster scope by {@code can-i}; a namespaced one lands in the namespace's Role and is checked in
 * the namespace. The Namespace object N counts as in namespace N for both.
 */
class ResourceScopeAgreementTest {
  private static final String RBAC = "testdata/rbac/flannel-v0.20.2";

  private static String path(Resource r) {
    String prefix = r.group().isEmpty() ? "/api/v1" : "/apis/" + r.group() + "/v1";
    return r.plural().equals("namespaces") && r.group().isEmpty()
        ? prefix + "/namespaces/shop"
        : prefix + "/namespaces/shop/" + r.plural() + "/x";
  }

  /** "group/plural" of every resource rule of the generated Roles in shop, and of ClusterRoles. */
  @SuppressWarnings("unchecked")
  private static Set<String> granted(Cli.Result result, String kind) {
    Set<String> out = new TreeSet<>();
    for (Map<String, Object> doc : result.documents()) {
      if (!kind.equals(doc.get("kind"))) {
        continue;
      }
      for (Map<String, Object> rule : (List<Map<String, Object>>) doc.get("rules")) {
        for (String g : (List<String>) rule.getOrDefault("apiGroups", List.of())) {
          for (String res : (List<String>) rule.get("resources")) {
            out.add(g + "/" + res);
          }
        }
      }
    }
    return out;
  }

  @Test
  void canIAndGenerateAgreeOnTheScopeOfEveryBuiltInResource(@TempDir Path dir) {
    List<Resource> catalogue = BuiltInResources.all();
    List<AuditEvents.Event> events = new ArrayList<>();
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    for (Resource r : catalogue) {
      events.add(AuditEvents.request("alice", "get", path(r), 200, t));
      t = t.plusSeconds(1);
    }
    Path log = AuditEvents.write(dir.resolve("audit.log"), events);
    Cli.Result generated = Cli.run("generate", "-f", log.toString(), "--user", "alice", "--exact");
    assertThat(generated.exit()).as(generated.err()).isZero();
    Set<String> inShop = granted(generated, "Role");
    Set<String> clusterWide = granted(generated, "ClusterRole");
    assertThat(inShop)
        .hasSize(
            (int)
                catalogue.stream()
                    .filter(r -> !BuiltInResources.clusterScopedForRbac(r.group(), r.plural()))
                    .count());
    assertThat(generated.err()).contains("event(s) not used");

    SoftAssertions soft = new SoftAssertions();
    for (Resource r : catalogue) {
      String id = r.group() + "/" + r.plural();
      boolean clusterScoped = BuiltInResources.clusterScopedForRbac(r.group(), r.plural());
      soft.assertThat(clusterScoped)
          .as(id + ": only namespaces is cluster-scoped yet namespaced for RBAC")
          .isEqualTo(r.scope() == Scope.CLUSTER && !id.equals("/namespaces"));
      soft.assertThat(inShop.contains(id))
          .as(id + " granted in the Role of shop by generate")
          .isEqualTo(!clusterScoped);
      soft.assertThat(clusterWide)
          .as(id + " never cluster-wide from a namespaced request")
          .doesNotContain(id);
      for (String name : names(r)) {
        Cli.Result canI =
            Cli.run("can-i", "--rbac", RBAC, "--as", "alice", "get", name, "-n", "shop");
        soft.assertThat(canI.err())
            .as("can-i get " + name + " -n shop")
            .doesNotContain("not a built-in resource")
            .satisfies(
                err ->
                    assertThat(err.contains("is cluster-scoped: checked at cluster scope"))
                        .isEqualTo(clusterScoped));
      }
    }
    soft.assertAll();
  }

  /** How a user can name it on the can-i command line: plural, RESOURCE.GROUP, short names. */
  private static List<String> names(Resource r) {
    List<String> out = new ArrayList<>(r.shortNames());
    out.add(r.group().isEmpty() ? r.plural() : r.plural() + "." + r.group());
    if (BuiltInResources.lookup(r.plural()).orElseThrow().equals(r)) {
      out.add(r.plural());
    }
    return out;
  }

  @Test
  void theResourcesThatHadDriftedAreClusterScopedForBoth() {
    for (String name : List.of("clustertrustbundles", "ipaddresses", "servicecidrs")) {
      Cli.Result canI =
          Cli.run("can-i", "--rbac", RBAC, "--as", "alice", "list", name, "-n", "shop");
      assertThat(canI.err())
          .contains(name + " is cluster-scoped: checked at cluster scope, not in shop")
          .doesNotContain("not a built-in resource");
      assertThat(BuiltInResources.lookup(name).orElseThrow().scope()).isEqualTo(Scope.CLUSTER);
    }
  }
}
