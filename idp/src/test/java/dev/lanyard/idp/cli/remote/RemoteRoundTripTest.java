package dev.lanyard.idp.cli.remote;

import static dev.lanyard.idp.cli.remote.RemoteCli.run;
import static dev.lanyard.idp.cli.remote.RemoteCli.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.cli.remote.RemoteCli.Run;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API client commands against a real Lanyard, from {@code lanyard login} to a revoked token. */
class RemoteRoundTripTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static Path context;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
    context = dir.resolve("home/.config/lanyard/context.yaml");
    Run login = runWithStdin(TestLanyard.ADMIN_PASSWORD + "\n", "--server", lanyard.baseUrl(),
        "--cacert", lanyard.server().caFile().toString(), "--context", context.toString(),
        "login", "--tenant", "default", "--username", "admin", "--password-stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.out()).contains("Logged in to " + lanyard.baseUrl() + " as default/admin");
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  /** Runs a command with the context file written by login. */
  static Run ok(String... args) {
    Run r = lanyard(args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  static Run lanyard(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--context";
    all[1] = context.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return run(all);
  }

  static JsonObject review(String tenant, String credential, String token) {
    HttpResponse<String> res = reviewResponse(tenant, credential, token);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body()).getJsonObject("status");
  }

  static HttpResponse<String> reviewResponse(String tenant, String credential, String token) {
    return lanyard.tokenReview(tenant, credential, token);
  }

  /** The groups the webhook answers for {@code token} now. */
  static java.util.List<Object> groups(String tenant, String credential, String token) {
    JsonObject status = review(tenant, credential, token);
    assertThat(status.getBoolean("authenticated")).as(status.encode()).isTrue();
    return status.getJsonObject("user").getJsonArray("groups", new JsonArray()).getList();
  }

  /** The HTTP status of an introspection authenticated with the client's id and secret (401 for a wrong secret). */
  static int introspect(String tenant, String clientId, String secret) {
    return lanyard.postForm("/t/" + tenant + "/introspect", java.util.Map.of("token", "nothing"), clientId + ":" + secret)
        .statusCode();
  }

  @Test
  @DisplayName("login writes a 0600 context file holding server, CA and an admin token")
  void contextFile() throws Exception {
    String yaml = Files.readString(context);
    assertThat(yaml).contains("server: \"" + lanyard.baseUrl() + "\"").contains("token: \"lya_").contains("tenant: \"default\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(context))).isEqualTo("rw-------");
  }

  @Test
  @DisplayName("tenant -> user -> group -> robot -> cluster -> token authenticates at the webhook -> revoke -> refused")
  void roundTrip() throws Exception {
    ok("tenant", "create", "acme", "--display-name", "Acme Corp");
    assertThat(ok("tenant", "list").out()).contains("acme").contains("Acme Corp").contains("DISPLAY NAME");
    ok("user", "create", "--tenant", "acme", "alice", "--email", "alice@example.com");
    ok("group", "create", "--tenant", "acme", "ci");
    ok("robot", "create", "--tenant", "acme", "deployer", "--group", "ci", "--description", "CD pipeline");
    assertThat(ok("robot", "list", "--tenant", "acme").out()).contains("deployer").contains("CD pipeline");
    Path onboarding = dir.resolve("onboarding");
    Run cluster = ok("cluster", "add", "--tenant", "acme", "prod", "--out-dir", onboarding.toString());
    String credential = cluster.out().lines().filter(l -> l.startsWith("credential:"))
        .map(l -> l.substring("credential:".length()).strip()).findFirst().orElseThrow();
    assertThat(credential).startsWith("lyw_");
    assertThat(cluster.err()).contains("--authentication-token-webhook-version=v1");
    Path kubeconfig = onboarding.resolve(ClusterOnboarding.WEBHOOK_KUBECONFIG);
    assertThat(Files.readString(kubeconfig)).contains(lanyard.baseUrl() + "/t/acme/tokenreview").contains(credential)
        .contains(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(lanyard.server().caFile())));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig))).isEqualTo("rw-------");
    assertThat(onboarding.resolve(ClusterOnboarding.authenticationConfigurationFile(ClusterOnboarding.V1))).exists();
    assertThat(ok("cluster", "list", "--tenant", "acme").out()).contains("prod").doesNotContain(credential);

    Run minted = ok("token", "create", "--tenant", "acme", "--robot", "deployer", "--ttl", "1h", "--cluster", "prod");
    String token = minted.out().strip();
    assertThat(token).startsWith("lyk_").doesNotContain("\n");
    assertThat(minted.err()).contains("shown only now");
    JsonObject status = review("acme", credential, token);
    assertThat(status.getBoolean("authenticated")).as(status.encode()).isTrue();
    assertThat(status.getJsonObject("user").getString("username")).endsWith("deployer");
    assertThat(status.getJsonObject("user").getJsonArray("groups")).contains("ci");

    JsonArray tokens = ok("token", "list", "--tenant", "acme", "-o", "json").json().getJsonArray("items");
    assertThat(tokens).hasSize(1);
    String id = tokens.getJsonObject(0).getString("id");
    assertThat(ok("token", "list", "--tenant", "acme").out()).contains(id).doesNotContain(token);
    assertThat(ok("token", "revoke", "--tenant", "acme", id).out()).contains("Revoked token " + id);
    assertThat(review("acme", credential, token).getBoolean("authenticated")).isFalse();
    assertThat(ok("token", "list", "--tenant", "acme", "-o", "json").json().getJsonArray("items")).isEmpty();
    assertThat(ok("token", "list", "--tenant", "acme", "--robot", "deployer", "--all", "-o", "json").json()
        .getJsonArray("items").getJsonObject(0).getBoolean("active")).isFalse();
  }

  @Test
  @DisplayName("users by name: token for a user, disable refuses it, enable restores it; set-password, delete")
  void usersByName() {
    ok("user", "create", "--tenant", "default", "bob");
    ok("cluster", "add", "--tenant", "default", "staging", "-o", "json");
    String credential = ok("cluster", "add", "--tenant", "default", "dev", "-o", "json").json().getString("credential");
    JsonObject minted = ok("token", "create", "--tenant", "default", "--user", "bob", "-o", "json").json();
    String token = minted.getString("token");
    assertThat(review("default", credential, token).getBoolean("authenticated")).isTrue();
    assertThat(ok("user", "disable", "--tenant", "default", "bob").out()).containsPattern("enabled:\\s+false");
    assertThat(review("default", credential, token).getBoolean("authenticated")).isFalse();
    ok("user", "enable", "--tenant", "default", "bob");
    assertThat(review("default", credential, token).getBoolean("authenticated")).isTrue();
    Run pw = runWithStdin("a-long-enough-password\n", "--context", context.toString(),
        "user", "set-password", "--tenant", "default", "bob", "--password-stdin");
    assertThat(pw.exit()).as(pw.toString()).isZero();
    JsonObject bob = ok("user", "list", "--tenant", "default", "-o", "json").json().getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(u -> u.getString("username").equals("bob")).findFirst().orElseThrow();
    assertThat(bob.getBoolean("hasPassword")).isTrue();
    // by id works too
    ok("user", "delete", "--tenant", "default", bob.getString("id"));
    assertThat(review("default", credential, token).getBoolean("authenticated")).isFalse();
    Run gone = lanyard("user", "delete", "--tenant", "default", "bob");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).contains("no user bob");
  }

  @Test
  @DisplayName("clients (secret shown once), groups, robots, keys and clusters: create, list, delete")
  void otherResources() {
    ok("tenant", "create", "other");
    JsonObject client = ok("client", "create", "--tenant", "other", "ci-client", "--grant-type", "client_credentials",
        "-o", "json").json();
    assertThat(client.getString("secret")).isNotBlank();
    assertThat(ok("client", "list", "--tenant", "other").out()).contains("ci-client").doesNotContain(client.getString("secret"));
    Run pub = ok("client", "create", "--tenant", "other", "kubelogin", "--public", "--redirect-uri", "http://localhost:8000");
    assertThat(pub.out()).containsPattern("type:\\s+public");
    ok("client", "delete", "--tenant", "other", "ci-client");
    assertThat(ok("client", "list", "--tenant", "other").out()).doesNotContain("ci-client");

    ok("group", "create", "--tenant", "other", "ops");
    ok("group", "delete", "--tenant", "other", "ops");
    assertThat(ok("group", "list", "--tenant", "other").out()).doesNotContain("ops");
    ok("robot", "create", "--tenant", "other", "bot");
    ok("robot", "delete", "--tenant", "other", "bot");
    assertThat(ok("robot", "list", "--tenant", "other", "-o", "json").json().getJsonArray("items")).isEmpty();

    int before = ok("keys", "list", "--tenant", "other", "-o", "json").json().getJsonArray("items").size();
    String kid = ok("keys", "rotate", "--tenant", "other", "-o", "json").json().getString("kid");
    assertThat(ok("keys", "list", "--tenant", "other").out()).contains(kid).contains("KID");
    assertThat(ok("keys", "list", "--tenant", "other", "-o", "json").json().getJsonArray("items")).hasSize(before + 1);

    ok("cluster", "add", "--tenant", "other", "edge");
    ok("cluster", "delete", "--tenant", "other", "edge");
    assertThat(ok("cluster", "list", "--tenant", "other").out()).doesNotContain("edge");
    ok("tenant", "delete", "other");
    assertThat(ok("tenant", "list").out()).doesNotContain("other");
  }

  @Test
  @DisplayName("user update (email, display name, enabled), user and robot set-groups, robot update: the webhook follows")
  void updatesAndGroups() {
    ok("tenant", "create", "grp");
    ok("group", "create", "--tenant", "grp", "dev");
    ok("group", "create", "--tenant", "grp", "ops");
    ok("user", "create", "--tenant", "grp", "carol", "--group", "dev");
    ok("robot", "create", "--tenant", "grp", "builder", "--group", "dev");
    String credential = ok("cluster", "add", "--tenant", "grp", "c1", "-o", "json").json().getString("credential");
    String carol = ok("token", "create", "--tenant", "grp", "--user", "carol", "-o", "json").json().getString("token");
    String builder = ok("token", "create", "--tenant", "grp", "--robot", "builder", "-o", "json").json().getString("token");
    assertThat(groups("grp", credential, carol)).containsExactly("dev");

    assertThat(ok("user", "set-groups", "--tenant", "grp", "carol", "--group", "ops").out()).containsPattern("groups:\\s+ops");
    assertThat(groups("grp", credential, carol)).containsExactly("ops");
    JsonObject none = ok("user", "set-groups", "--tenant", "grp", "carol", "--none", "-o", "json").json();
    assertThat(none.getJsonArray("groups")).isEmpty();
    assertThat(groups("grp", credential, carol)).isEmpty();
    ok("robot", "set-groups", "--tenant", "grp", "builder", "--group", "ops", "--group", "dev");
    assertThat(groups("grp", credential, builder)).containsExactlyInAnyOrder("ops", "dev");

    JsonObject updated = ok("user", "update", "--tenant", "grp", "carol", "--email", "carol@example.com",
        "--email-verified", "--display-name", "Carol C", "-o", "json").json();
    assertThat(updated.getString("email")).isEqualTo("carol@example.com");
    assertThat(updated.getBoolean("emailVerified")).isTrue();
    assertThat(updated.getString("displayName")).isEqualTo("Carol C");
    assertThat(ok("user", "update", "--tenant", "grp", "carol", "--display-name", "").out())
        .containsPattern("displayName:\\s+-").containsPattern("email:\\s+carol@example.com");
    ok("user", "update", "--tenant", "grp", "carol", "--enabled", "false");
    assertThat(review("grp", credential, carol).getBoolean("authenticated")).isFalse();
    ok("user", "update", "--tenant", "grp", "carol", "--enabled", "true");
    assertThat(review("grp", credential, carol).getBoolean("authenticated")).isTrue();
    JsonObject renamed = ok("user", "update", "--tenant", "grp", "carol", "--username", "caroline", "-o", "json").json();
    assertThat(renamed.getString("username")).isEqualTo("caroline");
    assertThat(review("grp", credential, carol).getJsonObject("user").getString("username")).isEqualTo("caroline");

    JsonObject robot = ok("robot", "update", "--tenant", "grp", "builder", "--description", "Nightly", "--enabled", "false",
        "-o", "json").json();
    assertThat(robot.getString("description")).isEqualTo("Nightly");
    assertThat(review("grp", credential, builder).getBoolean("authenticated")).isFalse();
    ok("robot", "update", "--tenant", "grp", "builder", "--enabled", "true");
    assertThat(review("grp", credential, builder).getBoolean("authenticated")).isTrue();

    Run nothing = lanyard("user", "update", "--tenant", "grp", "caroline");
    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).startsWith("nothing to change").contains("Usage: lanyard user update");
    Run unknownGroup = lanyard("user", "set-groups", "--tenant", "grp", "caroline", "--group", "nosuch");
    assertThat(unknownGroup.exit()).isEqualTo(1);
    assertThat(unknownGroup.err()).startsWith("lanyard: Bad Request").contains("groups[0]: no group 'nosuch'")
        .doesNotContain("Exception");
    Run badEmail = lanyard("user", "update", "--tenant", "grp", "caroline", "--email", "not-an-address");
    assertThat(badEmail.exit()).isEqualTo(1);
    assertThat(badEmail.err()).contains("  email: ");
    assertThat(lanyard("robot", "set-groups", "--tenant", "grp", "builder").exit()).isNotZero(); // --group or --none
    assertThat(groups("grp", credential, builder)).containsExactlyInAnyOrder("ops", "dev");
    Run noRobot = lanyard("robot", "update", "--tenant", "grp", "nobody", "--enabled", "false");
    assertThat(noRobot.exit()).isEqualTo(1);
    assertThat(noRobot.err()).startsWith("lanyard: Not Found: no robot nobody");
  }

  @Test
  @DisplayName("robots by name or id: update, a client's --robot, delete; an unknown one is a 404 naming it")
  void robotsByNameOrId() {
    ok("tenant", "create", "rid");
    String id = ok("robot", "create", "--tenant", "rid", "packer", "-o", "json").json().getString("id");
    assertThat(ok("robot", "update", "--tenant", "rid", id, "--description", "by id", "-o", "json").json()
        .getString("description")).isEqualTo("by id");
    assertThat(ok("robot", "update", "--tenant", "rid", "packer", "--enabled", "false", "-o", "json").json()
        .getBoolean("enabled")).isFalse();
    ok("client", "create", "--tenant", "rid", "svc", "--grant-type", "client_credentials");
    assertThat(ok("client", "update", "--tenant", "rid", "svc", "--robot", id, "-o", "json").json().getString("robot"))
        .isEqualTo(id);
    ok("client", "update", "--tenant", "rid", "svc", "--no-robot");
    assertThat(ok("client", "update", "--tenant", "rid", "svc", "--robot", "packer", "-o", "json").json()
        .getString("robot")).isEqualTo(id);
    ok("client", "delete", "--tenant", "rid", "svc");
    ok("robot", "delete", "--tenant", "rid", id);
    Run gone = lanyard("robot", "delete", "--tenant", "rid", "packer");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).startsWith("lanyard: Not Found: no robot packer in tenant rid");
  }

  @Test
  @DisplayName("group add-member, remove-member, members; user and robot show their groups; the webhook follows")
  void groupMembership() {
    ok("tenant", "create", "mem");
    ok("group", "create", "--tenant", "mem", "dev");
    ok("group", "create", "--tenant", "mem", "ops");
    ok("user", "create", "--tenant", "mem", "gus", "--group", "dev");
    ok("robot", "create", "--tenant", "mem", "pipeline", "--group", "ops");
    String credential = ok("cluster", "add", "--tenant", "mem", "k", "-o", "json").json().getString("credential");
    String token = ok("token", "create", "--tenant", "mem", "--user", "gus", "-o", "json").json().getString("token");
    assertThat(ok("user", "show", "--tenant", "mem", "gus").out()).containsPattern("username:\\s+gus")
        .containsPattern("groups:\\s+dev\n");

    assertThat(ok("group", "add-member", "--tenant", "mem", "ops", "gus").out()).isEqualTo("Added gus to group ops.\n");
    assertThat(groups("mem", credential, token)).containsExactlyInAnyOrder("dev", "ops");
    JsonArray members = ok("group", "members", "--tenant", "mem", "ops", "-o", "json").json().getJsonArray("items");
    assertThat(members).hasSize(1);
    assertThat(members.getJsonObject(0).getString("username")).isEqualTo("gus");
    assertThat(ok("group", "members", "--tenant", "mem", "dev").out()).startsWith("ID").contains("gus");
    String userId = members.getJsonObject(0).getString("id");
    ok("group", "remove-member", "--tenant", "mem", "dev", userId);
    assertThat(groups("mem", credential, token)).containsExactly("ops");
    assertThat(ok("user", "show", "--tenant", "mem", userId, "-o", "json").json().getJsonArray("groups"))
        .containsExactly("ops");
    assertThat(ok("group", "members", "--tenant", "mem", "dev", "-o", "json").json().getJsonArray("items")).isEmpty();
    JsonObject robot = ok("robot", "show", "--tenant", "mem", "pipeline", "-o", "json").json();
    assertThat(robot.getString("name")).isEqualTo("pipeline");
    assertThat(robot.getJsonArray("groups")).containsExactly("ops");

    Run nobody = lanyard("group", "add-member", "--tenant", "mem", "ops", "nobody");
    assertThat(nobody.exit()).isEqualTo(1);
    assertThat(nobody.err()).startsWith("lanyard: Not Found: no user nobody in tenant mem");
    Run noGroup = lanyard("group", "members", "--tenant", "mem", "nosuch");
    assertThat(noGroup.exit()).isEqualTo(1);
    assertThat(noGroup.err()).startsWith("lanyard: Not Found: no group nosuch");
    assertThat(lanyard("user", "show", "--tenant", "mem", "nobody").err()).startsWith("lanyard: Not Found: no user nobody");
  }

  @Test
  @DisplayName("audit list: a tenant's or every tenant's events, by action, actor and time; one page, table or JSON")
  void auditList() {
    ok("tenant", "create", "aud");
    ok("group", "create", "--tenant", "aud", "g1");
    ok("group", "create", "--tenant", "aud", "g2");
    ok("user", "create", "--tenant", "aud", "hal");
    JsonObject groups = ok("audit", "list", "--tenant", "aud", "--action", "group.create", "-o", "json").json();
    assertThat(groups.getLong("total")).isEqualTo(2);
    assertThat(groups.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("target")))
        .containsExactly("group:aud/g2", "group:aud/g1"); // newest first
    String actor = groups.getJsonArray("items").getJsonObject(0).getString("actor");
    Run table = ok("audit", "list", "--tenant", "aud", "--actor", actor);
    assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("AT").contains("ACTION").contains("TARGET");
    assertThat(table.out()).contains("user.create").contains("group.create").doesNotContain("tenant:other");
    assertThat(ok("audit", "list", "--action", "user.create", "-o", "json").json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("tenant"))).contains("aud");
    Run one = ok("audit", "list", "--tenant", "aud", "--limit", "1");
    assertThat(one.out().lines()).hasSize(2);
    assertThat(one.err()).startsWith("Showing 1 of ").contains("--offset 1 for older ones");
    assertThat(ok("audit", "list", "--tenant", "aud", "--actor", "nobody", "-o", "json").json().getJsonArray("items"))
        .isEmpty();
    assertThat(ok("audit", "list", "--tenant", "aud", "--from", "2999-01-01T00:00:00Z", "-o", "json").json()
        .getJsonArray("items")).isEmpty();
    assertThat(ok("audit", "list", "--tenant", "aud", "--to", "2999-01-01T00:00:00Z", "--action", "user.create",
        "-o", "json").json().getLong("total")).isEqualTo(1);
    Run badFrom = lanyard("audit", "list", "--tenant", "aud", "--from", "yesterday");
    assertThat(badFrom.exit()).isEqualTo(1);
    assertThat(badFrom.err()).startsWith("lanyard: Bad Request").contains("  from: an RFC 3339 instant");
  }

  @Test
  @DisplayName("login --token-stdin saves a token the server accepts; logout revokes it and removes it from the context")
  void tokenLoginAndLogout() throws Exception {
    Path passwordCtx = dir.resolve("pw.yaml");
    Run pw = runWithStdin(TestLanyard.ADMIN_PASSWORD + "\n", "--server", lanyard.baseUrl(), "--cacert",
        lanyard.server().caFile().toString(), "--context", passwordCtx.toString(), "login", "--username", "admin",
        "--password-stdin");
    assertThat(pw.exit()).as(pw.toString()).isZero();
    String token = Context.read(passwordCtx).token();
    Path first = dir.resolve("token-1.yaml");
    Path second = dir.resolve("token-2.yaml");
    for (Path ctx : new Path[] {first, second}) {
      Run login = runWithStdin(token + "\n", "--server", lanyard.baseUrl(), "--cacert", lanyard.server().caFile().toString(),
          "--context", ctx.toString(), "login", "--token-stdin");
      assertThat(login.exit()).as(login.toString()).isZero();
      assertThat(login.out()).startsWith("Logged in to " + lanyard.baseUrl() + " as default/admin. Saved in " + ctx);
      assertThat(Context.read(ctx).token()).isEqualTo(token);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ctx))).isEqualTo("rw-------");
    }
    assertThat(run("--context", first.toString(), "tenant", "list").exit()).isZero();

    Run logout = run("--context", first.toString(), "logout");
    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(logout.out()).isEqualTo("Logged out of " + lanyard.baseUrl() + ": the token is revoked and removed from "
        + first + ".\n");
    Context after = Context.read(first);
    assertThat(after.token()).isNull();
    assertThat(after.server()).isEqualTo(lanyard.baseUrl());
    Run refused = run("--context", passwordCtx.toString(), "tenant", "list");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).startsWith("lanyard: Unauthorized");
    Run again = run("--context", second.toString(), "logout");
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.out()).isEqualTo("The token was no longer valid and removed from " + second + ".\n");
    Run notLoggedIn = run("--context", first.toString(), "logout");
    assertThat(notLoggedIn.exit()).isEqualTo(1);
    assertThat(notLoggedIn.err()).startsWith("lanyard: not logged in");

    Path wrongCtx = dir.resolve("wrong.yaml");
    Run wrong = runWithStdin("lya_wrong\n", "--server", lanyard.baseUrl(), "--cacert", lanyard.server().caFile().toString(),
        "--context", wrongCtx.toString(), "login", "--token-stdin");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).startsWith("lanyard: Unauthorized").hasLineCount(1);
    assertThat(wrongCtx).doesNotExist();
    Run both = runWithStdin(token + "\n", "--context", wrongCtx.toString(), "login", "--token-stdin", "--username", "admin");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).startsWith("--token-stdin takes no --username").contains("Usage: lanyard login");
    Run neither = run("--context", wrongCtx.toString(), "login");
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).startsWith("give --username (a password login) or --token-stdin");
  }

  @Test
  @DisplayName("usage errors found after parsing exit 2 with the usage, before any request, as parse errors do")
  void usageErrorsExit2() {
    String[][] cases = {
        {"robot", "update", "--tenant", "default", "any"},
        {"client", "update", "--tenant", "default", "any", "--robot", "r", "--no-robot"},
        {"client", "update", "--tenant", "default", "any", "--grant-type", "password", "--remove-grant-type", "password"},
        {"tenant", "update", "default", "--reset", "nonsense"},
        {"cluster", "add", "--tenant", "default", "any", "--client-certificate"},
        {"cluster", "add", "--tenant", "default", "any", "--data-dir", dir.resolve("nodata").toString(), "--token", "lya_x"},
        {"user", "list", "--no-such-option"}};
    for (String[] c : cases) {
      Run r = lanyard(c);
      assertThat(r.exit()).as(String.join(" ", c) + "\n" + r).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", c)).contains("Usage: lanyard " + c[0] + " " + c[1]).doesNotContain("\tat ");
    }
    assertThat(ok("cluster", "list", "--tenant", "default").out()).doesNotContain("any");
  }

  @Test
  @DisplayName("client rotate-secret shows the new secret once, the old one stops working; cluster rotate-credential likewise")
  void rotations() throws Exception {
    ok("tenant", "create", "rot");
    String first = ok("client", "create", "--tenant", "rot", "svc", "--grant-type", "client_credentials", "-o", "json")
        .json().getString("secret");
    assertThat(introspect("rot", "svc", first)).isEqualTo(200);
    Run rotated = ok("client", "rotate-secret", "--tenant", "rot", "svc");
    String second = rotated.out().lines().filter(l -> l.startsWith("secret:"))
        .map(l -> l.substring("secret:".length()).strip()).findFirst().orElseThrow();
    assertThat(second).isNotBlank().isNotEqualTo(first);
    assertThat(rotated.err()).contains("shown only now");
    assertThat(introspect("rot", "svc", first)).isEqualTo(401);
    assertThat(introspect("rot", "svc", second)).isEqualTo(200);
    String third = ok("client", "rotate-secret", "--tenant", "rot", "svc", "-o", "json").json().getString("secret");
    assertThat(introspect("rot", "svc", third)).isEqualTo(200);
    assertThat(ok("client", "list", "--tenant", "rot").out()).doesNotContain(third);
    ok("client", "create", "--tenant", "rot", "pub", "--public", "--redirect-uri", "http://localhost:8000");
    Run pub = lanyard("client", "rotate-secret", "--tenant", "rot", "pub");
    assertThat(pub.exit()).isEqualTo(1);
    assertThat(pub.err()).startsWith("lanyard: Bad Request").contains("is public");

    ok("user", "create", "--tenant", "rot", "dan");
    String old = ok("cluster", "add", "--tenant", "rot", "east", "-o", "json").json().getString("credential");
    String token = ok("token", "create", "--tenant", "rot", "--user", "dan", "-o", "json").json().getString("token");
    assertThat(review("rot", old, token).getBoolean("authenticated")).isTrue();
    Run newer = ok("cluster", "rotate-credential", "--tenant", "rot", "east");
    String credential = newer.out().lines().filter(l -> l.startsWith("credential:"))
        .map(l -> l.substring("credential:".length()).strip()).findFirst().orElseThrow();
    assertThat(credential).startsWith("lyw_").isNotEqualTo(old);
    assertThat(newer.out()).contains("==> " + ClusterOnboarding.WEBHOOK_KUBECONFIG + " <==")
        .contains("token: " + credential).contains(lanyard.baseUrl() + "/t/rot/tokenreview")
        .contains("==> " + ClusterOnboarding.FLAGS_FILE + " <==").contains("--authentication-token-webhook-cache-ttl=10s")
        .contains("==> authentication-config-v1.yaml <==");
    assertThat(newer.err()).contains("shown only now");
    assertThat(reviewResponse("rot", old, token).statusCode()).isEqualTo(401);
    assertThat(review("rot", credential, token).getBoolean("authenticated")).isTrue();

    Path files = dir.resolve("rotated");
    JsonObject json = ok("cluster", "rotate-credential", "--tenant", "rot", "east", "--out-dir", files.toString(),
        "-o", "json").json();
    assertThat(json.getString("webhookUrl")).isEqualTo(lanyard.baseUrl() + "/t/rot/tokenreview");
    assertThat(Files.readString(files.resolve(ClusterOnboarding.WEBHOOK_KUBECONFIG))).contains(json.getString("credential"));
    assertThat(reviewResponse("rot", credential, token).statusCode()).isEqualTo(401);
    assertThat(review("rot", json.getString("credential"), token).getBoolean("authenticated")).isTrue();
    Run missing = lanyard("cluster", "rotate-credential", "--tenant", "rot", "west");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("lanyard: Not Found").contains("west");
  }

  @Test
  @DisplayName("tenant update and show: display name and settings, --reset back to the default; bad values name the field")
  void tenantUpdate() {
    ok("tenant", "create", "upd");
    ok("user", "create", "--tenant", "upd", "erin");
    JsonObject updated = ok("tenant", "update", "upd", "--display-name", "Upd Inc", "--access-token-lifetime", "5m",
        "--token-max-ttl", "7d", "--token-default-ttl", "1d", "--robot-prefix", "bot:", "--username-from", "email",
        "-o", "json").json();
    assertThat(updated.getString("displayName")).isEqualTo("Upd Inc");
    JsonObject settings = updated.getJsonObject("settings");
    assertThat(settings.getString("accessTokenLifetime")).isEqualTo("5m");
    assertThat(settings.getString("tokenMaxTtl")).isEqualTo("7d");
    assertThat(settings.getString("robotPrefix")).isEqualTo("bot:");
    assertThat(settings.getString("usernameFrom")).isEqualTo("email");
    assertThat(settings.getString("idTokenLifetime")).isNull();
    // The tenant's maximum now bounds token create.
    Run tooLong = lanyard("token", "create", "--tenant", "upd", "--user", "erin", "--ttl", "8d");
    assertThat(tooLong.exit()).isEqualTo(1);
    assertThat(tooLong.err()).contains("  ttl: at most 7d");

    // Only what is given changes; the table shows the settings one per line, a default as such.
    Run shown = ok("tenant", "update", "upd", "--reset", "access-token-lifetime", "--reset", "token-max-ttl",
        "--reset", "token-default-ttl");
    assertThat(shown.out()).containsPattern("displayName:\\s+Upd Inc").containsPattern("settings.robotPrefix:\\s+bot:")
        .containsPattern("settings.accessTokenLifetime:\\s+default").containsPattern("settings.tokenMaxTtl:\\s+default");
    JsonObject show = ok("tenant", "show", "upd", "-o", "json").json();
    assertThat(show.getJsonObject("settings").getString("accessTokenLifetime")).isNull();
    assertThat(show.getJsonObject("settings").getString("robotPrefix")).isEqualTo("bot:");
    assertThat(ok("tenant", "show", "upd").out()).containsPattern("id:\\s+upd")
        .containsPattern("settings.usernameFrom:\\s+email");
    assertThat(ok("token", "create", "--tenant", "upd", "--user", "erin", "--ttl", "8d").exit()).isZero();

    Run badDuration = lanyard("tenant", "update", "upd", "--refresh-idle-lifetime", "soon", "--access-token-lifetime", "25h");
    assertThat(badDuration.exit()).isEqualTo(1);
    assertThat(badDuration.err()).startsWith("lanyard: Bad Request")
        .contains("  settings.refreshIdleLifetime: 'soon' is not a duration")
        .contains("  settings.accessTokenLifetime: at most 1d").doesNotContain("Exception");
    Run huge = lanyard("tenant", "update", "upd", "--access-token-lifetime", "PT2562047788015215H");
    assertThat(huge.exit()).isEqualTo(1);
    assertThat(huge.err()).contains("  settings.accessTokenLifetime: 'PT2562047788015215H' is too long");
    Run badReset = lanyard("tenant", "update", "upd", "--reset", "robot-prefix");
    assertThat(badReset.exit()).isEqualTo(2);
    assertThat(badReset.err()).startsWith("--reset robot-prefix: not a setting with a default");
    Run both = lanyard("tenant", "update", "upd", "--token-max-ttl", "1d", "--reset", "token-max-ttl");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("give one");
    assertThat(lanyard("tenant", "update", "upd").err()).startsWith("nothing to change");
    assertThat(ok("tenant", "show", "upd", "-o", "json").json().getJsonObject("settings").getString("refreshIdleLifetime"))
        .isNull();
    Run missing = lanyard("tenant", "show", "nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("lanyard: Not Found: no tenant nope");
    assertThat(lanyard("tenant", "update", "nope", "--display-name", "x").err()).startsWith("lanyard: Not Found");
  }

  @Test
  @DisplayName("client update: replaced or edited lists, display name, robot; the rest stays; bad input is refused")
  void clientUpdate() {
    ok("tenant", "create", "cup");
    ok("client", "create", "--tenant", "cup", "app", "--public", "--redirect-uri", "http://localhost:8000",
        "--display-name", "App");
    JsonObject added = ok("client", "update", "--tenant", "cup", "app", "--add-redirect-uri", "http://localhost:18000",
        "--add-grant-type", "password", "-o", "json").json();
    assertThat(added.getJsonArray("redirectUris")).containsExactly("http://localhost:8000", "http://localhost:18000");
    assertThat(added.getJsonArray("grantTypes")).containsExactlyInAnyOrder("authorization_code", "refresh_token", "password");
    assertThat(added.getString("displayName")).isEqualTo("App");
    JsonObject removed = ok("client", "update", "--tenant", "cup", "app", "--remove-redirect-uri", "http://localhost:8000",
        "--display-name", "The App", "-o", "json").json();
    assertThat(removed.getJsonArray("redirectUris")).containsExactly("http://localhost:18000");
    assertThat(removed.getJsonArray("grantTypes")).hasSize(3);
    assertThat(removed.getString("displayName")).isEqualTo("The App");
    Run replaced = ok("client", "update", "--tenant", "cup", "app", "--redirect-uri", "http://127.0.0.1:9000",
        "--grant-type", "authorization_code");
    assertThat(replaced.out()).containsPattern("redirectUris:\\s+http://127.0.0.1:9000\n")
        .containsPattern("grantTypes:\\s+authorization_code\n").containsPattern("type:\\s+public");

    ok("robot", "create", "--tenant", "cup", "svc-bot");
    ok("client", "create", "--tenant", "cup", "svc", "--grant-type", "client_credentials");
    String robotId = ok("robot", "list", "--tenant", "cup", "-o", "json").json().getJsonArray("items").getJsonObject(0)
        .getString("id");
    assertThat(ok("client", "update", "--tenant", "cup", "svc", "--robot", "svc-bot", "-o", "json").json()
        .getString("robot")).isEqualTo(robotId);
    JsonObject unlinked = ok("client", "update", "--tenant", "cup", "svc", "--no-robot", "-o", "json").json();
    assertThat(unlinked.getString("robot")).isNull();
    assertThat(unlinked.getJsonArray("grantTypes")).containsExactly("client_credentials");

    Run publicCredentials = lanyard("client", "update", "--tenant", "cup", "app", "--add-grant-type", "client_credentials");
    assertThat(publicCredentials.exit()).isEqualTo(1);
    assertThat(publicCredentials.err()).startsWith("lanyard: Bad Request")
        .contains("  grantTypes: client_credentials needs a confidential client");
    Run badUri = lanyard("client", "update", "--tenant", "cup", "app", "--redirect-uri", "http://evil.example/cb");
    assertThat(badUri.exit()).isEqualTo(1);
    assertThat(badUri.err()).contains("  redirectUris[0]: http only for loopback hosts");
    Run notThere = lanyard("client", "update", "--tenant", "cup", "app", "--remove-redirect-uri", "http://localhost:1");
    assertThat(notThere.exit()).isEqualTo(1);
    assertThat(notThere.err()).startsWith("lanyard: client app has no redirect URI http://localhost:1 to remove");
    Run mixed = lanyard("client", "update", "--tenant", "cup", "app", "--redirect-uri", "http://localhost:1",
        "--add-redirect-uri", "http://localhost:2");
    assertThat(mixed.exit()).isEqualTo(2);
    assertThat(mixed.err()).contains("not both");
    assertThat(lanyard("client", "update", "--tenant", "cup", "app").err()).startsWith("nothing to change");
    Run unknown = lanyard("client", "update", "--tenant", "cup", "nosuch", "--display-name", "X");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("lanyard: Not Found: no client nosuch in tenant cup");
    Run unknownEdit = lanyard("client", "update", "--tenant", "cup", "nosuch", "--add-redirect-uri", "http://localhost:1");
    assertThat(unknownEdit.err()).startsWith("lanyard: Not Found: no client nosuch in tenant cup");
    Run unknownRobot = lanyard("client", "update", "--tenant", "cup", "svc", "--robot", "nobody");
    assertThat(unknownRobot.err()).startsWith("lanyard: Not Found: no robot nobody");
    assertThat(ok("client", "list", "--tenant", "cup", "-o", "json").json().getJsonArray("items").getJsonObject(0)
        .getJsonArray("redirectUris")).containsExactly("http://127.0.0.1:9000");
  }

  @Test
  @DisplayName("group rename: by name or id; the webhook answers with the new name; taken or unknown names are refused")
  void groupRename() {
    ok("tenant", "create", "gren");
    ok("group", "create", "--tenant", "gren", "devs");
    ok("group", "create", "--tenant", "gren", "ops");
    ok("user", "create", "--tenant", "gren", "fay", "--group", "devs");
    String credential = ok("cluster", "add", "--tenant", "gren", "k", "-o", "json").json().getString("credential");
    String token = ok("token", "create", "--tenant", "gren", "--user", "fay", "-o", "json").json().getString("token");
    assertThat(groups("gren", credential, token)).containsExactly("devs");
    assertThat(ok("group", "rename", "--tenant", "gren", "devs", "developers").out()).containsPattern("name:\\s+developers");
    assertThat(groups("gren", credential, token)).containsExactly("developers");
    String id = ok("group", "list", "--tenant", "gren", "-o", "json").json().getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(g -> g.getString("name").equals("developers")).findFirst().orElseThrow()
        .getString("id");
    assertThat(ok("group", "rename", "--tenant", "gren", id, "engineers", "-o", "json").json().getString("name"))
        .isEqualTo("engineers");
    assertThat(groups("gren", credential, token)).containsExactly("engineers");

    Run taken = lanyard("group", "rename", "--tenant", "gren", "engineers", "ops");
    assertThat(taken.exit()).isEqualTo(1);
    assertThat(taken.err()).startsWith("lanyard: Conflict: group ops exists in tenant gren");
    Run badName = lanyard("group", "rename", "--tenant", "gren", "engineers", "system:masters");
    assertThat(badName.exit()).isEqualTo(1);
    assertThat(badName.err()).startsWith("lanyard: Bad Request").contains("  name: ");
    Run unknown = lanyard("group", "rename", "--tenant", "gren", "nosuch", "x");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("lanyard: Not Found: no group nosuch in tenant gren");
    assertThat(lanyard("group", "rename", "--tenant", "gren", "engineers").exit()).isNotZero(); // NEW_NAME missing
    assertThat(groups("gren", credential, token)).containsExactly("engineers");
  }

  @Test
  @DisplayName("-o json prints the API's JSON; table output has headers")
  void jsonOutput() {
    JsonObject tenants = ok("tenant", "list", "-o", "json").json();
    assertThat(tenants.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id"))).contains("default");
    assertThat(tenants.getLong("total")).isPositive();
    JsonObject users = ok("user", "list", "--tenant", "default", "--output", "json").json();
    assertThat(users.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("username"))).contains("admin");
    assertThat(ok("user", "list", "--tenant", "default").out().lines().findFirst().orElseThrow())
        .startsWith("ID").contains("USERNAME").contains("ENABLED");
  }

  @Test
  @DisplayName("an API validation error exits 1 naming the field; no stack trace")
  void validationError() {
    Run bad = lanyard("tenant", "create", "Not_A_Tenant");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).startsWith("lanyard: Bad Request: the request has invalid fields")
        .contains("  id: lower-case letters").doesNotContain("Exception").doesNotContain("\tat ");
    Run badTtl = lanyard("token", "create", "--tenant", "default", "--user", "admin", "--ttl", "soon");
    assertThat(badTtl.exit()).isEqualTo(1);
    assertThat(badTtl.err()).contains("ttl:");
    Run conflict = lanyard("group", "create", "--tenant", "default", "dup");
    assertThat(conflict.exit()).isZero();
    assertThat(lanyard("group", "create", "--tenant", "default", "dup").err()).startsWith("lanyard: Conflict");
    Run missing = lanyard("user", "list", "--tenant", "nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("lanyard: Not Found: no tenant nope");
  }

  @Test
  @DisplayName("global options work before or after the subcommand; a wrong token is a clear 401")
  void globalOptions() {
    String token = Files.exists(context) ? Context.read(context).token() : null;
    Path none = dir.resolve("no-context.yaml");
    String ca = lanyard.server().caFile().toString();
    Run before = run("--context", none.toString(), "--server", lanyard.baseUrl(), "--cacert", ca, "--token", token,
        "tenant", "list");
    assertThat(before.exit()).as(before.toString()).isZero();
    Run after = run("tenant", "list", "--context", none.toString(), "--server", lanyard.baseUrl(), "--cacert", ca,
        "--token", token);
    assertThat(after.exit()).as(after.toString()).isZero();
    assertThat(after.out()).isEqualTo(before.out());
    Run wrong = run("tenant", "list", "--context", none.toString(), "--server", lanyard.baseUrl(), "--cacert", ca,
        "--token", "lya_wrong");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).startsWith("lanyard: Unauthorized").contains("lanyard login").hasLineCount(1);
    Run noServer = run("tenant", "list", "--context", none.toString());
    assertThat(noServer.exit()).isEqualTo(1);
    assertThat(noServer.err()).isEqualTo("lanyard: no server: pass --server URL, set LANYARD_SERVER, or run 'lanyard login'\n");
  }

  @Test
  @DisplayName("a wrong --cacert, no CA, and an unreachable server each fail with one clear line")
  void connectionErrors() throws Exception {
    Path none = dir.resolve("no-context.yaml");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    Run bad = run("--context", none.toString(), "--server", lanyard.baseUrl(), "--cacert", garbage.toString(),
        "--token", "lya_x", "tenant", "list");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).isEqualTo("lanyard: CA certificate " + garbage + " is not a PEM certificate\n");
    Run missing = run("--context", none.toString(), "--server", lanyard.baseUrl(), "--cacert", dir.resolve("nope.pem").toString(),
        "--token", "lya_x", "tenant", "list");
    assertThat(missing.err()).contains("no such file").hasLineCount(1);
    // Another CA than the server's: here the JDK default trust store, which does not hold Lanyard's CA.
    Run untrusted = run("--context", none.toString(), "--server", lanyard.baseUrl(), "--token", "lya_x", "tenant", "list");
    assertThat(untrusted.exit()).isEqualTo(1);
    assertThat(untrusted.err()).startsWith("lanyard: TLS: the certificate of " + lanyard.baseUrl() + " is not trusted")
        .contains("--cacert").hasLineCount(1);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run refused = run("--context", none.toString(), "--server", "https://127.0.0.1:" + port, "--token", "lya_x", "tenant", "list");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("lanyard: cannot connect to https://127.0.0.1:" + port + ": connection refused\n");
  }

  @Test
  @DisplayName("--help works on every remote command and subcommand")
  void help() {
    String[][] commands = {{"login"}, {"logout"}, {"tenant"}, {"tenant", "list"}, {"tenant", "show"}, {"tenant", "create"},
        {"tenant", "update"}, {"tenant", "delete"},
        {"user"}, {"user", "list"}, {"user", "show"}, {"user", "create"}, {"user", "update"}, {"user", "disable"}, {"user", "enable"},
        {"user", "set-password"}, {"user", "set-groups"}, {"user", "delete"}, {"group"}, {"group", "list"},
        {"group", "create"}, {"group", "rename"}, {"group", "delete"}, {"group", "members"}, {"group", "add-member"},
        {"group", "remove-member"}, {"client"}, {"client", "list"},
        {"client", "create"}, {"client", "update"}, {"client", "rotate-secret"}, {"client", "delete"}, {"robot"}, {"robot", "list"}, {"robot", "show"}, {"robot", "create"},
        {"robot", "update"}, {"robot", "set-groups"}, {"robot", "delete"}, {"token"}, {"token", "create"},
        {"token", "list"}, {"token", "revoke"}, {"cluster"}, {"cluster", "list"}, {"cluster", "add"},
        {"cluster", "rotate-credential"}, {"cluster", "delete"}, {"keys"}, {"keys", "list"}, {"keys", "rotate"},
        {"audit"}, {"audit", "list"}};
    for (String[] c : commands) {
      String[] args = java.util.Arrays.copyOf(c, c.length + 1);
      args[c.length] = "--help";
      Run r = run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).contains("Usage: lanyard " + String.join(" ", c));
    }
    assertThat(run("--help").out()).contains("--server").contains("tenant").contains("token");
  }
}
