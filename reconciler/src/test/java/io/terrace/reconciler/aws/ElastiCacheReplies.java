package io.terrace.reconciler.aws;

import java.util.Map;

/**
 * ElastiCache Query-protocol responses in the shape of AWS's API reference samples
 * (DescribeReplicationGroups, IncreaseReplicaCount, …), for {@link QueryReplay}.
 */
public final class ElastiCacheReplies {

    public static final String NS = "http://elasticache.amazonaws.com/doc/2015-02-02/";
    public static final String ACCOUNT = "123456789012";

    private ElastiCacheReplies() {}

    public static String arn(String id) {
        return "arn:aws:elasticache:eu-west-1:" + ACCOUNT + ":replicationgroup:" + id;
    }

    /** A cluster-mode-disabled group: one node group, a primary and {@code replicas} replicas. */
    public static String group(String id, String status, String nodeType, int replicas, boolean failover, boolean multiAz) {
        return group(id, status, nodeType, replicas, failover, multiAz, 1);
    }

    /** The same, with member number {@code primary} (1 = {@code <id>-001}) in the primary role. */
    public static String group(String id, String status, String nodeType, int replicas, boolean failover,
            boolean multiAz, int primary) {
        StringBuilder members = new StringBuilder();
        StringBuilder clusters = new StringBuilder();
        for (int n = 1; n <= replicas + 1; n++) {
            String cluster = String.format("%s-%03d", id, n);
            clusters.append("<ClusterId>").append(cluster).append("</ClusterId>");
            members.append("""
                    <NodeGroupMember>
                      <CacheClusterId>%s</CacheClusterId>
                      <CacheNodeId>0001</CacheNodeId>
                      <ReadEndpoint><Port>6379</Port><Address>%s.abc123.0001.euw1.cache.amazonaws.com</Address></ReadEndpoint>
                      <PreferredAvailabilityZone>eu-west-1%s</PreferredAvailabilityZone>
                      <CurrentRole>%s</CurrentRole>
                    </NodeGroupMember>""".formatted(cluster, cluster, n % 2 == 1 ? "a" : "b", n == primary ? "primary" : "replica"));
        }
        return """
                <ReplicationGroup>
                  <ReplicationGroupId>%s</ReplicationGroupId>
                  <Description>Terrace object cache</Description>
                  <Status>%s</Status>
                  <PendingModifiedValues/>
                  <MemberClusters>%s</MemberClusters>
                  <NodeGroups>
                    <NodeGroup>
                      <NodeGroupId>0001</NodeGroupId>
                      <Status>%s</Status>
                      <PrimaryEndpoint><Port>6379</Port><Address>master.%s.abc123.euw1.cache.amazonaws.com</Address></PrimaryEndpoint>
                      <NodeGroupMembers>%s</NodeGroupMembers>
                    </NodeGroup>
                  </NodeGroups>
                  <SnapshottingClusterId>%s-001</SnapshottingClusterId>
                  <AutomaticFailover>%s</AutomaticFailover>
                  <MultiAZ>%s</MultiAZ>
                  <ClusterEnabled>false</ClusterEnabled>
                  <CacheNodeType>%s</CacheNodeType>
                  <AtRestEncryptionEnabled>true</AtRestEncryptionEnabled>
                  <ARN>%s</ARN>
                  <Engine>redis</Engine>
                </ReplicationGroup>""".formatted(id, status, clusters, status, id, members, id,
                failover ? "enabled" : "disabled", multiAz ? "enabled" : "disabled", nodeType, arn(id));
    }

    public static String describe(String group) {
        return response("DescribeReplicationGroups", "<ReplicationGroups>" + group + "</ReplicationGroups>");
    }

    /** The reply to DescribeCacheClusters for one member cluster of {@code group}. */
    public static String cacheCluster(String group, String clusterId, String maintenanceWindow, String snapshotWindow) {
        return response("DescribeCacheClusters", """
                <CacheClusters>
                  <CacheCluster>
                    <CacheClusterId>%s</CacheClusterId>
                    <CacheNodeType>cache.r6g.large</CacheNodeType>
                    <Engine>redis</Engine>
                    <CacheClusterStatus>available</CacheClusterStatus>
                    <NumCacheNodes>1</NumCacheNodes>
                    <PreferredAvailabilityZone>eu-west-1a</PreferredAvailabilityZone>
                    <PreferredMaintenanceWindow>%s</PreferredMaintenanceWindow>
                    <ReplicationGroupId>%s</ReplicationGroupId>
                    <SnapshotRetentionLimit>0</SnapshotRetentionLimit>
                    <SnapshotWindow>%s</SnapshotWindow>
                    <ARN>arn:aws:elasticache:eu-west-1:%s:cluster:%s</ARN>
                  </CacheCluster>
                </CacheClusters>""".formatted(clusterId, maintenanceWindow, group, snapshotWindow, ACCOUNT, clusterId));
    }

    /** The reply to IncreaseReplicaCount, DecreaseReplicaCount, ModifyReplicationGroup, DeleteReplicationGroup. */
    public static String withGroup(String action, String group) {
        return response(action, group);
    }

    /** The reply to ListTagsForResource or AddTagsToResource: the resource's tags. */
    public static String tags(String action, Map<String, String> tags) {
        StringBuilder list = new StringBuilder();
        tags.forEach((k, v) -> list.append("<Tag><Key>").append(k).append("</Key><Value>").append(v).append("</Value></Tag>"));
        return response(action, "<TagList>" + list + "</TagList>");
    }

    public static String empty(String action) {
        return "<" + action + "Response xmlns=\"" + NS + "\"><ResponseMetadata><RequestId>"
                + "f3b8fa1c-6e58-11e9-a2c8-4b3f0d2e9a11</RequestId></ResponseMetadata></" + action + "Response>";
    }

    public static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + message + "</Message></Error><RequestId>0e6b3b7e-6e59-11e9-9a4f-b1c0d1e2f3a4</RequestId></ErrorResponse>";
    }

    private static String response(String action, String result) {
        return "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>144745b0-b9d3-11e3-8a16-7978bb24ffdf</RequestId>"
                + "</ResponseMetadata></" + action + "Response>";
    }
}
