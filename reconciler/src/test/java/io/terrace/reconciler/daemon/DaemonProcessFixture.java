package io.terrace.reconciler.daemon;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.git.SpecRepo;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the integration tests of {@code terrace daemon} as a separate process share: a reset moto,
 * clients reading it back, a spec repository holding only a README, and the daemon the test
 * launched, stopped after each test. The tests launch their daemon themselves (its flags differ).
 */
abstract class DaemonProcessFixture {

    @TempDir
    Path tmp;
    URI endpoint;
    AwsClients aws;
    SpecRepo origin;
    DaemonProcess daemon;

    @BeforeEach
    void setUpMotoAndRepository() {
        endpoint = Moto.endpoint();
        Moto.reset();
        aws = Moto.clients();
        origin = SpecRepo.init(tmp.resolve("origin"));
        origin.write("README.md", "hosting environments\n");
        origin.commit("empty spec repository");
    }

    @AfterEach
    void stopDaemon() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
        origin.close();
        aws.close();
    }
}
