package dev.rbacsynth.event;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code user} or {@code impersonatedUser} of an audit event. Absent and empty strings are
 * equal, so a missing username is {@code ""}.
 */
public record UserInfo(
    String username, String uid, List<String> groups, Map<String, List<String>> extra) {

  public static final UserInfo EMPTY = new UserInfo("", "", List.of(), Map.of());

  public UserInfo {
    username = Objects.requireNonNullElse(username, "");
    uid = Objects.requireNonNullElse(uid, "");
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public static UserInfo of(String username, List<String> groups) {
    return new UserInfo(username, "", groups, Map.of());
  }

  public boolean isEmpty() {
    return username.isEmpty();
  }
}
