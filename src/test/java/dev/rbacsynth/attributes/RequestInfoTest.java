package dev.rbacsynth.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The RequestInfo algorithm of semantics.md §2.1 and §2.2 on logged request URIs: which URLs are
 * resource requests, and the group, namespace, resource, name and subresource the authorizer sees.
 */
class RequestInfoTest {

  /**
   * {@code group ns resource name subresource [via-path verb]}, "-" for "", or {@code non-resource
   * PATH}.
   */
  private static String parsed(String uri) {
    RequestInfo i = RequestInfo.parse(uri);
    if (!i.resourceRequest()) {
      return "non-resource " + i.path();
    }
    String s =
        String.join(
            " ",
            dash(i.apiGroup()),
            dash(i.namespace()),
            dash(i.resource()),
            dash(i.name()),
            dash(i.subresource()));
    return i.verbFromPath().isEmpty() ? s : s + " via " + i.verbFromPath();
  }

  private static String dash(String s) {
    return s.isEmpty() ? "-" : s;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/namespaces/shop/pods                         | - shop pods - -",
        "/api/v1/namespaces/shop/pods/web-0                   | - shop pods web-0 -",
        "/api/v1/namespaces/shop/pods/web-0/log?follow=true   | - shop pods web-0 log",
        "/api/v1/pods?limit=500                               | - - pods - -",
        "/apis/apps/v1/deployments                            | apps - deployments - -",
        "/apis/apps/v1/namespaces/shop/deployments/web/scale  | apps shop deployments web scale",
        "/api/v1/namespaces/shop/pods/                        | - shop pods - -",
      })
  void resourceUrlsSplitIntoGroupNamespaceResourceNameAndSubresource(String uri, String expected) {
    assertThat(parsed(uri)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/namespaces                  | - - namespaces - -",
        "/api/v1/namespaces/team-a           | - team-a namespaces team-a -",
        "/api/v1/namespaces/team-a/status    | - team-a namespaces team-a status",
        "/api/v1/namespaces/team-a/finalize  | - team-a namespaces team-a finalize",
        "/api/v1/namespaces/team-a/nodes/n1  | - team-a nodes n1 -",
      })
  void aNamespaceIsInItselfAndOnlyStatusAndFinalizeAreItsSubresources(String uri, String expected) {
    assertThat(parsed(uri)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/watch/pods                              | - - pods - - via watch",
        "/api/v1/watch/namespaces/shop/pods/web-0        | - shop pods web-0 - via watch",
        "/api/v1/proxy/nodes/node-1/metrics              | - - nodes node-1 - via proxy",
        "/api/v1/proxy/namespaces/shop/pods/web-0/x/y    | - shop pods web-0 - via proxy",
        "/api/v1/nodes/node-1:10250/proxy/metrics        | - - nodes node-1:10250 proxy",
        "/api/v1/namespaces/m/services/http:g:3000/proxy/api | - m services http:g:3000 proxy",
      })
  void deprecatedVerbInPathPrefixesAndProxySubresources(String uri, String expected) {
    assertThat(parsed(uri)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "/api, /api",
    "/api/v1, /api/v1",
    "/apis, /apis",
    "/apis/apps, /apis/apps",
    "/apis/apps/v1, /apis/apps/v1",
    "/apis/apps/v1?timeout=32s, /apis/apps/v1",
    "/readyz?verbose, /readyz",
    "/openapi/v3/apis/apps/v1, /openapi/v3/apis/apps/v1",
    "/, /",
    "/api/v1/watch, /api/v1/watch",
  })
  void discoveryAndOtherPathsAreNonResourceWithoutTheirQuery(String uri, String path) {
    assertThat(parsed(uri)).isEqualTo("non-resource " + path);
  }

  @Test
  void thePathIsUnescapedButAPlusStaysAPlus() {
    assertThat(parsed("/api/v1/namespaces/shop/configmaps/a%3Ab+c%20d"))
        .isEqualTo("- shop configmaps a:b+c d -");
    assertThat(parsed("/metrics%zz"))
        .as("a bad escape is kept as logged")
        .isEqualTo("non-resource /metrics%zz");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fieldSelector=metadata.name%3Dweb-0&watch=true        | web-0",
        "fieldSelector=metadata.name%3D%3Dweb-0                | web-0",
        "watch=1&fieldSelector=status.phase%3DRunning,metadata.name%3Dweb-0 | web-0",
        "fieldSelector=metadata.name%21%3Dweb-0                | ''",
        "fieldSelector=metadata.namespace%3Dshop               | ''",
        "labelSelector=metadata.name%3Dweb-0                   | ''",
        "fieldSelector=metadata.name%3D..                      | ''",
        "fieldSelector=metadata.name%3Da%2Fb                   | ''",
        "fieldSelector=metadata.name%3D%2Fweb-0                | ''",
        "fieldSelector=metadata.name%3D%2525web                | ''",
        "fieldSelector=metadata.name%3D                        | ''",
        "fieldSelector                                         | ''",
        // apimachinery's parser (issue 15): escaped values are unescaped
        "fieldSelector=metadata.name%3Dweb\\%3D0               | web=0",
        "fieldSelector=metadata.name%3Dweb\\%2C0               | 'web,0'",
        "fieldSelector=metadata.name%3Dweb\\\\0               | web\\0",
        // a selector that does not parse restricts nothing, not even its valid terms
        "fieldSelector=metadata.name%3Dweb-0,status.phase%3DRun%3Dning | ''",
        "fieldSelector=metadata.name%3Dweb-0,garbage            | ''",
        "fieldSelector=metadata.name%3Dweb\\x0                 | ''",
        "fieldSelector=metadata.name%3Dweb-0\\                 | ''",
        "fieldSelector=metadata.name%3Da%3Db                    | ''",
        // no white space is trimmed: the field is then another one
        "fieldSelector=+metadata.name%3Dweb-0                   | ''",
        // terms are sorted, the first exact one wins; only the first parameter counts
        "fieldSelector=metadata.name%3Dweb-1,metadata.name%3D%3Dweb-0 | web-0",
        "fieldSelector=metadata.name%3Dweb-0&fieldSelector=metadata.name%3Dweb-1 | web-0",
        "fieldSelector=x%3Dy&fieldSelector=metadata.name%3Dweb-1 | ''",
        "fieldSelector=metadata.name%3D%3D%3Dweb-0              | ''",
      })
  void aListOrWatchIsNamedOnlyByAnExactValidMetadataNameFieldSelector(String query, String name) {
    assertThat(RequestInfo.parse("/api/v1/namespaces/shop/pods?" + query).fieldSelectorName())
        .isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource({
    "dryRun=All&fieldManager=kubectl, true",
    "fieldManager=kubectl&dryRun=All, true",
    "dryRun=, false",
    "fieldManager=kubectl, false",
    "xdryRun=All, false",
  })
  void dryRunIsTaggedOnlyWhenItHasAValue(String query, boolean dryRun) {
    assertThat(RequestInfo.parse("/api/v1/namespaces/shop/services?" + query).dryRun())
        .isEqualTo(dryRun);
  }

  /** Leading and trailing slashes are trimmed (as the apiserver does); one between two is empty. */
  @ParameterizedTest
  @CsvSource({
    "/api/v1/namespaces/shop/pods, false",
    "///api/v1/namespaces/shop/pods///, false",
    "/, false",
    "'', false",
    "//, false",
    "/api/v1/namespaces//pods, true",
    "/api/v1/namespaces/shop/pods//, false",
    "/api//v1/pods/, true",
    "a//b, true",
    "/a///b/, true",
  })
  void anEmptySegmentIsOneBetweenTwoSlashesOnceTheEndsAreTrimmed(String path, boolean empty) {
    assertThat(RequestInfo.hasEmptySegment(path)).as(path).isEqualTo(empty);
    String trimmed = path.replaceAll("^/+", "").replaceAll("/+$", "");
    assertThat(trimmed.contains("//")).as("the rule in plain words").isEqualTo(empty);
  }
}
