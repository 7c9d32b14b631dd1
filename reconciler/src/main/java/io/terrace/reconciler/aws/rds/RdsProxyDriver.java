package io.terrace.reconciler.aws.rds;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TerraceTags;
import io.terrace.reconciler.aws.network.NetworkPlacement;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.DbProxy;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBProxy;
import software.amazon.awssdk.services.rds.model.DbProxyNotFoundException;
import software.amazon.awssdk.services.rds.model.DbProxyTargetAlreadyRegisteredException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The RDS Proxy in front of the cluster. It authenticates with the secret RDS manages for the
 * cluster's master user, through an IAM role the network stack provides as output
 * {@code DbProxyRoleArn} (or, without that output, the account's {@code terrace-rds-proxy} role),
 * and targets the cluster's default target group.
 */
public record RdsProxyDriver(AwsClients aws) implements ResourceDriver {

    static final String DEFAULT_ROLE = "terrace-rds-proxy";

    @Override
    public ResourceType type() {
        return ResourceType.RDS_PROXY;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return RdsLive.proxy(aws.rds, desired.name())
                .<LiveRead>map(p -> new LiveRead.Present(observed(aws.rds, desired.environment(), p)))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        RdsClient rds = aws.rds;
        String env = desired.environment();
        String name = desired.name();
        String clusterId = ResourceNames.dbCluster(env);
        DBCluster cluster = RdsLive.cluster(rds, clusterId).orElseThrow(() -> new IllegalStateException(
                desired.address() + ": DB cluster " + clusterId + " does not exist"));
        if (cluster.masterUserSecret() == null || cluster.masterUserSecret().secretArn() == null) {
            throw new IllegalStateException(desired.address() + ": DB cluster " + clusterId
                    + " has no master user secret managed by RDS for the proxy to authenticate with");
        }
        NetworkPlacement network = NetworkPlacement.of(env, context);
        String role = network.optionalOutput("DbProxyRoleArn").orElseGet(() -> defaultRole(cluster.dbClusterArn()));
        rds.createDBProxy(r -> r.dbProxyName(name)
                .engineFamily((String) desired.attributes().get(DbProxy.ENGINE_FAMILY))
                .auth(a -> a.authScheme("SECRETS").secretArn(cluster.masterUserSecret().secretArn()).iamAuth("DISABLED"))
                .roleArn(role)
                .vpcSubnetIds(network.privateSubnetIds())
                .vpcSecurityGroupIds(network.dataSecurityGroupId())
                .requireTLS((Boolean) desired.attributes().get(DbProxy.REQUIRE_TLS))
                .tags(TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build())));
        awaitAvailable(rds, context, name);
        registerCluster(rds, name, clusterId);
        return observed(rds, env, RdsLive.proxy(rds, name).orElseThrow());
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        RdsClient rds = aws.rds;
        DBProxy current = RdsLive.proxy(rds, live.id()).orElseThrow(() -> new IllegalStateException(
                live.address() + ": DB proxy " + live.id() + " has disappeared"));
        Boolean tls = (Boolean) desired.attributes().get(DbProxy.REQUIRE_TLS);
        if (!tls.equals(current.requireTLS())) {
            rds.modifyDBProxy(r -> r.dbProxyName(live.id()).requireTLS(tls));
        }
        awaitAvailable(rds, context, live.id());
        registerCluster(rds, live.id(), ResourceNames.dbCluster(desired.environment()));
        AuroraInstances.syncTags(rds, current.dbProxyArn(), live.tags(), desired.tags());
        return observed(rds, desired.environment(), RdsLive.proxy(rds, live.id()).orElseThrow());
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        RdsClient rds = aws.rds;
        try {
            rds.deleteDBProxy(r -> r.dbProxyName(live.id()));
        } catch (DbProxyNotFoundException e) {
            return;
        }
        context.await("DB proxy " + live.id() + " deleted", () -> RdsLive.proxy(rds, live.id()).isEmpty());
    }

    /** {@code arn:<partition>:iam::<account>:role/terrace-rds-proxy}, from the cluster's ARN. */
    static String defaultRole(String clusterArn) {
        String[] arn = clusterArn.split(":");
        return "arn:" + arn[1] + ":iam::" + arn[4] + ":role/" + DEFAULT_ROLE;
    }

    private static void registerCluster(RdsClient rds, String proxy, String clusterId) {
        try {
            rds.registerDBProxyTargets(r -> r.dbProxyName(proxy).targetGroupName("default")
                    .dbClusterIdentifiers(clusterId));
        } catch (DbProxyTargetAlreadyRegisteredException e) {
            // Registered by an earlier apply.
        }
    }

    private static void awaitAvailable(RdsClient rds, DriverContext context, String name) {
        context.await("DB proxy " + name + " available", () -> RdsLive.proxy(rds, name)
                .filter(p -> "available".equals(p.statusAsString())).isPresent());
    }

    private static ObservedResource observed(RdsClient rds, String env, DBProxy proxy) {
        return RdsLive.observedProxy(env, proxy,
                RdsLive.tags(rds.listTagsForResource(r -> r.resourceName(proxy.dbProxyArn())).tagList()));
    }
}
