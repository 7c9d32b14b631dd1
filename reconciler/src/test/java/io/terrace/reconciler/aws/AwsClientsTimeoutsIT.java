package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Throwables;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

/**
 * Every client of every region times its attempts out on one shared scheduler of two threads,
 * where the SDK alone would give each client a pool of its own; and an attempt the endpoint never
 * answers is still abandoned.
 */
@NeedsMoto
class AwsClientsTimeoutsIT {

    private static final List<Region> REGIONS = List.of(Region.EU_WEST_1, Region.US_EAST_1, Region.EU_CENTRAL_1);

    @AfterEach
    void clear() {
        System.clearProperty(AwsClients.ATTEMPT_TIMEOUT_PROPERTY);
    }

    @Test
    void everyClientOfEveryRegionSharesTwoTimeoutThreads() {
        long sdkPoolsBefore = threads("sdk-ScheduledExecutor");
        List<AwsClients> all = new ArrayList<>();
        try {
            for (Region region : REGIONS) {
                AwsClients aws = new AwsClients(region, Optional.of(Moto.endpoint()), new AwsCallCounter());
                all.add(aws);
                aws.sts.getCallerIdentity();
                aws.s3.listBuckets();
                aws.sns.listTopics();
                aws.kms.listKeys();
                aws.ecs.listClusters();
                aws.logs.describeLogGroups();
                aws.cloudWatch.describeAlarms();
                aws.iam.listRoles();
            }
        } finally {
            all.forEach(AwsClients::close);
        }
        assertEquals(0, threads("sdk-ScheduledExecutor") - sdkPoolsBefore, "no client started a timeout pool of its own");
        long shared = threads("terrace-aws-timeouts");
        assertTrue(shared >= 1 && shared <= 2, "the shared timeout threads: " + shared);
    }

    @Test
    void anAttemptThatIsNeverAnsweredIsAbandoned() throws IOException {
        System.setProperty(AwsClients.ATTEMPT_TIMEOUT_PROPERTY, "300");
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // read nothing, answer nothing
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (AwsClients aws = new AwsClients(Region.EU_WEST_1,
                    Optional.of(URI.create("http://127.0.0.1:" + silent.getLocalPort())), new AwsCallCounter())) {
                SdkException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                        () -> assertThrows(SdkException.class, () -> aws.sts.getCallerIdentity()));
                assertTrue(Throwables.getCausalChain(e).stream().anyMatch(ApiCallAttemptTimeoutException.class::isInstance)
                        || e instanceof ApiCallAttemptTimeoutException, "abandoned by its attempt timeout: " + e);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }
}
