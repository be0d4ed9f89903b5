/**
 * The exports of managed clusters and log shippers (GKE LogEntry, CloudWatch Logs, AKS diagnostic
 * records and Log Analytics rows, Elasticsearch hits, shipper documents), each turned into the one
 * audit event model. Part of {@code read}; imports what {@code read} imports.
 */
package dev.rbacsynth.read.envelope;
