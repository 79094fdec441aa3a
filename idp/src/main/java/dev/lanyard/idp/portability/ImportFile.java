package dev.lanyard.idp.portability;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The import/export format (README "Import format"): tenants with their settings, users, groups, robots and clients. Clear
 * {@code password}/{@code secret} values are accepted on import only; export writes hashes. Credentials that
 * Lanyard issued (robot and user opaque tokens, sessions, refresh and access tokens) are not part of the format:
 * after an import into another data directory they are minted anew.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportFile(List<TenantEntry> tenants) {
  public ImportFile {
    tenants = tenants != null ? List.copyOf(tenants) : List.of();
  }

  /**
   * @param settings the tenant's settings as the admin API takes them ({@code TenantSettingsInput}): keys given are
   *     set (null: back to the configured default), keys not given are kept; null when the entry has none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TenantEntry(String id, String displayName, Map<String, Object> settings, List<UserEntry> users,
      List<GroupEntry> groups, List<RobotEntry> robots, List<ClientEntry> clients) {
    public TenantEntry {
      users = users != null ? List.copyOf(users) : List.of();
      groups = groups != null ? List.copyOf(groups) : List.of();
      robots = robots != null ? List.copyOf(robots) : List.of();
      clients = clients != null ? List.copyOf(clients) : List.of();
    }
  }

  /**
   * @param groups group names; when present the user ends up in exactly these groups, when absent memberships are kept
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UserEntry(String id, String username, String email, Boolean emailVerified,
      @JsonProperty("name") String displayName, Boolean enabled, String password, String passwordHash,
      List<String> groups) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GroupEntry(String id, String name) {}

  /**
   * @param groups names of groups of the tenant (existing, or created by this file); when present the robot ends up
   *     in exactly these groups, when absent memberships are kept
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RobotEntry(String id, String name, String description, Boolean enabled, List<String> groups) {}

  /**
   * @param robot name of the robot of the tenant (existing, or in this file's robots) the client acts as in
   *     client_credentials, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientEntry(String id, String displayName, @JsonProperty("public") Boolean isPublic, String secret,
      String secretHash, List<String> redirectUris, List<String> grants, String robot) {}
}
