package dev.rbacsynth.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The name checks against the apiserver's regular expressions (k8s.io/apimachinery validation), on
 * every string of up to five characters over an alphabet of each character class they tell apart.
 */
class NamesTest {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_PART =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private static List<String> strings() {
    String alphabet = "aZ0-._/ é";
    List<String> out = new ArrayList<>(List.of(""));
    List<String> previous = List.of("");
    for (int length = 1; length <= 5; length++) {
      List<String> next = new ArrayList<>();
      for (String s : previous) {
        for (char c : alphabet.toCharArray()) {
          next.add(s + c);
        }
      }
      out.addAll(next);
      previous = next;
    }
    return out;
  }

  @Test
  void checksAgreeWithTheApiserversExpressions() {
    List<String> all = strings();
    assertThat(all).hasSizeGreaterThan(60_000);
    for (String s : all) {
      assertThat(Names.isDnsLabel(s)).as("label %s", s).isEqualTo(DNS_LABEL.matcher(s).matches());
      assertThat(Names.isDnsSubdomain(s))
          .as("subdomain %s", s)
          .isEqualTo(DNS_SUBDOMAIN.matcher(s).matches());
      assertThat(Names.isValidLabelValue(s))
          .as("label value %s", s)
          .isEqualTo(s.isEmpty() || QUALIFIED_PART.matcher(s).matches());
      int slash = s.indexOf('/');
      String prefix = slash >= 0 ? s.substring(0, slash) : "";
      String name = s.substring(slash + 1);
      boolean qualified =
          (slash < 0 || DNS_SUBDOMAIN.matcher(prefix).matches())
              && QUALIFIED_PART.matcher(name).matches();
      assertThat(Names.isValidQualifiedName(s)).as("qualified name %s", s).isEqualTo(qualified);
    }
  }

  @Test
  void lengthLimitsStay() {
    assertThat(Names.isValidLabelValue("a".repeat(63))).isTrue();
    assertThat(Names.isValidLabelValue("a".repeat(64))).isFalse();
    assertThat(Names.isValidQualifiedName("example.com/" + "a".repeat(63))).isTrue();
    assertThat(Names.isValidQualifiedName("example.com/" + "a".repeat(64))).isFalse();
    assertThat(Names.isValidQualifiedName("a".repeat(254) + "/name")).isFalse();
    assertThat(Subject.forUsername("system:serviceaccount:kube-system:coredns"))
        .isEqualTo(new Subject.ServiceAccount("kube-system", "coredns"));
    assertThat(Subject.forUsername("system:serviceaccount:Kube-System:coredns"))
        .isInstanceOf(Subject.User.class);
    assertThat(Subject.forUsername("system:serviceaccount:ns:a..b"))
        .isInstanceOf(Subject.User.class);
    assertThat(Subject.forUsername("system:serviceaccount:ns:a.b-c"))
        .isEqualTo(new Subject.ServiceAccount("ns", "a.b-c"));
  }
}
