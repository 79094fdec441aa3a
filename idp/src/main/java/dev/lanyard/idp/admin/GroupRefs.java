package dev.lanyard.idp.admin;

import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.Group;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Groups named in a request by id or by name, resolved inside the transaction. */
final class GroupRefs {
  private GroupRefs() {}

  /** The ids of {@code refs}; a 400 problem naming {@code field[i]} for each unknown one. */
  static Set<String> resolve(StoreSession s, String tenant, String field, List<String> refs) {
    Fields errors = new Fields(new io.vertx.core.json.JsonObject());
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < refs.size(); i++) {
      String ref = refs.get(i);
      Optional<Group> g = s.groups().find(tenant, ref).or(() -> s.groups().findByName(tenant, ref));
      if (g.isPresent()) {
        ids.add(g.get().id());
      } else {
        errors.error(field + "[" + i + "]", "no group '" + ref + "' in tenant " + tenant);
      }
    }
    errors.check();
    return ids;
  }
}
