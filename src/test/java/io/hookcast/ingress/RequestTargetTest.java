package io.hookcast.ingress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a sender's request target becomes at the backends, and which targets never get there. */
class RequestTargetTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "/github?x=1                 | /github?x=1",
    "/                           | /",
    "/a//b///c                   | /a/b/c",
    "/%7euser/%41b               | /~user/Ab",
    "/a\"b<c>                    | /a%22b%3Cc%3E",
    "/a/.well-known/..x/x..      | /a/.well-known/..x/x..",
    "/x?q=a/../b&r=%zz&s=\"      | /x?q=a/../b&r=%zz&s=%22",
    "/caf\u00e9                  | /caf%E9",
    "/hooks/50%25                | /hooks/50%25",
    "/a%25zz                     | /a%25zz",
    "/a%252                      | /a%252",
  })
  void theNormalisedPathAndTheQueryArePassedOn(String sent, String forwarded) {
    assertEquals(forwarded, RequestTarget.normalise(sent));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "http://evil.example/x", "https://evil.example", "evil.example:443", "*", "",
    "//evil.example/x", "/\\evil.example/x", "/%2fevil.example", "/%5Cevil.example", "/%252f%252fevil",
    "/..", "/.", "/a/../b", "/a/./b", "/a/..", "/a\\..\\b", "/a/..%5cb",
    "/a/%2e%2e/b", "/a/%2E./b", "/a/.%2e", "/a/%252e%252e/b", "/a/%25252e%25252e/b", "/a/%2525252525252e/b",
    "/github%2fpush", "/github%2Fpush", "/github%252Fpush", "/github\\push", "/github%5cpush", "/github%255Cpush",
    "/a%00b", "/a%0d%0aX-Injected:%20yes", "/a\u0001b", "/a%7f",
    "/git%2568ub", "/git%25%36%38ub", "/a%2541",
    "/%zz", "/a%2", "/a%", "/x#fragment", "/x?q=1#fragment", "/x?q=\u0000",
  })
  void hostileTargetsAreRefusedWith400(String sent) {
    assertEquals(400, assertThrows(Refusal.class, () -> RequestTarget.normalise(sent)).status);
  }
}
