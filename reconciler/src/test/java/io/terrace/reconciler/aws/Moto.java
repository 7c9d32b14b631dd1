package io.terrace.reconciler.aws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.regions.Region;

/**
 * The moto server the integration tests run against: the one {@code scripts/test} starts and passes
 * in as {@code -Dterrace.test.endpoint} (or {@code TERRACE_TEST_ENDPOINT}); without one, on a
 * machine with a Docker engine, a moto container started once per test run by Testcontainers;
 * else the test is skipped. With {@code -Dterrace.test.requireMoto=true} (as in CI) a missing
 * endpoint fails the test instead.
 */
public final class Moto {

    public static final Region REGION = Region.EU_WEST_1;
    /** The account moto answers as (its default). */
    public static final String ACCOUNT = "123456789012";

    /**
     * The tasks moto reports running in every ECS service from its creation
     * ({@code MOTO_ECS_SERVICE_RUNNING}, set by {@code scripts/moto.sh} and for the container): a
     * deployment whose desired count is at most this is COMPLETED, one above it never completes.
     */
    public static final int ECS_SERVICE_RUNNING = 20;

    private Moto() {}

    public static URI endpoint() {
        return find().orElseGet(() -> {
            if (Boolean.getBoolean("terrace.test.requireMoto")) {
                throw new IllegalStateException("no moto endpoint: run the tests through scripts/test");
            }
            return Assumptions.abort("no moto endpoint and no Docker engine: run the tests through scripts/test");
        });
    }

    /** The endpoint given, else a container's when Docker is there, else empty. */
    static synchronized Optional<URI> find() {
        String value = System.getProperty("terrace.test.endpoint", "");
        if (value.isBlank()) {
            value = System.getenv().getOrDefault("TERRACE_TEST_ENDPOINT", "");
        }
        if (value.isBlank()) {
            value = MotoContainer.endpoint().orElse("");
        }
        if (value.isBlank()) {
            return Optional.empty();
        }
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        return Optional.of(URI.create(value));
    }

    /** Clients against moto with a fresh call counter. */
    public static AwsClients clients() {
        return new AwsClients(REGION, Optional.of(endpoint()), new AwsCallCounter());
    }

    /** Clients of another region, e.g. us-east-1 to read what CloudFront uses back. */
    public static AwsClients clients(software.amazon.awssdk.regions.Region region) {
        return new AwsClients(region, Optional.of(endpoint()), new AwsCallCounter());
    }

    /** Forgets every resource moto holds. */
    public static void reset() {
        try {
            HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset moto at " + endpoint(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
