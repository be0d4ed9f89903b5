/**
 * {@code rbac-synth serve}: the apiserver's audit webhook backend. It receives {@code EventList}
 * batches over TLS, turns them into usage through the usage ledger's one absorbing path, keeps that
 * usage durably in SQLite (one transaction per batch, acknowledged only after commit, resent
 * batches deduplicated), and serves it back as a ledger, as RBAC, and as metrics. A use case:
 * imports the stages, {@code authorize} and {@code ledger}, never {@code report} or {@code cli}.
 */
package dev.rbacsynth.serve;
