package io.hookcast.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QueryValuesTest {

  @Test
  void queryValuesAreReplacedAndNamesKeptUnlessTheFullQueryIsAskedFor() {
    assertEquals("/hook?token=<redacted>&shop=<redacted>", QueryValues.shown("/hook?token=s3cret&shop=a.example", false));
    assertEquals("/hook?flag&x=<redacted>&=<redacted>", QueryValues.shown("/hook?flag&x=1&=2", false));
    assertEquals("/hook?", QueryValues.shown("/hook?", false));
    assertEquals("/hook", QueryValues.shown("/hook", false));
    assertEquals("/hook?token=s3cret", QueryValues.shown("/hook?token=s3cret", true));
  }
}
