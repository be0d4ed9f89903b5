/**
 * The first stage: sources (files, directories, rotated and gzip logs, stdin), the layouts of audit
 * logs (event lines, {@code EventList}, YAML, vendor envelopes in {@code read.envelope}), the byte
 * scan and parallel segments, decoding an event from its bytes, merging the stages of one request,
 * read statistics and problems; and reading existing RBAC manifests. Imports {@code event}, {@code
 * yaml} and {@code kube}.
 */
package dev.rbacsynth.read;
