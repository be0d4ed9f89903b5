package dev.rbacsynth;

import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.read.RbacManifestReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** RBAC objects from inline manifests, read by the project's manifest reader. */
public final class Manifests {
  private Manifests() {}

  /** The objects of a YAML stream of RBAC manifests. */
  public static RbacObjects objects(String yaml) {
    return new RbacManifestReader()
        .read("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .objects();
  }
}
