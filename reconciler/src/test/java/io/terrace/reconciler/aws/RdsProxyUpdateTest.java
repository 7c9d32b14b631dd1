package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.rds.RdsProxyDriver;

import static io.terrace.reconciler.aws.QueryReplay.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Turning TLS back on for a proxy is a ModifyDBProxy, which moto lacks: AWS's documented Query
 * responses replayed by WireMock, the real SDK client, and the exact parameters asserted.
 */
class RdsProxyUpdateTest {

    private static final String NS = "http://rds.amazonaws.com/doc/2014-10-31/";
    private static final String ENV = "acme-production";
    private static final String NAME = ResourceNames.dbProxy(ENV);
    private static final String ARN = "arn:aws:rds:eu-west-1:123456789012:db-proxy:prx-0123456789abcdef0";

    private static String proxy(String status, boolean tls) {
        return """
                <DBProxyName>%s</DBProxyName><DBProxyArn>%s</DBProxyArn><Status>%s</Status>
                <EngineFamily>MYSQL</EngineFamily><VpcId>vpc-1a2b3c4d</VpcId>
                <VpcSubnetIds><member>subnet-a</member><member>subnet-b</member></VpcSubnetIds>
                <RoleArn>arn:aws:iam::123456789012:role/terrace-rds-proxy</RoleArn>
                <Endpoint>%s.proxy-abc123.eu-west-1.rds.amazonaws.com</Endpoint>
                <RequireTLS>%s</RequireTLS><IdleClientTimeout>1800</IdleClientTimeout><DebugLogging>false</DebugLogging>
                """.formatted(NAME, ARN, status, NAME, tls);
    }

    private static String response(String action, String result) {
        return "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>5a2b9c3d-1e4f-4a6b-8c7d-9e0f1a2b3c4d</RequestId>"
                + "</ResponseMetadata></" + action + "Response>";
    }

    private static String describe(String status, boolean tls) {
        return response("DescribeDBProxies", "<DBProxies><member>" + proxy(status, tls) + "</member></DBProxies>");
    }

    private static String tags(Map<String, String> tags) {
        StringBuilder list = new StringBuilder();
        tags.forEach((k, v) -> list.append("<Tag><Key>").append(k).append("</Key><Value>").append(v).append("</Value></Tag>"));
        return response("ListTagsForResource", "<TagList>" + list + "</TagList>");
    }

    @Test
    void requireTlsIsRestoredWithModifyDbProxyAndAwaited() {
        DataTestSpec spec = new DataTestSpec(ENV);
        spec.proxy = true;
        Resource desired = spec.resource("database/proxy");
        try (QueryReplay replay = new QueryReplay(); AwsClients aws = replay.clients()) {
            replay.answer("DescribeDBProxies", START, START, 200, describe("available", false));
            replay.answer("ModifyDBProxy", START, "modifying", 200,
                    response("ModifyDBProxy", "<DBProxy>" + proxy("modifying", true) + "</DBProxy>"));
            replay.answer("DescribeDBProxies", "modifying", "modified", 200, describe("modifying", true));
            replay.answer("DescribeDBProxies", "modified", "modified", 200, describe("available", true));
            replay.answer("RegisterDBProxyTargets", 400, "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type>"
                    + "<Code>DBProxyTargetAlreadyRegisteredFault</Code><Message>The target is already registered."
                    + "</Message></Error><RequestId>6b3c0d4e-2f5a-4b7c-9d8e-0f1a2b3c4d5e</RequestId></ErrorResponse>");
            replay.answer("ListTagsForResource", 200, tags(desired.tags()));
            Map<String, String> before = new TreeMap<>(desired.tags());
            before.put(ObservedResource.REVISION, "rev-0");
            replay.answer("AddTagsToResource", 200, "<AddTagsToResourceResponse xmlns=\"" + NS + "\"><ResponseMetadata>"
                    + "<RequestId>7c4d1e5f-3a6b-4c8d-0e9f-1a2b3c4d5e6f</RequestId></ResponseMetadata></AddTagsToResourceResponse>");
            ObservedResource live = new ObservedResource(desired.address(), ResourceType.RDS_PROXY, NAME,
                    Map.of("requireTls", false), before);
            DataTestContext context = new DataTestContext(aws);

            ObservedResource result = new RdsProxyDriver(aws).update(desired, live, List.of(), context);

            assertEquals(true, result.attributes().get("requireTls"));
            assertEquals(Map.of("Action", "ModifyDBProxy", "Version", "2014-10-31", "DBProxyName", NAME,
                    "RequireTLS", "true"), replay.only("ModifyDBProxy"));
            assertEquals(Map.of("Action", "RegisterDBProxyTargets", "Version", "2014-10-31", "DBProxyName", NAME,
                    "TargetGroupName", "default", "DBClusterIdentifiers.member.1", ResourceNames.dbCluster(ENV)),
                    replay.only("RegisterDBProxyTargets"));
            assertEquals("rev-1", replay.only("AddTagsToResource").get("Tags.Tag.1.Value"));
            assertTrue(context.polls() >= 1, "waited while the proxy was modifying");
        }
    }
}
