package dev.rbacsynth.cli;

import dev.rbacsynth.read.EnvelopeAdapter;
import java.util.List;

/** The envelope formats the CLI reads besides native audit Events. */
final class Formats {
  private Formats() {}

  static List<EnvelopeAdapter> adapters() {
    return dev.rbacsynth.read.envelope.Envelopes.all();
  }
}
