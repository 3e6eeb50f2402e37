package io.hookcast.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Debian's Chromium driven through Debian's chromedriver, both named by path so that Selenium never looks for (or
 * downloads) a browser of its own. A fresh profile per browser, deleted on close; nothing reaches the network but
 * the loopback pages the test opens.
 */
public final class HeadlessChromium implements AutoCloseable {

  public static final Path BROWSER = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  /** @throws AssertionError naming the packages when Chromium or its driver is not installed: never a skip */
  public static HeadlessChromium start(int width, int height) throws IOException {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      throw new AssertionError("the dashboard test needs " + BROWSER + " and " + DRIVER
        + ": run scripts/test, or apt-get install chromium chromium-driver");
    }
    Path profile = Files.createTempDirectory("hookcast-chromium-");
    ChromeOptions options = new ChromeOptions()
      .setBinary(BROWSER.toFile())
      .addArguments("--headless=new", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage", "--disable-extensions",
        "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
    if (runsAsRoot()) {
      // Chromium's sandbox refuses to run as root (CI runs as root).
      options.addArguments("--no-sandbox");
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(DRIVER.toString()))
      .usingAnyFreePort()
      .build();
    try {
      return new HeadlessChromium(service, new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      service.stop();
      delete(profile);
      throw e;
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      delete(profile);
    }
  }

  private static boolean runsAsRoot() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
