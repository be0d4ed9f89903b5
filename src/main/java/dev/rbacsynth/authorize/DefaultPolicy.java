package dev.rbacsynth.authorize;

import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.read.RbacManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The default grants of a Kubernetes release (discovery, basic-user, public-info-viewer, ...), a
 * bundled file.
 */
public final class DefaultPolicy {

  public static final String VERSION = "1.36";
  private static final String RESOURCE = "defaults-" + VERSION + ".yaml";

  /** Loaded once, on first use; concurrent first users wait for the one load. */
  private static final class Loaded {
    static final RbacObjects OBJECTS = load();

    private Loaded() {}
  }

  private DefaultPolicy() {}

  public static RbacObjects objects() {
    return Loaded.OBJECTS;
  }

  private static RbacObjects load() {
    try (InputStream in = DefaultPolicy.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new RbacManifestReader().read(RESOURCE, in).objects();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Authorizer authorizer() {
    return new Authorizer(Policy.of(objects()));
  }
}
