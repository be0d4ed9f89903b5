/**
 * YAML in and out: {@link dev.rbacsynth.yaml.YamlDocuments} reads multi-document YAML into plain
 * maps and lists (SnakeYAML, with alias and size limits), {@link dev.rbacsynth.yaml.YamlEmitter}
 * writes maps the way go-yaml (and so kubectl) does: key order, quoting, block style. Imports no
 * other package of rbac-synth.
 */
package dev.rbacsynth.yaml;
