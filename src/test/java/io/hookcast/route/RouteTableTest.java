package io.hookcast.route;

import io.hookcast.config.RouteConfig;
import io.hookcast.config.RouteConfig.DedupConfig;
import io.hookcast.config.RouteConfig.Mode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

class RouteTableTest {

  private static final RouteConfig ROOT = route("/", "one");
  private static final RouteConfig GITHUB = route("/github", "ci");
  private static final RouteConfig GITHUB_ORG = route("/github/org", "audit");

  private final RouteTable table = new RouteTable(List.of(ROOT, GITHUB, GITHUB_ORG));

  private static RouteConfig route(String path, String backend) {
    return new RouteConfig(path, List.of(backend), Mode.ASYNC, new DedupConfig(DedupConfig.Key.HEADER, List.of(), 24), null, Map.of(),
      null, List.of("POST"), null);
  }

  @Test
  void aRouteMatchesItsOwnPathAndEverythingBelowIt() {
    assertEquals(GITHUB, table.match("/github"));
    assertEquals(GITHUB, table.match("/github/"));
    assertEquals(GITHUB, table.match("/github/push/1"));
  }

  @Test
  void aRouteDoesNotMatchAPathThatOnlySharesItsLetters() {
    assertEquals(ROOT, table.match("/githubx"));
    assertEquals(GITHUB, table.match("/github/organisation"));
  }

  @Test
  void theLongestMatchingRouteWins() {
    assertEquals(GITHUB_ORG, table.match("/github/org"));
    assertEquals(GITHUB_ORG, table.match("/github/org/repo"));
  }

  @Test
  void aPathNoRouteCoversMatchesNothing() {
    RouteTable withoutRoot = new RouteTable(List.of(GITHUB));
    assertNull(withoutRoot.match("/stripe"));
    assertNull(withoutRoot.match("/"));
  }

  @Test
  void aBackendThatIgnoresCaseMayTakeAPathForAnotherRoute() {
    assertEquals(ROOT, table.match("/GitHub/push"));
    assertEquals(GITHUB, table.matchAsBackendsMay("/GitHub/push"));
    assertEquals(GITHUB_ORG, table.matchAsBackendsMay("/GITHUB/ORG/repo"));
    assertEquals(ROOT, table.matchAsBackendsMay("/GitHubx"));
    assertEquals(GITHUB, table.matchAsBackendsMay("/github"));
  }

  @Test
  void aBackendThatDropsASuffixMayTakeAPathForAnotherRoute() {
    for (String suffixed : List.of("/github.json", "/github.", "/github~", "/github%20", "/GitHub.xml")) {
      assertEquals(ROOT, table.match(suffixed), suffixed);
      assertEquals(GITHUB, table.matchAsBackendsMay(suffixed), suffixed);
    }
    assertEquals(GITHUB_ORG, table.matchAsBackendsMay("/github/org.json"));
    assertEquals(ROOT, table.matchAsBackendsMay("/githubx.json"));
  }

  @Test
  void onlyLetterCaseCountsAsDifferingByCase() {
    assertTrue(RouteTable.coversIgnoringCase("/github", "/GitHub/push"));
    assertTrue(RouteTable.coversIgnoringCase("/", "/anything"));
    assertFalse(RouteTable.coversIgnoringCase("/github", "/GitHub.json"));
  }
}
