/**
 * The use case behind {@code diff}: compares existing RBAC with observed usage and finds what is
 * missing, unused, inert or risky, and what {@code generate} would suggest instead. The analysis
 * only: rendering is in {@code report}. Imports {@code authorize} and everything below it; not
 * {@code cani} (same level) nor {@code report} and {@code cli}.
 */
package dev.rbacsynth.review;
