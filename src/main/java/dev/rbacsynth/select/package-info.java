/**
 * The second stage: which events belong to the chosen subject (as requester or as impersonator),
 * and the byte pre-filter that lets the reader skip lines that cannot name it. Imports {@code
 * event}, {@code kube} and {@code read}.
 */
package dev.rbacsynth.select;
