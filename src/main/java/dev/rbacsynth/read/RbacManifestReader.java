package dev.rbacsynth.read;

import dev.rbacsynth.kube.RbacMaps;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.yaml.YamlDocuments;
import dev.rbacsynth.yaml.YamlPosition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads RBAC objects from manifests: multi-document YAML or JSON (JSON is YAML), {@code List} kinds
 * (the output of {@code kubectl get ... -o yaml}), and Helm/kustomize output where RBAC is mixed
 * with other kinds, which are skipped, and the output of {@code helm install --dry-run} (its
 * release summary and NOTES are not YAML: {@link HelmReleaseText}). Only {@code
 * rbac.authorization.k8s.io/v1} objects count; the removed {@code v1beta1} and {@code v1alpha1} are
 * read the same way with a warning, and an RBAC kind of any other API version is skipped with one.
 */
public final class RbacManifestReader {

  private static final String RBAC_API = "rbac.authorization.k8s.io/";
  private static final String RBAC_V1 = "rbac.authorization.k8s.io/v1";
  private static final Pattern OLD_RBAC =
      Pattern.compile("rbac\\.authorization\\.k8s\\.io/v1(alpha1|beta1)");
  private static final Set<String> RBAC_KINDS =
      Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");

  private final List<Role> roles = new ArrayList<>();
  private final List<ClusterRole> clusterRoles = new ArrayList<>();
  private final List<RoleBinding> roleBindings = new ArrayList<>();
  private final List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
  private final ManifestPositions positions = new ManifestPositions();
  private int skippedDocuments;
  // RBAC kinds of another apiVersion, skipped with a warning
  private int skippedRbac;
  private final List<String> warnings = new ArrayList<>();
  private int contentDocuments;

  /** What the first bytes of a ledger or an audit log say about them (JSON, any spacing). */
  private static final Pattern LEDGER = Pattern.compile("\"kind\"\\s*:\\s*\"UsageLedger\"");

  private static final Pattern AUDIT_EVENT = Pattern.compile("\"kind\"\\s*:\\s*\"Event(List)?\"");
  private static final Pattern AUDIT_API =
      Pattern.compile("\"apiVersion\"\\s*:\\s*\"audit\\.k8s\\.io/");
  private static final int SNIFF_BYTES = 4096;

  static final String NO_RBAC = "holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding";

  /**
   * Reads every manifest the {@code --rbac} arguments name (files, directories, - for stdin). An
   * argument whose documents hold no RBAC object gets a warning; when no argument held one but some
   * held documents (a wrong file, not an empty one) that is an error. An argument with no documents
   * at all (an empty file, an empty {@code List}) stands for "no RBAC" and is taken as such.
   *
   * @throws RbacManifestException when the inputs hold documents but not one RBAC object
   */
  public static RbacManifestReader readAll(List<String> arguments, InputStream stdin) {
    InputResolver resolver = InputResolver.forManifests(stdin);
    if (arguments.indexOf("-") != arguments.lastIndexOf("-")) {
      resolver.resolve(arguments); // refuses stdin given twice, with its message
    }
    RbacManifestReader reader = new RbacManifestReader();
    List<String> withoutRbac = new ArrayList<>();
    for (String argument : arguments) {
      int objects = reader.objectCount();
      int documents = reader.contentDocuments;
      int skipped = reader.skippedRbac;
      for (InputSource source : resolver.resolve(List.of(argument))) {
        reader.read(source);
      }
      // RBAC of another apiVersion, skipped, already has a warning of its own that says why
      if (reader.contentDocuments > documents
          && reader.objectCount() == objects
          && reader.skippedRbac == skipped) {
        String name = argument.equals("-") ? "<stdin>" : argument;
        withoutRbac.add(name);
        reader.warnings.add(name + " " + NO_RBAC);
      }
    }
    if (reader.objectCount() == 0 && !withoutRbac.isEmpty()) {
      throw new RbacManifestException(
          String.join(", ", withoutRbac)
              + " "
              + NO_RBAC
              + " (--rbac takes RBAC manifests; an empty file or an empty List stands for no RBAC)");
    }
    return reader;
  }

  private int objectCount() {
    return roles.size() + clusterRoles.size() + roleBindings.size() + clusterRoleBindings.size();
  }

  /** Reads every document of the source and keeps the RBAC objects. */
  public RbacManifestReader read(InputSource source) {
    try (InputStream in = source.openRaw()) {
      return read(source.name(), in);
    } catch (IOException e) {
      throw new RbacManifestException(source.name() + ": " + e.getMessage());
    }
  }

  public RbacManifestReader read(String name, InputStream raw) {
    InputStream in;
    try {
      in = refuseOtherInputs(name, raw);
    } catch (IOException e) {
      throw new RbacManifestException(name + ": " + e.getMessage());
    }
    TemplateMarkers reader = new TemplateMarkers(new HelmReleaseText(YamlDocuments.strictUtf8(in)));
    int[] documentNumber = {0};
    positions.fileRead(name);
    try {
      YamlDocuments.forEachDocument(
          reader,
          document -> {
            documentNumber[0]++;
            add(
                document.value(),
                document.position(),
                name,
                name + ":" + document.position().line() + " (document " + documentNumber[0] + ")");
          },
          duplicate ->
              warnings.add(
                  name
                      + ":"
                      + duplicate.line()
                      + ": duplicate key '"
                      + duplicate.key()
                      + "' (the last one wins, as kubectl does)"));
    } catch (YamlDocuments.YamlSyntaxException e) {
      if (reader.firstMarkerLine() > 0) {
        throw new RbacManifestException(
            name
                + ":"
                + reader.firstMarkerLine()
                + ": "
                + TemplateMarkers.helmHint(reader.firstMarkerLine())
                + " ("
                + e.getMessage()
                + (e.line() > 0 ? " at line " + e.line() : "")
                + ")");
      }
      throw new RbacManifestException(
          name
              + (e.line() > 0 ? ":" + e.line() : "")
              + " (document "
              + (documentNumber[0] + 1)
              + "): "
              + e.getMessage());
    } catch (RuntimeException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw new RbacManifestException(name + ": not UTF-8 text");
      }
      throw e;
    }
    return this;
  }

  /**
   * Refuses a usage ledger or an audit log given as manifests, by their first bytes (both are JSON,
   * which YAML reads: a ledger would otherwise count as a file without RBAC, a log of JSON lines
   * fail as YAML); returns a stream that still starts at the first byte.
   */
  private static InputStream refuseOtherInputs(String name, InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, SNIFF_BYTES * 2);
    in.mark(SNIFF_BYTES);
    byte[] head = in.readNBytes(SNIFF_BYTES);
    in.reset();
    String text = new String(head, StandardCharsets.UTF_8);
    if (LEDGER.matcher(text).find()) {
      throw new RbacManifestException(
          name + ": this is a usage ledger, not RBAC manifests; give it with --usage");
    }
    if (AUDIT_EVENT.matcher(text).find() && AUDIT_API.matcher(text).find()) {
      throw new RbacManifestException(
          name + ": this looks like an audit log, not RBAC manifests; give it with -f");
    }
    return in;
  }

  public RbacObjects objects() {
    return new RbacObjects(roles, clusterRoles, roleBindings, clusterRoleBindings);
  }

  /** Where each object was read, for reports that point at a file and line. */
  public ManifestPositions positions() {
    return positions;
  }

  /**
   * What the manifests hold that the apiserver would read differently: RBAC kinds of another API
   * version (one line each, with file and line).
   */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Documents that were not RBAC objects (Deployments, CRDs, ...), skipped on purpose. */
  public int skippedDocuments() {
    return skippedDocuments;
  }

  private void add(Object document, YamlPosition position, String file, String where) {
    if (!(document instanceof Map<?, ?> m && isList(m))) {
      contentDocuments++;
    }
    if (!(document instanceof Map<?, ?> map)) {
      skippedDocuments++;
      return;
    }
    Object kind = map.get("kind");
    Object apiVersion = map.get("apiVersion");
    if (kind instanceof String k
        && k.endsWith("List")
        && map.get("items") instanceof List<?> items) {
      YamlPosition itemPositions = position.get("items");
      for (int i = 0; i < items.size(); i++) {
        add(items.get(i), itemPositions.item(i), file, where);
      }
      return;
    }
    if (kind instanceof String k0 && RBAC_KINDS.contains(k0) && !RBAC_V1.equals(apiVersion)) {
      String version = apiVersion instanceof String v ? "apiVersion " + v : "no apiVersion";
      String object = k0 + " " + objectName(map);
      String at = file + ":" + position.line();
      if (apiVersion instanceof String v && OLD_RBAC.matcher(v).matches()) {
        warnings.add(
            at
                + ": "
                + object
                + " has "
                + version
                + ", which Kubernetes no longer serves (removed in 1.22; kubectl apply refuses"
                + " it): read as "
                + RBAC_V1
                + ", change it to that");
      } else {
        warnings.add(
            at
                + ": "
                + object
                + " has "
                + version
                + ", not "
                + RBAC_V1
                + ": the apiserver would not take it as RBAC, so it is skipped");
        skippedDocuments++;
        skippedRbac++;
        return;
      }
    }
    if (!(apiVersion instanceof String api)
        || !api.startsWith(RBAC_API)
        || !(kind instanceof String k)) {
      skippedDocuments++;
      return;
    }
    try {
      switch (k) {
        case "Role" -> roles.add((Role) RbacMaps.fromMap(k, map));
        case "ClusterRole" -> clusterRoles.add((ClusterRole) RbacMaps.fromMap(k, map));
        case "RoleBinding" -> roleBindings.add((RoleBinding) RbacMaps.fromMap(k, map));
        case "ClusterRoleBinding" ->
            clusterRoleBindings.add((ClusterRoleBinding) RbacMaps.fromMap(k, map));
        default -> {
          skippedDocuments++;
          return;
        }
      }
      record(k, map, position, file);
    } catch (IllegalArgumentException e) {
      throw new RbacManifestException(
          where + ": invalid " + k + ": " + YamlDocuments.oneLine(e.getMessage()));
    }
  }

  private static boolean isList(Map<?, ?> map) {
    return map.get("kind") instanceof String k
        && k.endsWith("List")
        && map.get("items") instanceof List<?>;
  }

  private static String objectName(Map<?, ?> map) {
    if (map.get("metadata") instanceof Map<?, ?> metadata
        && metadata.get("name") instanceof String name) {
      return metadata.get("namespace") instanceof String ns && !ns.isEmpty()
          ? ns + "/" + name
          : name;
    }
    return "(no name)";
  }

  private void record(String kind, Map<?, ?> map, YamlPosition position, String file) {
    String namespace = "";
    String name = "";
    if (map.get("metadata") instanceof Map<?, ?> metadata) {
      if (!kind.startsWith("Cluster") && metadata.get("namespace") instanceof String ns) {
        namespace = ns;
      }
      if (metadata.get("name") instanceof String n) {
        name = n;
      }
    }
    positions.put(
        kind,
        namespace,
        name,
        new ManifestPositions.ObjectPosition(
            file, position.line(), lines(position.get("rules")), lines(position.get("subjects"))));
  }

  private static List<Integer> lines(YamlPosition sequence) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < sequence.size(); i++) {
      out.add(sequence.item(i).line());
    }
    return out;
  }
}
