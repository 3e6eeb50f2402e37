package io.hookcast.ingress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccessLinesTest {

  @Test
  void queryValuesAreReplacedAndNamesKeptUnlessTheFullQueryIsAskedFor() {
    assertEquals("/hook?token=<redacted>&shop=<redacted>", AccessLines.target("/hook?token=s3cret&shop=a.example", false));
    assertEquals("/hook?flag&x=<redacted>&=<redacted>", AccessLines.target("/hook?flag&x=1&=2", false));
    assertEquals("/hook?", AccessLines.target("/hook?", false));
    assertEquals("/hook", AccessLines.target("/hook", false));
    assertEquals("/hook?token=s3cret", AccessLines.target("/hook?token=s3cret", true));
  }
}
