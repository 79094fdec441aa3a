package dev.lanyard.idp.cli.remote;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a password (or a token): the first line of standard input ({@code --password-stdin}) or a console prompt. */
final class Passwords {
  private Passwords() {}

  static String read(boolean fromStdin, String prompt) {
    String password;
    if (fromStdin) {
      password = stdinLine("password");
    } else {
      Console console = System.console();
      if (console == null) throw new RemoteException("no console to prompt for the password; use --password-stdin");
      char[] chars = console.readPassword("%s", prompt);
      password = chars == null ? null : new String(chars);
    }
    if (password == null || password.isEmpty()) throw new RemoteException("no password given");
    return password;
  }

  /** The first line of standard input; null at its end. */
  static String stdinLine(String what) {
    try {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new RemoteException("cannot read the " + what + " from standard input: " + e.getMessage());
    }
  }
}
