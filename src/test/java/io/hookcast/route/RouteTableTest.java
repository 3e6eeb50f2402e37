package io.hookcast.route;

import io.hookcast.config.RouteConfig;
import io.hookcast.config.RouteConfig.DedupConfig;
import io.hookcast.config.RouteConfig.Mode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RouteTableTest {

  private static final RouteConfig ROOT = new RouteConfig("/", List.of("one"), Mode.SYNC, DedupConfig.OFF);
  private static final RouteConfig GITHUB = new RouteConfig("/github", List.of("ci"), Mode.ASYNC, DedupConfig.DEFAULT);
  private static final RouteConfig GITHUB_ORG = new RouteConfig("/github/org", List.of("audit"), Mode.ASYNC, DedupConfig.DEFAULT);

  private final RouteTable table = new RouteTable(List.of(ROOT, GITHUB, GITHUB_ORG));

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
  void ignoringCaseSaysWhichRouteABackendThatIgnoresCaseWouldTakeThePathFor() {
    assertEquals(ROOT, table.match("/GitHub/push"));
    assertEquals(GITHUB, table.matchIgnoringCase("/GitHub/push"));
    assertEquals(GITHUB_ORG, table.matchIgnoringCase("/GITHUB/ORG/repo"));
    assertEquals(ROOT, table.matchIgnoringCase("/GitHubx"));
    assertEquals(GITHUB, table.matchIgnoringCase("/github"));
  }
}
