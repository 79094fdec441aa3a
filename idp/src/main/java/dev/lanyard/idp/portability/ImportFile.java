package dev.lanyard.idp.portability;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The import/export format (README "Import format"): tenants with their users, groups and clients. Clear
 * {@code password}/{@code secret} values are accepted on import only; export writes hashes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportFile(List<TenantEntry> tenants) {
  public ImportFile {
    tenants = tenants != null ? List.copyOf(tenants) : List.of();
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TenantEntry(String id, String displayName, List<UserEntry> users, List<GroupEntry> groups,
      List<ClientEntry> clients) {
    public TenantEntry {
      users = users != null ? List.copyOf(users) : List.of();
      groups = groups != null ? List.copyOf(groups) : List.of();
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

  /** @param robot name of an existing robot of the tenant the client acts as in client_credentials, or null */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientEntry(String id, String displayName, @JsonProperty("public") Boolean isPublic, String secret,
      String secretHash, List<String> redirectUris, List<String> grants, String robot) {}
}
