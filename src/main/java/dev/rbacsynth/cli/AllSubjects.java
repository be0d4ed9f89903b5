package dev.rbacsynth.cli;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.report.ExplainReport;
import dev.rbacsynth.report.ObservationWindow;
import dev.rbacsynth.write.ManifestWriter;
import dev.rbacsynth.write.OutputTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ParameterException;

/**
 * {@code generate --all-subjects --output-dir DIR}: every user and service account of the input in
 * one pass ({@link UsageReader#readAll()}), one file each with a predictable name, and a {@code
 * kustomization.yaml} listing them.
 */
final class AllSubjects {
  private AllSubjects() {}

  /**
   * {@code user-alice.yaml}, {@code serviceaccount-shop-web.yaml}: the kind, then the name with
   * every character other than a-z, 0-9, '.', '-' replaced by '-' (lowercased); when two subjects
   * would get the same name, both get the first 8 hex digits of the SHA-256 of their username.
   */
  static Map<Subject, String> fileNames(List<Subject> subjects, String extension) {
    Map<String, List<Subject>> byBase = new LinkedHashMap<>();
    for (Subject s : subjects) {
      String name =
          s instanceof Subject.ServiceAccount sa ? sa.namespace() + "-" + sa.name() : s.auditName();
      String base =
          s.kind().toLowerCase(Locale.ROOT)
              + "-"
              + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
      byBase.computeIfAbsent(base, b -> new ArrayList<>()).add(s);
    }
    Map<Subject, String> out = new HashMap<>();
    byBase.forEach(
        (base, list) -> {
          for (Subject s : list) {
            out.put(s, base + (list.size() > 1 ? "-" + hash(s.auditName()) : "") + extension);
          }
        });
    return out;
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder h = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        h.append(String.format(Locale.ROOT, "%02x", d[i]));
      }
      return h.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int generate(GenerateCommand c) {
    PrintWriter err = c.spec.commandLine().getErr();
    if (c.outputDir == null) {
      throw new ParameterException(c.spec.commandLine(), "--all-subjects needs --output-dir DIR");
    }
    OutputFileOption.checkDirectory(c.spec.commandLine(), "--output-dir", c.outputDir);
    UsageReader.Result loaded =
        Runs.loadAll(c.input, err, c.spec.commandLine(), c.namespace, !c.input.quiet);
    List<Subject> subjects = new ArrayList<>();
    loaded
        .usages()
        .forEach(
            (s, u) -> {
              if (u.matchedEvents() > 0
                  && (c.subjectsMatching == null
                      || c.subjectsMatching.matcher(s.auditName()).find())
                  && (c.allowUnauthenticated || !s.auditName().equals("system:anonymous"))) {
                subjects.add(s);
              }
            });
    if (subjects.isEmpty()) {
      int noEvents = NoMatch.noEventsAtAll(err, loaded, c.input);
      if (noEvents >= 0) {
        return noEvents;
      }
      err.println("No audit events matched any user or service account");
      return ExitCodes.NO_MATCH;
    }
    String extension = c.output == GenerateCommand.Output.json ? ".json" : ".yaml";
    Map<Subject, String> names = fileNames(subjects, extension);
    Generator generator = new Generator(c.options());
    List<String> written = new ArrayList<>();
    List<ExplainReport.Explained> explained = new ArrayList<>();
    int empty = 0;
    StaleOutputFiles earlier = StaleOutputFiles.before(c.outputDir);
    try {
      if (!Files.isDirectory(c.outputDir)) {
        Files.createDirectory(c.outputDir); // its parent was checked before reading
      }
    } catch (IOException e) {
      throw new UncheckedIOException(c.outputDir + ": " + e.getMessage(), e);
    }
    for (Subject s : subjects) {
      ObservedUsage usage = loaded.usage(s);
      Generator.Generated g = generator.generate(s, usage, c.naming(s));
      explained.add(new ExplainReport.Explained(s, g, usage.requests()));
      if (g.objects().size() == 0) {
        empty++;
        continue;
      }
      String file = names.get(s);
      OutputTarget.write(
          ManifestWriter.render(g.objects(), c.output.format), c.outputDir.resolve(file), null);
      written.add(file);
    }
    written.sort(null);
    StaleOutputFiles.Outcome stale = earlier.removeAllBut(new HashSet<>(written));
    StringBuilder k =
        new StringBuilder(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
    written.forEach(f -> k.append("- ").append(f).append('\n'));
    if (written.isEmpty()) {
      k.setLength(k.length() - 1);
      k.append(" []\n");
    }
    OutputTarget.write(k.toString(), c.outputDir.resolve("kustomization.yaml"), null);
    ObservationWindow window = new ObservationWindow(loaded.observation(), c.minWindow.minimum);
    if (c.explain != null) {
      OutputTarget.write(
          ExplainReport.render(explained, window, c.explain.getFileName().toString()),
          c.explain,
          null);
    }
    if (!c.input.quiet) {
      err.println(
          "rbac-synth: wrote "
              + written.size()
              + " file(s) and kustomization.yaml to "
              + c.outputDir
              + " for "
              + subjects.size()
              + " subject(s)"
              + (empty > 0
                  ? "; " + empty + " subject(s) need nothing beyond the default grants (no file)"
                  : ""));
      if (!stale.removed().isEmpty()) {
        err.println(
            "rbac-synth: removed "
                + stale.removed().size()
                + " file(s) an earlier run wrote to "
                + c.outputDir
                + " for subjects this run writes nothing for: "
                + String.join(", ", stale.removed()));
      }
      Runs.observation(err, window, null, null);
    }
    if (!stale.left().isEmpty()) {
      err.println(
          "warning: "
              + c.outputDir
              + " holds file(s) named as rbac-synth names them that this run did not write and"
              + " that are not recognisably an earlier run's (listed by the kustomization.yaml"
              + " rbac-synth wrote there, RBAC objects only): left as they are, though kubectl"
              + " apply -f on the directory would apply them: "
              + String.join(", ", stale.left()));
    }
    Runs.warnShort(err, window);
    err.flush();
    return ExitCodes.OK;
  }
}
