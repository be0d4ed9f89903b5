package dev.rbacsynth.read.envelope;

import dev.rbacsynth.read.EnvelopeAdapter;
import java.util.List;

/**
 * The envelope adapters, in the order the dispatcher asks them: vendor formats with unmistakable
 * fields first (GKE's {@code protoPayload}, CloudWatch's {@code logEvents}/{@code events}/{@code
 * eventId}, Azure's {@code records}/{@code category}, Log Analytics columns), then the generic
 * search-engine and log-shipper wrappers, whose {@code message} and {@code log} fields could
 * otherwise claim a vendor record.
 */
public final class Envelopes {

  private Envelopes() {}

  public static List<EnvelopeAdapter> all() {
    return List.of(
        new GkeLogEntryAdapter(),
        new CloudWatchLogsAdapter(),
        new AksDiagnosticAdapter(),
        new AksLogAnalyticsAdapter(),
        new SearchHitsAdapter(),
        new ShipperDocumentAdapter());
  }
}
