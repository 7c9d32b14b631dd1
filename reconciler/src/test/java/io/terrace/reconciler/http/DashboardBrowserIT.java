package io.terrace.reconciler.http;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.Component;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.daemon.Daemon;
import io.terrace.reconciler.daemon.DaemonConfig;
import io.terrace.reconciler.daemon.PlanFunction;
import io.terrace.reconciler.daemon.RegionalAws;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.reconciler.git.SpecRepo;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Chromium, driven by Selenium through Debian's
 * chromedriver, against a daemon in this JVM (real git, Quartz, H2, HTTP, AWS SDK) on moto. The
 * example environments are listed (paused in the test's repository, so they are planned and not
 * applied), one small environment under {@code drift: report} is applied for real. The pages are
 * never reloaded by the test after an action: what changes arrives by the page's own live updates.
 * A failed test leaves a screenshot in {@code target/screenshots}.
 */
@NeedsMoto
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final String ENV = "it-web";
    private static final Duration CONVERGE = Duration.ofMinutes(6);
    private static final Duration LIVE = Duration.ofSeconds(30);
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    Path tmp;
    SpecRepo origin;
    AwsRegions regions;
    AwsClients aws;
    Daemon daemon;
    HttpApi http;
    WebDriver browser;
    List<String> examples = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @RegisterExtension
    final TestWatcher screenshots = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            screenshot("failed-" + context.getRequiredTestMethod().getName());
        }
    };

    @BeforeAll
    void setUp() throws Exception {
        tmp = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "dashboard-it");
        Moto.reset();
        aws = Moto.clients();
        origin = SpecRepo.init(tmp.resolve("origin"));
        try (Stream<Path> files = Files.list(Path.of("..", "specs", "environments"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".yaml", "");
                examples.add(name);
                origin.write(path(name), Files.readString(f) + "paused: true\n");
            }
        }
        origin.write(path(ENV), environment(ENV, "1.0.0", "drift: report"));
        origin.commit("the example environments, paused, and " + ENV);
        regions = new AwsRegions(Optional.of(Moto.endpoint()), Optional.empty(), new AwsCallCounter());
        DaemonConfig config = DaemonConfig.defaults(origin.dir().toString(), tmp.resolve("data"))
                .withPoll(Duration.ofHours(1))
                .withDriftInterval(Duration.ofHours(1))
                .withListen(new InetSocketAddress("127.0.0.1", 0));
        daemon = Daemon.start(config, repository -> {
            RegionalAws regional = new RegionalAws(regions, repository);
            return new Daemon.Engine(regional, regional, PlanFunction.planner(PlanOptions.DEFAULT),
                    SnapshotReader.SPECS, regional::discover);
        }, Clock.systemUTC(), Optional.of(regions.counter()), Map.of());
        http = HttpApi.start(config.listen(), daemon, Optional.empty());

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);

        await().atMost(CONVERGE).until(() -> "synced".equals(api("/api/environments/" + ENV).path("status").asText()));
        await().atMost(CONVERGE).until(daemon::idle);
        // The CDN's domain reaches the task's environment one pass after the first apply: that
        // pass (a rollout) is taken here, so that what the tests see is the environment at rest.
        int passes = api("/api/environments/" + ENV).path("history").size();
        daemon.syncNow(ENV);
        await().atMost(CONVERGE).until(() -> api("/api/environments/" + ENV).path("history").size() > passes
                && daemon.idle());
    }

    @AfterAll
    void tearDown() {
        if (browser != null) {
            browser.quit();
        }
        if (http != null) {
            http.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (regions != null) {
            regions.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    @Order(1)
    void theFleetPageListsTheExampleEnvironmentsAndFiltersAndSearchesThem() {
        open("/");
        List<String> listed = rows();
        for (String name : examples) {
            assertTrue(listed.contains(name), name + " in " + listed);
        }
        assertTrue(listed.contains(ENV), listed.toString());
        assertEquals(examples.size() + 1, listed.size());
        String counts = browser.findElement(By.cssSelector(".counts")).getText();
        assertTrue(counts.contains("synced 1") && counts.contains("paused " + examples.size()), counts);
        WebElement row = browser.findElement(By.cssSelector("tr[data-environment='" + ENV + "']"));
        assertTrue(row.getText().contains("developer") && row.getText().contains("acme")
                && row.getText().contains("eu-west-1"), row.getText());
        WebElement last = row.findElement(By.cssSelector("time"));
        assertTrue(last.getAttribute("title").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "exact time on hover");
        screenshot("fleet", 700);

        new Select(browser.findElement(By.name("status"))).selectByValue("synced");
        waitFor(() -> rows().equals(List.of(ENV)));
        assertTrue(browser.getCurrentUrl().endsWith("/?status=synced"), browser.getCurrentUrl());

        new Select(browser.findElement(By.name("status"))).selectByValue("");
        new Select(browser.findElement(By.name("tier"))).selectByValue("developer");
        waitFor(() -> rows().contains(ENV) && !rows().contains("acme-production"));
        new Select(browser.findElement(By.name("tier"))).selectByValue("");
        waitFor(() -> rows().size() == examples.size() + 1);

        browser.findElement(By.name("q")).sendKeys("acme-");
        waitFor(() -> rows().equals(List.of("acme-production", "acme-staging")));
        browser.findElement(By.name("q")).sendKeys("prod");
        waitFor(() -> rows().equals(List.of("acme-production")));
    }

    @Test
    @Order(2)
    void atPhoneWidthNeitherPageScrollsSideways() {
        org.openqa.selenium.Dimension usual = browser.manage().window().getSize();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            for (String page : new String[] {"/", "/environments/" + ENV, "/environments/" + examples.get(0)}) {
                open(page);
                Number overflow = (Number) ((JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertTrue(overflow.intValue() <= 0, page + " is " + overflow + " px wider than the screen");
            }
            open("/");
            screenshot("fleet-phone");
        } finally {
            browser.manage().window().setSize(usual);
        }
    }

    @Test
    @Order(3)
    void theEnvironmentPageShowsItsResourcesAndADriftedAttributeWithLiveAndSpecValues() throws Exception {
        open("/environments/" + ENV);
        sweep();
        waitFor(() -> texts("#resources tr[data-address='" + ENV + "/web/service']").get(0).contains("in sync"));
        int resources = texts("#resources tr[data-address]").size();
        assertTrue(resources > 10, "the resource tree: " + resources);
        String inSync = texts("#resources tr[data-address='" + ENV + "/web/service']").get(0);
        assertTrue(inSync.contains("in sync") && inSync.contains("aws_ecs_service"), inSync);
        String console = (String) ((JavascriptExecutor) browser).executeScript("return document.querySelector("
                + "\"#resources tr[data-address='" + ENV + "/cluster/cluster'] a\").href;");
        assertTrue(console.startsWith("https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/terrace-" + ENV), console);
        assertTrue(texts("#spec").get(0).contains("drift: report"), "the spec at its revision");
        List<String> components = texts("#resources summary");
        assertTrue(components.stream().anyMatch(c -> c.startsWith("web")), components.toString());

        // Out of band: the web service scaled to 40, outside the spec's 1..2.
        aws.ecs.updateService(b -> b.cluster(ResourceNames.ecsCluster(ENV))
                .service(ResourceNames.ecsService(Component.WEB)).desiredCount(40));
        sweep();
        assertEquals("drifted", api("/api/environments/" + ENV).path("status").asText());

        String service = "#drift tbody tr[data-address='" + ENV + "/web/service'] td";
        waitFor(() -> !texts(service).isEmpty());
        List<String> cells = texts(service);
        assertEquals(ENV + "/web/service", cells.get(0), cells.toString());
        assertEquals("40", cells.get(2), "live: " + cells);
        assertNotEquals("40", cells.get(3), "spec: " + cells);
        assertFalse(cells.get(3).isBlank(), "spec: " + cells);
        assertEquals(List.of("drifted"), texts(".summary > p:first-child > .s"));
        assertTrue(texts("#resources tr[data-address='" + ENV + "/web/service']").get(0).contains("drifted"));
        screenshot("environment", 1500);
    }

    @Test
    @Order(4)
    void theSyncButtonAsksThenRunsAPassThatAppearsInTheHistory() throws Exception {
        open("/environments/" + ENV);
        String newest = texts("#history tbody tr").get(0);
        browser.findElement(By.id("action-sync")).click();
        WebElement dialog = browser.findElement(By.id("confirm"));
        waitFor(dialog::isDisplayed);
        assertTrue(dialog.getText().contains("Reconcile " + ENV + " now?"), dialog.getText());
        browser.findElement(By.id("confirm-ok")).click();
        // The newest two entries: the manual pass's plan and its apply (the history lists the newest 20).
        waitFor(() -> texts("#history tbody tr").stream().limit(2)
                .anyMatch(r -> r.contains("manual") && r.contains("apply")), CONVERGE);
        await().atMost(CONVERGE).until(daemon::idle);
        waitFor(() -> texts(".summary > p:first-child > .s").equals(List.of("synced")), CONVERGE);
        assertNotEquals(newest, texts("#history tbody tr").get(0));
        String manual = texts("#history tbody tr").stream().limit(2)
                .filter(r -> r.contains("manual") && r.contains("apply")).findFirst().orElseThrow();
        assertTrue(manual.contains("the example environments, paused, and " + ENV), "the commit's message: " + manual);
        assertTrue(manual.contains("update " + ENV + "/web/service (succeeded)"), "what the apply changed: " + manual);
        assertTrue(aws.ecs.describeServices(b -> b.cluster(ResourceNames.ecsCluster(ENV))
                .services(ResourceNames.ecsService(Component.WEB))).services().get(0).desiredCount() <= 2, "corrected");
    }

    @Test
    @Order(5)
    void bothPagesHaveNoSeriousOrCriticalAccessibilityViolations() throws Exception {
        for (String page : new String[] {"/", "/environments/" + ENV, "/environments/" + examples.get(0)}) {
            open(page);
            List<String> serious = axe();
            assertTrue(serious.isEmpty(), page + ": " + serious);
        }
    }

    @Test
    @Order(6)
    void aCommittedPauseShowsItsBannerAndDisablesTheButtons() throws Exception {
        open("/environments/" + ENV);
        assertTrue(browser.findElements(By.id("pause-banner")).isEmpty());
        assertTrue(browser.findElement(By.id("action-sync")).isEnabled());
        assertTrue(browser.findElement(By.id("action-failover")).isEnabled(), "failover is offered beside sync");
        origin.write("PAUSE", "release freeze until Monday\n");
        String commit = origin.commit("pause for the release");
        daemon.pollNow();

        waitFor(() -> !browser.findElements(By.id("pause-banner")).isEmpty(), CONVERGE);
        String banner = texts("#pause-banner").get(0);
        assertTrue(banner.contains("release freeze until Monday") && banner.contains(commit.substring(0, 7)), banner);
        waitFor(() -> !browser.findElement(By.id("action-sync")).isEnabled(), CONVERGE);
        open("/");
        assertTrue(browser.findElement(By.id("pause-banner")).getText().contains("release freeze"));
        screenshot("fleet-paused");
    }

    private void sweep() {
        long sweeps = daemon.sweeps();
        daemon.sweepNow();
        await().atMost(CONVERGE).until(() -> daemon.sweeps() > sweeps && daemon.idle());
    }

    private List<String> axe() throws Exception {
        String source = Files.readString(Path.of("src", "test", "resources", "axe", "axe.min.js"), StandardCharsets.UTF_8);
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript(source);
        Object result = js.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
                + " done(JSON.stringify(r.violations.map(function (v) { return {id: v.id, impact: v.impact,"
                + " help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(' '); })}; })));"
                + "}, function (e) { done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])); });");
        List<String> serious = new ArrayList<>();
        for (JsonNode v : JSON.readTree((String) result)) {
            String impact = v.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                serious.add(impact + " " + v.path("id").asText() + ": " + v.path("help").asText() + " " + v.path("nodes"));
            }
        }
        return serious;
    }

    private void open(String page) {
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get("http://127.0.0.1:" + http.port() + page);
    }

    /** The text of every element {@code css} selects, read at once (the page's live updates replace elements). */
    @SuppressWarnings("unchecked")
    private List<String> texts(String css) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("return Array.from("
                + "document.querySelectorAll(arguments[0])).map(function (e) { return e.textContent.trim(); });", css);
    }

    private List<String> rows() {
        return browser.findElements(By.cssSelector("#environments tbody tr[data-environment]")).stream()
                .map(r -> r.getAttribute("data-environment")).toList();
    }

    private void waitFor(java.util.function.BooleanSupplier condition) {
        waitFor(condition, LIVE);
    }

    private void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) {
        new WebDriverWait(browser, timeout).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    /** A screenshot for the documentation: a window {@code height} tall, then back to the usual size. */
    private void screenshot(String name, int height) {
        org.openqa.selenium.Dimension usual = browser.manage().window().getSize();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(usual.getWidth(), height));
        // The page is laid out again at the new size by the second animation frame after the resize.
        ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " requestAnimationFrame(() => requestAnimationFrame(() => done()));");
        screenshot(name);
        browser.manage().window().setSize(usual);
    }

    private void screenshot(String name) {
        if (browser == null) {
            return;
        }
        try {
            Files.createDirectories(SHOTS);
            Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            System.err.println("no screenshot " + name + ": " + e);
        }
    }

    private JsonNode api(String path) throws Exception {
        return JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
