package io.hookcast.admin;

import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.store.StoreMetrics;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.Configs;
import io.hookcast.testing.HeadlessChromium;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium against a Hookcast in the test's Vert.x, with a real store and a real
 * backend that is down at first. What the test clicks is what an operator would; it waits on the page, which polls.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserTest {

  private static final String SENDER_CREDENTIAL = "Bearer sender-secret-4711";
  private static final String TOKEN = "dashboard-test-token";
  /** The page polls every 2 s; the margin is for a machine busy with other builds. */
  private static final Duration SEEN = Duration.ofSeconds(30);
  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  /** The messages on one page of the dashboard's list (app.js). */
  private static final int PAGE_SIZE = 50;

  private final AtomicBoolean ciDown = new AtomicBoolean(true);
  private RecordingBackend ci;
  private RecordingBackend audit;
  private RunningHookcast hookcast;
  private HeadlessChromium chromium;
  private Path dir;
  private JsonObject config;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    this.dir = dir;
    ci = RecordingBackend.start(vertx, (request, body) -> {
      if (ciDown.get()) {
        request.response().setStatusCode(503).end("ci is down for maintenance");
      } else {
        request.response().setStatusCode(200).end("build queued");
      }
    }).await(10, TimeUnit.SECONDS);
    audit = RecordingBackend.answering(vertx, 200, "logged").await(10, TimeUnit.SECONDS);
    config = Configs.withBackends(
        // Its 503 while down halves the rate, which its card shows.
        Configs.backend("ci", ci.url()).put("retry", new JsonObject().put("maxAttempts", 1))
          .put("rate", new JsonObject().put("perSecond", 50)),
        Configs.backend("audit", audit.url()))
      .put("admin", new JsonObject().put("port", 0).put("token", TOKEN))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/github").put("backends", new JsonArray().add("ci").add("audit")).put("mode", "async"))
        .add(new JsonObject().put("path", "/sync").put("backends", new JsonArray().add("ci").add("audit")).put("mode", "sync")))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
      // The automatic retry comes an hour later: the only second attempt within the test is the one clicked.
      .put("delivery", new JsonObject().put("async", new JsonObject().put("schedule", new JsonArray().add("1h"))));
    hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    chromium = HeadlessChromium.start(1440, 1100);
  }

  /** Closes the browser, then the node (and its store) while the store's directory still exists. */
  @AfterEach
  void stop(Vertx vertx) throws Exception {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWebhookSentAfterLoadAppearsAndRetryingItShowsTheManualAttemptInTheTimeline() throws Exception {
    WebDriver page = chromium.driver();
    page.get(dashboard() + "#token=" + TOKEN);
    waitFor(page, live());
    assertFalse(page.getCurrentUrl().contains(TOKEN), "the token stayed in the address: " + page.getCurrentUrl());
    ((JavascriptExecutor) page).executeScript("window.loadedOnce = true");

    HttpResponse<Buffer> sync = post("/sync/deploy", "{\"ref\":\"main\"}", null);
    assertEquals(503, sync.statusCode(), "ci is down: " + sync.bodyAsString());
    HttpResponse<Buffer> accepted = post("/github/push", "{\"ref\":\"refs/heads/main\"}", "gh-delivery-72d3162e");
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String id = accepted.bodyAsJsonObject().getString("id");

    By row = By.cssSelector("#messages tr[data-message-id='" + id + "']");
    waitFor(page, d -> d.findElement(row));
    assertEquals(Boolean.TRUE, ((JavascriptExecutor) page).executeScript("return window.loadedOnce === true"),
      "the page was reloaded");
    click(page, row);
    // The sender's credentials are shown redacted; the backend got them (below).
    click(page, By.cssSelector("#detail details[data-part=headers] summary"));
    assertEquals("<redacted>", waitFor(page, d -> d.findElement(By.xpath("//details[@data-part='headers']//tr[th='Authorization']/td")))
      .getText());
    assertFalse(page.getPageSource().contains(SENDER_CREDENTIAL), "the dashboard shows the sender's Authorization header");
    WebElement failed = waitFor(page, attempt("ci", 1));
    assertEquals("false", failed.getDomAttribute("data-manual"));
    assertTrue(failed.getDomAttribute("class").contains("outcome-rejected"), failed.getDomAttribute("class"));
    assertTrue(failed.getText().contains("ci is down for maintenance"), failed.getText());
    waitFor(page, attempt("audit", 1));
    waitFor(page, card("ci", "25/s of 50/s", "it answered 503"));
    waitFor(page, d -> d.findElement(By.cssSelector("#messages tr[data-message-id='" + id + "'] .status-pending")));
    waitFor(page, d -> d.findElement(By.cssSelector("#sync tr[data-sync-id]")));

    ciDown.set(false);
    click(page, By.cssSelector("#detail button[data-action=retry-delivery][data-backend=ci]"));

    WebElement retried = waitFor(page, attempt("ci", 2));
    assertEquals("true", retried.getDomAttribute("data-manual"));
    assertTrue(retried.getDomAttribute("class").contains("outcome-delivered"), retried.getDomAttribute("class"));
    assertTrue(retried.getText().contains("manual"), retried.getText());
    assertTrue(retried.getText().contains("build queued"), retried.getText());
    waitFor(page, d -> d.findElement(By.cssSelector("#messages tr[data-message-id='" + id + "'] .status-delivered")));
    // The delivery raised the rate by a twentieth of 50/s; the reason stays until it is back.
    waitFor(page, card("ci", "27.5/s of 50/s", "it answered 503"));
    assertEquals(List.of(), page.findElements(By.cssSelector(".card[data-backend='audit'] .rate")), "audit has no rate");
    assertEquals(List.of("1", "2"), ci.received().stream()
      .filter(r -> id.equals(r.headers().get("X-Hookcast-Message-Id")))
      .map(r -> r.headers().get("X-Hookcast-Attempt")).toList());
    assertTrue(ci.received().stream().filter(r -> id.equals(r.headers().get("X-Hookcast-Message-Id")))
      .allMatch(r -> SENDER_CREDENTIAL.equals(r.headers().get("Authorization"))), "the backend did not get the sender's Authorization");
    screenshot(page);
    @SuppressWarnings("unchecked")
    List<String> requested = (List<String>) ((JavascriptExecutor) page)
      .executeScript("return performance.getEntriesByType('resource').map(entry => entry.name)");
    assertTrue(requested.stream().allMatch(url -> url.startsWith(dashboard())), "requests beyond Hookcast: " + requested);

    page.findElement(By.id("search")).sendKeys("gh-delivery-72d3162e");
    waitFor(page, d -> d.findElement(By.id("page")).getText().equals("Search results")
      && d.findElements(By.cssSelector("#messages tr[data-message-id]")).size() == 1
      && d.findElements(By.cssSelector("#messages tr[data-message-id='" + id + "']")).size() == 1);
  }

  @Test
  void withoutATokenThePageAsksForItAndAWrongOneIsAskedForAgain() {
    WebDriver page = chromium.driver();
    page.get(dashboard());
    waitFor(page, d -> d.findElement(By.id("login")).isDisplayed());
    assertFalse(page.findElement(By.id("dashboard")).isDisplayed(), "the dashboard shows without a token");

    page.findElement(By.id("token-input")).sendKeys("not-the-token");
    page.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    waitFor(page, d -> d.findElement(By.id("login")).isDisplayed()
      && d.findElement(By.id("login-reason")).getText().contains("refused"));

    page.findElement(By.id("token-input")).sendKeys(TOKEN);
    page.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    waitFor(page, live());
    assertEquals(TOKEN, ((JavascriptExecutor) page).executeScript("return sessionStorage.getItem('hookcast.token')"));
  }

  private String dashboard() {
    return "http://127.0.0.1:" + hookcast.adminPort() + "/";
  }

  private static Function<WebDriver, Boolean> live() {
    return d -> d.findElement(By.id("status")).getDomAttribute("class").contains("ok");
  }

  /** The backend's card shows its rate and why it is lower. */
  private static Function<WebDriver, Boolean> card(String backend, String rate, String reason) {
    return d -> d.findElement(By.cssSelector(".card[data-backend='" + backend + "'] .rate")).getText().equals(rate)
      && d.findElement(By.cssSelector(".card[data-backend='" + backend + "'] .rate-reason")).getText().equals(reason);
  }

  /** The list is the page of that number, with these messages in this order. */
  private static Function<WebDriver, Boolean> shows(String number, List<String> ids) {
    return d -> d.findElement(By.id("page")).getText().equals(number) && messagesListed(d).equals(ids);
  }

  /** From now on the page keeps every number it shows with the rows under it: [number, id, id, …]. */
  private static void recordPagesShown(WebDriver page) {
    ((JavascriptExecutor) page).executeScript("window.pagesShown = [];"
      + " new MutationObserver(() => window.pagesShown.push([document.getElementById('page').textContent].concat("
      + "   Array.from(document.querySelectorAll('#messages tr[data-message-id]'), (row) => row.dataset.messageId))))"
      + " .observe(document.getElementById('dashboard'), { childList: true, subtree: true, characterData: true })");
  }

  /** Both clicks in one task of the page, so that no answer comes in between: as on a slow network, every time. */
  private static void clickAtOnce(WebDriver page, String first, String second) {
    ((JavascriptExecutor) page).executeScript("document.getElementById(arguments[0]).click();"
      + " document.getElementById(arguments[1]).click()", first, second);
  }

  /** How many answers to a request for a page of messages the page has had. */
  private static long messagePagesAnswered(WebDriver page) {
    return (Long) ((JavascriptExecutor) page).executeScript("return performance.getEntriesByType('resource')"
      + ".filter((entry) => entry.name.includes('/api/messages?')).length");
  }

  /** The ids on the first {@code count} pages of the dashboard's size, as the admin API hands them out. */
  private List<List<String>> pages(Vertx vertx, int count) throws Exception {
    WebClient admin = WebClient.create(vertx);
    List<List<String>> pages = new ArrayList<>();
    String cursor = null;
    while (pages.size() < count) {
      var request = admin.get(hookcast.adminPort(), "127.0.0.1", "/api/messages").putHeader("Authorization", "Bearer " + TOKEN)
        .addQueryParam("limit", String.valueOf(PAGE_SIZE));
      if (cursor != null) {
        request.addQueryParam("cursor", cursor);
      }
      JsonObject page = request.send().await(10, TimeUnit.SECONDS).bodyAsJsonObject();
      pages.add(page.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("id")).toList());
      cursor = page.getString("nextCursor");
    }
    return pages;
  }

  private static Function<WebDriver, WebElement> attempt(String backend, int number) {
    return d -> d.findElement(By.cssSelector("#detail .delivery[data-backend='" + backend + "'] .attempt[data-attempt='" + number + "']"));
  }

  /**
   * "Retry all dead" from the keyboard: the first Enter arms it, which renders the backend's card anew; the focus
   * stays on the button, so the second Enter sends.
   */
  @Test
  void aBulkRetryCanBeArmedAndSentFromTheKeyboard() {
    WebDriver page = chromium.driver();
    page.get(dashboard() + "#token=" + TOKEN);
    waitFor(page, live());
    By bulkRetry = By.cssSelector(".card[data-backend='ci'] button[data-action=bulk-retry]");
    waitFor(page, d -> {
      d.findElement(bulkRetry).sendKeys(Keys.ENTER);
      return true;
    });
    waitFor(page, d -> d.findElement(bulkRetry).getText().startsWith("Click again"));
    page.switchTo().activeElement().sendKeys(Keys.ENTER);
    waitFor(page, d -> d.findElement(By.id("flash")).getText().equals("Queued 0 dead deliveries to ci"));
  }

  /** A retry queues the delivery whatever its status: a double-click on Retry must send the webhook once more, not twice. */
  @Test
  void aDoubleClickOnRetrySendsOneRetry() throws Exception {
    HttpResponse<Buffer> accepted = post("/github/push", "{\"ref\":\"refs/heads/main\"}", "gh-delivery-double");
    String id = accepted.bodyAsJsonObject().getString("id");
    WebDriver page = chromium.driver();
    page.get(dashboard() + "#token=" + TOKEN);
    waitFor(page, live());
    click(page, By.cssSelector("#messages tr[data-message-id='" + id + "']"));
    waitFor(page, attempt("audit", 1));
    By retry = By.cssSelector("#detail button[data-action=retry-delivery][data-backend=audit]");

    waitFor(page, d -> {
      new Actions(d).doubleClick(d.findElement(retry)).perform();
      return true;
    });

    waitFor(page, attempt("audit", 2));
    waitFor(page, d -> d.findElement(By.id("flash")).getText().equals("Queued 1 delivery to audit"));
    @SuppressWarnings("unchecked")
    List<String> retries = (List<String>) ((JavascriptExecutor) page).executeScript("return performance.getEntriesByType('resource')"
      + ".map(entry => entry.name).filter(name => name.includes('/retry'))");
    assertEquals(1, retries.size(), "retry requests: " + retries);
  }

  /**
   * Clicks on Older and Newer faster than the pages come in: a second Older has no cursor until the page of the
   * first is in, and the answer for a page left is dropped. No rows ever show under another page's number.
   */
  @Test
  void pagingFasterThanThePagesComeInNeverShowsRowsUnderAnotherPagesNumber(Vertx vertx) throws Exception {
    for (int i = 0; i < 2 * PAGE_SIZE + 10; i++) {
      assertEquals(202, post("/github/push", "{\"n\":" + i + "}", null).statusCode());
    }
    List<List<String>> pages = pages(vertx, 3);
    WebDriver page = chromium.driver();
    page.get(dashboard() + "#token=" + TOKEN);
    waitFor(page, shows("Page 1", pages.get(0)));
    recordPagesShown(page);

    clickAtOnce(page, "older", "older");
    waitFor(page, shows("Page 2", pages.get(1)));
    long answered = messagePagesAnswered(page);
    // The answer for Older comes in after Newer took the number back to 2; then page 2 comes once more.
    clickAtOnce(page, "older", "newer");
    waitFor(page, d -> messagePagesAnswered(d) >= answered + 2);
    waitFor(page, shows("Page 2", pages.get(1)));

    @SuppressWarnings("unchecked")
    List<List<String>> shown = (List<List<String>>) ((JavascriptExecutor) page).executeScript("return window.pagesShown");
    for (List<String> one : shown) {
      int number = Integer.parseInt(one.get(0).substring("Page ".length()));
      assertEquals(pages.get(number - 1), one.subList(1, one.size()), "the rows shown under " + one.get(0));
    }
  }

  /**
   * Filtered on a backend the configuration no longer has, the operator cancels its last waiting delivery: the backend
   * leaves the select, and the filter goes with it, so that the list shows every message again.
   */
  @Test
  void aFilterOnABackendThatLeavesTheSelectGoesWithIt(Vertx vertx) throws Exception {
    String waiting = restartWithADeliveryWaitingFor(vertx, "gone");
    String pushed = post("/github/push", "{\"ref\":\"refs/heads/main\"}", null).bodyAsJsonObject().getString("id");
    WebDriver page = chromium.driver();
    page.get(dashboard() + "#token=" + TOKEN);
    By backend = By.id("filter-backend");
    waitFor(page, d -> {
      new Select(d.findElement(backend)).selectByValue("gone");
      return true;
    });
    waitFor(page, d -> messagesListed(d).equals(List.of(waiting)));

    click(page, By.cssSelector("#messages tr[data-message-id='" + waiting + "']"));
    click(page, By.cssSelector("#detail button[data-action=cancel-delivery][data-backend=gone]"));

    waitFor(page, d -> d.findElements(By.cssSelector("#filter-backend option[value=gone]")).isEmpty()
      && new Select(d.findElement(backend)).getFirstSelectedOption().getText().equals("any")
      && messagesListed(d).equals(List.of(pushed, waiting)));
  }

  /**
   * Restarts the node on its store with a message stored meanwhile for {@code backend}, which its configuration does
   * not have: the delivery waits, and the backend is listed, until it is cancelled.
   */
  private String restartWithADeliveryWaitingFor(Vertx vertx, String backend) throws Exception {
    hookcast.undeploy().await(20, TimeUnit.SECONDS);
    SqlDeliveryStore store = AsyncSetup.embeddedStore(vertx, dir, new StoreMetrics(new SimpleMeterRegistry()))
      .await(30, TimeUnit.SECONDS);
    String id = store.accept(AsyncSetup.message("for a backend since removed", backend)).await(10, TimeUnit.SECONDS).id();
    store.close().await(10, TimeUnit.SECONDS);
    hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    return id;
  }

  private static List<String> messagesListed(WebDriver page) {
    return page.findElements(By.cssSelector("#messages tr[data-message-id]")).stream()
      .map(row -> row.getDomAttribute("data-message-id")).toList();
  }

  /** The page re-renders a row or panel whose data changed, so an element found a moment ago may be gone: find it anew. */
  private static void click(WebDriver page, By element) {
    waitFor(page, d -> {
      d.findElement(element).click();
      return true;
    });
  }

  private static <T> T waitFor(WebDriver page, Function<WebDriver, T> condition) {
    return new WebDriverWait(page, SEEN)
      .ignoring(NoSuchElementException.class)
      .ignoring(StaleElementReferenceException.class)
      .until(condition);
  }

  private HttpResponse<Buffer> post(String path, String body, String senderId) throws Exception {
    var request = hookcast.client().request(HttpMethod.POST, path).putHeader("Content-Type", "application/json")
      .putHeader("Authorization", SENDER_CREDENTIAL);
    if (senderId != null) {
      request.putHeader("X-GitHub-Delivery", senderId);
    }
    return request.sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  /** From the top of the page, as an operator first sees it; clicking the row scrolled it. */
  private static void screenshot(WebDriver page) throws Exception {
    ((JavascriptExecutor) page).executeScript("window.scrollTo(0, 0)");
    byte[] png = ((TakesScreenshot) page).getScreenshotAs(OutputType.BYTES);
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, png);
  }
}
