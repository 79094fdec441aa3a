package dev.lanyard.idp.k8s;

import java.util.List;

/**
 * Who a token speaks for, as the kube-apiserver sees them: read at review time (and cached until a change
 * says otherwise), so disabling a principal or removing a group takes effect on the next review.
 *
 * @param username null when the principal cannot be named (e.g. the tenant names users by email and this
 *     user has no verified one): such a principal is refused
 */
record Principal(String username, String uid, List<String> groups, boolean enabled) {
  boolean usable() {
    return enabled && username != null;
  }
}
