package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.read.RbacManifestReader;
import dev.rbacsynth.yaml.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default policy is built from Java values, not by parsing its bundled YAML on every run: they
 * must say the same thing, document by document and object by object.
 */
class DefaultPolicyTest {

  private static InputStream resource() {
    InputStream in = DefaultPolicy.class.getResourceAsStream(DefaultPolicy.RESOURCE);
    assertThat(in).as(DefaultPolicy.RESOURCE).isNotNull();
    return in;
  }

  @Test
  void documentsAreTheBundledYamlDocuments() throws IOException {
    List<Object> yaml = new ArrayList<>();
    try (InputStream in = resource()) {
      YamlDocuments.forEachDocument(YamlDocuments.strictUtf8(in), d -> yaml.add(d.value()));
    }
    assertThat(yaml).hasSize(10);
    assertThat(DefaultPolicy.documents()).isEqualTo(yaml);
  }

  @Test
  void objectsAreWhatTheManifestReaderMakesOfTheYaml() throws IOException {
    RbacObjects read;
    try (InputStream in = resource()) {
      read = new RbacManifestReader().read(DefaultPolicy.RESOURCE, in).objects();
    }
    assertThat(DefaultPolicy.objects()).isEqualTo(read);
    assertThat(DefaultPolicy.objects().clusterRoles()).hasSize(5);
    assertThat(DefaultPolicy.objects().clusterRoleBindings()).hasSize(5);
    assertThat(DefaultPolicy.objects().clusterRoleBindings().get(2).getSubjects())
        .extracting(s -> s.getName())
        .containsExactly("system:authenticated", "system:unauthenticated");
  }
}
