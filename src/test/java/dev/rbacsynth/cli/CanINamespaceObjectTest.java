package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * review8 F11 (src/docs/semantics.md, case 8): GET /api/v1/namespaces/N is a request in namespace
 * N, so a RoleBinding in N to the default ClusterRole view (real bootstrap policy: get, list, watch
 * namespaces, aggregated) lets its subject read the Namespace object N, and only that one.
 */
class CanINamespaceObjectTest {

  /**
   * What {@code kubectl create rolebinding dev-view --clusterrole=view --group=dev -n shop} writes.
   */
  private static final String BINDING =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        creationTimestamp: null
        name: dev-view
        namespace: shop
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: ClusterRole
        name: view
      subjects:
      - apiGroup: rbac.authorization.k8s.io
        kind: Group
        name: dev
      """;

  @TempDir Path dir;

  private Cli.Result canI(String... request) throws IOException {
    Path binding = Files.writeString(dir.resolve("dev-view.yaml"), BINDING);
    String[] head = {
      "can-i",
      "--rbac",
      TestData.BOOTSTRAP_CLUSTER_ROLES,
      "--rbac",
      binding.toString(),
      "--as",
      "alice",
      "--as-group",
      "dev"
    };
    String[] all = new String[head.length + request.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(request, 0, all, head.length, request.length);
    return Cli.run(all);
  }

  @Test
  void theNamespaceObjectIsCheckedInItself() throws IOException {
    Cli.Result own = canI("get", "namespaces", "shop", "-v");
    assertThat(own.out()).startsWith("yes\n").contains("RoleBinding \"dev-view/shop\"");
    assertThat(own.exit()).isZero();
    assertThat(canI("get", "namespaces", "shop", "-n", "shop").err()).doesNotContain("warning");
    Cli.Result fromElsewhere = canI("get", "ns", "shop", "-n", "other");
    assertThat(fromElsewhere.out()).isEqualTo("yes\n");
    assertThat(fromElsewhere.err())
        .contains(
            "warning: the Namespace object shop is requested in namespace shop: checked there, not"
                + " in other");
    assertThat(canI("get", "namespaces", "other").out()).isEqualTo("no\n");
    assertThat(canI("list", "namespaces", "-n", "shop").out())
        .as("a list of namespaces is cluster scope: a RoleBinding does not reach it")
        .isEqualTo("no\n");
  }
}
