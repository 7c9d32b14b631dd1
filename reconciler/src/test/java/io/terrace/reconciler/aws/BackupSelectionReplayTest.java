package io.terrace.reconciler.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Backup;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceDiff;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.backup.BackupPlanDriver;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backup selection as AWS Backup answers it (moto has no selection API): AWS's documented
 * REST-JSON answers, replayed by WireMock to the real SDK clients. The driver assigns the cluster
 * (its ARN from DescribeDBClusters) to the plan with the role {@code terrace-<env>-backup} and
 * observes it back with nothing left to change; a selection that lost the cluster is replaced
 * (deleted, then created: selections cannot be changed); a delete removes the selection, then the
 * plan, then the vault, except a vault holding recovery points, which is kept.
 */
class BackupSelectionReplayTest {

    private static final String ENV = "acme-production";
    private static final String NAME = ResourceNames.backupPlan(ENV);
    private static final String ACCOUNT = "123456789012";
    private static final String PLAN_ID = "8f5e2c1a-3b4d-4e6f-9a0b-1c2d3e4f5a6b";
    private static final String PLAN_ARN = "arn:aws:backup:eu-west-1:" + ACCOUNT + ":backup-plan:" + PLAN_ID;
    private static final String SELECTION_ID = "0d1e2f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a";
    private static final String VAULT_ARN = "arn:aws:backup:eu-west-1:" + ACCOUNT + ":backup-vault:" + NAME;
    private static final String CLUSTER_ARN = "arn:aws:rds:eu-west-1:" + ACCOUNT + ":cluster:"
            + ResourceNames.dbCluster(ENV);
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/terrace/" + ResourceNames.backupRole(ENV);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataTestSpec spec = new DataTestSpec(ENV);
    private final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private AwsClients aws;
    private DataTestContext context;

    @BeforeEach
    void start() {
        server.start();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        aws = new AwsClients(Moto.REGION, Optional.of(URI.create(server.baseUrl())), new AwsCallCounter());
        context = new DataTestContext(aws).with(new ObservedResource(ENV + "/database/backup-role",
                ResourceType.IAM_ROLE, ResourceNames.backupRole(ENV), Map.of("arn", ROLE_ARN), Map.of()));
        answer(RequestMethod.GET, "/backup/plans/?", "{\"BackupPlansList\":[{\"BackupPlanArn\":\"" + PLAN_ARN
                + "\",\"BackupPlanId\":\"" + PLAN_ID + "\",\"BackupPlanName\":\"" + NAME
                + "\",\"CreationDate\":1764806400,\"VersionId\":\"v1\"}]}");
        answer(RequestMethod.GET, "/backup/plans/" + PLAN_ID + "/?", "{\"BackupPlan\":{\"BackupPlanName\":\"" + NAME
                + "\",\"Rules\":[{\"RuleName\":\"daily\",\"RuleId\":\"r1\",\"TargetBackupVaultName\":\"" + NAME
                + "\",\"ScheduleExpression\":\"cron(0 3 * * ? *)\",\"StartWindowMinutes\":480,"
                + "\"CompletionWindowMinutes\":10080,\"Lifecycle\":{\"DeleteAfterDays\":35}}]},"
                + "\"BackupPlanArn\":\"" + PLAN_ARN + "\",\"BackupPlanId\":\"" + PLAN_ID + "\",\"VersionId\":\"v1\"}");
        answer(RequestMethod.GET, "/tags/.*", "{\"Tags\":" + json(spec.resource("database/backup").tags()) + "}");
        answer(RequestMethod.GET, "/backup/plans/" + PLAN_ID + "/selections/?", "{\"BackupSelectionsList\":[{"
                + "\"SelectionId\":\"" + SELECTION_ID + "\",\"SelectionName\":\"" + NAME + "\",\"BackupPlanId\":\""
                + PLAN_ID + "\",\"IamRoleArn\":\"" + ROLE_ARN + "\",\"CreationDate\":1764806400}]}");
        answer(RequestMethod.GET, "/backup-vaults/" + NAME, vault(0));
        answer(RequestMethod.GET, "/backup-vaults/?", "{\"BackupVaultList\":[{\"BackupVaultName\":\"" + NAME
                + "\",\"BackupVaultArn\":\"" + VAULT_ARN + "\",\"NumberOfRecoveryPoints\":0}]}");
        answer(RequestMethod.PUT, "/backup/plans/?", "{\"BackupPlanId\":\"" + PLAN_ID + "\",\"BackupPlanArn\":\""
                + PLAN_ARN + "\",\"VersionId\":\"v1\",\"CreationDate\":1764806400}");
        answer(RequestMethod.PUT, "/backup/plans/" + PLAN_ID + "/selections/?", "{\"SelectionId\":\"" + SELECTION_ID
                + "\",\"BackupPlanId\":\"" + PLAN_ID + "\",\"CreationDate\":1764806400}");
        answer(RequestMethod.DELETE, "/backup/plans/" + PLAN_ID + "/selections/" + SELECTION_ID, "");
        answer(RequestMethod.DELETE, "/backup/plans/" + PLAN_ID, "{\"BackupPlanId\":\"" + PLAN_ID
                + "\",\"BackupPlanArn\":\"" + PLAN_ARN + "\",\"DeletionDate\":1764806400,\"VersionId\":\"v1\"}");
        answer(RequestMethod.DELETE, "/backup-vaults/" + NAME, "");
        server.stubFor(post(urlPathEqualTo("/")).withRequestBody(containing("Action=DescribeDBClusters&"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<DescribeDBClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
                        + "<DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>"
                        + ResourceNames.dbCluster(ENV) + "</DBClusterIdentifier><DBClusterArn>" + CLUSTER_ARN
                        + "</DBClusterArn><Status>available</Status><Engine>aurora-mysql</Engine></DBCluster>"
                        + "</DBClusters></DescribeDBClustersResult><ResponseMetadata><RequestId>"
                        + "5a2b9c3d-1e4f-4a6b-8c7d-9e0f1a2b3c4d</RequestId></ResponseMetadata>"
                        + "</DescribeDBClustersResponse>")));
    }

    @AfterEach
    void stop() {
        aws.close();
        server.stop();
    }

    @Test
    void theDriverAssignsTheClusterToThePlanWithTheBackupRole() throws Exception {
        selectionOf(List.of(CLUSTER_ARN));
        Resource desired = spec.resource("database/backup");

        ObservedResource created = new BackupPlanDriver(aws).create(desired, context);

        List<String> calls = calls();
        assertEquals(List.of("GET /backup-vaults/" + NAME, "PUT /backup/plans/", "DescribeDBClusters",
                "PUT /backup/plans/" + PLAN_ID + "/selections/"), calls.subList(0, 4), "the vault exists: "
                + "the plan, then the cluster's ARN, then the selection: " + calls);
        JsonNode plan = body("PUT", "/backup/plans/").get("BackupPlan");
        assertEquals(NAME, plan.get("BackupPlanName").asText());
        JsonNode rule = plan.get("Rules").get(0);
        assertEquals("daily", rule.get("RuleName").asText());
        assertEquals(NAME, rule.get("TargetBackupVaultName").asText());
        assertEquals("cron(0 3 * * ? *)", rule.get("ScheduleExpression").asText());
        assertEquals(35, rule.get("Lifecycle").get("DeleteAfterDays").asInt());
        assertEquals(ENV, body("PUT", "/backup/plans/").get("BackupPlanTags").get("terrace:environment").asText());
        JsonNode selection = body("PUT", "/backup/plans/" + PLAN_ID + "/selections/").get("BackupSelection");
        assertEquals(NAME, selection.get("SelectionName").asText());
        assertEquals(ROLE_ARN, selection.get("IamRoleArn").asText());
        assertEquals(List.of(CLUSTER_ARN), texts(selection.get("Resources")));

        assertEquals(ResourceNames.backupRole(ENV), created.attributes().get(Backup.SELECTION_ROLE));
        assertEquals(List.of(ResourceNames.dbCluster(ENV)), created.attributes().get(Backup.SELECTION_RESOURCES));
        assertEquals(List.of(), paths(desired, created), "observed as wanted: " + created.attributes());
    }

    @Test
    void aSelectionWithoutTheClusterIsDriftAndIsReplaced() throws Exception {
        selectionOf(List.of());
        Resource desired = spec.resource("database/backup");
        ObservedResource live = new BackupPlanDriver(aws).read(desired, context) instanceof
                io.terrace.reconciler.engine.LiveRead.Present p ? p.resource() : null;
        assertEquals(List.of(Backup.SELECTION_RESOURCES), paths(desired, live), "the cluster left the selection");
        server.resetRequests();

        new BackupPlanDriver(aws).update(desired, live, ResourceDiff.of(desired, Optional.of(live)).attributes(),
                context);

        List<String> calls = calls();
        int deleted = calls.indexOf("DELETE /backup/plans/" + PLAN_ID + "/selections/" + SELECTION_ID);
        int created = calls.indexOf("PUT /backup/plans/" + PLAN_ID + "/selections/");
        assertTrue(deleted >= 0 && created > deleted, "deleted, then created again: " + calls);
        assertFalse(calls.contains("POST /backup/plans/" + PLAN_ID), "the rule is as wanted: no UpdateBackupPlan");
        assertEquals(List.of(CLUSTER_ARN), texts(body("PUT", "/backup/plans/" + PLAN_ID + "/selections/")
                .get("BackupSelection").get("Resources")));
    }

    @Test
    void aRetentionChangedByHandPutsTheRuleBackAndLeavesTheSelection() throws Exception {
        selectionOf(List.of(CLUSTER_ARN));
        answer(RequestMethod.GET, "/backup/plans/" + PLAN_ID + "/?", "{\"BackupPlan\":{\"BackupPlanName\":\"" + NAME
                + "\",\"Rules\":[{\"RuleName\":\"daily\",\"RuleId\":\"r1\",\"TargetBackupVaultName\":\"" + NAME
                + "\",\"ScheduleExpression\":\"cron(0 3 * * ? *)\",\"Lifecycle\":{\"DeleteAfterDays\":7}}]},"
                + "\"BackupPlanArn\":\"" + PLAN_ARN + "\",\"BackupPlanId\":\"" + PLAN_ID + "\",\"VersionId\":\"v1\"}");
        answer(RequestMethod.POST, "/backup/plans/" + PLAN_ID, "{\"BackupPlanId\":\"" + PLAN_ID
                + "\",\"BackupPlanArn\":\"" + PLAN_ARN + "\",\"VersionId\":\"v2\"}");
        Resource desired = spec.resource("database/backup");
        ObservedResource live = new BackupPlanDriver(aws).read(desired, context) instanceof
                io.terrace.reconciler.engine.LiveRead.Present p ? p.resource() : null;
        assertEquals(List.of(Backup.RETENTION_DAYS), paths(desired, live), "7 days instead of 35");
        server.resetRequests();

        new BackupPlanDriver(aws).update(desired, live, ResourceDiff.of(desired, Optional.of(live)).attributes(),
                context);

        JsonNode rule = body("POST", "/backup/plans/" + PLAN_ID).get("BackupPlan").get("Rules").get(0);
        assertEquals(35, rule.get("Lifecycle").get("DeleteAfterDays").asInt());
        assertEquals(NAME, rule.get("TargetBackupVaultName").asText());
        assertFalse(calls().stream().anyMatch(c -> c.contains("/selections/") && !c.startsWith("GET")),
                "the selection is left alone (only read back): " + calls());
    }

    @Test
    void aDeleteRemovesTheSelectionThenThePlanThenTheEmptyVault() {
        selectionOf(List.of(CLUSTER_ARN));
        new BackupPlanDriver(aws).delete(live(), context);

        List<String> deletes = calls().stream().filter(c -> c.startsWith("DELETE")).toList();
        assertEquals(List.of("DELETE /backup/plans/" + PLAN_ID + "/selections/" + SELECTION_ID,
                "DELETE /backup/plans/" + PLAN_ID, "DELETE /backup-vaults/" + NAME), deletes);
    }

    @Test
    void aVaultHoldingRecoveryPointsIsKept() {
        selectionOf(List.of(CLUSTER_ARN));
        answer(RequestMethod.GET, "/backup-vaults/" + NAME, vault(3));

        new BackupPlanDriver(aws).delete(live(), context);

        List<String> deletes = calls().stream().filter(c -> c.startsWith("DELETE")).toList();
        assertEquals(List.of("DELETE /backup/plans/" + PLAN_ID + "/selections/" + SELECTION_ID,
                "DELETE /backup/plans/" + PLAN_ID), deletes, "no DeleteBackupVault: AWS would refuse it");
    }

    // --- helpers ---

    private ObservedResource live() {
        return new ObservedResource(ENV + "/database/backup", ResourceType.BACKUP_PLAN, PLAN_ID,
                Map.of(Backup.VAULT, NAME, "arn", PLAN_ARN), Map.of());
    }

    /** GetBackupSelection answers with {@code resources}. */
    private void selectionOf(List<String> resources) {
        answer(RequestMethod.GET, "/backup/plans/" + PLAN_ID + "/selections/" + SELECTION_ID,
                "{\"BackupSelection\":{\"SelectionName\":\"" + NAME + "\",\"IamRoleArn\":\"" + ROLE_ARN
                + "\",\"Resources\":" + json(resources) + "},\"SelectionId\":\"" + SELECTION_ID
                + "\",\"BackupPlanId\":\"" + PLAN_ID + "\",\"CreationDate\":1764806400}");
    }

    private static String vault(int recoveryPoints) {
        return "{\"BackupVaultName\":\"" + NAME + "\",\"BackupVaultArn\":\"" + VAULT_ARN
                + "\",\"CreationDate\":1764806400,\"NumberOfRecoveryPoints\":" + recoveryPoints + "}";
    }

    private void answer(RequestMethod method, String pathRegex, String json) {
        server.stubFor(request(method.getName(), urlPathMatching(pathRegex)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json)));
    }

    /** The requests received, oldest first: {@code METHOD path} for AWS Backup, the action for RDS. */
    private List<String> calls() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(e -> e.getRequest().getBodyAsString().startsWith("Action=")
                ? e.getRequest().getBodyAsString().replaceAll("^Action=([A-Za-z]+).*", "$1")
                : e.getRequest().getMethod() + " " + e.getRequest().getUrl().replaceAll("\\?.*", ""))
                .collect(Collectors.toList());
    }

    /** The JSON body of the only request {@code method path}. */
    private JsonNode body(String method, String path) throws Exception {
        List<ServeEvent> matching = server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals(method)
                        && e.getRequest().getUrl().replaceAll("\\?.*", "").equals(path)).toList();
        assertEquals(1, matching.size(), method + " " + path + ": " + calls());
        return JSON.readTree(matching.get(0).getRequest().getBodyAsString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> paths(Resource desired, ObservedResource live) {
        return ResourceDiff.of(desired, Optional.of(live)).attributes().stream().map(AttributeChange::path)
                .filter(p -> !p.startsWith(ResourceDiff.TAG_PREFIX)).toList();
    }
}
