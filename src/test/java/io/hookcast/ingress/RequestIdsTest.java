package io.hookcast.ingress;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestIdsTest {

  @Test
  void generatedIdsAreDistinctVersion4Uuids() {
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      UUID id = RequestIds.random();
      assertEquals(4, id.version());
      assertEquals(2, id.variant());
      assertEquals(id, UUID.fromString(id.toString()));
      seen.add(id);
    }
    assertEquals(10_000, seen.size());
  }
}
