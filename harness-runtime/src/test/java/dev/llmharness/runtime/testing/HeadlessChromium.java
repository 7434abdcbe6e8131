package dev.llmharness.runtime.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver by Selenium: a real browser
 * for the HTML report's tests. {@link #assumeInstalled()} skips a test, with a printed reason, on
 * a machine without them ({@code apt-get install -y chromium chromium-driver}; {@code .ci/run}
 * installs them when it can). Runs as root, so with the flags a root Chromium needs, in a fresh
 * profile folder, with no network of its own (no background fetches, QUIC or component updates).
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<Path> BROWSERS =
            List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"));

    private final ChromeDriver driver;

    /** Skips the calling test, saying why, unless Chromium and chromedriver are installed. */
    public static void assumeInstalled() {
        boolean browser = BROWSERS.stream().anyMatch(Files::isExecutable);
        boolean driver = Files.isExecutable(DRIVER);
        String reason = "SKIPPED: the HTML report's browser test needs Debian's chromium and chromium-driver"
                + " (apt-get install -y chromium chromium-driver); missing: "
                + (browser ? "" : "chromium ") + (driver ? "" : "chromedriver");
        if (!browser || !driver) {
            System.out.println(reason);
            System.err.println(reason);
        }
        Assumptions.assumeTrue(browser && driver, reason);
    }

    /** Starts a browser with a fresh profile in {@code profileDir} and a window of the given size. */
    public HeadlessChromium(Path profileDir, int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSERS.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow()
                .toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profileDir.toAbsolutePath(),
                "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
    }

    /** Opens a file from disk and waits until its script marks the charts drawn. */
    public void open(Path file) throws InterruptedException {
        driver.get(file.toAbsolutePath().toUri().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"true".equals(driver.findElement(By.tagName("body")).getAttribute("data-charts-ready"))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the page's script did not finish drawing within 30 s; console: " + console());
            }
            Thread.sleep(50);
        }
    }

    /** Runs a script in the page and returns its value. */
    public Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    /** {@code window.llmhCharts}: one map per chart (id, series, points, drawn). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> charts() {
        return (List<Map<String, Object>>) script("return window.llmhCharts;");
    }

    /** Console messages at SEVERE level (errors, uncaught exceptions) since the last call. */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    /** Every console message since the last call. */
    public List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::toString)
                .toList();
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    /** Saves a PNG of one element (scrolled into view) to {@code file}. */
    public void screenshot(WebElement element, Path file) throws java.io.IOException {
        script("arguments[0].scrollIntoView();", element);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, element.getScreenshotAs(OutputType.BYTES));
    }

    private Object script(String js, Object arg) {
        return ((JavascriptExecutor) driver).executeScript(js, arg);
    }

    /** Saves a PNG of the window to {@code file}. */
    public void screenshot(Path file) throws java.io.IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
