/**
 * The fourth stage: usage per distinct request (counts, first and last time, outcomes, the groups
 * the requester always had). Imports {@code attributes} and what lies below it.
 */
package dev.rbacsynth.aggregate;
