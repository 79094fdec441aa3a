package dev.lanyard.idp.authorize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What each scope lets an application see, in words for the consent page. */
public final class ScopeDescriptions {
  private static final Map<String, String> WORDS = Map.of(
      "openid", "Confirm who you are",
      "profile", "Your username and name",
      "email", "Your email address",
      "groups", "The groups you belong to",
      "offline_access", "Stay signed in (refresh your access without asking you)");

  private ScopeDescriptions() {}

  public static List<String> of(Set<String> scopes) {
    List<String> words = new ArrayList<>();
    for (String s : scopes) words.add(WORDS.getOrDefault(s, s));
    if (words.isEmpty()) words.add("Sign you in");
    return words;
  }
}
