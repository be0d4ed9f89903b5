package dev.rbacsynth.authorize;

import dev.rbacsynth.rbac.RbacManifestReader;
import dev.rbacsynth.rbac.RbacObjects;
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

  private static volatile RbacObjects cached;

  private DefaultPolicy() {}

  public static RbacObjects objects() {
    RbacObjects objects = cached;
    if (objects == null) {
      try (InputStream in = DefaultPolicy.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + RESOURCE);
        }
        objects = new RbacManifestReader().read(RESOURCE, in).objects();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      cached = objects;
    }
    return objects;
  }

  public static Authorizer authorizer() {
    return new Authorizer(Policy.of(objects()));
  }
}
