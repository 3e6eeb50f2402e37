package io.hookcast.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What claims may read of a scheduler's body budget. */
class BodyBudgetTest {

  @Test
  void withNothingHeldAClaimMayTakeOneBodyOfAnySizeYetSetsAsideNoMoreThanTheBudget() {
    BodyBudget budget = new BodyBudget(1_000, 1, 1);
    assertEquals(new BodyBudget.Claimable(1_000, true), budget.setAside());
  }

  @Test
  void lanesClaimingOnOneTickEachSetAsideAShareOfWhatIsLeftAndGiveBackWhatTheyDidNotTake() {
    BodyBudget budget = new BodyBudget(1_000, 2, 1);
    BodyBudget.Claimable first = budget.setAside();
    BodyBudget.Claimable second = budget.setAside();
    assertEquals(new BodyBudget.Claimable(500, true), first);
    assertEquals(new BodyBudget.Claimable(250, false), second);
    budget.claimed(first, 100);
    budget.claimed(second, 0);
    assertEquals(new BodyBudget.Claimable(450, false), budget.setAside());
  }

  @Test
  void aShareIsNeverLessThanTheMinimumWhileThatMuchIsLeft() {
    BodyBudget budget = new BodyBudget(1_000, 10, 300);
    assertEquals(new BodyBudget.Claimable(300, true), budget.setAside());
    assertEquals(new BodyBudget.Claimable(300, false), budget.setAside());
    assertEquals(new BodyBudget.Claimable(300, false), budget.setAside());
    assertEquals(new BodyBudget.Claimable(100, false), budget.setAside());
    assertEquals(BodyBudget.Claimable.NONE, budget.setAside());
  }

  @Test
  void aBudgetHeldInFullSetsNothingAsideUntilBytesAreReleased() {
    BodyBudget budget = new BodyBudget(1_000, 1, 1);
    assertTrue(budget.tryTake(1_000));
    assertEquals(BodyBudget.Claimable.NONE, budget.setAside());
    assertFalse(budget.tryTake(1));
    budget.release(400);
    assertEquals(new BodyBudget.Claimable(400, false), budget.setAside());
  }
}
