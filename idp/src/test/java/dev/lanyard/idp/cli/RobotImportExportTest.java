package dev.lanyard.idp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.portability.ImportFile;
import dev.lanyard.idp.portability.ImportReader;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.LanyardProcess;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.Group;
import dev.lanyard.storage.model.Robot;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Robots in {@code lanyard export} and {@code lanyard import}, as separate processes on real H2 files. */
class RobotImportExportTest {
  static final String WITH_ROBOT = """
      tenants:
        - id: demo
          users:
            - {username: alice, password: correct-horse-battery, groups: [dev, ops]}
          robots:
            - {name: deployer, description: CI pipeline, groups: [dev, ops]}
          clients:
            - {id: ci, secret: ci-secret-0123456789abcdef, grants: [client_credentials], robot: deployer}
      """;

  static final String SECRET = "ci-secret-0123456789abcdef";

  @TempDir
  Path dir;

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private LanyardProcess importFile(Path data, Path file) {
    return LanyardProcess.run(dir, "import", file.toString(), "--data-dir", data.toString());
  }

  private String export(Path data) {
    LanyardProcess export = LanyardProcess.run(dir, "export", "--data-dir", data.toString());
    assertThat(export.exitCode()).as(export.stderr()).isZero();
    return export.stdout();
  }

  @Test
  @DisplayName("a client may act as a robot defined in the same file; re-importing the export changes nothing")
  void clientActsAsRobotOfTheSameFile() throws Exception {
    Path data = dir.resolve("data");
    LanyardProcess imported = importFile(data, write("in.yaml", WITH_ROBOT));
    assertThat(imported.exitCode()).as(imported.stderr()).isZero();
    assertThat(imported.stdout()).contains("robots: 1 created, 0 updated").contains("clients: 1 created");
    String exported = export(data);
    assertThat(exported).contains("name: deployer", "description: CI pipeline", "robot: deployer");

    // Clear passwords are hashed again on each import; the export (hashes) is the idempotent file.
    LanyardProcess again = importFile(data, write("again.yaml", exported));
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout()).contains("robots: 0 created, 1 updated");
    assertThat(export(data)).isEqualTo(exported);
  }

  @Test
  @DisplayName("export of robots (groups, enabled flag) and clients acting as them imports into a new data directory"
      + " and works there")
  void robotsSurviveExportIntoANewDataDirectory() throws Exception {
    Path source = dir.resolve("source");
    try (TestLanyard first = TestLanyard.start(source)) { // first start: tenant default with its admin
      first.server().storage().transactionBlocking(s -> {
        Instant now = Instant.now();
        s.groups().create(new Group("default", "g-dev", "dev", now));
        s.groups().create(new Group("default", "g-ops", "ops", now));
        s.robots().create(new Robot("default", "robot-deployer", "deployer", "CI pipeline", true, now, now));
        s.robots().setGroups("default", "robot-deployer", Set.of("g-dev", "g-ops"));
        s.robots().create(new Robot("default", "robot-retired", "retired", null, false, now, now));
        return null;
      });
    }
    LanyardProcess clients = importFile(source, write("clients.yaml", """
        tenants:
          - id: default
            clients:
              - {id: ci, secret: %s, grants: [client_credentials], robot: deployer}
              - {id: old-ci, secret: %s, grants: [client_credentials], robot: retired}
        """.formatted(SECRET, SECRET)));
    assertThat(clients.exitCode()).as(clients.stderr()).isZero();

    Path exportFile = write("export.yaml", export(source));
    ImportFile.TenantEntry tenant = ImportReader.read(exportFile).tenants().get(0);
    assertThat(tenant.robots()).containsExactly(
        new ImportFile.RobotEntry("robot-deployer", "deployer", "CI pipeline", true, List.of("dev", "ops")),
        new ImportFile.RobotEntry("robot-retired", "retired", null, false, List.of()));
    assertThat(tenant.clients()).extracting(ImportFile.ClientEntry::id, ImportFile.ClientEntry::robot)
        .contains(tuple("ci", "deployer"),
            tuple("old-ci", "retired"));

    Path target = dir.resolve("target");
    LanyardProcess imported = importFile(target, exportFile);
    assertThat(imported.exitCode()).as(imported.stderr()).isZero();
    assertThat(imported.stdout()).contains("robots: 2 created, 0 updated");
    assertThat(export(target)).isEqualTo(Files.readString(exportFile));

    // The new data directory serves the robot: same id, groups read at issue time; the disabled one is refused.
    try (TestLanyard lanyard = TestLanyard.start(target)) {
      HttpResponse<String> res = lanyard.postForm("/t/default/token", Map.of("grant_type", "client_credentials",
          "scope", "openid groups"), "ci:" + SECRET);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JWTClaimsSet claims = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "ci",
          new JsonObject(res.body()).getString("id_token"));
      assertThat(claims.getSubject()).isEqualTo("robot-deployer");
      assertThat(claims.getStringListClaim("groups")).containsExactly("dev", "ops");

      HttpResponse<String> off = lanyard.postForm("/t/default/token", Map.of("grant_type", "client_credentials"),
          "old-ci:" + SECRET);
      assertThat(off.statusCode()).as(off.body()).isEqualTo(400);
      assertThat(new JsonObject(off.body()).getString("error_description")).contains("disabled");
    }
  }

  @Test
  @DisplayName("bad robots: every problem named by its path, exit 1, and nothing written (not even an earlier tenant)")
  void badRobotsAreNamedAndNothingIsWritten() throws Exception {
    Path data = dir.resolve("data");
    assertThat(importFile(data, write("ok.yaml", WITH_ROBOT)).exitCode()).isZero();
    String before = export(data);

    LanyardProcess invalid = importFile(data, write("invalid.yaml", """
        tenants:
          - id: demo
            robots:
              - {name: "system:masters"}
              - {name: builder, groups: [dev, "system:masters"]}
              - {name: builder}
              - {description: no name}
              - {name: "has space"}
        """));
    assertThat(invalid.exitCode()).isEqualTo(1);
    assertThat(invalid.stderr())
        .contains("tenants[0].robots[0].name: the system: prefix is reserved")
        .contains("tenants[0].robots[1].groups[1]: the system: prefix is reserved")
        .contains("tenants[0].robots[2].name: 'builder' is listed twice")
        .contains("tenants[0].robots[3].name: required")
        .contains("tenants[0].robots[4].name: letters, digits")
        .doesNotContain("\tat ");
    assertThat(export(data)).isEqualTo(before);

    // Group existence is known only while writing: the tenant before it was already written, and is rolled back.
    LanyardProcess unknownGroup = importFile(data, write("unknown.yaml", """
        tenants:
          - id: fresh
            groups: [{name: dev}]
            users: [{username: bob, passwordHash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"}]
            robots: [{name: ok-bot, groups: [dev]}]
          - id: demo
            robots:
              - {name: builder, groups: [dev, nope]}
        """));
    assertThat(unknownGroup.exitCode()).isEqualTo(1);
    assertThat(unknownGroup.stderr()).contains("tenants[1].robots[0].groups[1]: no group 'nope' in tenant demo")
        .doesNotContain("\tat ");
    assertThat(export(data)).isEqualTo(before).doesNotContain("fresh", "ok-bot", "builder");

    // As for users: a robot listed with an id other than the one its name already has is refused.
    LanyardProcess otherId = importFile(data, write("other-id.yaml", """
        tenants:
          - id: demo
            robots: [{id: another-id, name: deployer}]
        """));
    assertThat(otherId.exitCode()).isEqualTo(1);
    assertThat(otherId.stderr())
        .contains("tenants[0].robots[0].id: robot 'deployer' exists in tenant demo with another id")
        .doesNotContain("\tat ");
    assertThat(export(data)).isEqualTo(before);
  }
}
