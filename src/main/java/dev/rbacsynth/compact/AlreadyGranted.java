package dev.rbacsynth.compact;

import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.UserInfo;

/**
 * What a user may already do without a generated rule: the default grants every authenticated user
 * holds. The authorizer (a layer above) supplies it, usually as {@code
 * DefaultPolicy.authorizer()::allows}.
 */
@FunctionalInterface
public interface AlreadyGranted {
  boolean allows(UserInfo user, RequestAttributes request);
}
