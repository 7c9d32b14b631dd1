package io.terrace.reconciler.daemon;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.reconciler.http.WebhookSignature;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code terrace daemon} as a child JVM on the test class path, talking to moto: what an operator
 * runs, seen through its HTTP API and its log. Stopped with SIGTERM like a service manager does.
 */
public final class DaemonProcess implements AutoCloseable {

    static final String WEBHOOK_SECRET = "integration secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DaemonProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static DaemonProcess start(Path repo, Path data, URI endpoint, String poll, String driftInterval, Path log)
            throws IOException {
        DaemonProcess d = launch(repo, data, endpoint, poll, driftInterval, log, List.of(), Map.of());
        d.awaitReady();
        return d;
    }

    /**
     * Starts {@code terrace daemon} with extra flags and environment variables, without waiting
     * for it to be ready (several can start side by side).
     */
    public static DaemonProcess launch(Path repo, Path data, URI endpoint, String poll, String driftInterval, Path log,
                                       List<String> extraArgs, Map<String, String> extraEnv) throws IOException {
        return launch(repo, data, endpoint, poll, driftInterval, log, extraArgs, extraEnv, "512m");
    }

    /** As above, with at most {@code heap} of heap ({@code -Xmx}). */
    public static DaemonProcess launch(Path repo, Path data, URI endpoint, String poll, String driftInterval, Path log,
                                       List<String> extraArgs, Map<String, String> extraEnv, String heap)
            throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                // The JVM would start with 1/64 of the machine's memory as heap (380 MiB on 24 GiB),
                // which hides what the daemon needs: the heap grows from 64 MiB as it is used.
                "-Xms64m",
                "-cp", System.getProperty("java.class.path"),
                "io.terrace.reconciler.cli.TerraceCli", "daemon",
                "--repo", repo.toString(),
                "--data", data.toString(),
                "--listen", "127.0.0.1:" + port,
                "--endpoint-url", endpoint.toString(),
                "--poll", poll,
                "--drift-interval", driftInterval));
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        pb.environment().put("AWS_REGION", "eu-west-1");
        pb.environment().put("TERRACE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        pb.environment().putAll(extraEnv);
        return new DaemonProcess(pb.start(), port, log);
    }

    /** Waits until {@code /readyz} answers 200: the first fetch and read are done. */
    public void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited: " + log());
            }
            return statusCode("/readyz") == 200;
        });
    }

    public JsonNode environment(String name) {
        try {
            HttpResponse<String> r = get("/api/environments/" + name);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    public JsonNode json(String path) throws IOException {
        return JSON.readTree(get(path).body());
    }

    public String text(String path) throws IOException {
        return get(path).body();
    }

    public int statusCode(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A signed GitHub push of the branch, as GitHub would send it. */
    public int push(String branch) throws IOException, InterruptedException {
        byte[] body = ("{\"ref\":\"refs/heads/" + branch + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri("/hooks/github"))
                .header("X-GitHub-Event", "push")
                .header(WebhookSignature.HEADER, new WebhookSignature(WEBHOOK_SECRET).sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** SIGKILL, as a crashed host or the kernel's OOM killer ends it; waits for the process to go. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("daemon still alive 30 s after SIGKILL");
        }
    }

    /** The daemon JVM's process id (for /proc and jcmd). */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, then waits for the clean exit. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon did not stop within 180 s of SIGTERM");
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
