/**
 * The usage ledger: usage that outlives the audit logs. Events are absorbed through the same stage
 * merging and interpretation as {@code generate} ({@code pipeline}, {@code select}, {@code
 * attributes}) into per-subject, per-request, per-UTC-day rows; ledgers merge (sums, minimums,
 * maximums, intersections, ANDs, the K smallest samples), read and write a versioned JSON format,
 * and give back the {@code aggregate.ObservedUsage} that {@code generate} and {@code diff} use. A
 * source registry (file fingerprints and byte ranges) and the requests still open at the edges of
 * an input make counting exact across rotated files and merges. A use case on the level of {@code
 * review} and {@code cani}: imports {@code generate} and everything below it, never {@code report}
 * or {@code cli}.
 */
package dev.rbacsynth.ledger;
