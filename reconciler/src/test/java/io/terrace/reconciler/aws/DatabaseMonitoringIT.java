package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.iam.IamObserver;
import io.terrace.reconciler.aws.iam.IamRoleDriver;
import io.terrace.reconciler.aws.rds.RdsClusterDriver;
import io.terrace.reconciler.aws.rds.RdsObserver;
import io.terrace.reconciler.aws.rds.RdsReadersDriver;
import io.terrace.reconciler.aws.rds.RdsWriterDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.DbInstances;
import io.terrace.planner.AttributeKeys.IamRole;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceDiff;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.RolePolicies;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.schema.Stage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Enhanced monitoring on a production database against moto: the monitoring role with its
 * AWS-managed policy, the writer and readers publishing every 60 seconds with it, read back with
 * separate IAM and RDS clients; hand-made drift in both corrected; a staging database without any.
 * Performance Insights (7 days) is read back too: moto describes it from 5.2.6 on; the replay
 * test has AWS's own answers.
 */
@NeedsMoto
class DatabaseMonitoringIT extends DataDriverFixture {

    private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    private AwsClients check;
    private ManagedDriver roles;
    private ManagedDriver writers;
    private ManagedDriver readers;

    @BeforeEach
    void buildDrivers() {
        check = Moto.clients();
        roles = new ManagedDriver(new IamRoleDriver(aws));
        writers = new ManagedDriver(new RdsWriterDriver(aws));
        readers = new ManagedDriver(new RdsReadersDriver(aws));
    }

    @AfterEach
    void closeCheck() {
        check.close();
    }

    @Test
    void productionInstancesPublishEnhancedMonitoringWithTheirRole() throws Exception {
        createDatabase();
        String role = ResourceNames.monitoringRole(ENV);
        var described = check.iam.getRole(r -> r.roleName(role)).role();
        assertEquals("/terrace/", described.path());
        String trust = URLDecoder.decode(described.assumeRolePolicyDocument(), StandardCharsets.UTF_8);
        assertTrue(trust.contains("monitoring.rds.amazonaws.com"), trust);
        assertEquals(List.of(RolePolicies.ENHANCED_MONITORING_POLICY), attached(role));
        assertEquals(List.of(), check.iam.listRolePolicies(r -> r.roleName(role)).policyNames(), "no inline policy");

        List<DBInstance> instances = check.rds.describeDBInstancesPaginator(r -> r.filters(f -> f.name("db-cluster-id")
                .values(ResourceNames.dbCluster(ENV)))).dbInstances().stream().toList();
        assertEquals(2, instances.size(), "the writer and one reader");
        for (DBInstance i : instances) {
            assertEquals(60, i.monitoringInterval(), i.dbInstanceIdentifier());
            assertEquals(described.arn(), i.monitoringRoleArn(), i.dbInstanceIdentifier());
        }
        assertNoDifference();
    }

    @Test
    void monitoringAndManagedPoliciesChangedByHandAreCorrected() throws Exception {
        createDatabase();
        String role = ResourceNames.monitoringRole(ENV);
        String writer = ResourceNames.dbWriter(ENV);
        check.rds.modifyDBInstance(r -> r.dbInstanceIdentifier(writer).monitoringInterval(0).monitoringRoleArn("")
                .applyImmediately(true));
        check.iam.detachRolePolicy(r -> r.roleName(role).policyArn(RolePolicies.ENHANCED_MONITORING_POLICY));
        check.iam.attachRolePolicy(r -> r.roleName(role).policyArn(READ_ONLY));

        ObservedResource liveWriter = live(observe(new RdsObserver(aws)), ENV + "/database/writer");
        assertEquals(List.of(DbInstances.MONITORING_INTERVAL, DbInstances.MONITORING_ROLE),
                paths(spec.resource("database/writer"), liveWriter), "the writer's drift, and only it");
        ObservedResource liveRole = live(observe(new IamObserver(aws)), ENV + "/database/monitoring-role");
        assertEquals(List.of(READ_ONLY), liveRole.attributes().get(IamRole.MANAGED_POLICIES),
                "read from GetAccountAuthorizationDetails' AttachedManagedPolicies");
        assertEquals(List.of(IamRole.MANAGED_POLICIES), paths(spec.resource("database/monitoring-role"), liveRole));

        roles.update(spec.resource("database/monitoring-role"), liveRole,
                ResourceDiff.of(spec.resource("database/monitoring-role"), liveRole).attributes(), context);
        writers.update(spec.resource("database/writer"), liveWriter,
                ResourceDiff.of(spec.resource("database/writer"), liveWriter).attributes(), context);

        assertEquals(List.of(RolePolicies.ENHANCED_MONITORING_POLICY), attached(role),
                "Terrace owns the role whole: the hand-attached policy is detached, its own attached again");
        DBInstance w = check.rds.describeDBInstances(r -> r.dbInstanceIdentifier(writer)).dbInstances().get(0);
        assertEquals(60, w.monitoringInterval());
        assertEquals(check.iam.getRole(r -> r.roleName(role)).role().arn(), w.monitoringRoleArn());
        assertNoDifference();
    }

    @Test
    void aStagingDatabaseHasNeitherMonitoringNorItsRole() {
        spec.stage = Stage.STAGING;
        assertFalse(io.terrace.planner.DesiredState.compile(spec.build(), "rev-1").stream()
                .anyMatch(r -> r.address().endsWith("/monitoring-role")), "no monitoring role is desired");
        createDatabase();
        for (DBInstance i : check.rds.describeDBInstancesPaginator(r -> r.filters(f -> f.name("db-cluster-id")
                .values(ResourceNames.dbCluster(ENV)))).dbInstances()) {
            assertEquals(0, i.monitoringInterval() == null ? 0 : i.monitoringInterval(), i.dbInstanceIdentifier());
            assertEquals(null, i.monitoringRoleArn());
        }
        assertTrue(check.iam.listRoles().roles().stream().noneMatch(r -> r.roleName().endsWith("-rds-monitoring")));
        var state = observe(new RdsObserver(aws));
        for (String r : List.of("writer", "readers")) {
            assertEquals(List.of(), paths(spec.resource("database/" + r), live(state, ENV + "/database/" + r)), r);
        }
    }

    // --- helpers ---

    private void createDatabase() {
        new ManagedDriver(new RdsClusterDriver(aws)).create(spec.resource("database/cluster"), context);
        if (spec.stage == Stage.PRODUCTION) {
            createMonitoringRole(aws, spec, context);
        }
        writers.create(spec.resource("database/writer"), context);
        readers.create(spec.resource("database/readers"), context);
    }

    /** Neither the role nor the instances differ from what the planner wants. */
    private void assertNoDifference() {
        var rds = observe(new RdsObserver(aws));
        for (String r : List.of("writer", "readers")) {
            ObservedResource o = live(rds, ENV + "/database/" + r);
            assertEquals(List.of(), paths(spec.resource("database/" + r), o), r + " " + o.attributes());
            assertEquals(true, o.attributes().get(DbInstances.PERFORMANCE_INSIGHTS), r + ": Performance Insights on");
            assertEquals(7, o.attributes().get(DbInstances.PERFORMANCE_INSIGHTS_RETENTION), r + ": kept 7 days");
        }
        var iam = observe(new IamObserver(aws));
        assertEquals(List.of(), paths(spec.resource("database/monitoring-role"),
                live(iam, ENV + "/database/monitoring-role")));
    }

    private static List<String> paths(Resource desired, ObservedResource live) {
        return ResourceDiff.of(desired, Optional.of(live)).attributes().stream().map(AttributeChange::path)
                .filter(p -> !p.startsWith(ResourceDiff.TAG_PREFIX)).toList();
    }

    private List<String> attached(String role) {
        return check.iam.listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).sorted().toList();
    }
}
