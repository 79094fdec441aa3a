package dev.lanyard.idp.cli.remote;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The new group list of {@code user set-groups} and {@code robot set-groups}: {@code --group G} (repeatable) or
 * {@code --none}, so that leaving every group is never an accident.
 */
final class GroupList {
  @Option(names = "--group", paramLabel = "G", required = true, description = "A group (name or id); repeatable.")
  List<String> groups;

  @Option(names = "--none", required = true, description = "Leave every group.")
  boolean none;

  List<String> names() {
    return groups == null ? List.of() : groups;
  }
}
