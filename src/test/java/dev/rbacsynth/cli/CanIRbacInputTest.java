package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How --rbac reads manifests (for can-i and diff alike): files, directories recursively, stdin; a
 * bad document is one line naming the file and document with exit 2; YAML bombs are refused
 * quickly; huge documents work.
 */
class CanIRbacInputTest {

  static final String ROLE =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: reader, namespace: shop}
      rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]
      """;
  static final String BINDING =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: reader, namespace: shop}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
      subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
      """;

  @TempDir Path tmp;

  private static Cli.Result aliceGetsPods(String... rbac) {
    List<String> args = new ArrayList<>(List.of("can-i"));
    for (String r : rbac) {
      args.add("--rbac");
      args.add(r);
    }
    args.addAll(List.of("--as", "alice", "get", "pods", "-n", "shop"));
    return Cli.run(args.toArray(String[]::new));
  }

  private Path write(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  @Test
  void directoriesAreReadRecursivelyKeepingOnlyManifestFiles() throws IOException {
    write("rbac/roles/role.yml", ROLE);
    write(
        "rbac/bindings/deep/binding.json",
        """
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
         "metadata": {"name": "reader", "namespace": "shop"},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
         "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"}]}
        """);
    write("rbac/notes.txt", "not: [yaml");
    write("rbac/.git/config.yaml", "broken: [");
    Cli.Result r = aliceGetsPods(tmp.resolve("rbac").toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("yes\n");

    Files.createDirectories(tmp.resolve("empty/sub"));
    write("empty/sub/readme.md", "# nothing");
    Cli.Result empty = aliceGetsPods(tmp.resolve("empty").toString());
    assertThat(empty.exit()).isEqualTo(2);
    assertThat(empty.err()).contains("directory contains no .yaml, .yml or .json files");
  }

  @Test
  void listsMixedKindsAndStdinAreRead() throws IOException {
    String list =
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: unrelated, namespace: shop}
        - %s
        """
            .formatted(ROLE.strip().replace("\n", "\n  "));
    Cli.Result r =
        Cli.runWithStdin(
            BINDING.getBytes(StandardCharsets.UTF_8),
            "can-i",
            "--rbac",
            write("list.yaml", list).toString(),
            "--rbac",
            "-",
            "--as",
            "alice",
            "get",
            "pods",
            "-n",
            "shop");
    assertThat(r.out()).isEqualTo("yes\n");
  }

  @Test
  void aBadDocumentIsOneLineNamingTheFileAndDocument() throws IOException {
    Path broken =
        write(
            "broken.yaml",
            ROLE + "---\n" + BINDING + "---\nkind: Role\nmetadata: {name: [unclosed\n");
    Cli.Result r = aliceGetsPods(broken.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).startsWith("error: " + broken).contains("(document 3)", "invalid YAML");

    Path invalid =
        write(
            "invalid.yaml",
            ROLE + "---\n" + BINDING.replace("subjects: [", "subjects: {x: [") + "\n");
    Cli.Result bad = aliceGetsPods(invalid.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains(invalid.toString(), "(document 2)");

    Path latin1 = tmp.resolve("latin1.yaml");
    Files.write(latin1, ("# caf\u00e9\n" + ROLE).getBytes(StandardCharsets.ISO_8859_1));
    Cli.Result notUtf8 = aliceGetsPods(latin1.toString());
    assertThat(notUtf8.exit()).isEqualTo(2);
    assertThat(notUtf8.err()).contains("not UTF-8");
  }

  @Test
  void yamlBombsAreRefusedQuickly() throws IOException {
    // Nine levels of eight aliases: 8^9 strings once expanded, in an object that would be converted
    // to a role.
    StringBuilder laughs =
        new StringBuilder(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                + "metadata: {name: lol}\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      laughs
          .append(c)
          .append(": &")
          .append(c)
          .append(" [*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append("]\n");
    }
    Path billion = write("billion-laughs.yaml", ROLE + "---\n" + laughs);
    Path deep =
        write(
            "deep.yaml", ROLE + "---\nrules: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
    Path recursive = write("recursive.yaml", ROLE + "---\nkind: ClusterRole\nrules: &r [*r]\n");
    for (Path bomb : List.of(billion, deep, recursive)) {
      long start = System.nanoTime();
      Cli.Result r = aliceGetsPods(bomb.toString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(r.exit()).as(bomb.toString()).isEqualTo(2);
      assertThat(r.err())
          .as(bomb.toString())
          .startsWith("error: " + bomb)
          .contains("(document 2)", "invalid YAML");
      assertThat(r.err().lines().toList()).hasSize(1);
      assertThat(took).as(bomb.toString()).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aHugeDocumentIsHandled() throws IOException {
    // One ClusterRole of 20,000 rules and a List of 2,000 bindings: 3.5 MB in two documents.
    StringBuilder role =
        new StringBuilder(
            """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: huge}
        rules:
        """);
    for (int i = 0; i < 20_000; i++) {
      role.append("- apiGroups: [group")
          .append(i)
          .append(".example.com]\n  resources: [widgets, gadgets/status]\n")
          .append("  resourceNames: [name-")
          .append(i)
          .append("]\n  verbs: [get, list, watch, update]\n");
    }
    role.append("---\napiVersion: v1\nkind: List\nitems:\n");
    for (int i = 0; i < 2_000; i++) {
      role.append(
              "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n  metadata: {name: b")
          .append(i)
          .append(
              "}\n  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: huge}\n")
          .append("  subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: user-")
          .append(i)
          .append("}]\n");
    }
    Path huge = write("huge.yaml", role.toString());
    assertThat(Files.size(huge)).isGreaterThan(3_000_000);
    Cli.Result yes =
        Cli.run(
            "can-i",
            "--rbac",
            huge.toString(),
            "--as",
            "user-1999",
            "update",
            "gadgets.group19999.example.com/status",
            "name-19999",
            "-n",
            "shop");
    assertThat(yes.err()).isEmpty();
    assertThat(yes.out()).isEqualTo("yes\n");
    Cli.Result no =
        Cli.run(
            "can-i",
            "--rbac",
            huge.toString(),
            "--as",
            "user-2000",
            "update",
            "gadgets.group19999.example.com/status",
            "name-19999",
            "-n",
            "shop");
    assertThat(no.out()).isEqualTo("no\n");
  }
}
