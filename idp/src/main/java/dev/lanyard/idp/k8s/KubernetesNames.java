package dev.lanyard.idp.k8s;

import java.util.List;

/**
 * The one rule for names Lanyard hands the kube-apiserver as usernames and groups: the {@code system:} prefix is
 * the API server's own ({@code system:masters} is cluster-admin whatever RBAC says, {@code
 * system:serviceaccount:...} names service accounts), so no tenant may give it. Writers refuse such names; the
 * places where names leave Lanyard (TokenReview answers, ID tokens) drop them again, for rows written before
 * or around the writers.
 */
public final class KubernetesNames {
  public static final String RESERVED_PREFIX = "system:";
  /** The 400 message for a refused name. */
  public static final String RESERVED_MESSAGE = "the system: prefix is reserved by Kubernetes";

  private KubernetesNames() {}

  /** Whether {@code name}, as the API server would see it, is one of its reserved names. */
  public static boolean isReserved(String name) {
    return name != null && name.startsWith(RESERVED_PREFIX);
  }

  /**
   * Whether a prefix put before other names (the robot prefix) can make a reserved name: one that starts with
   * {@code system:}, or a non-empty beginning of it ({@code sys} before a robot named {@code tem:masters}).
   */
  public static boolean isReservedPrefix(String prefix) {
    return prefix != null && !prefix.isEmpty()
        && (prefix.startsWith(RESERVED_PREFIX) || RESERVED_PREFIX.startsWith(prefix));
  }

  /** {@code groups} without the reserved ones. */
  public static List<String> withoutReserved(List<String> groups) {
    return groups.stream().noneMatch(KubernetesNames::isReserved) ? groups
        : groups.stream().filter(g -> !isReserved(g)).toList();
  }
}
