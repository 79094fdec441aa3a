package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;

/** Finds a resource's id from a name or id, through its list endpoint. */
final class Resolve {
  private Resolve() {}

  /** The id of the item of {@code listPath} whose id or {@code nameField} is {@code ref}. */
  static String id(ApiClient api, String listPath, String nameField, String ref, String what) {
    String byName = null;
    for (Object o : api.list(listPath).getJsonArray("items")) {
      if (!(o instanceof JsonObject item)) continue;
      if (ref.equals(item.getString("id"))) return ref;
      if (ref.equals(item.getString(nameField))) byName = item.getString("id");
    }
    if (byName == null) throw new RemoteException("Not Found: no " + what + " " + ref);
    return byName;
  }
}
