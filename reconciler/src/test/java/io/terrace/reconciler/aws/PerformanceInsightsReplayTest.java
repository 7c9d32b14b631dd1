package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.rds.RdsLive;
import io.terrace.reconciler.aws.rds.RdsWriterDriver;

import static io.terrace.reconciler.aws.QueryReplay.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.DbInstances;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceDiff;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Performance Insights as AWS describes it (moto never does): AWS's documented
 * DescribeDBInstances answers replayed by WireMock to the real SDK client. An instance that has it
 * off is a difference, one that has it on as wanted is none, an answer without the field is not
 * compared; the writer driver turns it on with ModifyDBInstance.
 */
class PerformanceInsightsReplayTest {

    private static final String NS = "http://rds.amazonaws.com/doc/2014-10-31/";
    private static final String ENV = "acme-production";
    private static final String WRITER = ResourceNames.dbWriter(ENV);
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/terrace/" + ResourceNames.monitoringRole(ENV);

    private final DataTestSpec spec = new DataTestSpec(ENV);

    /** The writer as DescribeDBInstances returns it; {@code insights} null leaves the fields out. */
    private String instance(Boolean insights, Map<String, String> tags) {
        StringBuilder tagList = new StringBuilder();
        tags.forEach((k, v) -> tagList.append("<Tag><Key>").append(k).append("</Key><Value>").append(v)
                .append("</Value></Tag>"));
        String pi = insights == null ? "" : "<PerformanceInsightsEnabled>" + insights + "</PerformanceInsightsEnabled>"
                + (insights ? "<PerformanceInsightsKMSKeyId>arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
                        + "</PerformanceInsightsKMSKeyId><PerformanceInsightsRetentionPeriod>7</PerformanceInsightsRetentionPeriod>"
                        : "");
        return "<DBInstance><DBInstanceIdentifier>" + WRITER + "</DBInstanceIdentifier>"
                + "<DBInstanceClass>db.r6g.large</DBInstanceClass><Engine>aurora-mysql</Engine>"
                + "<DBInstanceStatus>available</DBInstanceStatus>"
                + "<DBClusterIdentifier>" + ResourceNames.dbCluster(ENV) + "</DBClusterIdentifier>"
                + "<DBInstanceArn>arn:aws:rds:eu-west-1:123456789012:db:" + WRITER + "</DBInstanceArn>"
                + "<MonitoringInterval>60</MonitoringInterval><MonitoringRoleArn>" + ROLE_ARN + "</MonitoringRoleArn>"
                + pi + "<TagList>" + tagList + "</TagList></DBInstance>";
    }

    private static String response(String action, String result) {
        return "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>5a2b9c3d-1e4f-4a6b-8c7d-9e0f1a2b3c4d</RequestId>"
                + "</ResponseMetadata></" + action + "Response>";
    }

    private String describe(Boolean insights, Map<String, String> tags) {
        return response("DescribeDBInstances", "<DBInstances>" + instance(insights, tags) + "</DBInstances>");
    }

    /** The writer observed from a replayed answer, through the real SDK and RdsLive's mapping. */
    private ObservedResource observed(Boolean insights) {
        try (QueryReplay replay = new QueryReplay(); AwsClients aws = replay.clients()) {
            replay.answer("DescribeDBInstances", 200, describe(insights, Map.of()));
            DBInstance i = aws.rds.describeDBInstances(r -> r.dbInstanceIdentifier(WRITER)).dbInstances().get(0);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put(DbInstances.INSTANCE_CLASS, i.dbInstanceClass());
            a.putAll(RdsLive.monitoring(i));
            return new ObservedResource(ENV + "/database/writer", ResourceType.RDS_WRITER, WRITER, a, Map.of());
        }
    }

    private List<String> differences(Boolean insights) {
        return ResourceDiff.of(spec.resource("database/writer"), Optional.of(observed(insights))).attributes().stream()
                .map(AttributeChange::path).filter(p -> !p.startsWith(ResourceDiff.TAG_PREFIX)).toList();
    }

    @Test
    void performanceInsightsIsComparedWhenTheAnswerCarriesIt() {
        assertEquals(List.of(DbInstances.PERFORMANCE_INSIGHTS, DbInstances.PERFORMANCE_INSIGHTS_RETENTION),
                differences(false), "turned off by hand: drift");
        assertEquals(List.of(), differences(true), "on for 7 days, with the monitoring role: as wanted");
        assertEquals(List.of(), differences(null), "not described (moto): not compared");
        ObservedResource off = observed(false);
        assertEquals(false, off.attributes().get(DbInstances.PERFORMANCE_INSIGHTS));
        assertEquals(0, off.attributes().get(DbInstances.PERFORMANCE_INSIGHTS_RETENTION));
        assertEquals(ResourceNames.monitoringRole(ENV), off.attributes().get(DbInstances.MONITORING_ROLE));
        assertFalse(observed(null).attributes().containsKey(DbInstances.PERFORMANCE_INSIGHTS));
    }

    @Test
    void theWriterDriverTurnsPerformanceInsightsBackOn() {
        Resource desired = spec.resource("database/writer");
        try (QueryReplay replay = new QueryReplay(); AwsClients aws = replay.clients()) {
            replay.answer("DescribeDBInstances", START, START, 200, describe(false, desired.tags()));
            replay.answer("ModifyDBInstance", START, "modified", 200,
                    response("ModifyDBInstance", instance(false, desired.tags())));
            replay.answer("DescribeDBInstances", "modified", "modified", 200, describe(true, desired.tags()));
            replay.answer("DescribeDBClusters", 200, response("DescribeDBClusters", "<DBClusters><DBCluster>"
                    + "<DBClusterIdentifier>" + ResourceNames.dbCluster(ENV) + "</DBClusterIdentifier>"
                    + "<Status>available</Status><Engine>aurora-mysql</Engine><DBClusterMembers><DBClusterMember>"
                    + "<DBInstanceIdentifier>" + WRITER + "</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter>"
                    + "</DBClusterMember></DBClusterMembers></DBCluster></DBClusters>"));
            ObservedResource role = new ObservedResource(ENV + "/database/monitoring-role", ResourceType.IAM_ROLE,
                    ResourceNames.monitoringRole(ENV), Map.of("arn", ROLE_ARN), Map.of());
            DataTestContext context = new DataTestContext(aws).with(role);
            ObservedResource live = observed(false);

            ObservedResource after = new RdsWriterDriver(aws).update(desired, live,
                    ResourceDiff.of(desired, Optional.of(live)).attributes(), context);

            Map<String, String> modify = replay.only("ModifyDBInstance");
            assertEquals("true", modify.get("EnablePerformanceInsights"));
            assertEquals("7", modify.get("PerformanceInsightsRetentionPeriod"));
            assertEquals("60", modify.get("MonitoringInterval"));
            assertEquals(ROLE_ARN, modify.get("MonitoringRoleArn"));
            assertEquals("true", modify.get("ApplyImmediately"));
            assertEquals(true, after.attributes().get(DbInstances.PERFORMANCE_INSIGHTS));
        }
    }
}
