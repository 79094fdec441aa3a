package dev.lanyard.idp.admin;

import java.util.regex.Pattern;

/**
 * Shapes of names and ids the admin API accepts, with the message a 400 answer gives for each. {@code lanyard
 * import} checks robot names against {@link #NAME} too, so a robot it writes could have been created here.
 */
public final class Shapes {
  private Shapes() {}

  static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  static final String TENANT_ID_MESSAGE = "lower-case letters, digits and '-', starting with a letter or digit, at most 63";
  /**
   * Usernames, group, robot and client names: no spaces or control characters. Those the kube-apiserver sees are
   * also checked by {@link Fields#notReserved}.
   */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+-]{0,127}");
  public static final String NAME_MESSAGE = "letters, digits and . _ @ : + -, starting with a letter or digit, at most 128";
  static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}");
  static final String EMAIL_MESSAGE = "an email address";
  static final int MIN_PASSWORD = 12;
  static final int MAX_PASSWORD = 1024;
}
