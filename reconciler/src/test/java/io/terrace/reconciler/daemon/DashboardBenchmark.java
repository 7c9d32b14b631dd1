package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The fleet page with N environments (default 1,000) on a daemon over the in-memory cloud: the
 * server's time to render {@code /} (median of 20), the page's size, and the first contentful
 * paint in headless Chromium, unfiltered and searched. A benchmark, not a test: it prints figures.
 * Run by {@code scripts/bench-dashboard [N]}.
 */
public final class DashboardBenchmark {

    private DashboardBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path tmp = Files.createTempDirectory("terrace-dashboard-bench");
        try (DaemonFixture f = new DaemonFixture(tmp)) {
            for (int i = 0; i < n; i++) {
                String name = String.format("env-%04d", i);
                f.origin.write(path(name), environment(name, "1.0.0", i % 10 == 0 ? "drift: report" : ""));
            }
            f.origin.commit(n + " environments");
            org.awaitility.Awaitility.setDefaultTimeout(java.time.Duration.ofMinutes(10));
            long t0 = System.nanoTime();
            f.start();
            System.out.printf("environments: %d, first poll and passes: %d ms%n", f.daemon.statuses().all().size(),
                    (System.nanoTime() - t0) / 1_000_000);

            List<Long> times = new ArrayList<>();
            int bytes = 0;
            for (int i = 0; i < 20; i++) {
                long s = System.nanoTime();
                HttpResponse<String> page = f.get("/");
                times.add((System.nanoTime() - s) / 1_000);
                bytes = page.body().length();
            }
            Collections.sort(times);
            System.out.printf("GET / (the first page of rows): median %.1f ms, max %.1f ms, %d bytes%n",
                    times.get(times.size() / 2) / 1000.0, times.get(times.size() - 1) / 1000.0, bytes);

            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
            ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
            try {
                for (String page : new String[] {"/", "/?q=env-09", "/environments/env-0001"}) {
                    List<Double> paints = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        browser.get("http://127.0.0.1:" + f.http.port() + page);
                        Object fcp = ((JavascriptExecutor) browser).executeScript(
                                "var e = performance.getEntriesByName('first-contentful-paint')[0];"
                                        + "return e ? e.startTime : -1;");
                        paints.add(((Number) fcp).doubleValue());
                    }
                    Collections.sort(paints);
                    System.out.printf("first contentful paint %s: median %.0f ms (of 5)%n", page, paints.get(2));
                }
            } finally {
                browser.quit();
            }
        }
        System.exit(0);
    }
}
