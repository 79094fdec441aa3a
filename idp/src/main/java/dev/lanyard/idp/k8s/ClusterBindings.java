package dev.lanyard.idp.k8s;

import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.Cluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A token's cluster bindings ({@link dev.lanyard.storage.model.OpaqueToken#clusters}, cluster uids) told by the
 * names of the clusters they are. A binding whose cluster was deleted names no cluster any more, not even one
 * registered again under the same name: it is shown as {@code deleted:<uid>}.
 */
public final class ClusterBindings {
  /** How a binding to a deleted cluster is shown: this, then its uid. */
  public static final String DELETED = "deleted:";

  private final Map<String, String> namesByUid;

  private ClusterBindings(Map<String, String> namesByUid) {
    this.namesByUid = namesByUid;
  }

  /** The bindings of the tenant's clusters as they are now. */
  public static ClusterBindings of(StoreSession s, String tenantId) {
    Map<String, String> names = new HashMap<>();
    for (Cluster c : s.clusters().list(tenantId)) names.put(c.uid(), c.id());
    return new ClusterBindings(names);
  }

  /** Bindings to these clusters only: {@code uids.get(i)} is the cluster named {@code names.get(i)}. */
  public static ClusterBindings of(List<String> uids, List<String> names) {
    Map<String, String> byUid = new HashMap<>();
    for (int i = 0; i < uids.size(); i++) byUid.put(uids.get(i), names.get(i));
    return new ClusterBindings(byUid);
  }

  /** Each binding by its cluster's name, or {@link #DELETED} and its uid; in the token's order. */
  public List<String> names(List<String> uids) {
    List<String> shown = new ArrayList<>(uids.size());
    for (String uid : uids) {
      String name = namesByUid.get(uid);
      shown.add(name != null ? name : DELETED + uid);
    }
    return shown;
  }

  /** The names of the bound clusters that are still there, in the token's order. */
  public List<String> live(List<String> uids) {
    List<String> live = new ArrayList<>(uids.size());
    for (String uid : uids) {
      String name = namesByUid.get(uid);
      if (name != null) live.add(name);
    }
    return live;
  }
}
