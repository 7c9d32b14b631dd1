package io.terrace.reconciler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.drift.EnvironmentHealth;
import io.terrace.drift.Health;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.http.ApiToken;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code terrace status}: one line per environment with its sync status, its health and the first
 * reason for that health. Asks a running daemon ({@code --daemon URL}) for what its last passes
 * found; without one, observes AWS itself and plans, as {@code terrace drift} does. Exit 2 when any
 * environment is degraded, 0 otherwise, 1 on an error.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each environment's sync status and health.")
final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One environment's line. */
    record Line(String name, String sync, String health, Optional<String> reason) {}

    @Mixin
    EnvironmentOptions scope;

    @Option(names = "--daemon", paramLabel = "URL",
            description = "Ask the daemon listening at URL (e.g. http://127.0.0.1:8080) instead of observing AWS.")
    URI daemon;

    @Option(names = "--api-token-file", paramLabel = "FILE", description = "With --daemon: send the token in FILE "
            + "as Authorization: Bearer (a file of one token, or of one NAME TOKEN line). TERRACE_API_TOKEN works too.")
    Optional<Path> apiTokenFile;

    @Override
    public Integer call() throws IOException {
        List<Line> lines;
        try {
            lines = daemon != null ? fromDaemon() : fromAws();
        } catch (IllegalStateException | IllegalArgumentException e) {
            scope.error(e.getMessage());
            return TerraceCli.ERROR;
        }
        if (lines == null) {
            return TerraceCli.ERROR;
        }
        Set<String> wanted = scope.wanted();
        lines = lines.stream().filter(l -> wanted.isEmpty() || wanted.contains(l.name())).toList();
        for (String name : wanted) {
            if (lines.stream().noneMatch(l -> l.name().equals(name))) {
                scope.error("no environment named " + name);
                return TerraceCli.ERROR;
            }
        }
        scope.print(render(lines));
        return lines.stream().anyMatch(l -> l.health().equals(Health.DEGRADED.id())) ? TerraceCli.CHANGES : TerraceCli.OK;
    }

    /** {@code name  sync  health  reason}, columns aligned. */
    static String render(List<Line> lines) {
        int width = lines.stream().mapToInt(l -> l.name().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            String row = String.format("%-" + width + "s  %-11s  %-11s  %s", l.name(), l.sync(), l.health(),
                    l.reason().orElse(""));
            sb.append(row.stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private List<Line> fromDaemon() throws IOException {
        // Checked (and refused with one line) before it is sent: an empty or malformed token.
        Optional<String> token = ApiToken.forClient(apiTokenFile, System.getenv());
        String base = daemon.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/api/environments");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the daemon at " + base + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered HTTP " + response.statusCode()
                    + (response.statusCode() == 401 ? " (give the API token: --api-token-file or TERRACE_API_TOKEN)" : ""));
        }
        List<Line> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(response.body()).path("environments")) {
            JsonNode reasons = e.path("healthReasons");
            out.add(new Line(e.path("name").asText(), e.path("status").asText(), e.path("health").asText("unknown"),
                    reasons.isArray() && !reasons.isEmpty() ? Optional.of(reasons.get(0).asText()) : Optional.empty()));
        }
        return out;
    }

    private List<Line> fromAws() {
        if (scope.repoMissing()) {
            return null;
        }
        SpecSnapshot snapshot = scope.snapshot();
        SpecSet specs = EnvironmentOptions.only(snapshot.specs(), scope.wanted());
        ObservedState live;
        try (var regions = scope.open()) {
            live = regions.observe(snapshot.specs(), scope.wanted()).state();
        }
        if (!scope.wanted().isEmpty()) {
            live = live.only(scope.wanted());
        }
        Plan plan = new Planner(PlanOptions.DEFAULT).plan(specs, snapshot.revisions(), live);
        Instant now = Instant.now();
        List<Line> out = new ArrayList<>();
        Map<String, ObservedState> byEnvironment = live.perEnvironment();
        for (EnvironmentPlan p : plan.environments()) {
            EnvironmentHealth health = p.invalid()
                    ? EnvironmentHealth.unknown("not observed: the spec is invalid")
                    : EnvironmentHealth.assess(p, byEnvironment.getOrDefault(p.name(), ObservedState.EMPTY), now);
            out.add(new Line(p.name(), sync(p), health.health().id(), health.firstReason()));
        }
        return out;
    }

    /** As the daemon names conditions, for what one plan can tell. */
    private static String sync(EnvironmentPlan p) {
        if (p.invalid()) {
            return "invalid";
        }
        if (!p.hasChanges()) {
            return "synced";
        }
        return p.paused() ? "paused" : "out-of-sync";
    }
}
