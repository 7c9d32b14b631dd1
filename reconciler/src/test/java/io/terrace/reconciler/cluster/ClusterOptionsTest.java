package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterOptionsTest {

    private static ClusterOptions parse(String url, Map<String, String> env) {
        return ClusterOptions.parse(url, env, Duration.ofSeconds(5), "node-a", 4);
    }

    @Test
    void takesThePasswordFromTheEnvironment() {
        ClusterOptions o = parse("jdbc:postgresql://db.internal:5433/terrace?user=terrace",
                Map.of("TERRACE_DB_PASSWORD", "s3cret"));
        assertEquals("jdbc:postgresql://db.internal:5433/terrace", o.url());
        assertEquals(Optional.of("terrace"), o.user());
        assertEquals(Optional.of("s3cret"), o.password());
    }

    @Test
    void environmentPasswordWinsOverTheUrl() {
        ClusterOptions o = parse("jdbc:postgresql://db/terrace?password=fromurl", Map.of("TERRACE_DB_PASSWORD", "fromenv"));
        assertEquals(Optional.of("fromenv"), o.password());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // url | user | password | clean url
        "jdbc:postgresql://alice:pa%40ss@db:5432/terrace | alice | pa@ss | jdbc:postgresql://db:5432/terrace",
        "jdbc:postgresql://db/terrace?user=bob&password=x&sslmode=require | bob | x | jdbc:postgresql://db/terrace?sslmode=require",
        "jdbc:postgresql://db/terrace | | | jdbc:postgresql://db/terrace",
    })
    void movesCredentialsOutOfTheUrl(String url, String user, String password, String clean) {
        ClusterOptions o = parse(url, Map.of());
        assertEquals(clean, o.url());
        assertEquals(Optional.ofNullable(user), o.user());
        assertEquals(Optional.ofNullable(password), o.password());
    }

    @Test
    void neverPrintsThePassword() {
        ClusterOptions o = parse("jdbc:postgresql://alice:hunter2@db/terrace", Map.of());
        assertFalse(o.toString().contains("hunter2"), o.toString());
        assertTrue(o.toString().contains("password=(set)"), o.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jdbc:mysql://db/terrace | jdbc:postgresql://HOST[:PORT]/DB",
        "jdbc:postgresql://db | must name a host and a database",
        "jdbc:postgresql:///terrace | must name a host and a database",
    })
    void refusesUrlsThatAreNotPostgres(String url, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(url, Map.of()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void refusedUrlIsShownWithoutItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("jdbc:mysql://alice:hunter2@db/terrace?password=hunter3", Map.of()));
        assertFalse(e.getMessage().contains("hunter"), e.getMessage());
    }

    @Test
    void refusesACheckinIntervalBelowOneSecond() {
        assertThrows(IllegalArgumentException.class, () -> ClusterOptions.parse("jdbc:postgresql://db/t", Map.of(),
                Duration.ofMillis(200), "node-a", 4));
    }

    @Test
    void refusesANodeIdThatIsNotAName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterOptions.parse("jdbc:postgresql://db/t", Map.of(), Duration.ofSeconds(5),
                        "node one; drop", 4));
        assertTrue(e.getMessage().startsWith("--node-id"), e.getMessage());
    }
}
