package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maintenance.window} and {@code database.restoreFrom}: their rules and their file:line errors. */
class DayTwoRulesTest {

    @TempDir
    Path repo;

    private static String env(String name, String client, String extra) {
        return """
                apiVersion: terrace/v1
                kind: Environment
                name: %s
                client: %s
                tier: standard
                stage: staging
                region: eu-west-1
                application:
                  image: registry.example.com/app:1.0.0
                %s""".formatted(name, client, extra);
    }

    private void write(String name, String content) throws IOException {
        Path p = repo.resolve("environments/" + name + ".yaml");
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    private List<String> diagnostics() {
        return SpecRepository.load(repo).diagnostics().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void aWellFormedWindowIsBound() throws IOException {
        write("acme-staging", env("acme-staging", "acme", "maintenance:\n  window: sun:02:00-sun:04:00\n"));
        SpecSet set = SpecRepository.load(repo);
        EnvironmentSpec spec = ((SpecResult.Valid) set.find("acme-staging").orElseThrow()).spec();
        assertEquals(Optional.of("sun:02:00-sun:04:00"), spec.maintenance().window());
        assertEquals(Duration.ofHours(2), spec.maintenance().parsed().orElseThrow().length());
    }

    @Test
    void malformedAndTooShortWindowsAreFileLineErrors() throws IOException {
        write("a-one", env("a-one", "acme", "maintenance:\n  window: sunday 2am\n"));
        write("a-two", env("a-two", "acme", "maintenance:\n  window: sun:02:00-sun:02:30\n"));
        write("a-three", env("a-three", "acme", "maintenance:\n  window: sun:25:00-mon:01:00\n"));
        write("a-four", env("a-four", "acme", "maintenance:\n  windows: sun:02:00-sun:04:00\n"));
        write("a-five", env("a-five", "acme", "maintenance:\n  window: sun:02:00-mon:01:30\n"));
        assertEquals(List.of(
                "environments/a-five.yaml:11:11: maintenance.window 'sun:02:00-mon:01:30' lasts 23 hours 30 minutes; "
                        + "a window may last at most 23 hours (the cache's daily snapshot window needs an hour outside it)",
                "environments/a-four.yaml:11:3: unknown key 'windows' in maintenance; did you mean 'window'?",
                "environments/a-one.yaml:11:11: maintenance.window 'sunday 2am' is not a window; write "
                        + "ddd:hh:mm-ddd:hh:mm in UTC, e.g. sun:02:00-sun:04:00",
                "environments/a-three.yaml:11:11: maintenance.window 'sun:25:00-mon:01:00' has a time outside 00:00-23:59",
                "environments/a-two.yaml:11:11: maintenance.window 'sun:02:00-sun:02:30' lasts 30 minutes; a window "
                        + "needs at least 60 (ElastiCache's minimum)"),
                diagnostics().stream().sorted().toList());
    }

    @Test
    void windowArithmeticWrapsTheWeek() {
        MaintenanceWindow w = MaintenanceWindow.of("sun:23:00-mon:01:00");
        assertEquals(Duration.ofHours(2), w.length());
        assertTrue(w.contains(Instant.parse("2026-12-06T23:30:00Z")), "Sunday 23:30");
        assertTrue(w.contains(Instant.parse("2026-12-07T00:59:00Z")), "Monday 00:59");
        assertFalse(w.contains(Instant.parse("2026-12-07T01:00:00Z")), "the end is outside");
        assertEquals(Instant.parse("2026-12-06T23:00:00Z"), w.nextStart(Instant.parse("2026-12-04T08:00:00Z")));
        assertEquals(Instant.parse("2026-12-13T23:00:00Z"), w.nextStart(Instant.parse("2026-12-06T23:00:01Z")));
    }

    @Test
    void restoreFromAnotherClientsEnvironmentIsRefusedAtValidation() throws IOException {
        write("globex-production", env("globex-production", "globex", ""));
        write("acme-production", env("acme-production", "acme", ""));
        write("acme-copy", env("acme-copy", "acme", "database:\n  restoreFrom: acme-production\n"));
        write("acme-spy", env("acme-spy", "acme", "database:\n  restoreFrom: globex-production\n"));
        SpecSet set = SpecRepository.load(repo);

        assertEquals(List.of("environments/acme-spy.yaml:11:16: database.restoreFrom 'globex-production' is an "
                + "environment of client 'globex', not 'acme'; a database is restored only from the same client's "
                + "environments"), set.diagnostics().stream().map(Diagnostic::toString).toList());
        EnvironmentSpec copy = ((SpecResult.Valid) set.find("acme-copy").orElseThrow()).spec();
        assertEquals(Optional.of("acme-production"), copy.database().restoreFrom());
        assertInstanceOf(SpecResult.Valid.class, set.find("globex-production").orElseThrow());
    }

    @Test
    void restoreFromASnapshotIdentifierIsAccepted() throws IOException {
        write("acme-copy", env("acme-copy", "acme", "database:\n  restoreFrom: rds:terrace-acme-production-2026-12-01-03-00\n"));
        assertEquals(List.of(), diagnostics());
    }
}
