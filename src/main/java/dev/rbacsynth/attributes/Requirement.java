package dev.rbacsynth.attributes;

/**
 * One authorization check a request needed, with its outcome. {@code implication} says why a check
 * that has no audit event of its own is implied ("" for the logged check itself).
 */
public record Requirement(RequestAttributes attributes, Outcome outcome, String implication) {}
