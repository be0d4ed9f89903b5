package dev.rbacsynth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.kube.Subject;
import org.junit.jupiter.api.Test;

class ScopeTest {
  private static final Scope WEB =
      Scope.of(new Subject.ServiceAccount("shop", "web"), ""); // collect --serviceaccount shop:web
  private static final Scope SHOP = Scope.of(null, "shop"); // collect -n shop
  private static final Scope DEV = Scope.of(new Subject.Group("dev"), "");

  @Test
  void aScopeContainsWhatItDoesNotNarrow() {
    Scope webInShop = Scope.of(new Subject.ServiceAccount("shop", "web"), "shop");
    assertThat(Scope.ALL.contains(webInShop)).isTrue();
    assertThat(WEB.contains(webInShop)).isTrue();
    assertThat(SHOP.contains(webInShop)).isTrue();
    assertThat(webInShop.contains(WEB)).isFalse(); // its cluster-scoped requests are not in it
    assertThat(WEB.contains(Scope.of(new Subject.User("bob"), ""))).isFalse();
    // a user's service-account username is that service account
    assertThat(WEB.contains(Scope.of(new Subject.User("system:serviceaccount:shop:web"), "")))
        .isTrue();
    assertThat(DEV.contains(Scope.of(new Subject.User("alice"), ""))).isFalse();
    // a group the apiserver puts every request of the user in: all of its requests
    Scope shopAccounts = Scope.of(new Subject.Group("system:serviceaccounts:shop"), "");
    assertThat(shopAccounts.contains(Scope.of(new Subject.ServiceAccount("shop", "web"), "")))
        .isTrue();
    assertThat(shopAccounts.contains(Scope.of(new Subject.ServiceAccount("ci", "web"), "")))
        .isFalse();
    Scope authenticated = Scope.of(new Subject.Group("system:authenticated"), "");
    assertThat(authenticated.contains(Scope.of(new Subject.User("alice"), ""))).isTrue();
    assertThat(authenticated.contains(Scope.of(new Subject.User("system:anonymous"), "")))
        .isFalse();
    assertThat(DEV.contains(Scope.of(new Subject.Group("dev"), "shop"))).isTrue();
  }

  @Test
  void theMeetIsWhatBothHoldOrNothing() {
    assertThat(WEB.meet(SHOP)).isEqualTo(new Scope("system:serviceaccount:shop:web", "", "shop"));
    assertThat(Scope.ALL.meet(WEB)).isEqualTo(WEB);
    assertThat(WEB.meet(WEB)).isEqualTo(WEB);
    assertThat(WEB.meet(Scope.of(new Subject.User("bob"), ""))).isNull();
    assertThat(SHOP.meet(Scope.of(null, "ci"))).isNull();
    assertThat(WEB.meet(DEV)).isNull(); // a user beside a group: membership is not fixed
    assertThat(WEB.meet(Scope.of(new Subject.Group("system:serviceaccounts:shop"), "")))
        .isEqualTo(WEB);
  }

  @Test
  void flagsAndWordsSayHowItWasCollected() {
    assertThat(new Scope("system:serviceaccount:shop:web", "", "shop").flags())
        .isEqualTo("--serviceaccount shop:web -n shop");
    assertThat(Scope.of(new Subject.User("alice"), "").flags()).isEqualTo("--user alice");
    assertThat(DEV.flags()).isEqualTo("--group dev");
    assertThat(SHOP.describe())
        .isEqualTo("only the requests in namespace shop (none cluster-scoped or non-resource)");
    assertThat(WEB.describe()).isEqualTo("only serviceaccount shop/web's requests");
    assertThat(WEB.subject()).isEqualTo(new Subject.ServiceAccount("shop", "web"));
    assertThat(DEV.subject()).isEqualTo(new Subject.Group("dev"));
    assertThat(SHOP.subject()).isNull();
    assertThat(Scope.ALL.fields()).isEmpty();
    assertThat(new Scope("system:serviceaccount:shop:web", "", "shop").fields())
        .containsExactly(
            java.util.Map.entry("username", "system:serviceaccount:shop:web"),
            java.util.Map.entry("namespace", "shop"));
    for (Scope s : java.util.List.of(Scope.ALL, WEB, SHOP, DEV)) {
      assertThat(Scope.of(s.fields())).isEqualTo(s);
    }
    assertThatThrownBy(() -> new Scope("alice", "dev", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
