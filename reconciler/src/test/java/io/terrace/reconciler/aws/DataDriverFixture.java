package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every data-service driver test starts from: a fresh moto account holding one
 * environment's network stack, a driver context that knows it, and the environment's spec.
 * Observers are asked for a second environment too, so a test sees that nothing of another
 * environment's leaks in.
 */
abstract class DataDriverFixture {

    static final String ENV = "acme-production";

    AwsClients aws;
    ObservedResource network;
    DataTestContext context;
    DataTestSpec spec;

    @BeforeEach
    void createAccount() {
        Moto.reset();
        aws = Moto.clients();
        network = DataTestNetwork.create(aws, ENV);
        context = new DataTestContext(aws).with(network);
        spec = new DataTestSpec(ENV);
    }

    @AfterEach
    void closeClients() {
        aws.close();
    }

    /** What {@code observer} sees of this environment (and of {@code other-env}). */
    static ObservedState observe(ServiceObserver observer) {
        return ObservedState.of(observer.observe(List.of(ENV, "other-env")));
    }

    /**
     * The role RDS publishes enhanced monitoring with, which a production spec's instances name:
     * created as the planner would before the writer.
     */
    static ObservedResource createMonitoringRole(AwsClients aws, DataTestSpec spec, DataTestContext context) {
        return new io.terrace.reconciler.engine.ManagedDriver(new io.terrace.reconciler.aws.iam.IamRoleDriver(aws))
                .create(spec.resource("database/monitoring-role"), context);
    }

    /** The observed resource at {@code address}; fails the test when there is none. */
    static ObservedResource live(ObservedState state, String address) {
        return state.get(address).orElseThrow(() -> new AssertionError("not observed: " + address));
    }
}
