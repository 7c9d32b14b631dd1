package io.terrace.reconciler.aws;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A moto server in a container, for machines with a Docker engine and no {@code scripts/test}
 * (an IDE, or {@code mvn verify} alone). Started on first use and shared by every test of the run;
 * Testcontainers removes it when the JVM exits. The image is the moto release {@code scripts/test}
 * installs, so the emulator's gaps are the same either way.
 */
final class MotoContainer {

    static final DockerImageName IMAGE = DockerImageName.parse("motoserver/moto:5.2.5");
    private static final int PORT = 5000;

    private static Optional<String> endpoint;

    private MotoContainer() {}

    /** The container's endpoint, started if need be; empty without a Docker engine. */
    static synchronized Optional<String> endpoint() {
        if (endpoint == null) {
            endpoint = Optional.empty();
            if (DockerClientFactory.instance().isDockerAvailable()) {
                GenericContainer<?> moto = new GenericContainer<>(IMAGE)
                        .withExposedPorts(PORT)
                        .withEnv("MOTO_ECS_SERVICE_RUNNING", String.valueOf(Moto.ECS_SERVICE_RUNNING))
                        .withEnv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
                        .waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200));
                moto.start();
                endpoint = Optional.of("http://" + moto.getHost() + ":" + moto.getMappedPort(PORT));
            }
        }
        return endpoint;
    }
}
