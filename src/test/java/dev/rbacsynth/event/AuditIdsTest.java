package dev.rbacsynth.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Audit IDs as two longs: exactly the lower-case UUID texts, and back to the same text. */
class AuditIdsTest {

  @Test
  void aCanonicalUuidIsTwoLongsAndComesBackAsTheSameText() {
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      UUID u = new UUID(random.nextLong(), random.nextLong());
      String text = u.toString();
      assertThat(AuditIds.isCanonicalUuid(text)).as(text).isTrue();
      assertThat(AuditIds.high(text)).isEqualTo(u.getMostSignificantBits());
      assertThat(AuditIds.low(text)).isEqualTo(u.getLeastSignificantBits());
      assertThat(AuditIds.text(AuditIds.high(text), AuditIds.low(text))).isEqualTo(text);
    }
    String real = "09bc585a-2448-23f2-de44-31fa3c80db06"; // from a real log
    assertThat(AuditIds.text(AuditIds.high(real), AuditIds.low(real))).isEqualTo(real);
  }

  @Test
  void anyOtherTextIsNotOne() {
    String real = "09bc585a-2448-23f2-de44-31fa3c80db06";
    assertThat(AuditIds.isCanonicalUuid(real.toUpperCase(Locale.ROOT))).isFalse();
    assertThat(AuditIds.isCanonicalUuid(real.substring(1))).isFalse();
    assertThat(AuditIds.isCanonicalUuid(real + "0")).isFalse();
    assertThat(AuditIds.isCanonicalUuid("")).isFalse();
    assertThat(AuditIds.isCanonicalUuid("req-1234")).isFalse();
    for (int i = 0; i < real.length(); i++) {
      for (char c : new char[] {'g', 'G', 'A', '-', '/', ':', '`', '{', 'é', '\u0100', '0'}) {
        String changed = real.substring(0, i) + c + real.substring(i + 1);
        boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
        boolean valid = dash ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        assertThat(AuditIds.isCanonicalUuid(changed)).as(changed).isEqualTo(valid);
      }
    }
  }
}
